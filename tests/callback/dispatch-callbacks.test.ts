// The dispatcher: its door (Bearer secret), what it finds due, and exactly one call per attempt
// however many runs go at once, whatever Airtable does.
import { DateTime } from 'luxon';
import { DEMO_AGENT_NUMBER, DEMO_LINES, demoBaseWithHours } from '../../sandbox/demo-data';
import type { Sandbox } from '../../sandbox/sandbox';
import { isClaimMark } from '../../src/assets/core/callback-attempts.private';
import { UNPLACED_CLAIM_MS } from '../../src/assets/core/callback-attempts.private';
import { openCallSession } from '../../src/assets/call/session.private';
import { decidePostponement, handleDispatchCallbacks, hasDispatchSecret, POSTPONE_MARGIN_MS } from '../../src/assets/jobs/dispatch-callbacks.private';
import { scheduleForLine } from '../../src/assets/core/business-hours.private';
import { DEFAULT_DISPATCH_SETTLE_MS, readConfig } from '../../src/assets/shell/config.private';
import { createLogger } from '../../src/assets/shell/log.private';
import { addCallbacks, callbackRows, minutesAgo, runDispatch, setCallbackFields } from '../helpers/callbacks';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox(() => demoBaseWithHours('open'));

const agentCalls = (of: Sandbox = sandbox) => of.twilio.calls().filter((c) => c.resource.direction === 'outbound-api');

function dueRows(count: number, fields: Record<string, unknown> = {}) {
  return Array.from({ length: count }, (_, i) => ({
    Line: DEMO_LINES.support,
    Phone: `+1415555${String(1000 + i).padStart(4, '0')}`,
    Kind: 'Now',
    Status: 'Queued',
    Attempts: 0,
    'Next Attempt At': minutesAgo(2),
    ...fields,
  }));
}

describe('the door', () => {
  test.each([
    ['no Authorization header', null],
    ['a wrong secret', 'guess'],
    ['an empty secret', ''],
  ])('%s: 401, nothing done', async (_name, secret) => {
    await addCallbacks(sandbox, dueRows(1));
    const run = await runDispatch(sandbox, secret);
    expect(run).toEqual({ status: 401, json: { error: 'unauthorized' } });
    expect(agentCalls()).toHaveLength(0);
  });

  test('no DISPATCH_SECRET configured: 503', async () => {
    const config = readConfig({});
    const request = { params: {}, config, log: createLogger('test'), now: new Date(), deadline: Date.now() + 1000, headers: { authorization: 'Bearer x' }, raw: {}, cookies: {} };
    const answer = await handleDispatchCallbacks(openCallSession(request));
    expect(answer).toEqual({ status: 503, json: { error: 'DISPATCH_SECRET is not configured' } });
  });

  test.each([
    ['Bearer s3cret', true],
    ['bearer s3cret', true],
    ['Bearer s3cret2', false],
    ['Bearer s3cre', false],
    ['s3cret', false],
    [undefined, false],
  ])('%s against s3cret → %s', (header, expected) => {
    expect(hasDispatchSecret(header, 's3cret')).toBe(expected);
  });
});

describe('what is due', () => {
  test('dials Queued and Retry rows whose time has come, Booked rows whose slot has come; not the rest', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const ids = await addCallbacks(sandbox, [
      ...dueRows(1),
      ...dueRows(1, { Status: 'Retry', Attempts: 1, Phone: '+14155552001' }),
      ...dueRows(1, { Status: 'Booked', Kind: 'Scheduled', 'Scheduled For': minutesAgo(1), 'Next Attempt At': undefined, Phone: '+14155552002' }),
      ...dueRows(1, { 'Next Attempt At': future, Phone: '+14155552003' }),
      ...dueRows(1, { Status: 'Booked', Kind: 'Scheduled', 'Scheduled For': future, Phone: '+14155552004' }),
      ...dueRows(1, { Status: 'Connected', Phone: '+14155552005' }),
      ...dueRows(1, { Status: 'Failed', Phone: '+14155552006' }),
      ...dueRows(1, { Status: 'Cancelled', Phone: '+14155552007' }),
    ]);
    const run = await runDispatch(sandbox);
    expect(run.status).toBe(200);
    expect(run.json.dialled!.map((d) => d.id).sort()).toEqual(ids.slice(0, 3).sort());
    expect(run.json.left).toBe(0);
    expect(agentCalls().map((c) => c.params)).toEqual(
      Array(3).fill(expect.objectContaining({ To: DEMO_AGENT_NUMBER, From: DEMO_LINES.support, Timeout: '25' })),
    );
    for (const row of callbackRows(sandbox).filter((r) => ids.slice(0, 3).includes(r.id))) {
      const call = agentCalls().find((c) => c.sid === row.fields['Callback Call SID'])!;
      expect(row.fields).toMatchObject({ Status: 'Dialing', Attempts: Number(String(call.params.Url).match(/attempt=(\d+)/)![1]) });
      expect(String(call.params.Url)).toContain(`callback=${row.id}`);
    }
    expect((await runDispatch(sandbox)).json.dialled).toEqual([]); // a second run finds nothing more
  });

  test('a claim that lapsed while its call is still going is left alone', async () => {
    const [id] = await addCallbacks(sandbox, dueRows(1));
    await runDispatch(sandbox);
    await setCallbackFields(sandbox, id!, { 'Next Attempt At': minutesAgo(1) }); // lease over, call not answered yet
    const run = await runDispatch(sandbox);
    expect(run.json).toMatchObject({ dialled: [], skipped: [{ id, reason: 'call-in-progress' }] });
    expect(agentCalls()).toHaveLength(1);
  });
});

