// The issue-17 part of `npm run bench`, driven by the webhook catalog (sandbox/webhook-catalog.ts) so
// that new webhooks are measured as soon as they exist:
// - each webhook's median and p99 against its I/O floor (bench/io-floor.js: the round trips that
//   webhook cannot avoid, made through the same npm clients by a Function of the same server);
// - Airtable requests per complete call of each path, cold and warm (bench/call-mix.ts), and the
//   escalations a minute one base sustains at 5 requests a second;
// - 30 calls through a realistic mix of paths, arriving over a minute, with the Airtable emulator
//   enforcing 5 requests a second per base and its 30 s penalty (bench/call-mix.ts);
// - the load cost of each compiled Function in a fresh process.
// Line cache: the production default (LINE_CACHE_SECONDS unset), not the sandbox's 0.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_DIR, startSandbox, type Sandbox } from '../sandbox/sandbox';
import { newCallSid, send, webhookCatalog, type WebhookEntry } from '../sandbox/webhook-catalog';
import { AIRTABLE_REQUESTS_PER_SECOND } from '../src/assets/adapters/airtable-pacer.private';
import { readConfig } from '../src/assets/shell/config.private';
import { benchBase, CALL_MIX, countCall, describeCounts, mixCallers, PATHS, playMix, readsOf, totalOf, writesOf, type CallCount, type PathName } from './call-mix';
import { median, percentile } from './latency-stats';

const SAMPLES = 20;
const RATIO_GOAL = 1.3;
const FLOOR_PATH = '/bench/io-floor';
/** What a deployed Function caches a line for when LINE_CACHE_SECONDS is not set. */
export const PRODUCTION_LINE_CACHE_SECONDS = readConfig({}).lineCacheMs / 1000;

type Out = (line?: string) => void;
type Trips = { readonly airtable: number; readonly twilio: number; readonly sendgrid: number };

/**
 * The round trips each webhook cannot avoid on a warm instance that served the call's earlier steps
 * (the line cached, the contact in the call memory): reads of what only Airtable knows, one write per
 * fact that must be durable before the caller hears it, and the Twilio/SendGrid request that is the
 * step's purpose. A webhook not listed is floored at the trips it makes (marked "own").
 */
const UNAVOIDABLE: Readonly<Record<string, Trips>> = {
  '/voice/incoming': { airtable: 0, twilio: 0, sendgrid: 0 },
  '/voice/dial-ended': { airtable: 0, twilio: 0, sendgrid: 0 },
  '/escalate': { airtable: 1, twilio: 0, sendgrid: 0 }, // the contact by caller ID
  '/escalate/choice': { airtable: 1, twilio: 0, sendgrid: 0 }, // the Calls row: the choice
  '/number/answer': { airtable: 0, twilio: 0, sendgrid: 0 },
  // An open callback for the number (no second one), the row, the agent's call, the row's Call SID, the Calls row.
  '/callback/now': { airtable: 4, twilio: 1, sendgrid: 0 },
  '/callback/schedule': { airtable: 1, twilio: 0, sendgrid: 0 }, // the booked slots
  '/callback/schedule/time': { airtable: 1, twilio: 0, sendgrid: 0 }, // the booked slots (the offer may be stale)
  '/callback/schedule/confirm': { airtable: 2, twilio: 0, sendgrid: 0 }, // the slot still free, the booking
  '/callback/schedule/check': { airtable: 2, twilio: 1, sendgrid: 0 }, // the booking, its text, the Calls row
  '/callback/agent': { airtable: 1, twilio: 0, sendgrid: 0 }, // the Callbacks row (still this attempt's?)
  '/callback/agent-answer': { airtable: 1, twilio: 0, sendgrid: 0 },
  '/callback/customer': { airtable: 0, twilio: 0, sendgrid: 0 },
  '/callback/customer-answer': { airtable: 0, twilio: 0, sendgrid: 0 },
  '/callback/dial-ended': { airtable: 1, twilio: 0, sendgrid: 0 }, // the row's outcome
  '/callback/status': { airtable: 1, twilio: 0, sendgrid: 0 },
  '/text/send': { airtable: 1, twilio: 1, sendgrid: 0 }, // the text, Sent on the Calls row
  '/email/send': { airtable: 1, twilio: 0, sendgrid: 1 }, // the mail, Sent on the Calls row
  '/email/case-number': { airtable: 0, twilio: 0, sendgrid: 0 },
  '/transfer/whisper': { airtable: 0, twilio: 0, sendgrid: 0 },
  '/transfer/whisper-answer': { airtable: 0, twilio: 0, sendgrid: 0 },
  '/transfer/dial-ended': { airtable: 1, twilio: 0, sendgrid: 0 }, // the outcome
  '/transfer/refer-ended': { airtable: 1, twilio: 0, sendgrid: 0 },
  // Events arrive on any instance: the row is read (only escalated calls have one) or written on its key.
  '/events/call-status': { airtable: 2, twilio: 0, sendgrid: 0 },
  '/events/message-status': { airtable: 2, twilio: 0, sendgrid: 0 },
  '/events/recording': { airtable: 1, twilio: 1, sendgrid: 0 }, // the recording URL; the transcript asked for
  '/events/transcript': { airtable: 1, twilio: 2, sendgrid: 0 }, // the transcript and its sentences; the row (the instance that logged the call knows it is there)
  '/transfer/group/accept': { airtable: 0, twilio: 3, sendgrid: 0 }, // the caller still waiting, the agent into the room, the others cancelled
  '/transfer/group/agent-after': { airtable: 0, twilio: 1, sendgrid: 0 },
  '/transfer/group/agent-status': { airtable: 1, twilio: 1, sendgrid: 0 },
  '/transfer/group/ended': { airtable: 1, twilio: 0, sendgrid: 0 },
  '/transfer/group/room': { airtable: 1, twilio: 0, sendgrid: 0 },
  '/voicemail/recorded': { airtable: 1, twilio: 0, sendgrid: 0 }, // the Calls row: a message was left
  '/voicemail/recording': { airtable: 3, twilio: 1, sendgrid: 1 }, // the recording on the row, the callback (checked, made), the transcript, the team's mail
  '/sms/incoming': { airtable: 1, twilio: 0, sendgrid: 0 },
  '/jobs/dispatch-callbacks': { airtable: 1, twilio: 0, sendgrid: 0 }, // nothing due: one read
};

