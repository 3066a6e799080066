// The issue-17 part of `npm run bench`, driven by the webhook catalog (sandbox/webhook-catalog.ts) so
// that new webhooks are measured as soon as they exist:
// - each webhook's median and p99 against its I/O floor (bench/io-floor.js: the same number of round
//   trips to each emulator, made by a Function of the same server, and fixed TwiML);
// - Airtable requests per complete call of each path, cold (the instance's memory dropped first) and
//   warm, and the escalations a minute one base sustains at 5 requests a second;
// - the load cost of each compiled Function in a fresh process;
// - 30 concurrent calls through a mix of paths with the Airtable emulator enforcing 5 requests a
//   second per base and its 30 s penalty.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO_AGENT_NUMBER, DEMO_CALLERS, DEMO_LINES, demoBaseWithHours } from '../sandbox/demo-data';
import { PROJECT_DIR, startSandbox, type Sandbox } from '../sandbox/sandbox';
import { call, signedTransport, type CallScript } from '../sandbox/simulator';
import { newCallSid, send, webhookCatalog, type WebhookEntry } from '../sandbox/webhook-catalog';
import { median, percentile } from './latency-stats';

const SAMPLES = 20;
const RATIO_GOAL = 1.3;
const AIRTABLE_REQUESTS_PER_SECOND = 5;
const CONCURRENT_CALLS = 30;
const FLOOR_PATH = '/bench/io-floor';

type Out = (line?: string) => void;

const totalOf = (counts: Record<string, Record<string, number>>) => Object.values(counts).reduce((sum, m) => sum + Object.values(m).reduce((a, b) => a + b, 0), 0);

function servedMemory(): { reset(): void } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module instance the served Functions loaded
  return (require(path.join(PROJECT_DIR, 'dist', 'assets', 'ivr.private.js')) as { callMemory: { reset(): void } }).callMemory;
}

function startProofSandbox(): Promise<Sandbox> {
  return startSandbox({
    env: { LINE_CACHE_SECONDS: '60' },
    seed: demoBaseWithHours('open'),
    extraFunctions: [{ path: FLOOR_PATH, filePath: path.join(__dirname, 'io-floor.js'), access: 'protected' }],
  });
}

interface WebhookFigure {
  readonly path: string;
  readonly kind: string;
  readonly roundTrips: { airtable: number; twilio: number; sendgrid: number };
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly floorMedianMs: number;
  readonly ratio: number;
}

async function measureWebhook(sandbox: Sandbox, entry: WebhookEntry): Promise<WebhookFigure> {
  sandbox.airtable.reset(demoBaseWithHours('open'));
  const request = await entry.request(sandbox, newCallSid());
  sandbox.airtable.stats.reset();
  const twilioBefore = sandbox.twilio.stats().requests;
  const mailsBefore = sandbox.sendgrid.mails().length;
  await send(sandbox, request);
  const roundTrips = { airtable: totalOf(sandbox.airtable.stats.counts()), twilio: sandbox.twilio.stats().requests - twilioBefore, sendgrid: sandbox.sendgrid.mails().length - mailsBefore };
  const floorQuery = `${FLOOR_PATH}?airtable=${roundTrips.airtable}&twilio=${roundTrips.twilio}&sendgrid=${roundTrips.sendgrid}`;
  const own: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < SAMPLES + 3; i++) {
    let started = performance.now();
    await send(sandbox, request);
    const ms = performance.now() - started;
    started = performance.now();
    await sandbox.post(floorQuery, request.params ?? {});
    const floorMs = performance.now() - started;
    if (i >= 3) {
      own.push(ms);
      floor.push(floorMs);
    }
  }
  own.sort((a, b) => a - b);
  floor.sort((a, b) => a - b);
  const floorMedianMs = median(floor);
  return { path: entry.path, kind: entry.kind, roundTrips, medianMs: median(own), p99Ms: percentile(own, 99), floorMedianMs, ratio: median(own) / floorMedianMs };
}

/** One complete call per path, from the greeting to the end (Dana on Support, open hours). */
const PATH_CALLS: Readonly<Record<string, (script: CallScript) => CallScript>> = {
  'live transfer': (c) => c.press('0').press('1').expectDial(DEMO_AGENT_NUMBER).agent({ answer: 'accept' }).expectEnd('party'),
  'immediate callback': (c) => c.press('0').press('2').press('1').expectHangup(),
  'scheduled callback': (c) => c.press('0').press('3').press('1').press('1').press('1').expectHangup(),
  text: (c) => c.press('0').press('4').press('1').expectHangup(),
  email: (c) => c.press('0').press('5').press('1').expectHangup(),
};

interface Timed {
  readonly steps: Map<string, number[]>;
  readonly bodies: string[];
}

