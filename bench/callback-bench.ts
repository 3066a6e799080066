// The immediate-callback part of `npm run bench`: Airtable requests one callback costs during the
// caller's call (from the menu choice to the goodbye, the agent rung at once), and what the
// dispatcher costs per due row (Airtable and Twilio requests, time per run).
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import Airtable from 'airtable';
import { DEMO_BASE_ID, DEMO_CALLERS, DEMO_LINES, demoBaseWithHours } from '../sandbox/demo-data';
import type { RequestCounts } from '../sandbox/emulators/airtable';
import { SANDBOX_AIRTABLE_API_KEY, SANDBOX_DISPATCH_SECRET } from '../sandbox/sandbox-env';
import type { BenchSandbox } from './bench-sandbox';

const CALLBACK_REQUEST_GOAL = 4;
/** A line of its own, always open: the main bench has already cached the demo lines as they are. */
const BENCH_LINE = '+12025550140';
const CALLBACKS = 5;
const DUE_ROWS = 30;

const total = (counts: RequestCounts) => Object.values(counts).reduce((sum, methods) => sum + Object.values(methods).reduce((a, b) => a + b, 0), 0);
const describe = (counts: RequestCounts) =>
  Object.entries(counts)
    .flatMap(([table, methods]) => Object.entries(methods).map(([method, n]) => `${table} ${method} ×${n}`))
    .join(', ') || 'none';

function params(accountSid: string, callSid: string, from: string, input: Record<string, string> = {}): Record<string, string> {
  return { AccountSid: accountSid, ApiVersion: '2010-04-01', CallSid: callSid, CallStatus: 'in-progress', Direction: 'inbound', From: from, To: BENCH_LINE, ...input };
}

function actionOf(body: string, pattern: RegExp): string {
  const match = pattern.exec(body.replace(/&amp;/g, '&'));
  if (!match) throw new Error(`expected ${pattern} in ${body.slice(0, 300)}`);
  return match[1]!;
}

/** One caller asks for a callback: the menu, the choice, the number confirmed, /callback/now. Counts per step after the menu. */
async function oneCallback(sandbox: BenchSandbox, from: string): Promise<{ steps: [string, RequestCounts][] }> {
  const callSid = `CA${randomBytes(16).toString('hex')}`;
  const menu = await sandbox.post('/escalate', params(sandbox.accountSid, callSid, from));
  const choice = actionOf(menu.body, /<Gather[^>]* action="([^"]+)"/);
  const key = actionOf(menu.body, /call back right away, press (\d)/);
  const steps: [string, RequestCounts][] = [];
  sandbox.airtable.stats.reset();
  const confirm = await sandbox.post(choice, params(sandbox.accountSid, callSid, from, { Digits: key }));
  steps.push(['escalate/choice (chooses it)', sandbox.airtable.stats.counts()]);
  sandbox.airtable.stats.reset();
  const redirect = await sandbox.post(actionOf(confirm.body, /<Gather[^>]* action="([^"]+)"/), params(sandbox.accountSid, callSid, from, { Digits: '1' }));
  steps.push(['number/answer (confirms)', sandbox.airtable.stats.counts()]);
  sandbox.airtable.stats.reset();
  const now = await sandbox.post(actionOf(redirect.body, /<Redirect[^>]*>([^<]+)<\/Redirect>/), params(sandbox.accountSid, callSid, from));
  if (!/in a moment/.test(now.body)) throw new Error(`/callback/now did not queue the callback: ${now.body.slice(0, 300)}`);
  steps.push(['callback/now (stores, rings the agent)', sandbox.airtable.stats.counts()]);
  return { steps };
}

async function addDueRows(sandbox: BenchSandbox, count: number): Promise<void> {
  const base = new Airtable({ apiKey: SANDBOX_AIRTABLE_API_KEY, endpointUrl: sandbox.airtable.url, noRetryIfRateLimited: true }).base(DEMO_BASE_ID);
  const due = new Date(Date.now() - 60_000).toISOString();
  for (let i = 0; i < count; i += 10) {
    const rows = Array.from({ length: Math.min(10, count - i) }, (_, j) => ({
      fields: { Line: BENCH_LINE, Phone: `+1415555${String(3000 + i + j)}`, Kind: 'Now', Status: 'Queued', Attempts: 0, 'Next Attempt At': due },
    }));
    await base('Callbacks').create(rows as never, { typecast: true });
  }
}

function benchBase() {
  const base = demoBaseWithHours('open'); // inside business hours whatever the time: the agent is rung at once
  const support = base.Lines.find((line) => line['Phone Number'] === DEMO_LINES.support)!;
  base.Lines.push({ ...support, 'Phone Number': BENCH_LINE });
  return base;
}

export async function benchCallbacks(sandbox: BenchSandbox, out: (line?: string) => void): Promise<void> {
  out(`Immediate callback: Airtable requests during the caller's call, warm instance (mean of ${CALLBACKS} callbacks):`);
  const sums = new Map<string, number>();
  const shapes = new Map<string, string>();
  for (let i = 0; i < CALLBACKS; i++) {
    sandbox.airtable.reset(benchBase());
    for (const [name, counts] of (await oneCallback(sandbox, DEMO_CALLERS.dana)).steps) {
      sums.set(name, (sums.get(name) ?? 0) + total(counts));
      shapes.set(name, describe(counts));
    }
  }
  let whole = 0;
  for (const [name, sum] of sums) {
    whole += sum / CALLBACKS;
    out(`  ${name.padEnd(40)} ${String(sum / CALLBACKS).padStart(4)}  (${shapes.get(name)})`);
  }
  const callbackOnly = (sums.get('callback/now (stores, rings the agent)') ?? 0) / CALLBACKS;
  out(`  from the choice to the goodbye: ${whole}; in /callback/now: ${callbackOnly} (goal ≤ ${CALLBACK_REQUEST_GOAL})  ${callbackOnly <= CALLBACK_REQUEST_GOAL ? 'PASS' : 'MISS'}`);
  out();

  sandbox.airtable.reset(benchBase());
  sandbox.twilio.reset();
  await addDueRows(sandbox, DUE_ROWS);
  sandbox.airtable.stats.reset();
  let runs = 0;
  let dialled = 0;
  const started = performance.now();
  for (let left = DUE_ROWS; left > 0 && runs < 10; runs++) {
    const response = await fetch(`${sandbox.baseUrl}/jobs/dispatch-callbacks`, { method: 'POST', headers: { authorization: `Bearer ${SANDBOX_DISPATCH_SECRET}` } });
    const report = (await response.json()) as { dialled: unknown[]; left: number };
    dialled += report.dialled.length;
    left = report.left;
    if (report.dialled.length === 0) break;
  }
  const ms = performance.now() - started;
  const airtable = total(sandbox.airtable.stats.counts());
  const twilioCalls = sandbox.twilio.calls().filter((c) => c.resource.direction === 'outbound-api').length;
  out(`Dispatcher over ${DUE_ROWS} due callbacks: ${runs} run(s), ${dialled} dialled, ${(ms / runs).toFixed(0)} ms per run (claim settle included)`);
  out(`  Airtable requests: ${airtable} (${(airtable / Math.max(dialled, 1)).toFixed(2)} per due row: ${describe(sandbox.airtable.stats.counts())})`);
  out(`  Twilio calls created: ${twilioCalls} (${(twilioCalls / Math.max(dialled, 1)).toFixed(2)} per due row)`);
}
