// `npm run call`: a simulated phone call in the terminal. Twilio's part is played by the call
// driver (sandbox/simulator): it posts signed webhooks, executes the TwiML that comes back and
// checks it against the twilio package's schema; you play the caller (and the agent when a
// <Dial> rings). Afterwards it shows what the sandbox recorded: texts, emails, Airtable rows.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs, parseEnv } from 'node:util';
import { DEMO_CALLERS, DEMO_LINES, demoBaseWithHours, type DemoHours } from './demo-data';
import { PROJECT_DIR, startSandbox, type Sandbox } from './sandbox';
import { SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN } from './sandbox-env';
import {
  CallAborted,
  OUTBOUND_LABELS,
  runInboundCall,
  runOutboundCall,
  type CallActor,
  type CallResult,
  type DriverOptions,
  type OutboundAnswer,
  type PlacedCall,
} from './simulator/call-driver';
import { ANONYMOUS_CALLER_IDS } from './simulator/call-params';
import { CALL_CALLBACK_KINDS, type CallCallbackKind } from './simulator/driver/callbacks';
import { watchPlacedCalls, type PlacedCallWatch } from './simulator/placed-calls';
import { describeChanges, fetchSandboxRecords, readSandboxRecords, type EmulatorEndpoints, type SandboxRecords } from './simulator/sandbox-records';
import { AGENT_CALL_LABELS, answerAgentCalls, PlacingCall, planOfChoice } from './simulator/agent-calls';
import { parseAgentToken, parseScript, TokenActor } from './simulator/script-tokens';
import { TerminalActor } from './simulator/terminal-actor';
import { formatEvent, INBOUND_LABELS, type LegLabels, type TranscriptEvent } from './simulator/transcript';
import { closeTwimlValidator } from './simulator/twiml-validator';

const HELP = `Usage: npm run call -- [options]

  --line <name|number>   sales, support, after-hours, service-desk, or any number / sip: URI (default: asked, or support)
  --from <caller|number> dana, luis, morgan, riley, stranger, anonymous, restricted, or any number (default: asked, or dana)
  --sip                  the call arrives over SIP (sip: From and To, as to a Twilio SIP domain)
  --script <tokens|file> play the call without asking: "0,agent,@accept,1" (see below); a file holds one token a line;
                         input piped to the command is read as a script too
  --hours open|closed    pin the demo lines' business hours (in-process sandbox only; default: as the demo data says)
  --transfer sip-refer|bridge
                         the line's Transfer Method (in-process sandbox only); with --sip, a live transfer is a
                         SIP REFER: "--sip --transfer sip-refer --script agent,1,@rejected:405,@accept"
  --url <base url>       call an already running \`npm start\` (e.g. http://localhost:3000) instead of a sandbox of its own
  --path <path>          the voice webhook (default /voice/incoming)
  --status-callback <path|none>
                         the number's status callback, posted when the call ends (default /events/call-status
                         when the built Functions have it)
  --agents <tokens>      how the calls the application places DURING the call (a ring group's REST legs,
                         Participants API calls into a conference) are answered, in the order placed:
                         "@voicemail,@accept,@accept" (in-process sandbox only)
  --duplicate <kinds>    deliver these callbacks twice, as Twilio may: call-status, recording, dialed-call-status
                         (comma-separated)
  --verbose              show every webhook request and the application's logs
  --help

Script tokens, separated by commas:
  1  123#  *             keys the caller presses          ~              silence at the prompt
  hangup                 the caller hangs up              anything else  words the caller says
  message:<words>        a message left after the beep of a <Record> (then #); message:<words>:hangup hangs up
                         after it; ~ leaves an empty one
  @accept @accept:2 @decline @silent @voicemail @busy @no-answer @failed @caller-hangup
                         how the agent answers a <Dial> (default @accept: the agent presses 1);
                         @silent answers and presses nothing (also @ignore), @voicemail is a machine that
                         hears the whisper, @caller-hangup: the caller hangs up while it rings (also @canceled)
  @accepted @rejected:405 @rejected:603 @busy @no-answer @failed @canceled
                         how the SIP side answers a <Refer> (default @accepted; @rejected refuses the
                         REFER with that SIP code, 603 without one); --sip makes the call arrive over SIP
  @answer @voicemail @busy @no-answer @failed
                         how a call the application places (a callback) is answered (default @answer)
  When the script runs out, the caller hangs up.

Without --url the call goes to a sandbox started in this process with the demo data (run \`npm run build\`
first); nothing leaves this machine. With --url, AUTH_TOKEN (environment or .env) signs the webhooks.`;

