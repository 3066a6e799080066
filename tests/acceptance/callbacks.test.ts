// SPEC §5 "Callbacks" (now) and the dispatcher: the Callback Number preferred to the Phone, a number
// on file keyed in by an anonymous caller, agent first, concurrent dispatcher runs on a booked
// callback, Do Not Contact. Numbers keyed in, one open callback per number and line, retries, closed
// hours and the dispatcher's Bearer secret are played in tests/callback (each scenario is tested once).
import { DEMO_AGENT_NUMBER, DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import type { Sandbox } from '../../sandbox/sandbox';
import { SANDBOX_DISPATCH_SECRET } from '../../sandbox/sandbox-env';
import { answer, call, watchPlacedCalls, type PlacedCallWatch } from '../../sandbox/simulator';
import { airtableApi, eventually, expectCallerNeverStranded, heardText, openBase, openSandbox } from './acceptance-kit';

let sandbox: Sandbox;
let airtable: ReturnType<typeof airtableApi>;
let placed: PlacedCallWatch;

beforeAll(async () => {
  sandbox = await openSandbox();
  airtable = airtableApi(sandbox);
  placed = watchPlacedCalls(sandbox.twilio);
});
beforeEach(async () => {
  sandbox.airtable.reset(openBase());
  // A call placed by an earlier test and not taken must not be answered by this one.
  while (placed.pending().length) await placed.next();
});
afterAll(async () => {
  placed.stop();
  await sandbox.close();
});

const callbacksOf = (phone: string) => airtable.list('Callbacks', `{Phone}='${phone}'`);

function dispatch(authorization?: string): Promise<Response> {
  return fetch(`${sandbox.baseUrl}/jobs/dispatch-callbacks`, {
    method: 'POST',
    headers: authorization ? { Authorization: authorization } : {},
  });
}

test('the number on file (Callback Number before Phone) is confirmed; the agent is called first, then the caller', async () => {
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.luis, path: '/escalate?Reason=Late+delivery' })
    .expectSay('Hi Luis')
    .press('2')
    .expectSay(/ending in 0123/)
    .press('1')
    .expectSay(/call you back/i)
    .expectHangup();
  expectCallerNeverStranded(record);
  const [row] = await callbacksOf(DEMO_CALLERS.luisCallback);
  expect(row?.fields).toMatchObject({ Line: DEMO_LINES.support, Kind: 'Now', Reason: 'Late delivery' });

  const agentCall = await placed.next(5_000);
  expect(agentCall).toMatchObject({ to: DEMO_AGENT_NUMBER, from: DEMO_LINES.support });
  await answer(sandbox, agentCall, 'answer')
    .expectSay(/Luis/)
    .expectSay(/Late delivery/)
    .press('1')
    .expectDial(DEMO_CALLERS.luisCallback)
    .dialed({ answer: 'accept' })
    .expectWhisper(/returning your call/i)
    .expectEnd('party');
  const connected = await eventually(async () => {
    const [done] = await callbacksOf(DEMO_CALLERS.luisCallback);
    return done?.fields.Status === 'Connected' ? done.fields : undefined;
  }, 'the callback Connected');
  expect(connected).toMatchObject({ Attempts: 1 });
  expect(connected['Callback Call SID']).toBe(agentCall.sid);
});

test('an anonymous caller keys in a number on file: it is looked up, and no duplicate contact is made', async () => {
  await call(sandbox, { to: DEMO_LINES.support, from: 'anonymous' })
    .press('0')
    .press('2')
    .expectSay(/enter|key/i)
    .press('4155550142#')
    .press('1')
    .expectSay(/call you back/i)
    .expectHangup();
  expect(await airtable.list('Contacts', `OR({Phone}='${DEMO_CALLERS.dana}',{Callback Number}='${DEMO_CALLERS.dana}')`)).toHaveLength(1);
  const [row] = await callbacksOf(DEMO_CALLERS.dana);
  expect(row?.fields.Contact).toMatch(/Dana/);
  expect(await placed.next(5_000)).toMatchObject({ to: DEMO_AGENT_NUMBER });
});

test('the dispatcher run five times at once dials a due booked callback exactly once', async () => {
  await airtable.create('Callbacks', {
    Line: DEMO_LINES.support,
    Phone: DEMO_CALLERS.dana,
    Contact: 'Dana Whitfield',
    Kind: 'Scheduled',
    Status: 'Booked',
    'Scheduled For': new Date(Date.now() - 60_000).toISOString(),
    Attempts: 0,
  });
  const runs = await Promise.all(Array.from({ length: 5 }, () => dispatch(`Bearer ${SANDBOX_DISPATCH_SECRET}`)));
  expect(runs.map((run) => run.status)).toEqual([200, 200, 200, 200, 200]);
  const bodies = (await Promise.all(runs.map((run) => run.json()))) as { dialled: unknown[] }[];
  expect(bodies.flatMap((body) => body.dialled)).toHaveLength(1);
  const agentCall = await placed.next(5_000);
  expect(agentCall).toMatchObject({ to: DEMO_AGENT_NUMBER, from: DEMO_LINES.support });
  expect(placed.pending()).toHaveLength(0);
  const [row] = await callbacksOf(DEMO_CALLERS.dana);
  expect(row?.fields).toMatchObject({ Status: 'Dialing', Attempts: 1, 'Callback Call SID': agentCall.sid });
  await answer(sandbox, agentCall, 'busy');
}, 30_000);

test('Do Not Contact: no callback (nor text or email) is offered', async () => {
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.morgan }).press('0').expectSay(/press 1/).hangup();
  const heard = heardText(record);
  expect(heard).not.toMatch(/call back|text|email/i);
});
