// What happens on the agent-first call: missed attempts, retries by the dispatcher, the last attempt,
// and status callbacks that come twice or late.
import { DEMO_AGENT_NUMBER, DEMO_CALLERS, DEMO_LINES, demoBaseWithHours } from '../../sandbox/demo-data';
import { answer, call } from '../../sandbox/simulator/call-script';
import { watchPlacedCalls, type PlacedCallWatch } from '../../sandbox/simulator/placed-calls';
import { addCallbacks, callbackRows, minutesAgo, runDispatch, setCallbackFields } from '../helpers/callbacks';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox(() => demoBaseWithHours('open'));
let watch: PlacedCallWatch;
beforeEach(() => {
  watch = watchPlacedCalls(sandbox.twilio);
});
afterEach(() => watch.stop());

async function danaGetsACallback() {
  await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana }).say('agent').press('2').press('1').expectSay(/in a moment/).expectHangup();
  return watch.next();
}

const row = () => callbackRows(sandbox)[0]!;
const nextAttemptIn = () => (Date.parse(String(row().fields['Next Attempt At'])) - Date.now()) / 60_000;

/** The retry is due: as if its Next Attempt At had come. */
async function timePasses() {
  await setCallbackFields(sandbox, row().id, { 'Next Attempt At': minutesAgo(1) });
}

test('the agent does not answer: Retry in 5 minutes; the dispatcher tries again and both are connected', async () => {
  const first = await danaGetsACallback();
  await answer(sandbox, first, 'no-answer').expectEnd('party');
  expect(row().fields).toMatchObject({ Status: 'Retry', Attempts: 1, 'Callback Call SID': first.sid });
  expect(nextAttemptIn()).toBeGreaterThan(4);
  expect(nextAttemptIn()).toBeLessThan(6);

  expect((await runDispatch(sandbox)).json.dialled).toEqual([]); // not yet
  await timePasses();
  const run = await runDispatch(sandbox);
  const second = await watch.next();
  expect(run.json.dialled).toEqual([{ id: row().id, callSid: second.sid }]);
  expect(row().fields).toMatchObject({ Status: 'Dialing', Attempts: 2, 'Callback Call SID': second.sid });

  await answer(sandbox, second).press('1').dialed({ answer: 'accept', hungUpBy: 'agent' }).expectHangup();
  expect(row().fields).toMatchObject({ Status: 'Connected', Attempts: 2, 'Callback Call SID': second.sid });
});

test('the agent declines (hangs up at the whisper): the attempt counts as missed', async () => {
  const placed = await danaGetsACallback();
  await answer(sandbox, placed).expectSay('Dana Whitfield is waiting').hangup();
  expect(row().fields).toMatchObject({ Status: 'Retry', Attempts: 1, 'Callback Call SID': placed.sid });
});

test('the agent presses another key: not accepted, missed', async () => {
  const placed = await danaGetsACallback();
  await answer(sandbox, placed).press('2').expectSay('Call back not accepted. We will try again later. Goodbye.').expectHangup();
  expect(row().fields).toMatchObject({ Status: 'Retry', Attempts: 1 });
});

test('the customer\'s voicemail answers: never bridged, the agent hears it, Retry', async () => {
  const placed = await danaGetsACallback();
  await answer(sandbox, placed)
    .press('1')
    .dialed({ answer: 'voicemail' })
    .expectWhisper('returning your call. Press 1 to be connected.')
    .expectSay('The customer did not pick up. We will try again later. Goodbye.')
    .expectHangup();
  expect(row().fields).toMatchObject({ Status: 'Retry', Attempts: 1, 'Callback Call SID': placed.sid });
});

test('a customer who answers but presses nothing is not bridged either', async () => {
  const placed = await danaGetsACallback();
  await answer(sandbox, placed).press('1').dialed({ answer: 'ignore' }).expectSay('The customer did not pick up.').expectHangup();
  expect(row().fields.Status).toBe('Retry');
});

