// `npm run bench`: what our webhooks cost over a Function that does nothing, served by the same
// server, and how many Airtable requests one escalated call makes on a warm instance (issue 4).
// A benchmark, not a test: it prints the goals and PASS/MISS, and fails only when something broke.
// Everything runs in this process on loopback, with the Airtable emulator answering at once (0 ms).
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { DEMO_CALLERS, DEMO_LINES } from '../sandbox/demo-data';
import type { RequestCounts } from '../sandbox/emulators/airtable';
import type { WebhookAnswer } from '../sandbox/webhook-client';
import { STATIC_TWIML_PATH, startBenchSandbox, type BenchSandbox } from './bench-sandbox';
import { summarize, type LatencySummary } from './latency-stats';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchCallbacks } from './callback-bench';
import { benchProof, PRODUCTION_LINE_CACHE_SECONDS } from './proof-bench';

const RATIO_GOAL = 1.3;
const WARMUP_ROUNDS = 20;
const FULL_CALLS = 5;
/** A warm production instance keeps each line this long (the default); the sandbox's (0) would re-read it every time. */
const LINE_CACHE_SECONDS = PRODUCTION_LINE_CACHE_SECONDS;
const MAX_REQUESTS = 5000;

type Params = Readonly<Record<string, string>>;

interface Target {
  readonly name: string;
  readonly url: string;
  readonly input: Params;
  /** A top-level verb the answer must hold: anything else means we would be timing an error path. */
  readonly answers: 'Say' | 'Gather' | 'Redirect' | 'Dial';
  /** Posted first with the same CallSid, untimed: the step as it runs in a call whose earlier webhooks this instance served. */
  readonly after?: string;
}

/** One escalated call, in the order Twilio would post it; each next URL comes from the previous answer. */
const CALL_SCRIPT: readonly Omit<Target, 'url'>[] = [
  { name: 'voice/incoming (greeting)', input: {}, answers: 'Gather' },
  { name: 'voice/incoming (says "agent")', input: { SpeechResult: 'agent', Confidence: '0.92' }, answers: 'Redirect' },
  { name: 'escalate (menu)', input: {}, answers: 'Gather' },
  { name: 'escalate/choice (presses 1 → <Dial>)', input: { Digits: '1' }, answers: 'Dial' },
  // The agent's phone: the whisper (Support: Agent Must Accept), the accept key, then the <Dial> action.
  { name: 'transfer/whisper (agent answers)', input: {}, answers: 'Gather' },
  { name: 'transfer/whisper-answer (presses 1)', input: { Digits: '1' }, answers: 'Say' },
  { name: 'transfer/dial-ended (bridged)', input: { DialCallStatus: 'completed', DialBridged: 'true', DialCallDuration: '60' }, answers: 'Say' },
];

/** The events Twilio posts after the bridged call, in the order it usually does. */
const EVENT_NAMES = ['events/recording', 'events/call-status', 'events/transcript'] as const;

const out = (line = '') => process.stdout.write(`${line}\n`);

function requestsFromArgs(args: readonly string[], fallback: number): number {
  const arg = args.find((a) => a.startsWith('--requests='));
  if (!arg) return fallback;
  const n = Number(arg.slice('--requests='.length));
  if (!Number.isInteger(n) || n < 1 || n > MAX_REQUESTS) throw new Error(`--requests must be an integer from 1 to ${MAX_REQUESTS}`);
  return n;
}

const newCallSid = () => `CA${randomBytes(16).toString('hex')}`;

/** What Twilio posts for a call from Dana (a known contact) to the demo Support line. */
function callParams(accountSid: string, callSid: string, input: Params): Params {
  return {
    AccountSid: accountSid,
    ApiVersion: '2010-04-01',
    CallSid: callSid,
    CallStatus: 'in-progress',
    Direction: 'inbound',
    From: DEMO_CALLERS.dana,
    Caller: DEMO_CALLERS.dana,
    FromCountry: 'US',
    To: DEMO_LINES.support,
    Called: DEMO_LINES.support,
    ToCountry: 'US',
    ...input,
  };
}