function servedMemory(): { reset(): void } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module instance the served Functions loaded
  return (require(path.join(PROJECT_DIR, 'dist', 'assets', 'ivr.private.js')) as { callMemory: { reset(): void } }).callMemory;
}

/** `airtablePace`: AIRTABLE_REQUESTS_PER_SECOND (the sandbox leaves its emulator unpaced: '0'). */
function startProofSandbox(airtablePace = '0'): Promise<Sandbox> {
  return startSandbox({
    env: { LINE_CACHE_SECONDS: String(PRODUCTION_LINE_CACHE_SECONDS), AIRTABLE_REQUESTS_PER_SECOND: airtablePace },
    seed: benchBase(mixCallers()),
    transcriptWebhook: true,
    extraFunctions: [{ path: FLOOR_PATH, filePath: path.join(__dirname, 'io-floor.js'), access: 'protected' }],
  });
}

/** The call mix on a sandbox of its own, Airtable enforcing its rate, the Functions paced at `airtablePace`. */
async function playMixRateLimited(airtablePace: string): Promise<Awaited<ReturnType<typeof playMix>>> {
  const sandbox = await startProofSandbox(airtablePace);
  try {
    servedMemory().reset();
    sandbox.airtable.setRateLimit(true);
    return await playMix(sandbox);
  } finally {
    await sandbox.close();
  }
}

interface WebhookFigure {
  readonly path: string;
  readonly kind: string;
  /** What the webhook made on its second request (the call warm on this instance), and its floor's. */
  readonly roundTrips: Trips;
  readonly floorTrips: Trips;
  readonly floorIsOwn: boolean;
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly floorMedianMs: number;
  readonly ratio: number;
}

async function measureWebhook(sandbox: Sandbox, entry: WebhookEntry): Promise<WebhookFigure> {
  sandbox.airtable.reset(benchBase(mixCallers()));
  const request = await entry.request(sandbox, newCallSid());
  await send(sandbox, request);
  sandbox.airtable.stats.reset();
  const twilioBefore = sandbox.twilio.stats().requests;
  const mailsBefore = sandbox.sendgrid.mails().length;
  await send(sandbox, request);
  const roundTrips = { airtable: totalOf(sandbox.airtable.stats.counts()), twilio: sandbox.twilio.stats().requests - twilioBefore, sendgrid: sandbox.sendgrid.mails().length - mailsBefore };
  const floorTrips = UNAVOIDABLE[entry.path] ?? roundTrips;
  const floorQuery = `${FLOOR_PATH}?airtable=${floorTrips.airtable}&twilio=${floorTrips.twilio}&sendgrid=${floorTrips.sendgrid}`;
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
  return {
    path: entry.path,
    kind: entry.kind,
    roundTrips,
    floorTrips,
    floorIsOwn: !UNAVOIDABLE[entry.path],
    medianMs: median(own),
    p99Ms: percentile(own, 99),
    floorMedianMs,
    ratio: median(own) / floorMedianMs,
  };
}