const LINE_NAMES: Readonly<Record<string, string>> = {
  sales: DEMO_LINES.sales,
  support: DEMO_LINES.support,
  'after-hours': DEMO_LINES.afterHours,
  afterhours: DEMO_LINES.afterHours,
  'service-desk': DEMO_LINES.serviceDesk,
  servicedesk: DEMO_LINES.serviceDesk,
};

const CALLER_NAMES: Readonly<Record<string, string>> = {
  ...DEMO_CALLERS,
  anonymous: ANONYMOUS_CALLER_IDS.anonymous,
  restricted: ANONYMOUS_CALLER_IDS.restricted,
  blocked: ANONYMOUS_CALLER_IDS.blocked,
  unknown: ANONYMOUS_CALLER_IDS.unknown,
  unavailable: ANONYMOUS_CALLER_IDS.unavailable,
};

const SIP_DOMAIN = 'acme.sip.twilio.com';
/** --transfer values → the Lines table's `Transfer Method`. */
const TRANSFER_METHODS: Readonly<Record<string, string>> = { 'sip-refer': 'SIP REFER', bridge: 'Bridge' };
/** The number's status callback in this project: it finalises the call log when the call ends. */
const DEFAULT_STATUS_CALLBACK = '/events/call-status';

class UsageError extends Error {}

function resolveNumber(value: string, names: Readonly<Record<string, string>>, what: string): string {
  const named = names[value.toLowerCase()] ?? names[value];
  if (named) return named;
  if (/^\+?\d{3,15}$/.test(value) || /^sips?:/i.test(value) || /^[A-Za-z]+$/.test(value) === false) return value;
  throw new UsageError(`unknown ${what} "${value}": use ${Object.keys(names).join(', ')} or a number`);
}

/** Whether the built Functions serve this path (a protected or public function file). */
function hasBuiltFunction(urlPath: string): boolean {
  const file = path.join(PROJECT_DIR, 'dist', 'functions', ...urlPath.split('/').filter(Boolean));
  return existsSync(`${file}.protected.js`) || existsSync(`${file}.js`);
}

function readScript(value: string): string[] {
  return parseScript(existsSync(value) ? readFileSync(value, 'utf8') : value);
}