describe('a closed line', () => {
  test('its due Queued and Retry rows are moved to the next opening, once; a Booked row is left alone', async () => {
    sandbox.airtable.reset(demoBaseWithHours('closed')); // Support is on holiday today and tomorrow
    const ids = await addCallbacks(sandbox, [
      ...dueRows(1),
      ...dueRows(1, { Status: 'Retry', Attempts: 1, Phone: '+14155552001' }),
      ...dueRows(1, { Status: 'Booked', Kind: 'Scheduled', 'Scheduled For': minutesAgo(1), 'Next Attempt At': undefined, Phone: '+14155552002' }),
    ]);
    const run = await runDispatch(sandbox);
    expect(run.json.dialled).toEqual([]);
    expect(Object.fromEntries(run.json.skipped!.map((s) => [s.id, s.reason]))).toEqual({
      [ids[0]]: 'closed-postponed',
      [ids[1]]: 'closed-postponed',
      [ids[2]]: 'closed',
    });
    const line = sandbox.airtable.records('Lines').find((l) => l.fields['Phone Number'] === DEMO_LINES.support)!.fields;
    const dayAfterTomorrow = DateTime.now().setZone(String(line.Timezone)).plus({ days: 2 }).startOf('day');
    for (const id of ids.slice(0, 2)) {
      const row = callbackRows(sandbox).find((r) => r.id === id)!;
      expect(row.fields).toMatchObject({ Status: id === ids[0] ? 'Queued' : 'Retry' });
      expect(Date.parse(String(row.fields['Next Attempt At']))).toBe(dayAfterTomorrow.toMillis());
    }
    // The next run no longer finds them due: only the Booked row is looked at again.
    expect((await runDispatch(sandbox)).json.skipped).toEqual([{ id: ids[2], reason: 'closed' }]);
    expect(agentCalls()).toHaveLength(0);
  });

  const weekdays = scheduleForLine({ businessHours: 'Mon-Fri 09:00-17:00', timezone: 'America/Chicago' }).schedule;
  test.each([
    ['long closed (Sat noon)', '2026-11-28T12:00:00-06:00', 'Queued', '2026-11-30T09:00:00-06:00'],
    ['long closed, a Retry row', '2026-11-28T12:00:00-06:00', 'Retry', '2026-11-30T09:00:00-06:00'],
    ['a Booked row', '2026-11-28T12:00:00-06:00', 'Booked', undefined],
    ['just closed (a run may have claimed it a moment ago)', '2026-11-27T17:02:00-06:00', 'Queued', undefined],
    ['about to open (a run may claim it in a moment)', '2026-11-30T08:58:00-06:00', 'Queued', undefined],
  ] as const)('decidePostponement: %s', (_case, now, status, expected) => {
    const at = decidePostponement(weekdays, { status }, new Date(now));
    expect(at?.toISOString()).toBe(expected && new Date(expected).toISOString());
    expect(POSTPONE_MARGIN_MS).toBeGreaterThan(10_000); // longer than any run
  });
});

