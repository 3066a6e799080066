// A callback on a ring-group line rings the line's agents agent-first, IN ORDER, within one attempt,
// whatever its Ring Strategy: the next agent only once the one before declined, did not press 1, was
// busy, failed or did not answer; the customer once one accepts. Played on the demo Service Desk
// (three agents, Agent Must Accept), for an immediate callback and a scheduled one the dispatcher places.
import { DEMO_CALLERS, DEMO_DESK_AGENTS, DEMO_LINES, demoBaseWithHours } from '../../sandbox/demo-data';
import { answer, call } from '../../sandbox/simulator/call-script';
import type { PlacedCall } from '../../sandbox/simulator/call-driver';
import { watchPlacedCalls, type PlacedCallWatch } from '../../sandbox/simulator/placed-calls';
import { addCallbacks, callbackRows, minutesAgo, runDispatch, setCallbackFields } from '../helpers/callbacks';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox(() => demoBaseWithHours('open'));
let watch: PlacedCallWatch;
beforeEach(() => {
  watch = watchPlacedCalls(sandbox.twilio);
});
afterEach(() => watch.stop());

const row = () => callbackRows(sandbox)[0]!;
const agentCalls = () => sandbox.twilio.calls().filter((c) => c.resource.direction === 'outbound-api');
const nextAttemptIn = () => (Date.parse(String(row().fields['Next Attempt At'])) - Date.now()) / 60_000;

/** Dana asks the Service Desk for an immediate callback at the number on file; its first agent is rung at once. */
async function danaAsksTheDesk(): Promise<PlacedCall> {
  await call(sandbox, { to: DEMO_LINES.serviceDesk, from: DEMO_CALLERS.dana })
    .say('agent')
    .expectSay(/call back right away, press 2/)
    .press('2')
    .expectSay('Shall we call you at the number ending in 0142?')
    .press('1')
    .expectSay(/An agent will call you back in a moment/)
    .expectHangup();
  return watch.next();
}

/** The agent answers, hears who is waiting, and hangs up. */
const declines = (placed: PlacedCall) => answer(sandbox, placed).expectSay('Call back for Service Desk. Dana Whitfield is waiting.').hangup();
/** The agent answers and presses 1; the customer presses 1 and they talk. */
const acceptsAndConnects = (placed: PlacedCall) =>
  answer(sandbox, placed)
    .press('1')
    .expectSay('Calling the customer now.')
    .dialed({ answer: 'accept', hungUpBy: 'agent' })
    .expectWhisper('Hello, this is Service Desk returning your call. Press 1 to be connected.')
    .expectHangup();

function statusCallback(placed: PlacedCall, CallStatus: string) {
  const url = placed.statusCallback!.replace(sandbox.baseUrl, '');
  return sandbox.post(url, { AccountSid: sandbox.accountSid, CallSid: placed.sid, CallStatus, From: placed.from, To: placed.to, Direction: 'outbound-api' });
}

