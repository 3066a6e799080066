// What `npm run deploy` checks in .env before it hands over to `twilio-run deploy` (the platform's own
// rules are in deploy-preflight.ts), and what it prints after. Pure. twilio-run uploads the .env file's
// non-empty variables (minus ACCOUNT_SID and AUTH_TOKEN) as the service's environment, so the .env file,
// not the shell, decides what the deployed Functions see.
import { checkVariables } from './deploy-preflight';

/** The entry points of SPEC §2 and who calls each, in the order a user wires them. */
export const ENTRY_POINTS: readonly { readonly path: string; readonly calledBy: string }[] = [
  { path: '/voice/incoming', calledBy: 'each line number\'s "A call comes in" webhook (npm run numbers:connect)' },
  { path: '/escalate', calledBy: 'a Studio flow\'s TwiML Redirect widget, or another bot' },
  { path: '/events/call-status', calledBy: 'each line number\'s call status callback (npm run numbers:connect)' },
  { path: '/sms/incoming', calledBy: 'each line number\'s "A message comes in" webhook (npm run numbers:connect)' },
  { path: '/events/transcript', calledBy: 'the Voice Intelligence service\'s webhook (Console › Voice Intelligence › your service)' },
  { path: '/jobs/dispatch-callbacks', calledBy: 'your scheduler, every minute, with Authorization: Bearer $DISPATCH_SECRET' },
];

/** Variables only the local sandbox and tests may set: deployed, they would send production traffic to localhost. */
export const SANDBOX_ONLY_VARS = ['AIRTABLE_ENDPOINT_URL', 'TWILIO_API_BASE_URL', 'SENDGRID_API_BASE_URL'] as const;
/** What the deployed Functions cannot run without. */
const REQUIRED_DEPLOYED = ['AIRTABLE_API_KEY', 'AIRTABLE_BASE_ID'] as const;

export interface DeployCheck {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

type Vars = Readonly<Record<string, string | undefined>>;

/** What twilio-run uploads as the environment's Variables: the non-blank ones, less the account's credentials. */
export function uploadedVariables(vars: Vars): Record<string, string> {
  const uploaded: Record<string, string> = {};
  for (const [key, value] of Object.entries(vars)) {
    if (value?.trim() && key !== 'ACCOUNT_SID' && key !== 'AUTH_TOKEN') uploaded[key] = value;
  }
  return uploaded;
}

const has = (vars: Vars, key: string) => (vars[key]?.trim() ?? '') !== '';

/** `functionKeys`: the variables a Function reads (sandbox-env's list), to warn about shell-only ones. */
export function checkDeploy(fileVars: Vars, shellVars: Vars, functionKeys: readonly string[]): DeployCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const key of SANDBOX_ONLY_VARS) {
    if (has(fileVars, key)) errors.push(`${key} is set in .env: it is for the local sandbox only and would be deployed. Remove it (or comment it out) and deploy again.`);
  }
  for (const key of REQUIRED_DEPLOYED) {
    if (has(fileVars, key)) continue;
    errors.push(has(shellVars, key) ? `${key} is set in your shell only: twilio-run deploys the variables of .env, so put it there.` : `${key} is not set: put it in .env (see .env.example).`);
  }
  // twilio-run reads the account's credentials from .env. They are never passed as command-line flags
  // (--password would show the auth token to anyone who lists the machine's processes).
  for (const key of ['ACCOUNT_SID', 'AUTH_TOKEN'] as const) {
    if (has(fileVars, key)) continue;
    errors.push(
      has(shellVars, key)
        ? `${key} is set in your shell only: twilio-run reads the account's credentials from .env, so put it there (Console › Account Info).`
        : `${key} is not set: put your Twilio account's ${key} in .env (Console › Account Info).`,
    );
  }
  const shellOnly = functionKeys.filter((key) => !has(fileVars, key) && has(shellVars, key) && !['ACCOUNT_SID', 'AUTH_TOKEN', ...REQUIRED_DEPLOYED, ...SANDBOX_ONLY_VARS].includes(key));
  if (shellOnly.length) warnings.push(`${shellOnly.join(', ')} set in your shell only: not deployed (twilio-run deploys .env).`);
  errors.push(...checkVariables(uploadedVariables(fileVars)));
  return { errors, warnings };
}

/** twilio-run's deploy result (`--output-format json`), the parts printed here. */
export interface DeployResult {
  readonly domain: string;
  readonly serviceName?: string;
  readonly serviceSid?: string;
  readonly viewLiveLogs?: string;
  readonly functions?: readonly { readonly path: string; readonly access?: string }[];
}

/** The service's base URL: https on Twilio's domains, http where the sandbox serves a rehearsal on localhost. */
export function baseUrlOf(domain: string): string {
  return `${/^(localhost|127\.0\.0\.1)(:\d+)?$/.test(domain) ? 'http' : 'https'}://${domain}`;
}

/** The summary of a deploy; `rehearsal`: the sandbox's emulated platform served it, so the next steps are calls. */
export function formatDeployed(result: DeployResult, rehearsal = false): string[] {
  const base = baseUrlOf(result.domain);
  const deployed = new Set((result.functions ?? []).map((f) => f.path));
  const width = Math.max(...ENTRY_POINTS.map((e) => e.path.length));
  const next = rehearsal
    ? [
        `  npm run call -- --url ${base} --line support --from dana --script "agent,1,@accept"   # a call to this build`,
        `  npm run dispatch -- --url ${base}                                                     # its callback dispatcher`,
      ]
    : [
        `  npm run numbers:connect -- --url ${base}            # see what would change`,
        `  npm run numbers:connect -- --url ${base} --apply    # point the lines' numbers here`,
      ];
  return [
    `Deployed ${result.serviceName ?? 'the service'}${result.serviceSid ? ` (${result.serviceSid})` : ''} to ${base}${rehearsal ? ' (the sandbox\'s emulated Twilio platform)' : ''}`,
    '',
    'Entry points:',
    ...ENTRY_POINTS.map((e) => `  ${base}${e.path.padEnd(width)}  ${deployed.size && !deployed.has(e.path) ? '(not in this build) ' : ''}← ${e.calledBy}`),
    '',
    'Next:',
    ...next,
    ...(result.viewLiveLogs && !rehearsal ? [`Logs: ${result.viewLiveLogs}`] : []),
  ];
}