test('the last attempt missed: Failed, and a short apology text from the line\'s number', async () => {
  const [id] = await addCallbacks(sandbox, [
    { Line: DEMO_LINES.support, Phone: DEMO_CALLERS.dana, Contact: 'Dana Whitfield', Kind: 'Now', Status: 'Retry', Attempts: 2, 'Next Attempt At': minutesAgo(1) },
  ]);
  await runDispatch(sandbox);
  const third = await watch.next();
  await answer(sandbox, third).press('1').dialed({ answer: 'no-answer' }).expectSay('The customer did not pick up, and that was the last attempt. Goodbye.').expectHangup();
  expect(row().fields).toMatchObject({ Status: 'Failed', Attempts: 3, 'Callback Call SID': third.sid });
  expect(row().fields['Next Attempt At']).toBeUndefined();
  const texts = sandbox.twilio.messages();
  expect(texts).toHaveLength(1);
  expect(texts[0]!.params).toMatchObject({ To: DEMO_CALLERS.dana, From: DEMO_LINES.support });
  expect(texts[0]!.params.Body).toMatch(/^Support: sorry we missed you\. .* You can reach us at \+12025550102\.$/);
  expect(sandbox.airtable.records('Calls')).toEqual([]); // a row added by hand has no Origin Call SID: no call log note
  expect(id).toBe(row().id);
});

test('status callbacks are idempotent: a repeated or late one changes nothing', async () => {
  const first = await danaGetsACallback();
  await answer(sandbox, first, 'busy').expectEnd('party');
  const afterFirst = row().fields;
  const statusUrl = `/callback/status?callback=${row().id}&attempt=1`;
  const params = { AccountSid: sandbox.accountSid, CallSid: first.sid, CallStatus: 'busy', From: DEMO_LINES.support, To: DEMO_AGENT_NUMBER };
  expect((await sandbox.post(statusUrl, params)).status).toBe(200);
  expect(row().fields).toEqual(afterFirst);

  await timePasses();
  await runDispatch(sandbox);
  const second = await watch.next();
  const late = await sandbox.post(statusUrl, { ...params, CallStatus: 'completed' }); // attempt 1's, arriving now
  expect(late.status).toBe(200);
  expect(row().fields).toMatchObject({ Status: 'Dialing', Attempts: 2, 'Callback Call SID': second.sid });
});

test('a status callback that is not about a callback attempt is refused', async () => {
  const answered = await sandbox.post('/callback/status?callback=nope&attempt=x', { AccountSid: sandbox.accountSid, CallSid: 'CA1', CallStatus: 'completed' });
  expect(answered.status).toBe(400);
});

test('Airtable failing when the agent answers: the agent is told, nobody else is rung, the row keeps its claim', async () => {
  const placed = await danaGetsACallback();
  sandbox.airtable.faults.set({ status: 503, table: 'Callbacks' });
  await answer(sandbox, placed)
    .allowError(/callback\/status.* answered HTTP 500/) // the status callbacks say so to Twilio's debugger
    .expectSay('Sorry, this call back cannot be loaded right now. We will try again later. Goodbye.')
    .expectHangup();
  sandbox.airtable.faults.clear();
  expect(sandbox.twilio.calls().filter((c) => c.resource.direction !== 'outbound-api')).toHaveLength(1); // the inbound call only: no <Dial>
  expect(row().fields).toMatchObject({ Status: 'Dialing', Attempts: 1, 'Callback Call SID': placed.sid });
  expect(nextAttemptIn()).toBeGreaterThan(5); // the lease: then the dispatcher asks Twilio and tries again
});

describe('when Twilio will not place the call during the caller\'s call', () => {
  test('refused (an error answer): the caller still hears the promise the dispatcher keeps on its next run', async () => {
    sandbox.twilio.faults.set({ resource: 'calls', method: 'POST', status: 503, times: 1 });
    await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana }).say('agent').press('2').press('1').expectSay(/in a moment/).expectHangup();
    expect(row().fields).toMatchObject({ Status: 'Queued', Attempts: 0 });
    expect(nextAttemptIn()).toBeLessThan(2.5); // held for the webhook at most two minutes
  });

  test('a 4xx from Twilio: due at once for the dispatcher, which places it', async () => {
    sandbox.twilio.faults.set({ resource: 'calls', method: 'POST', status: 400, times: 1 });
    await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana }).say('agent').press('2').press('1').expectSay(/in a moment/).expectHangup();
    expect(row().fields).toMatchObject({ Status: 'Queued', Attempts: 0 });
    expect(nextAttemptIn()).toBeLessThanOrEqual(0);
    const run = await runDispatch(sandbox);
    expect(run.json.dialled).toHaveLength(1);
    expect(row().fields).toMatchObject({ Status: 'Dialing', Attempts: 1 });
  });
});