describe('an immediate callback rings the group in order', () => {
  test('the first declines, the second does not answer, the third accepts: the customer is dialled and connected', async () => {
    const first = await danaAsksTheDesk();
    expect(first.to).toBe(DEMO_DESK_AGENTS[0]);
    expect(row().fields).toMatchObject({ Status: 'Dialing', Attempts: 1, 'Callback Call SID': first.sid });
    expect(watch.pending()).toEqual([]); // one agent at a time, although the line rings Simultaneous on a transfer

    await declines(first).expectEnd('party');
    const second = await watch.next();
    expect(second.to).toBe(DEMO_DESK_AGENTS[1]);
    expect(second.url).toMatch(`/callback/agent?callback=${row().id}&attempt=1&agent=1&previous=${first.sid}`);
    expect(second.statusCallback).toMatch(`/callback/status?callback=${row().id}&attempt=1&agent=1&previous=${first.sid}`);
    expect(row().fields).toMatchObject({ Status: 'Dialing', Attempts: 1, 'Callback Call SID': second.sid }); // the dispatcher's lease follows it

    await answer(sandbox, second, 'no-answer').expectEnd('party');
    const third = await watch.next();
    expect(third.to).toBe(DEMO_DESK_AGENTS[2]);
    expect(third.url).toMatch(`agent=2&previous=${second.sid}`);

    await acceptsAndConnects(third);
    expect(row().fields).toMatchObject({ Status: 'Connected', Attempts: 1, 'Callback Call SID': third.sid });
    expect(sandbox.airtable.records('Calls')[0]!.fields.Outcome).toBe('Callback connected (attempt 1)');
    // Each agent rang the line's Ring Seconds, once; nobody else was called.
    expect(agentCalls().map((c) => [c.params.To, c.params.Timeout])).toEqual(DEMO_DESK_AGENTS.map((to) => [to, '20']));
    expect(watch.pending()).toEqual([]);
  });

  test('nobody accepts (a key that is not 1, busy, a voicemail): the attempt is missed once, and the retry starts again with the first agent', async () => {
    const first = await danaAsksTheDesk();
    await answer(sandbox, first).press('2').expectSay('Call back not accepted. We will try again later. Goodbye.').expectHangup();
    const second = await watch.next();
    await answer(sandbox, second, 'busy').expectEnd('party');
    const third = await watch.next();
    await answer(sandbox, third, 'voicemail').expectSay(/Dana Whitfield is waiting/).expectHangup();

    expect(row().fields).toMatchObject({ Status: 'Retry', Attempts: 1, 'Callback Call SID': third.sid });
    expect(nextAttemptIn()).toBeGreaterThan(4);
    expect(nextAttemptIn()).toBeLessThan(6);
    expect(watch.pending()).toEqual([]);
    expect(agentCalls()).toHaveLength(3);

    await setCallbackFields(sandbox, row().id, { 'Next Attempt At': minutesAgo(1) });
    const run = await runDispatch(sandbox);
    const retry = await watch.next();
    expect(run.json.dialled).toEqual([{ id: row().id, callSid: retry.sid }]);
    expect(retry.to).toBe(DEMO_DESK_AGENTS[0]);
    expect(retry.url).toMatch(new RegExp(`/callback/agent\\?callback=${row().id}&attempt=2$`));
    expect(row().fields).toMatchObject({ Status: 'Dialing', Attempts: 2, 'Callback Call SID': retry.sid });
  });

  test('an agent accepts but the customer does not pick up: the attempt ends there, no more agents are rung', async () => {
    const first = await danaAsksTheDesk();
    await answer(sandbox, first)
      .press('1')
      .dialed({ answer: 'no-answer' })
      .expectSay('The customer did not pick up. We will try again later. Goodbye.')
      .expectHangup();
    expect(row().fields).toMatchObject({ Status: 'Retry', Attempts: 1, 'Callback Call SID': first.sid });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(watch.pending()).toEqual([]);
    expect(agentCalls()).toHaveLength(1);
  });
});

