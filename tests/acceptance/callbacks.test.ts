// SPEC §5 "Callbacks" (now) and the dispatcher: the number confirmed or keyed, one open callback per
// number and line, agent first, retries, Do Not Contact, closed hours, the dispatcher's Bearer secret.
import { DateTime } from 'luxon';
import { DEMO_AGENT_NUMBER, DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import type { Sandbox } from '../../sandbox/sandbox';
import { SANDBOX_DISPATCH_SECRET } from '../../sandbox/sandbox-env';
import { answer, call, closeTwimlValidator, watchPlacedCalls, type PlacedCallWatch } from '../../sandbox/simulator';
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
  await closeTwimlValidator();
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

test('a second request for the same number and line, in a later call, is told it is already queued', async () => {
  await airtable.create('Callbacks', { Line: DEMO_LINES.support, Phone: DEMO_CALLERS.dana, Kind: 'Now', Status: 'Queued', Attempts: 0, Contact: 'Dana Whitfield' });
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
    .press('0')
    .press('2')
    .expectSay(/ending in 0142/)
    .press('1')
    .expectSay(/already/i)
    .expectHangup();
  expectCallerNeverStranded(record);
  expect(await callbacksOf(DEMO_CALLERS.dana)).toHaveLength(1);
  expect(placed.pending()).toHaveLength(0);
});

test('another number keyed in is read back digit by digit, confirmed, and saved on the contact', async () => {
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
    .press('0')
    .press('2')
    .expectSay(/ending in 0142/)
    .press('2')
    .expectSay(/enter|key/i)
    .press('4155550177#')
    .expectSay(/4\D{0,3}1\D{0,3}5\D{0,3}5\D{0,3}5\D{0,3}5\D{0,3}0\D{0,3}1\D{0,3}7\D{0,3}7/)
    .press('1')
    .expectSay(/call you back/i)
    .expectHangup();
  expectCallerNeverStranded(record);
  expect((await callbacksOf('+14155550177')).length).toBe(1);
  const [dana] = await airtable.list('Contacts', "{Name}='Dana Whitfield'");
  expect(dana?.fields['Callback Number']).toBe('+14155550177');
  expect(await placed.next(5_000)).toMatchObject({ to: DEMO_AGENT_NUMBER });
});

// Issue 8: an invalid entry "is asked again twice, then the caller is offered the other paths".
test('an invalid number keyed three times sends the caller back to the menu without the callback', async () => {
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
    .press('0')
    .press('2')
    .press('2')
    .press('123#')
    .expectSay(/not|invalid|valid/i)
    .press('999#')
    .expectSay(/not a number/i)
    .press('0#')
    .expectSay(/press 1/)
    .hangup();
  expectCallerNeverStranded(record);
  const afterFailure = heardText(record).split(/not a number I can use/).pop() ?? '';
  expect(afterFailure).not.toMatch(/call back right away/i);
  expect(await airtable.list('Callbacks')).toHaveLength(0);
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

test('an anonymous caller keying in a Do Not Contact number gets no callback', async () => {
  const record = await call(sandbox, { to: DEMO_LINES.support, from: 'anonymous' })
    .press('0')
    .press('2')
    .press('6175550188#')
    .press('1')
    .expectNotSay(/call you back/i)
    .hangup();
  expectCallerNeverStranded(record);
  expect(await airtable.list('Callbacks')).toHaveLength(0);
  expect(placed.pending()).toHaveLength(0);
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

test('closed: the callback is queued for the opening, the caller is told when, and the dispatcher does not dial it yet', async () => {
  const today = DateTime.now().setZone('America/Chicago').toISODate();
  await airtable.editLine(DEMO_LINES.support, { Holidays: today });
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
    .press('0')
    .expectSay(/closed/i)
    .press('1')
    .expectSay(/ending in 0142/)
    .press('1')
    .expectSay(/tomorrow|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday/)
    .expectHangup();
  expectCallerNeverStranded(record);
  const [row] = await callbacksOf(DEMO_CALLERS.dana);
  expect(row?.fields.Status).toBe('Queued');
  expect(new Date(String(row?.fields['Next Attempt At'])).getTime()).toBeGreaterThan(Date.now());

  const run = await dispatch(`Bearer ${SANDBOX_DISPATCH_SECRET}`);
  expect(run.status).toBe(200);
  const body = (await run.json()) as { dialled: unknown[] };
  expect(body.dialled).toHaveLength(0);
  expect(placed.pending()).toHaveLength(0);
});

test('closed until later today or tomorrow: the caller hears the opening in the line\'s zone, and the row waits for it', async () => {
  const zone = 'America/Chicago';
  const opening = DateTime.now().setZone(zone).plus({ hours: 2 }).startOf('hour');
  const end = opening.hour === 23 ? '23:59' : `${String(opening.hour + 1).padStart(2, '0')}:00`;
  await airtable.editLine(DEMO_LINES.support, { 'Business Hours': `Mon-Sun ${opening.toFormat('HH:mm')}-${end}`, Timezone: zone });
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
    .press('0')
    .expectSay(opening.toFormat('h a'))
    .press('1')
    .press('1')
    .expectHangup();
  expectCallerNeverStranded(record);
  const [row] = await callbacksOf(DEMO_CALLERS.dana);
  expect(new Date(String(row?.fields['Next Attempt At'])).getTime()).toBe(opening.toMillis());
  expect(placed.pending()).toHaveLength(0);
});

test('the dispatcher wants the Bearer secret: 401 without it or with a wrong one', async () => {
  expect((await dispatch()).status).toBe(401);
  expect((await dispatch('Bearer wrong-secret')).status).toBe(401);
});

test('an agent who does not answer: the row goes Retry with a later attempt; at the last attempt it is Failed', async () => {
  await airtable.editLine(DEMO_LINES.support, { 'Callback Max Attempts': 1 });
  await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana }).press('0').press('2').press('1').expectHangup();
  const agentCall = await placed.next(5_000);
  await answer(sandbox, agentCall, 'no-answer');
  const failed = await eventually(async () => {
    const [row] = await callbacksOf(DEMO_CALLERS.dana);
    return row?.fields.Status === 'Failed' ? row.fields : undefined;
  }, 'the callback Failed');
  expect(failed.Attempts).toBe(1);
  // Issue 8: "attempts exhausted → Failed + apology text" (FEATURE_SMS is on in the sandbox).
  await eventually(async () => sandbox.twilio.messages().find((message) => message.resource.to === DEMO_CALLERS.dana), 'the apology text');
});

test('a customer voicemail (nobody presses 1) is never bridged: the attempt counts as missed and is retried', async () => {
  await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana }).press('0').press('2').press('1').expectHangup();
  const agentCall = await placed.next(5_000);
  await answer(sandbox, agentCall, 'answer')
    .press('1')
    .dialed({ answer: 'voicemail' })
    .expectSay(/did not|not pick up|no answer/i)
    .expectEnd('app');
  const retry = await eventually(async () => {
    const [row] = await callbacksOf(DEMO_CALLERS.dana);
    return row?.fields.Status === 'Retry' ? row.fields : undefined;
  }, 'the callback Retry');
  expect(retry.Attempts).toBe(1);
  expect(new Date(String(retry['Next Attempt At'])).getTime()).toBeGreaterThan(Date.now());
});