describe('exactly once', () => {
  // Runs racing each other: the claim settles as long as in production.
  const racing = useSandbox(() => demoBaseWithHours('open'), { env: { DISPATCH_SETTLE_SECONDS: String(DEFAULT_DISPATCH_SETTLE_MS / 1000) } });

  test('20 runs at once over 50 due callbacks: exactly 50 agent-first calls, every row Attempts 1', async () => {
    const ids = await addCallbacks(racing, dueRows(50));
    const runs = await Promise.all(Array.from({ length: 20 }, () => runDispatch(racing)));
    expect(runs.map((r) => r.status)).toEqual(Array(20).fill(200));
    // Whatever the concurrent runs left, later runs finish; none dials anything twice.
    for (let i = 0; i < 5 && callbackRows(racing).some((r) => r.fields.Status === 'Queued'); i++) await runDispatch(racing);

    const calls = agentCalls(racing);
    expect(calls).toHaveLength(50);
    const rows = callbackRows(racing);
    expect(rows.map((r) => r.fields.Status)).toEqual(Array(50).fill('Dialing'));
    expect(rows.map((r) => r.fields.Attempts)).toEqual(Array(50).fill(1));
    expect(new Set(rows.map((r) => r.fields['Callback Call SID']))).toEqual(new Set(calls.map((c) => c.sid)));
    expect(new Set(calls.map((c) => /callback=(rec\w+)/.exec(String(c.params.Url))![1])).size).toBe(50);
    expect(new Set(ids)).toEqual(new Set(rows.map((r) => r.id)));
    const dialled = runs.flatMap((r) => r.json.dialled ?? []);
    expect(new Set(dialled.map((d) => d.id)).size).toBe(dialled.length);
  }, 60_000);
});

describe('when Airtable fails', () => {
  /** Every row Dialing holds a claim that ends: no row is stuck forever. */
  function expectNoRowStuck(started: number) {
    for (const row of callbackRows(sandbox).filter((r) => r.fields.Status === 'Dialing')) {
      const until = Date.parse(String(row.fields['Next Attempt At']));
      expect(until).toBeGreaterThan(started);
      expect(until).toBeLessThanOrEqual(Date.now() + UNPLACED_CLAIM_MS);
    }
  }

  test('a 429 (the base is barred for 30 s): the run stops at once, dials nothing, says so', async () => {
    await addCallbacks(sandbox, dueRows(3));
    sandbox.airtable.faults.set({ status: 429, times: 1 });
    const started = Date.now();
    const run = await runDispatch(sandbox);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(run).toEqual({ status: 200, json: { dialled: [], skipped: [], left: 0, errors: ['Airtable answered 429'] } });
    expect(agentCalls()).toHaveLength(0);
    expect(callbackRows(sandbox).map((r) => r.fields.Status)).toEqual(['Queued', 'Queued', 'Queued']);
  });

  test('a 429 after the claim: nothing dialled, the rows hold a claim that lapses, then the next run dials each once', async () => {
    await addCallbacks(sandbox, dueRows(3));
    const started = Date.now();
    const running = runDispatch(sandbox);
    // As soon as the claim has landed, Airtable starts refusing.
    while (!callbackRows(sandbox).every((r) => r.fields.Status === 'Dialing')) await new Promise((resolve) => setTimeout(resolve, 20));
    sandbox.airtable.faults.set({ status: 429, times: 1 });
    const run = await running;
    expect(run.json).toMatchObject({ dialled: [], errors: ['Airtable answered 429'] });
    expect(agentCalls()).toHaveLength(0);
    expectNoRowStuck(started);
    expect(callbackRows(sandbox).every((r) => isClaimMark(String(r.fields['Callback Call SID'])))).toBe(true);

    sandbox.airtable.faults.clear();
    for (const row of callbackRows(sandbox)) await setCallbackFields(sandbox, row.id, { 'Next Attempt At': minutesAgo(1) }); // the lease is over
    expect((await runDispatch(sandbox)).json.dialled).toHaveLength(3);
    expect(agentCalls()).toHaveLength(3);
    expect(callbackRows(sandbox).map((r) => r.fields.Attempts)).toEqual([1, 1, 1]);
  });

  test('Airtable hanging on the claim: the run answers within the Functions limit and no row is stuck', async () => {
    await addCallbacks(sandbox, dueRows(2));
    sandbox.airtable.faults.set({ hang: true, method: 'PATCH', table: 'Callbacks' });
    const started = Date.now();
    const run = await runDispatch(sandbox);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.json).toMatchObject({ dialled: [], errors: ['Airtable did not answer in time'] });
    sandbox.airtable.faults.clear(); // the held claim now lands late
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(agentCalls()).toHaveLength(0);
    expectNoRowStuck(started);
  }, 20_000);
});