/** The answer's top-level `verb`, or throws with what came back instead. */
function verbOf(answer: WebhookAnswer, target: Pick<Target, 'name' | 'answers'>): Element {
  const root = answer.status === 200 ? new DOMParser().parseFromString(answer.body, 'text/xml').documentElement : null;
  for (let node = root?.tagName === 'Response' ? root.firstChild : null; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE && (node as Element).tagName === target.answers) return node as Element;
  }
  throw new Error(`${target.name}: expected <${target.answers}>, got HTTP ${answer.status}: ${answer.body.slice(0, 300)}`);
}

/** Where Twilio goes next: a Gather's action (with the caller's input), a Redirect's URL, a Dial's whisper then its action. */
function nextUrl(verb: Element, dialAction: { url?: string }): string {
  let url: string | null | undefined;
  if (verb.tagName === 'Gather') url = verb.getAttribute('action');
  else if (verb.tagName === 'Dial') {
    dialAction.url = verb.getAttribute('action') ?? undefined;
    url = (verb.getElementsByTagName('Number')[0] as Element | undefined)?.getAttribute('url');
  } else if (verb.tagName === 'Say') url = dialAction.url;
  else url = verb.textContent?.trim();
  if (!url) throw new Error(`<${verb.tagName}> has no URL to follow`);
  return url;
}

/** Plays one call through CALL_SCRIPT, following the URLs Twilio would; `after` runs after each answer. */
async function playCall(sandbox: BenchSandbox, after?: (step: Target) => void, callSid = newCallSid()): Promise<Target[]> {
  const played: Target[] = [];
  const dialAction: { url?: string } = {};
  let url = '/voice/incoming';
  for (const [i, step] of CALL_SCRIPT.entries()) {
    const target = { ...step, url };
    const verb = verbOf(await sandbox.post(url, callParams(sandbox.accountSid, callSid, step.input)), target);
    played.push(target);
    after?.(target);
    if (i < CALL_SCRIPT.length - 1) url = nextUrl(verb, dialAction);
  }
  return played;
}

/** After a bridged call: the recording callback, the number's status callback and the Intelligence webhook. */
async function postEvents(sandbox: BenchSandbox, callSid: string, after: (name: string) => void): Promise<void> {
  sandbox.twilio.addInboundCall({ from: DEMO_CALLERS.dana, to: DEMO_LINES.support, sid: callSid, status: 'completed' });
  const recording = sandbox.twilio.addRecording(callSid, { channels: 2, durationSeconds: 60 });
  const answers = [await sandbox.post('/events/recording', sandbox.twilio.recordingCallbackParams(recording.sid))];
  after(EVENT_NAMES[0]);
  answers.push(await sandbox.post('/events/call-status', { ...callParams(sandbox.accountSid, callSid, {}), CallStatus: 'completed', CallDuration: '75' }));
  after(EVENT_NAMES[1]);
  const transcript = sandbox.twilio.transcripts().find((t) => t.sourceSid === recording.sid);
  if (!transcript) throw new Error('the recording event created no transcript');
  answers.push(await sandbox.postJson('/events/transcript', { transcript_sid: transcript.sid, customer_key: callSid }));
  after(EVENT_NAMES[2]);
  const failed = answers.find((a) => a.status !== 200);
  if (failed) throw new Error(`an event answered HTTP ${failed.status}: ${failed.body.slice(0, 200)}`);
}

/**
 * Round-robin over the targets (rotated each round, so none always follows the same neighbour),
 * one request at a time, each with a fresh CallSid; the first WARMUP_ROUNDS are not recorded.
 */
async function measureLatency(sandbox: BenchSandbox, targets: readonly Target[], requests: number): Promise<Map<Target, number[]>> {
  const samples = new Map(targets.map((t) => [t, [] as number[]]));
  for (let round = 0; round < WARMUP_ROUNDS + requests; round++) {
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(round + i) % targets.length];
      const callSid = newCallSid();
      if (target.after) await sandbox.post(target.after, callParams(sandbox.accountSid, callSid, {}));
      const params = callParams(sandbox.accountSid, callSid, target.input);
      const started = performance.now();
      const answer = await sandbox.post(target.url, params);
      const ms = performance.now() - started;
      verbOf(answer, target);
      if (round >= WARMUP_ROUNDS) samples.get(target)!.push(ms);
    }
  }
  return samples;
}