describe('status callbacks that come twice or late never ring an agent twice or skip one', () => {
  test('a repeated `completed` of the first agent, after the second was rung, changes nothing', async () => {
    const first = await danaAsksTheDesk();
    await declines(first);
    const second = await watch.next();
    const before = row().fields;
    for (const status of ['completed', 'initiated']) {
      const repeated = await statusCallback(first, status);
      expect(repeated.status).toBe(200);
      expect(JSON.parse(repeated.body)).toEqual({ changed: false });
    }
    expect(row().fields).toEqual(before);
    expect(agentCalls().map((c) => c.params.To)).toEqual(DEMO_DESK_AGENTS.slice(0, 2));
    await acceptsAndConnects(second);
    expect(row().fields).toMatchObject({ Status: 'Connected', 'Callback Call SID': second.sid });
  });

  test('the same `completed` delivered twice at once rings the second agent once', async () => {
    const first = await danaAsksTheDesk();
    const answers = await Promise.all([statusCallback(first, 'no-answer'), statusCallback(first, 'no-answer')]);
    expect(answers.map((a) => JSON.parse(a.body))).toEqual(expect.arrayContaining([{ changed: true, status: 'Dialing' }, { changed: false }]));
    const second = await watch.next();
    expect(second.to).toBe(DEMO_DESK_AGENTS[1]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(watch.pending()).toEqual([]);
    expect(row().fields).toMatchObject({ Status: 'Dialing', Attempts: 1, 'Callback Call SID': second.sid });
  });

  test('Airtable failing as the second agent\'s call is written: its own `initiated` status callback (naming the call before it) writes it', async () => {
    const first = await danaAsksTheDesk();
    sandbox.airtable.faults.set({ status: 503, table: 'Callbacks', method: 'PATCH' });
    const ended = await statusCallback(first, 'busy');
    sandbox.airtable.faults.clear();
    expect(JSON.parse(ended.body)).toEqual({ changed: true, status: 'Dialing' });
    const second = await watch.next();
    expect(row().fields['Callback Call SID']).toBe(first.sid); // not written
    expect(JSON.parse((await statusCallback(second, 'initiated')).body)).toEqual({ changed: true, status: 'Dialing' });
    expect(row().fields).toMatchObject({ Status: 'Dialing', Attempts: 1, 'Callback Call SID': second.sid });
    await acceptsAndConnects(second);
    expect(row().fields).toMatchObject({ Status: 'Connected', Attempts: 1, 'Callback Call SID': second.sid });
  });
});

describe('when Twilio will not place the next agent\'s call', () => {
  test('refused (4xx): that agent is passed over and the one after it rung', async () => {
    const first = await danaAsksTheDesk();
    sandbox.twilio.faults.set({ resource: 'calls', method: 'POST', status: 400, times: 1 });
    await declines(first);
    const third = await watch.next();
    expect(third.to).toBe(DEMO_DESK_AGENTS[2]);
    expect(third.url).toMatch(`agent=2&previous=${first.sid}`);
    await acceptsAndConnects(third);
    expect(row().fields).toMatchObject({ Status: 'Connected', Attempts: 1, 'Callback Call SID': third.sid });
  });

  test('every agent left refused: the attempt is missed (Retry)', async () => {
    const first = await danaAsksTheDesk();
    sandbox.twilio.faults.set({ resource: 'calls', method: 'POST', status: 400, times: 2 });
    await declines(first);
    expect(row().fields).toMatchObject({ Status: 'Retry', Attempts: 1, 'Callback Call SID': first.sid });
    expect(nextAttemptIn()).toBeGreaterThan(4);
    expect(agentCalls()).toHaveLength(1);
  });

  test('no answer in time (5xx): the next agent may be ringing, so nobody else is; the row keeps its lease', async () => {
    const first = await danaAsksTheDesk();
    sandbox.twilio.faults.set({ resource: 'calls', method: 'POST', status: 503, times: 1 });
    await declines(first);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(watch.pending()).toEqual([]);
    expect(row().fields).toMatchObject({ Status: 'Dialing', Attempts: 1, 'Callback Call SID': first.sid });
    expect(nextAttemptIn()).toBeGreaterThan(5); // then the dispatcher asks Twilio about the first call and tries again
  });
});

describe('a scheduled callback placed by the dispatcher rings the group in order too', () => {
  async function bookedForNow(): Promise<string> {
    const [id] = await addCallbacks(sandbox, [
      { Line: DEMO_LINES.serviceDesk, Phone: DEMO_CALLERS.dana, Contact: 'Dana Whitfield', Kind: 'Scheduled', Status: 'Booked', Attempts: 0, 'Scheduled For': minutesAgo(1) },
    ]);
    return id!;
  }

  test('the first does not answer, the second accepts: connected on the first attempt', async () => {
    const id = await bookedForNow();
    const run = await runDispatch(sandbox);
    const first = await watch.next();
    expect(run.json.dialled).toEqual([{ id, callSid: first.sid }]);
    expect(first.to).toBe(DEMO_DESK_AGENTS[0]);
    expect(first.url).toMatch(new RegExp(`/callback/agent\\?callback=${id}&attempt=1$`));
    await answer(sandbox, first, 'no-answer').expectEnd('party');
    const second = await watch.next();
    expect(second.to).toBe(DEMO_DESK_AGENTS[1]);
    expect(row().fields).toMatchObject({ Status: 'Dialing', Attempts: 1, 'Callback Call SID': second.sid });
    await acceptsAndConnects(second);
    expect(row().fields).toMatchObject({ Status: 'Connected', Attempts: 1, 'Callback Call SID': second.sid });
    expect(agentCalls()).toHaveLength(2);
  });

  test('Twilio refuses the first agent\'s call: the dispatcher rings the second in its place', async () => {
    const id = await bookedForNow();
    sandbox.twilio.faults.set({ resource: 'calls', method: 'POST', status: 400, times: 1 });
    const run = await runDispatch(sandbox);
    const second = await watch.next();
    expect(second.to).toBe(DEMO_DESK_AGENTS[1]);
    expect(second.url).toMatch(new RegExp(`/callback/agent\\?callback=${id}&attempt=1&agent=1$`)); // no call before it
    expect(run.json).toMatchObject({ dialled: [{ id, callSid: second.sid }], errors: [] });
    expect(row().fields).toMatchObject({ Status: 'Dialing', Attempts: 1, 'Callback Call SID': second.sid });
    await answer(sandbox, second, 'busy').expectEnd('party');
    const third = await watch.next();
    expect(third.url).toMatch(`agent=2&previous=${second.sid}`);
    await acceptsAndConnects(third);
    expect(row().fields).toMatchObject({ Status: 'Connected', Attempts: 1 });
  });

  test('nobody in the group answers on the last attempt: Failed once, one apology text', async () => {
    await setCallbackFields(sandbox, await bookedForNow(), { Status: 'Retry', Attempts: 2, 'Next Attempt At': minutesAgo(1) });
    await runDispatch(sandbox);
    for (const agent of DEMO_DESK_AGENTS) {
      const placed = await watch.next();
      expect(placed.to).toBe(agent);
      await answer(sandbox, placed, 'no-answer').expectEnd('party');
    }
    expect(row().fields).toMatchObject({ Status: 'Failed', Attempts: 3 });
    expect(sandbox.twilio.messages()).toHaveLength(1);
    expect(agentCalls()).toHaveLength(3);
  });
});