interface PathFigure {
  readonly cold: CallCount;
  readonly warm: CallCount;
}

/** Each path once on a cold instance (memory dropped, as a new instance starts) and once warm (a call on its line just before). */
async function airtablePerCall(sandbox: Sandbox): Promise<Record<string, PathFigure>> {
  const caller = mixCallers()[0]!;
  const figures: Record<string, PathFigure> = {};
  for (const name of Object.keys(PATHS) as PathName[]) {
    sandbox.airtable.reset(benchBase(mixCallers()));
    servedMemory().reset();
    const cold = await countCall(sandbox, name, caller);
    sandbox.airtable.reset(benchBase(mixCallers()));
    figures[name] = { cold, warm: await countCall(sandbox, name, caller) };
  }
  return figures;
}

const trips = (t: Trips) => `${t.airtable}/${t.twilio}/${t.sendgrid}`;
const pass = (ok: boolean) => (ok ? 'PASS' : 'MISS');

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
    out(`Per webhook (catalog: ${catalog.length}), ${SAMPLES} sequential requests each (the call already warm on the instance), against its I/O floor:`);
    out('a Function of the same server making only the round trips the webhook cannot avoid, through the same npm clients, then fixed TwiML.');
    const webhooks: WebhookFigure[] = [];
    for (const entry of catalog) webhooks.push(await measureWebhook(sandbox, entry));
    out(`${'webhook'.padEnd(28)} trips A/T/S  floor A/T/S  median ms  p99 ms  floor ms  ratio  goal ≤ ${RATIO_GOAL}×`);
    for (const w of webhooks) {
      const verdict = w.ratio <= RATIO_GOAL ? 'PASS' : `MISS by ${(w.medianMs - w.floorMedianMs * RATIO_GOAL).toFixed(1)} ms`;
      const floorTrips = `${trips(w.floorTrips)}${w.floorIsOwn ? ' own' : ''}`;
      out(`${w.path.padEnd(28)} ${trips(w.roundTrips).padStart(11)}  ${floorTrips.padStart(11)}  ${w.medianMs.toFixed(1).padStart(9)}  ${w.p99Ms.toFixed(1).padStart(6)}  ${w.floorMedianMs.toFixed(1).padStart(8)}  ${w.ratio.toFixed(2).padStart(5)}  ${verdict}`);
    }
    const misses = webhooks.filter((w) => w.ratio > RATIO_GOAL);
    out(`Within ${RATIO_GOAL}× of the floor: ${webhooks.length - misses.length} of ${webhooks.length}${misses.length ? `; misses: ${misses.map((w) => `${w.path} ${w.ratio.toFixed(2)}×`).join(', ')}` : ''}`);
    out();

    const perCall = await airtablePerCall(sandbox);
    out(`Airtable requests per complete call (status callback and transcripts on), line cache ${PRODUCTION_LINE_CACHE_SECONDS} s (the production default):`);
    out('"during": the webhooks of the caller\'s conversation; "after": Twilio\'s reports (status and recording callbacks, the <Dial> action after a');
    out('bridged conversation, message statuses, conference events, transcripts), whenever they arrive; "events": how many reports at least.');
    out(`${'path'.padEnd(26)} cold during+after  warm during+after  events  warm during (what)`);
    for (const [name, { cold, warm }] of Object.entries(perCall)) {
      const split = (c: CallCount) => `${totalOf(c.during)}+${totalOf(c.after)}`;
      out(`${name.padEnd(26)} ${split(cold).padStart(17)}  ${split(warm).padStart(17)}  ${String(warm.events).padStart(6)}  ${describeCounts(warm.during)}; after: ${describeCounts(warm.after)}`);
    }
    const transferReads = readsOf(perCall['live transfer']!.warm.during);
    for (const [name, { warm }] of Object.entries(perCall)) {
      const during = totalOf(warm.during);
      const all = during + totalOf(warm.after);
      const groupOrVoicemail = /ring group|voicemail/.test(name);
      const extra = groupOrVoicemail
        ? `; reads during ${readsOf(warm.during)} vs single-number transfer ${transferReads} ${pass(readsOf(warm.during) <= transferReads)}; after: ${writesOf(warm.after)} writes for ${warm.events} events ${pass(writesOf(warm.after) <= warm.events)}`
        : '';
      out(`  ${name.padEnd(26)} warm: during ${during} (goal ≤ 2) ${pass(during <= 2)}, with events ${all} (goal ≤ 4) ${pass(all <= 4)}${extra}`);
    }
    const warmTotals = Object.fromEntries(Object.entries(perCall).map(([name, { warm }]) => [name, totalOf(warm.during) + totalOf(warm.after)]));
    const worst = Math.max(...Object.values(warmTotals));
    const mixMean = CALL_MIX.reduce((sum, name) => sum + warmTotals[name]!, 0) / CALL_MIX.length;
    const perMinute = (requests: number) => Math.floor((AIRTABLE_REQUESTS_PER_SECOND * 60) / requests);
    out(`Escalations a minute one base sustains at ${AIRTABLE_REQUESTS_PER_SECOND} req/s: ${perMinute(mixMean)} over the mix below (${mixMean.toFixed(2)} requests a call), ${perMinute(worst)} if every call took the costliest path (${worst}) (goal ≥ 120) ${pass(perMinute(mixMean) >= 120)}`);
    out();

    // The mix as deployed: the instance paces its requests to Airtable's 5 a second. Then, for
    // comparison, the same mix unpaced (AIRTABLE_REQUESTS_PER_SECOND=0).
    const concurrent = await playMixRateLimited(String(AIRTABLE_REQUESTS_PER_SECOND));
    const unpaced = await playMixRateLimited('0');
    out(`${concurrent.calls} calls (the mix of bench/call-mix.ts: every path, ring groups and voicemail included; 2 in 3 callers on file), arriving at random over ${concurrent.arrivalWindowSeconds} s,`);
    out(`callers taking 1-4 s before each answer, on a cold instance paced to ${AIRTABLE_REQUESTS_PER_SECOND} requests a second, Airtable enforcing 5 req/s/base and its 30 s penalty:`);
    out(`  ${concurrent.seconds} s; at most ${concurrent.peakInProgress} calls in progress at once; played as scripted: ${concurrent.playedAsScripted}; failed (a step 5xx, invalid or unanswered): ${concurrent.failed} (goal 0) ${pass(concurrent.failed === 0)}`);
    out(`  calls with a report Twilio's debugger would flag (11200: a status/recording callback answered 5xx): ${concurrent.reportsRefused}`);
    out(`  heard an apology: ${concurrent.heardAnApology}; 429s answered by the emulator: ${concurrent.rateLimited429}; rows missing afterwards: ${concurrent.rowsMissing} (goal 0) ${pass(concurrent.rowsMissing === 0)}`);
    out(`  Airtable requests: ${concurrent.airtableRequests} (${(concurrent.airtableRequests / concurrent.calls).toFixed(1)} a call; the writes that queued for a turn went together)`);
    out(`  slowest step p99: ${concurrent.slowestStepMs} ms (goal ≤ 1000) ${pass(concurrent.slowestStepMs <= 1000)}`);
    for (const [step, ms] of Object.entries(concurrent.p99MsPerStep)) out(`    ${step.padEnd(28)} p99 ${ms} ms`);
    for (const line of concurrent.firstProblems) out(`  e.g. ${line.slice(0, 240)}`);
    out(`  the same mix unpaced (AIRTABLE_REQUESTS_PER_SECOND=0): played as scripted ${unpaced.playedAsScripted}, heard an apology ${unpaced.heardAnApology}, 429s ${unpaced.rateLimited429}, failed ${unpaced.failed}, rows missing ${unpaced.rowsMissing}, Airtable requests ${unpaced.airtableRequests}`);
    out();

    const loads = loadCosts();
    out('Load cost of each compiled Function in a fresh process, beyond a bare Function (ms; the first pays the bundle and its clients):');
    for (const [fn, ms] of Object.entries(loads)) out(`  ${fn.padEnd(28)} ${ms}`);
    return { lineCacheSeconds: PRODUCTION_LINE_CACHE_SECONDS, webhooks, airtablePerCall: perCall, escalationsPerMinute: perMinute(mixMean), concurrent, concurrentUnpaced: unpaced, loadCostMs: loads };
  } finally {
    await sandbox.close();
  }
}