/** Airtable requests made by each step of `calls` complete calls (counted by the emulator). */
async function countAirtableRequests(sandbox: BenchSandbox, calls: number): Promise<Map<string, RequestCounts[]>> {
  const perStep = new Map<string, RequestCounts[]>();
  const note = (name: string) => {
    const counts = perStep.get(name) ?? [];
    counts.push(sandbox.airtable.stats.counts());
    perStep.set(name, counts);
    sandbox.airtable.stats.reset();
  };
  for (let i = 0; i < calls; i++) {
    sandbox.airtable.stats.reset();
    const callSid = newCallSid();
    await playCall(sandbox, (step) => note(step.name), callSid);
    await postEvents(sandbox, callSid, note);
  }
  return perStep;
}

/** Mean per call of each table+method, e.g. { 'Contacts GET': 1 }. */
function meanCounts(perCall: readonly RequestCounts[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const counts of perCall) {
    for (const [table, methods] of Object.entries(counts)) {
      for (const [method, n] of Object.entries(methods)) sums[`${table} ${method}`] = (sums[`${table} ${method}`] ?? 0) + n;
    }
  }
  return Object.fromEntries(Object.entries(sums).map(([key, sum]) => [key, sum / perCall.length]));
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
}

const fmtCount = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
const describeCounts = (counts: Record<string, number>) =>
  Object.keys(counts).length === 0 ? 'none' : Object.entries(counts).map(([key, n]) => `${key} ×${fmtCount(n)}`).join(', ');
const sumWhere = (counts: Record<string, number>, keep: (method: string) => boolean) =>
  Object.entries(counts).reduce((sum, [key, n]) => (keep(key.split(' ').pop()!) ? sum + n : sum), 0);

/** Function logs are counted, not printed (their formatting cost stays inside the timings); warnings are kept. */
function captureConsole() {
  const original = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  const seen = { lines: 0, problemCount: 0, problems: [] as string[] };
  const count = () => void seen.lines++;
  const keep = (...args: unknown[]) => {
    seen.lines++;
    seen.problemCount++;
    if (seen.problems.length < 5) seen.problems.push(args.map(String).join(' '));
  };
  Object.assign(console, { log: count, info: count, warn: keep, error: keep });
  return { seen, restore: () => Object.assign(console, original) };
}

function printLatency(samples: Map<Target, number[]>, baseline: Target): void {
  const base = summarize(samples.get(baseline)!);
  const rows = [...samples.keys()].map((t) => ({ target: t, summary: summarize(samples.get(t)!) }));
  const width = Math.max(...rows.map((r) => r.target.name.length));
  out(`${'webhook'.padEnd(width)}  median ms  p95 ms  × static  goal ≤ ${RATIO_GOAL}×`);
  for (const { target, summary } of rows) out(latencyRow(target, summary, base, target === baseline, width));
}

function latencyRow(target: Target, s: LatencySummary, base: LatencySummary, isBaseline: boolean, width: number): string {
  const ratio = s.median / base.median;
  const verdict = isBaseline
    ? 'baseline'
    : ratio <= RATIO_GOAL
      ? 'PASS'
      : `MISS: median ${(s.median - base.median * RATIO_GOAL).toFixed(2)} ms over ${RATIO_GOAL}× static`;
  return `${target.name.padEnd(width)}  ${s.median.toFixed(2).padStart(9)}  ${s.p95.toFixed(2).padStart(6)}  ${ratio.toFixed(2).padStart(7)}×  ${verdict}`;
}

/** Steps after which the caller's call is over and only Twilio's reports remain: the <Dial> action and the events. */
const AFTER_THE_CALL = new Set<string>(['transfer/dial-ended (bridged)', ...EVENT_NAMES]);