function target(sandbox: Sandbox, timed?: Timed) {
  const signed = signedTransport(sandbox.authToken);
  return {
    baseUrl: sandbox.baseUrl,
    authToken: sandbox.authToken,
    accountSid: sandbox.accountSid,
    twilio: sandbox.twilio,
    transport: async (request: Parameters<typeof signed>[0]) => {
      const started = performance.now();
      const answer = await signed(request);
      if (timed) {
        const step = new URL(request.url).pathname;
        timed.steps.set(step, [...(timed.steps.get(step) ?? []), performance.now() - started]);
        timed.bodies.push(answer.body);
      }
      return answer;
    },
  };
}

async function playToEnd(sandbox: Sandbox, script: (c: CallScript) => CallScript, from: string, timed?: Timed): Promise<{ ok: boolean; error?: string; heard: string }> {
  try {
    const record = await script(call(target(sandbox, timed), { to: DEMO_LINES.support, from }));
    const heard = record.events.flatMap((e) => (e.kind === 'say' && e.leg === 'call' ? [e.text] : [])).join(' ');
    return { ok: true, heard };
  } catch (error) {
    const message = (error as Error).message;
    return { ok: false, error: message.split('\n')[0], heard: message };
  }
}

async function airtablePerCall(sandbox: Sandbox): Promise<Record<string, { cold: number; warm: number }>> {
  const figures: Record<string, { cold: number; warm: number }> = {};
  for (const [name, script] of Object.entries(PATH_CALLS)) {
    const counts = [];
    for (const temperature of ['cold', 'warm']) {
      sandbox.airtable.reset(demoBaseWithHours('open'));
      if (temperature === 'cold') servedMemory().reset();
      sandbox.airtable.stats.reset();
      const played = await playToEnd(sandbox, script, DEMO_CALLERS.dana);
      if (!played.ok) throw new Error(`${name} (${temperature}) did not end: ${played.error}`);
      counts.push(totalOf(sandbox.airtable.stats.counts()));
    }
    figures[name] = { cold: counts[0]!, warm: counts[1]! };
  }
  return figures;
}

const PROMISES: readonly [RegExp, (sandbox: Sandbox, from: string) => boolean][] = [
  [/call you back in a moment/, (s, from) => s.airtable.records('Callbacks').some((r) => r.fields.Phone === from && r.fields.Kind === 'Now')],
  [/You are all set/, (s, from) => s.airtable.records('Callbacks').some((r) => r.fields.Phone === from && r.fields.Status === 'Booked')],
  [/I have sent a text/, (s, from) => s.twilio.messages().some((m) => m.params.To === from)],
  [/I have emailed/, (s) => s.sendgrid.mails().length > 0],
];

