// `npm run dispatch`: runs the callback dispatcher of a running sandbox (`npm start`) once, or every
// N seconds with `--every N`, as an external scheduler would in production:
//   npm run dispatch                      once, against the URL `npm start` wrote in .sandbox/endpoints.json
//   npm run dispatch -- --every 60        every minute until Ctrl-C
//   npm run dispatch -- --url https://x.twil.io   another deployment (DISPATCH_SECRET from the shell or .env)
//   npm run dispatch -- --answer "@answer,1,@accept"
//                                         the simulator answers each call the run placed, as `npm run call`
//                                         scripts do (sandbox only): the agent answers and presses 1, the customer presses 1;
//                                         a ring group's next agents, called one after the other when one does not
//                                         take it, go on with the rest of the script ("@answer,hangup,@no-answer,@answer,1,@accept")
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { PROJECT_DIR } from './sandbox';
import { SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN, SANDBOX_DISPATCH_SECRET } from './sandbox-env';
import { OUTBOUND_LABELS, runOutboundCall, type PlacedCall } from './simulator/call-driver';
import { fetchSandboxRecords, type EmulatorEndpoints } from './simulator/sandbox-records';
import { parseScript, TokenActor } from './simulator/script-tokens';
import { formatEvent } from './simulator/transcript';

export interface DispatchOptions {
  readonly url: string;
  readonly secret: string;
  readonly everySeconds?: number;
  /** Script tokens with which the simulator answers each placed call (sandbox only). */
  readonly answer?: readonly string[];
}

function readJson(file: string): Record<string, string> | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : undefined;
}

export function parseDispatchArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, projectDir = PROJECT_DIR): DispatchOptions {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const every = value('--every');
  const everySeconds = every === undefined ? undefined : Number(every);
  if (everySeconds !== undefined && !(Number.isFinite(everySeconds) && everySeconds >= 1)) throw new Error('--every takes a number of seconds (at least 1)');
  const url = value('--url') ?? readJson(path.join(projectDir, '.sandbox', 'endpoints.json'))?.functions;
  if (!url) throw new Error('No sandbox is running: start one with `npm start`, or give --url.');
  const dotEnv = existsSync(path.join(projectDir, '.env')) ? parseEnv(readFileSync(path.join(projectDir, '.env'), 'utf8')) : {};
  const secret = env.DISPATCH_SECRET?.trim() || (dotEnv as Record<string, string>).DISPATCH_SECRET?.trim() || SANDBOX_DISPATCH_SECRET;
  const answer = value('--answer');
  return { url: url.replace(/\/+$/, ''), secret, everySeconds, ...(answer === undefined ? {} : { answer: parseScript(answer) }) };
}

function readEndpoints(projectDir = PROJECT_DIR): EmulatorEndpoints | undefined {
  return readJson(path.join(projectDir, '.sandbox', 'endpoints.json')) as EmulatorEndpoints | undefined;
}

/** The Callbacks row an agent call is about (its URL's `callback`), to follow the group's next agents. */
function callbackRowOf(placed: PlacedCall): string | undefined {
  return placed.url ? (new URL(placed.url).searchParams.get('callback') ?? undefined) : undefined;
}

/**
 * Plays each call the run placed with the simulator, one after the other, printing what each side hears.
 * When an agent of a ring group does not take the callback, the application calls the next one (from the
 * call's status callback): that call is played next with the rest of the same script.
 */
export async function answerPlacedCalls(
  endpoints: EmulatorEndpoints | undefined,
  callSids: readonly string[],
  tokens: readonly string[],
  write: (line: string) => void,
): Promise<void> {
  if (!endpoints || callSids.length === 0) return;
  const dotEnv = existsSync(path.join(PROJECT_DIR, '.env')) ? (parseEnv(readFileSync(path.join(PROJECT_DIR, '.env'), 'utf8')) as Record<string, string>) : {};
  const env = { ...dotEnv, ...process.env };
  const { placedCalls } = await fetchSandboxRecords(endpoints);
  const played = new Set<string>(callSids);
  for (const first of placedCalls.filter((call) => callSids.includes(call.sid))) {
    const actor = new TokenActor(tokens, (note) => write(`  · ${note}`));
    for (let placed: PlacedCall | undefined = first; placed; ) {
      const how = actor.outboundAnswer(placed.to);
      write(`The ${placed === first ? "dispatcher's" : 'next agent\'s'} call ${placed.to} from ${placed.from}: ${how}`);
      await runOutboundCall(
        { authToken: env.AUTH_TOKEN || SANDBOX_AUTH_TOKEN, accountSid: env.ACCOUNT_SID || SANDBOX_ACCOUNT_SID, onEvent: (event) => {
          if (event.kind !== 'request' && event.kind !== 'response' && event.kind !== 'listen' && event.kind !== 'redirect') write(`  ${formatEvent(event, OUTBOUND_LABELS)}`);
        } },
        placed,
        how,
        actor,
      );
      const row = callbackRowOf(placed);
      placed = row ? (await fetchSandboxRecords(endpoints)).placedCalls.find((call) => !played.has(call.sid) && callbackRowOf(call) === row) : undefined;
      if (placed) played.add(placed.sid);
    }
  }
}

/** One line that names what to fix when the dispatcher refuses the run; undefined when it did not. */
export function explainDispatchRefusal(status: number, url: string): string | undefined {
  if (status === 401) return `the dispatcher at ${url} refused the secret (401): set DISPATCH_SECRET in your shell or .env to the deployed service's DISPATCH_SECRET`;
  if (status === 404) return `no dispatcher at ${url}/jobs/dispatch-callbacks (404): check --url (the service's base URL, as npm run deploy prints it)`;
  return undefined;
}

const unreachableCode = (error: unknown): string => {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : (error as Error).message;
};

export async function dispatchOnce(options: DispatchOptions): Promise<{ status: number; body: string }> {
  const response = await fetch(`${options.url}/jobs/dispatch-callbacks`, { method: 'POST', headers: { authorization: `Bearer ${options.secret}` } });
  return { status: response.status, body: await response.text() };
}

async function main(): Promise<void> {
  const options = parseDispatchArgs(process.argv.slice(2), process.env);
  const run = async () => {
    try {
      const { status, body } = await dispatchOnce(options);
      const refused = explainDispatchRefusal(status, options.url);
      if (refused) {
        console.error(`${new Date().toISOString()} ${refused}`);
        return status;
      }
      console.log(`${new Date().toISOString()} ${status} ${body}`);
      if (status === 200 && options.answer) {
        const report = JSON.parse(body) as { dialled: { callSid?: string }[] };
        const sids = report.dialled.flatMap((d) => (d.callSid ? [d.callSid] : []));
        await answerPlacedCalls(readEndpoints(), sids, options.answer, (line) => console.log(line));
      }
      return status;
    } catch (error) {
      console.error(`${new Date().toISOString()} ${options.url} could not be reached (${unreachableCode(error)}): check --url, or start the sandbox with \`npm start\``);
      return 0;
    }
  };
  const status = await run();
  if (options.everySeconds === undefined) process.exit(status === 200 ? 0 : 1);
  setInterval(() => void run(), options.everySeconds * 1000);
}

if (require.main === module) {
  main().catch((error) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