function printAirtable(perStep: Map<string, RequestCounts[]>, cold: Record<string, number>): void {
  const during: Record<string, number> = {};
  const width = Math.max(...[...perStep.keys()].map((name) => name.length), 'during the call'.length);
  const events: [string, Record<string, number>][] = [];
  for (const [name, perCall] of perStep) {
    const mean = meanCounts(perCall);
    if (AFTER_THE_CALL.has(name)) events.push([name, mean]);
    else addCounts(during, mean);
    const varied = new Set(perCall.map((c) => JSON.stringify(c))).size > 1 ? '  (varied between calls)' : '';
    out(`  ${name.padEnd(width)}  ${describeCounts(mean)}${varied}`);
  }
  out(`  ${'during the call'.padEnd(width)}  ${describeCounts(during)}`);
  out(`  (for comparison, the first call on a cold instance, up to the choice: ${describeCounts(cold)})`);
  out();

  const reads = sumWhere(during, (m) => m === 'GET');
  const writes = sumWhere(during, (m) => m !== 'GET');
  const contactReads = during['Contacts GET'] ?? 0;
  const callWrites = (during['Calls PATCH'] ?? 0) + (during['Calls POST'] ?? 0);
  const readsPass = reads === 1 && contactReads === 1;
  const writesPass = writes === 1 && callWrites === 1;
  out(`Reads during the call:  ${fmtCount(reads)} (goal: 1, the contact)        ${readsPass ? 'PASS' : `MISS (${reads > 1 ? `+${fmtCount(reads - 1)}` : fmtCount(reads - 1)})`}`);
  out(`Writes during the call: ${fmtCount(writes)} (goal: 1, the Calls upsert)  ${writesPass ? 'PASS' : `MISS (${writes > 1 ? `+${fmtCount(writes - 1)}` : fmtCount(writes - 1)})`}`);
  for (const [name, mean] of events) {
    const eventWrites = sumWhere(mean, (m) => m !== 'GET');
    const eventReads = sumWhere(mean, (m) => m === 'GET');
    const readNote = eventReads ? ` (+${fmtCount(eventReads)} read of the row: it must be in the log)` : '';
    out(`Writes for ${name}: ${fmtCount(eventWrites)} (goal: 1)${readNote}  ${eventWrites === 1 ? 'PASS' : 'MISS'}`);
  }
}

async function main(): Promise<void> {
  const requests = requestsFromArgs(process.argv.slice(2), 200);
  const sandbox = await startBenchSandbox(LINE_CACHE_SECONDS);
  const logs = captureConsole();
  try {
    sandbox.airtable.faults.clear(); // no injected latency: the emulator answers at once
    out(`ivr-escalation benchmark — Node ${process.version}, one process, loopback only`);
    out(`Airtable emulator latency 0 ms; LINE_CACHE_SECONDS=${LINE_CACHE_SECONDS}; caller: a known contact on the Support line`);
    out();

    // The first call finds the URLs Twilio would follow, on a cold instance (empty line cache).
    sandbox.airtable.stats.reset();
    let cold: Record<string, number> = {};
    const callSteps = await playCall(sandbox, (step) => {
      if (step.name.startsWith('escalate/choice')) cold = meanCounts([sandbox.airtable.stats.counts()]);
    });

    const baseline: Target = { name: 'static TwiML (baseline)', url: STATIC_TWIML_PATH, input: {}, answers: 'Say' };
    out(`Latency: ${requests} signed requests per webhook after ${WARMUP_ROUNDS} warm-up rounds, sequential,`);
    out('round-robin, fresh CallSid each (client-side round trip, signature check included for all)');
    // In a call, the choice follows its menu on the same warm instance, which remembers the caller:
    // then the only I/O between the caller's yes and the <Dial> is the one Calls write.
    const menu = callSteps.find((step) => step.name.startsWith('escalate (menu)'))!;
    const choice = callSteps.find((step) => step.name.startsWith('escalate/choice'))!;
    const warmChoice: Target = { ...choice, name: 'escalate/choice → <Dial>, after its menu', after: menu.url };
    const samples = await measureLatency(sandbox, [baseline, ...callSteps, warmChoice], requests);
    printLatency(samples, baseline);
    out();

    out(`Airtable requests per bridged call on a warm instance, and per event after it (mean of ${FULL_CALLS} calls):`);
    printAirtable(await countAirtableRequests(sandbox, FULL_CALLS), cold);
    out();
    await benchCallbacks(sandbox, out);
    out();
    // Issue 17: every webhook of the catalog against its I/O floor, Airtable per call, load costs, 30 concurrent calls.
    const proof = await benchProof(out);
    writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify({ node: process.version, measuredAt: new Date().toISOString(), ...proof }, null, 2)}\n`);
    out('Figures written to bench/results.json');
    out();
    const { lines, problemCount, problems } = logs.seen;
    out(`Function log lines: ${lines} (counted, not printed); warnings and errors among them: ${problemCount}`);
    for (const line of problems) out(`  ${line}`);
  } finally {
    logs.restore();
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error('Benchmark failed:', error);
  process.exitCode = 1;
});