async function concurrentCalls(sandbox: Sandbox) {
  sandbox.airtable.reset(demoBaseWithHours('open'));
  sandbox.airtable.stats.reset();
  sandbox.airtable.setRateLimit(true);
  const timed: Timed = { steps: new Map(), bodies: [] };
  const names = Object.keys(PATH_CALLS);
  const started = performance.now();
  try {
    const results = await Promise.all(
      Array.from({ length: CONCURRENT_CALLS }, async (_, i) => {
        const name = names[i % names.length]!;
        // Each caller its own number (a stranger to the base), so no caller's callback blocks another's.
        const from = `+1718555${String(2000 + i).padStart(4, '0')}`;
        const played = await playToEnd(sandbox, PATH_CALLS[name]!, from, timed);
        const broken = PROMISES.filter(([heard, kept]) => heard.test(played.heard) && !kept(sandbox, from)).length;
        return { name, ...played, broken, fallback: /sorry|could not|cannot|unable/i.test(played.heard) };
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const p99PerStep = Object.fromEntries([...timed.steps].map(([step, ms]) => [step, Math.round(percentile([...ms].sort((a, b) => a - b), 99))]));
    const appErrors = results.filter((r) => !r.ok && /HTTP 5|application error|invalid TwiML|no answer/i.test(r.error ?? '')).length;
    return {
      calls: CONCURRENT_CALLS,
      seconds: Math.round(seconds * 10) / 10,
      completedAsScripted: results.filter((r) => r.ok).length,
      tookAnotherTurn: results.filter((r) => !r.ok).length - appErrors,
      failed: appErrors,
      heardAnApologyOrFallback: results.filter((r) => r.fallback).length,
      rateLimited429: sandbox.airtable.stats.rateLimited(),
      promisesMissing: results.reduce((sum, r) => sum + r.broken, 0),
      p99MsPerStep: p99PerStep,
      slowestStepMs: Math.max(...Object.values(p99PerStep)),
      firstErrors: results.filter((r) => !r.ok).slice(0, 3).map((r) => `${r.name}: ${r.error}`),
    };
  } finally {
    sandbox.airtable.setRateLimit(false);
  }
}

/** Milliseconds to require each compiled Function in a fresh process (with the runtime's globals), minus a bare Function's. */
function loadCosts(): Record<string, number> {
  const functionsDir = path.join(PROJECT_DIR, 'dist', 'functions');
  const asset = path.join(PROJECT_DIR, 'dist', 'assets', 'ivr.private.js');
  const files = (readdirSync(functionsDir, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith('.js'));
  const timeRequire = (file: string) =>
    Number(
      execFileSync(
        process.execPath,
        [
          '-e',
          `const {performance}=require('node:perf_hooks');global.Runtime={getAssets:()=>({'/ivr.js':{path:${JSON.stringify(asset)}}})};global.Twilio={Response:class{}};const t=performance.now();require(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t))`,
        ],
        { cwd: PROJECT_DIR, encoding: 'utf8' },
      ),
    );
  const bare = timeRequire(path.join(__dirname, 'static-twiml.js'));
  return Object.fromEntries(files.map((f) => [`/${f.split(path.sep).join('/').replace(/(\.protected)?\.js$/, '')}`, Math.round((timeRequire(path.join(functionsDir, f)) - bare) * 10) / 10]));
}

export async function benchProof(out: Out): Promise<Record<string, unknown>> {
  const sandbox = await startProofSandbox();
  try {
    const catalog = webhookCatalog();
    out(`Per webhook (catalog: ${catalog.length}), ${SAMPLES} sequential requests each, against its I/O floor (same round trips, fixed TwiML):`);
    const webhooks: WebhookFigure[] = [];
    for (const entry of catalog) webhooks.push(await measureWebhook(sandbox, entry));
    out(`${'webhook'.padEnd(28)} trips A/T/S  median ms  p99 ms  floor ms  ratio  goal ≤ ${RATIO_GOAL}×`);
    for (const w of webhooks) {
      const trips = `${w.roundTrips.airtable}/${w.roundTrips.twilio}/${w.roundTrips.sendgrid}`;
      const verdict = w.ratio <= RATIO_GOAL ? 'PASS' : `MISS by ${(w.medianMs - w.floorMedianMs * RATIO_GOAL).toFixed(1)} ms`;
      out(`${w.path.padEnd(28)} ${trips.padStart(11)}  ${w.medianMs.toFixed(1).padStart(9)}  ${w.p99Ms.toFixed(1).padStart(6)}  ${w.floorMedianMs.toFixed(1).padStart(8)}  ${w.ratio.toFixed(2).padStart(5)}  ${verdict}`);
    }
    out();

    const perCall = await airtablePerCall(sandbox);
    const worstWarm = Math.max(...Object.values(perCall).map((c) => c.warm));
    const escalationsPerMinute = Math.floor((AIRTABLE_REQUESTS_PER_SECOND * 60) / worstWarm);
    out('Airtable requests per complete call (greeting to goodbye, with the callbacks the simulator posts), cold / warm instance:');
    for (const [name, c] of Object.entries(perCall)) out(`  ${name.padEnd(20)} ${String(c.cold).padStart(3)} / ${String(c.warm).padStart(3)}`);
    out(`Escalations a minute one base sustains at ${AIRTABLE_REQUESTS_PER_SECOND} req/s (the costliest warm path): ${escalationsPerMinute} (goal ≥ 120) ${escalationsPerMinute >= 120 ? 'PASS' : 'MISS'}`);
    out();

    const concurrent = await concurrentCalls(sandbox);
    out(`${CONCURRENT_CALLS} concurrent calls (mix of the five paths), Airtable enforcing 5 req/s/base and its 30 s penalty:`);
    out(`  ${concurrent.seconds} s; played as scripted: ${concurrent.completedAsScripted}; took another turn (a fallback or apology changed the menu): ${concurrent.tookAnotherTurn}; failed (5xx, invalid or no answer): ${concurrent.failed}`);
    out(`  heard an apology or fallback: ${concurrent.heardAnApologyOrFallback}; 429s answered by the emulator: ${concurrent.rateLimited429}; promises missing afterwards: ${concurrent.promisesMissing}`);
    out(`  slowest step p99: ${concurrent.slowestStepMs} ms (goal ≤ 1000) ${concurrent.slowestStepMs <= 1000 ? 'PASS' : 'MISS'}`);
    for (const [step, ms] of Object.entries(concurrent.p99MsPerStep)) out(`    ${step.padEnd(28)} p99 ${ms} ms`);
    for (const line of concurrent.firstErrors) out(`  e.g. ${line.slice(0, 200)}`);
    out();

    const loads = loadCosts();
    out('Load cost of each compiled Function in a fresh process, beyond a bare Function (ms; the first pays the bundle and its clients):');
    for (const [fn, ms] of Object.entries(loads)) out(`  ${fn.padEnd(28)} ${ms}`);
    return { webhooks, airtablePerCall: perCall, escalationsPerMinute, concurrent, loadCostMs: loads };
  } finally {
    await sandbox.close();
  }
}