function readDotEnv(): Record<string, string> {
  const file = path.join(PROJECT_DIR, '.env');
  return existsSync(file) ? (parseEnv(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

/**
 * The emulators of a running `npm start`, when .sandbox/endpoints.json is about the server we call: its own
 * Functions, or a build deployed to its emulated platform (`npm run deploy -- --sandbox`).
 */
function readEndpoints(baseUrl: string): EmulatorEndpoints | undefined {
  const file = path.join(PROJECT_DIR, '.sandbox', 'endpoints.json');
  if (!existsSync(file)) return undefined;
  try {
    const endpoints = JSON.parse(readFileSync(file, 'utf8')) as EmulatorEndpoints & { functions?: string; deployed?: string[] };
    const port = new URL(baseUrl).port;
    const sameServer = [endpoints.functions, ...(endpoints.deployed ?? [])].some((url) => url && new URL(url).port === port);
    return sameServer ? endpoints : undefined;
  } catch {
    return undefined;
  }
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

/**
 * The Functions run in this process and log JSON lines: keep them out of the call's transcript. Returns
 * what puts the console back, since `main` also runs inside other processes (the tests).
 */
function muteApplicationLogs(): () => void {
  const originals = (['log', 'info', 'warn', 'error'] as const).map((method) => {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('{"level"')) return;
      original.apply(console, args);
    };
    return () => void (console[method] = original);
  });
  return () => originals.forEach((restore) => restore());
}

interface Target {
  readonly baseUrl: string;
  readonly authToken: string;
  readonly accountSid: string;
  readonly sandbox?: Sandbox;
  readonly endpoints?: EmulatorEndpoints;
}

async function snapshot(target: Target): Promise<SandboxRecords | undefined> {
  if (target.sandbox) return readSandboxRecords(target.sandbox);
  if (!target.endpoints) return undefined;
  return fetchSandboxRecords(target.endpoints).catch(() => undefined);
}

/** Where `main` writes its lines and the shell's variables it reads (defaults: stdout, process.env). */
export interface CallCommandContext {
  readonly write?: (line: string) => void;
  readonly shell?: NodeJS.ProcessEnv;
}

export async function main(argv: readonly string[] = process.argv.slice(2), context: CallCommandContext = {}): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      line: { type: 'string' },
      from: { type: 'string' },
      sip: { type: 'boolean', default: false },
      script: { type: 'string' },
      hours: { type: 'string', default: 'as-is' },
      transfer: { type: 'string' },
      url: { type: 'string' },
      path: { type: 'string', default: '/voice/incoming' },
      'status-callback': { type: 'string' },
      duplicate: { type: 'string' },
      agents: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    (context.write ?? console.log)(HELP);
    return 0;
  }
  if (!['as-is', 'open', 'closed'].includes(values.hours)) throw new UsageError('--hours is open or closed');
  const duplicate = (values.duplicate ?? '').split(',').map((kind) => kind.trim()).filter(Boolean);
  const unknownKind = duplicate.find((kind) => !(CALL_CALLBACK_KINDS as readonly string[]).includes(kind));
  if (unknownKind) throw new UsageError(`--duplicate takes ${CALL_CALLBACK_KINDS.join(', ')}, not "${unknownKind}"`);
  const transferMethod = values.transfer === undefined ? undefined : TRANSFER_METHODS[values.transfer.toLowerCase()];
  if (values.transfer !== undefined && !transferMethod) throw new UsageError('--transfer is sip-refer or bridge');
  if (values.url && transferMethod) throw new UsageError('--transfer changes the demo data of the sandbox this command starts; it cannot change a running `npm start`');
  if (values.url && values.agents !== undefined) throw new UsageError('--agents answers calls through the sandbox this command starts; it cannot reach a running `npm start`');
  const agentPlans = parseScript(values.agents ?? '').map((token) => {
    const choice = parseAgentToken(token);
    if (!choice) throw new UsageError(`--agents takes agent tokens (@accept, @decline, @voicemail, @busy, @no-answer...), not "${token}"`);
    return planOfChoice(token, choice);
  });
  if (values.url && values.hours !== 'as-is') throw new UsageError('--hours pins the demo data of the sandbox this command starts; it cannot change a running `npm start`');

  if (!values.url && !existsSync(path.join(PROJECT_DIR, 'dist', 'functions'))) throw new UsageError('the Functions are not built: run `npm run build` first');

  const write = context.write ?? ((line: string): void => void process.stdout.write(`${line}\n`));
  // Piped input is a script too: readline would drop lines that arrive before a question is asked.
  const tokens = values.script !== undefined ? readScript(values.script) : process.stdin.isTTY ? undefined : parseScript(await readStdin());
  const terminal = tokens ? undefined : createInterface({ input: process.stdin, output: process.stdout });
  let unmute: (() => void) | undefined;
  try {
    const ask = async (question: string, fallback: string): Promise<string> => (terminal ? (await terminal.question(question)).trim() || fallback : fallback);
    const line = resolveNumber(values.line ?? (await ask('Line: sales, support, after-hours, service-desk or a number? (support) > ', 'support')), LINE_NAMES, 'line');
    const from = resolveNumber(values.from ?? (await ask('Caller: dana, luis, morgan, riley, stranger, anonymous or a number? (dana) > ', 'dana')), CALLER_NAMES, 'caller');
    const to = values.sip && !/^sips?:/.test(line) ? `sip:${line}@${SIP_DOMAIN}` : line;
    const caller = values.sip && !/^sips?:/.test(from) ? `sip:${from}@carrier.example.net` : from;

    let target: Target;
    if (values.url) {
      const env = { ...readDotEnv(), ...(context.shell ?? process.env) };
      target = {
        baseUrl: values.url.replace(/\/$/, ''),
        authToken: env.AUTH_TOKEN || SANDBOX_AUTH_TOKEN,
        accountSid: env.ACCOUNT_SID || SANDBOX_ACCOUNT_SID,
        endpoints: readEndpoints(values.url),
      };
    } else {
      if (!values.verbose) unmute = muteApplicationLogs();
      const seed = demoBaseWithHours(values.hours as DemoHours);
      if (transferMethod) {
        const demoLine = seed.Lines?.find((row) => row['Phone Number'] === line);
        if (!demoLine) throw new UsageError(`--transfer applies to a demo line (${Object.keys(LINE_NAMES).join(', ')})`);
        demoLine['Transfer Method'] = transferMethod;
      }
      const sandbox = await startSandbox({ seed, transcriptWebhook: true });
      target = { baseUrl: sandbox.baseUrl, authToken: sandbox.authToken, accountSid: sandbox.accountSid, sandbox };
    }

    let watch: PlacedCallWatch | undefined;
    try {
      write(`Calling ${to} from ${caller} (${target.sandbox ? 'sandbox with demo data' : target.baseUrl})${tokens ? ` with the script: ${tokens.join(', ')}` : ''}`);
      const before = await snapshot(target);
      watch = target.sandbox ? watchPlacedCalls(target.sandbox.twilio) : undefined;
      const print = (labels: LegLabels) => (event: TranscriptEvent) => {
        if (!values.verbose && (event.kind === 'request' || event.kind === 'response' || event.kind === 'listen' || event.kind === 'redirect')) return;
        write(`  ${formatEvent(event, labels)}`);
      };
      const driver = (labels: LegLabels): DriverOptions => ({
        authToken: target.authToken,
        accountSid: target.accountSid,
        twilio: target.sandbox?.twilio,
        onEvent: print(labels),
        callbacks: { duplicate: duplicate as CallCallbackKind[] },
      });
      const statusPath = values['status-callback'] ?? (hasBuiltFunction(DEFAULT_STATUS_CALLBACK) ? DEFAULT_STATUS_CALLBACK : 'none');
      const statusCallback = statusPath === 'none' ? undefined : { url: new URL(statusPath, `${target.baseUrl}/`).toString() };
      const scripted = tokens ? new TokenActor(tokens, (note) => write(`  · ${note}`)) : undefined;
      const actor: CallActor = scripted ?? new TerminalActor(terminal!, INBOUND_LABELS);

      const results: CallResult[] = [];
      // The agents' phones during the call (ring groups): answered as --agents says, one after another.
      const placing = new PlacingCall();
      const agentCalls = target.sandbox && agentPlans.length ? answerAgentCalls(target.sandbox.twilio, driver(AGENT_CALL_LABELS), agentPlans, placing) : undefined;
      const inbound = driver(INBOUND_LABELS);
      results.push(await runInboundCall({ ...inbound, onEvent: placing.follow(inbound.onEvent) }, { url: `${target.baseUrl}${values.path}`, from: caller, to, statusCallback }, actor));
      agentCalls?.stop();
      const agentResults = (await agentCalls?.settled()) ?? [];
      results.push(...agentResults);

      // Callbacks: calls the application placed during the call, answered one after the other (a ring
      // group's next agent is called when the one before ends: one round each, up to a group of ten).
      const answered = new Set<string>(agentResults.map((result) => result.callSid));
      for (let round = 0; round < 12; round++) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        const placed: readonly PlacedCall[] = watch ? watch.pending() : ((await snapshot(target))?.placedCalls ?? []);
        const fresh = placed.filter((call) => !answered.has(call.sid) && !before?.placedCalls.some((known) => known.sid === call.sid));
        if (fresh.length === 0) break;
        for (const call of fresh) {
          answered.add(call.sid);
          const answer: OutboundAnswer | 'skip' = scripted ? scripted.outboundAnswer(call.to) : await new TerminalActor(terminal!, OUTBOUND_LABELS).outboundAnswer(call.from, call.to);
          if (answer === 'skip') continue;
          write(`The application calls ${call.to} from ${call.from}: ${answer}`);
          const callee = scripted ?? new TerminalActor(terminal!, OUTBOUND_LABELS);
          results.push(await runOutboundCall(driver(OUTBOUND_LABELS), call, answer, callee));
        }
      }

      // The Intelligence webhook (a transcript of the call's recording) may still be on its way.
      await target.sandbox?.twilio.callbacksSettled();
      // Texts move on by themselves (queued → sent → delivered or undelivered, and an email fallback):
      // wait for their status callbacks so the list shows where they ended.
      await target.sandbox?.twilio.messagesSettled();
      const after = await snapshot(target);
      write('');
      if (before && after) {
        const changes = describeChanges(before, after);
        write(changes.length ? `The sandbox recorded:\n${changes.map((change) => `  ${change}`).join('\n')}` : 'The sandbox recorded nothing.');
      } else {
        write('(What the sandbox recorded is unknown: no .sandbox/endpoints.json for this server.)');
      }
      const errors = results.flatMap((result) => result.errors);
      if (errors.length) write(`\n✗ ${errors.length} problem(s) Twilio would report:\n${errors.map((error) => `  ${error}`).join('\n')}`);
      if (scripted?.remaining().length) write(`\n· unused script tokens: ${scripted.remaining().join(', ')}`);
      return errors.length ? 1 : 0;
    } finally {
      watch?.stop();
      await target.sandbox?.close();
    }
  } finally {
    terminal?.close();
    unmute?.();
    await closeTwimlValidator();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) console.error(`npm run call: ${error.message}\n\n${HELP}`);
      else if (error instanceof CallAborted) console.error(`✗ ${error.message}`);
      else console.error(error);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
