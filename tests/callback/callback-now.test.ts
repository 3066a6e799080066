// Immediate callbacks as simulated calls: the inbound call that asks for one, then the agent-first
// call the application places through the Twilio emulator, answered by the simulator.
import { DEMO_AGENT_NUMBER, DEMO_CALLERS, DEMO_LINES, demoBaseWithHours, type DemoBase } from '../../sandbox/demo-data';
import { answer, call } from '../../sandbox/simulator/call-script';
import { watchPlacedCalls, type PlacedCallWatch } from '../../sandbox/simulator/placed-calls';
import { voiceParams } from '../helpers/call-params';
import { callbackRows, minutesAgo, runDispatch, setCallbackFields, setFields } from '../helpers/callbacks';
import { useSandbox } from '../helpers/sandbox';
import { spoken } from '../helpers/twiml';

const sandbox = useSandbox(() => demoBaseWithHours('open'));
let watch: PlacedCallWatch;
beforeEach(() => {
  watch = watchPlacedCalls(sandbox.twilio);
});
afterEach(() => watch.stop());

/** Dana on Support asks for an immediate callback and confirms the number on file. */
function danaAsksForACallback(from: string = DEMO_CALLERS.dana) {
  return call(sandbox, { to: DEMO_LINES.support, from }).expectSay(/Welcome/).say('agent').expectSay(/call back right away, press 2/).press('2');
}

const onlyRow = () => {
  const rows = callbackRows(sandbox);
  expect(rows).toHaveLength(1);
  return rows[0]!;
};

describe('asking for a callback', () => {
  test('number on file confirmed: the row is stored, the agent is rung at once, both are bridged, Connected', async () => {
    const inbound = await danaAsksForACallback()
      .expectSay('Shall we call you at the number ending in 0142?')
      .press('1')
      .expectSay('Thank you. An agent will call you back in a moment at the number ending in 0142.')
      .expectHangup();

    const placed = await watch.next();
    expect(placed).toMatchObject({ to: DEMO_AGENT_NUMBER, from: DEMO_LINES.support });
    expect(onlyRow().fields).toMatchObject({
      Line: DEMO_LINES.support,
      Phone: DEMO_CALLERS.dana,
      Contact: 'Dana Whitfield',
      Kind: 'Now',
      Status: 'Dialing',
      Attempts: 1,
      'Origin Call SID': inbound.callSid,
      'Callback Call SID': placed.sid,
    });

    await answer(sandbox, placed)
      .expectSay('Call back for Support. Dana Whitfield is waiting.')
      .expectSay('Press 1 to call them now.')
      .press('1')
      .expectSay('Calling the customer now.')
      .dialed({ answer: 'accept', hungUpBy: 'agent' })
      .expectWhisper('Hello, this is Support returning your call. Press 1 to be connected.')
      .expectHangup();
    expect(onlyRow().fields).toMatchObject({ Status: 'Connected', Attempts: 1, 'Callback Call SID': placed.sid });
    const agentCall = sandbox.twilio.calls().find((c) => c.sid === placed.sid)!;
    expect(agentCall.params).toMatchObject({ Timeout: '25', StatusCallbackEvent: ['initiated', 'completed'] });
    expect(agentCall.params.MachineDetection).toBeUndefined();
    expect(sandbox.airtable.records('Calls')[0]!.fields).toMatchObject({ 'Call SID': inbound.callSid, Chosen: 'Phone Callback', Outcome: 'Callback connected (attempt 1)' });
  });

  test('another number keyed in is called, and saved on the contact', async () => {
    await danaAsksForACallback()
      .expectSay('ending in 0142')
      .press('2')
      .expectSay(/enter the number/)
      .press('4155550177#')
      .expectSay(/You entered/)
      .press('1')
      .expectSay('at the number ending in 0177')
      .expectHangup();
    await watch.next();
    expect(onlyRow().fields.Phone).toBe('+14155550177');
    expect(sandbox.airtable.records('Contacts')[0]!.fields['Callback Number']).toBe('+14155550177');
  });

  test('an invalid number, asked again twice: back to the menu without the callback, nothing stored', async () => {
    await danaAsksForACallback()
      .press('2')
      .expectSay(/enter the number/)
      .press('12#')
      .expectSay(/not a number I can use/)
      .press('999#')
      .expectSay(/not a number I can use/)
      .press('55#')
      .expectSay(/could not get a number/)
      .expectNotSay(/call back right away/)
      .expectSay(/schedule a call back/)
      .hangup();
    expect(callbackRows(sandbox)).toHaveLength(0);
    expect(sandbox.twilio.calls().filter((c) => c.resource.direction === 'outbound-api')).toHaveLength(0);
  });

  test('an anonymous caller keys a number in', async () => {
    await call(sandbox, { to: DEMO_LINES.support, from: 'anonymous' })
      .say('agent')
      .press('2')
      .expectSay(/enter the number/)
      .press('2025550199#')
      .press('1')
      .expectSay('at the number ending in 0199')
      .expectHangup();
    expect(onlyRow().fields).toMatchObject({ Phone: '+12025550199', Status: 'Dialing' });
    // Number entry saved the keyed number on a new contact; the keyed number is looked up, so the row names it.
    const keyedContact = sandbox.airtable.records('Contacts').find((r) => r.fields['Callback Number'] === '+12025550199');
    expect(onlyRow().fields.Contact).toBe(keyedContact!.id);
  });

  test('a second request, in a later call, hears it is already on its way; no second row, no second call', async () => {
    await danaAsksForACallback().press('1').expectHangup();
    await watch.next();
    await danaAsksForACallback()
      .press('1')
      .expectSay('You already have a call back on its way to the number ending in 0142. We will call you in the next few minutes.')
      .expectHangup();
    expect(callbackRows(sandbox)).toHaveLength(1);
    expect(watch.pending()).toHaveLength(0);
  });

  test('a second request in the same call (the step posted again) is told it is queued, and when', async () => {
    const params = voiceParams(sandbox.accountSid, { From: DEMO_CALLERS.dana, To: DEMO_LINES.support });
    const first = await sandbox.post(`/callback/now?number=${encodeURIComponent(DEMO_CALLERS.dana)}`, params);
    expect(spoken(first.body).join(' ')).toMatch(/in a moment/);
    const [row] = callbackRows(sandbox);
    const later = new Date(Date.now() + 3 * 86_400_000);
    await setCallbackFields(sandbox, row!.id, { Status: 'Retry', 'Next Attempt At': later.toISOString() });
    const second = await sandbox.post(`/callback/now?number=${encodeURIComponent(DEMO_CALLERS.dana)}`, params);
    expect(spoken(second.body).join(' ')).toMatch(/^You already have a call back queued for the number ending in 0142\. We will call you \w+ at \d+(:\d\d)? [AP]M\. Goodbye\.$/);
    expect(callbackRows(sandbox)).toHaveLength(1);
  });

  test('Do Not Contact: no callback is offered, and the step refuses one posted directly', async () => {
    await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.morgan }).say('agent').expectNotSay(/call back/).hangup();
    const params = voiceParams(sandbox.accountSid, { From: DEMO_CALLERS.morgan, To: DEMO_LINES.support });
    const answered = await sandbox.post(`/callback/now?number=${encodeURIComponent(DEMO_CALLERS.morgan)}`, params);
    expect(answered.body).toContain('/escalate?');
    expect(callbackRows(sandbox)).toHaveLength(0);
  });

  test('a keyed-in number that belongs to a Do Not Contact contact is not called back: nothing stored, nobody rung', async () => {
    await call(sandbox, { to: DEMO_LINES.support, from: 'anonymous' })
      .say('agent')
      .press('2')
      .expectSay(/enter the number/)
      .press('6175550188#')
      .press('1')
      .expectNotSay(/call you back|ending in 0188\./)
      .hangup();
    const params = voiceParams(sandbox.accountSid, { From: 'anonymous', To: DEMO_LINES.support });
    const answered = await sandbox.post(`/callback/now?keyed=1&number=${encodeURIComponent(DEMO_CALLERS.morgan)}`, params);
    expect(answered.body).toContain('/escalate?after=path-unavailable&amp;exclude=callback-now');
    expect(callbackRows(sandbox)).toHaveLength(0);
    expect(sandbox.twilio.calls().filter((c) => c.resource.direction === 'outbound-api')).toHaveLength(0);
  });

  test.each([
    ['not E.164', '4155550142'],
    ['a premium-rate number', '+19005550142'],
    ['junk', "+1' OR 1=1"],
  ])('a number that is %s is refused: back to the menu, nothing stored', async (_name, number) => {
    const params = voiceParams(sandbox.accountSid, { From: DEMO_CALLERS.dana, To: DEMO_LINES.support });
    const answered = await sandbox.post(`/callback/now?number=${encodeURIComponent(number)}`, params);
    expect(spoken(answered.body)).toEqual(['Sorry, I cannot call that number.']);
    expect(answered.body).toContain('exclude=callback-now');
    expect(callbackRows(sandbox)).toHaveLength(0);
  });

  test('the Callbacks write failing: the caller is told plainly and offered the rest, nothing promised, no call', async () => {
    sandbox.airtable.faults.set({ status: 503, table: 'Callbacks', method: 'POST' });
    const params = voiceParams(sandbox.accountSid, { From: DEMO_CALLERS.dana, To: DEMO_LINES.support });
    const answered = await sandbox.post(`/callback/now?number=${encodeURIComponent(DEMO_CALLERS.dana)}`, params);
    expect(spoken(answered.body)).toEqual(['Sorry, I could not set up your call back right now.']);
    expect(answered.body).toContain('after=other-paths');
    expect(answered.body).toContain('exclude=callback-now');
    expect(callbackRows(sandbox)).toHaveLength(0);
    expect(sandbox.twilio.calls()).toHaveLength(0);
  });

  test('Airtable answering 429 (the base barred for 30 s): told at once, nothing promised', async () => {
    sandbox.airtable.faults.set({ status: 429, times: 1, table: 'Callbacks' });
    const params = voiceParams(sandbox.accountSid, { From: DEMO_CALLERS.dana, To: DEMO_LINES.support });
    const started = Date.now();
    const answered = await sandbox.post(`/callback/now?number=${encodeURIComponent(DEMO_CALLERS.dana)}`, params);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(spoken(answered.body)).toEqual(['Sorry, I could not set up your call back right now.']);
    expect(callbackRows(sandbox)).toHaveLength(0);
    expect(sandbox.twilio.calls()).toHaveLength(0);
  });

  test('a first write that fails once is tried again within the budget', async () => {
    sandbox.airtable.faults.set({ status: 503, table: 'Callbacks', method: 'POST', times: 1 });
    const params = voiceParams(sandbox.accountSid, { From: DEMO_CALLERS.dana, To: DEMO_LINES.support });
    const answered = await sandbox.post(`/callback/now?number=${encodeURIComponent(DEMO_CALLERS.dana)}`, params);
    expect(spoken(answered.body).join(' ')).toMatch(/in a moment/);
    expect(callbackRows(sandbox)).toHaveLength(1);
  });
});

describe('in Spanish', () => {
  test('the After-hours line promises and places the callback in Spanish, and the customer hears Spanish', async () => {
    await call(sandbox, { to: DEMO_LINES.afterHours, from: DEMO_CALLERS.dana })
      .say('agente')
      .expectSay('Para que le llamemos de inmediato, marque 1')
      .press('1')
      .press('1')
      .expectSay('Gracias. Un agente le devolverá la llamada en un momento al número que termina en 0142.')
      .expectHangup();
    await answer(sandbox, await watch.next())
      .expectSay('Devolución de llamada para After-hours. Dana Whitfield está esperando.')
      .dialed({ answer: 'accept', hungUpBy: 'agent' })
      .expectWhisper('Hola, le habla After-hours para devolverle la llamada. Marque 1 para comunicarse.')
      .expectHangup();
    expect(onlyRow().fields.Status).toBe('Connected');
  });
});

describe('a callback cancelled while the agent\'s phone rings', () => {
  test('the agent hears it is no longer needed, and nobody is dialled', async () => {
    await danaAsksForACallback().press('1').expectHangup();
    const placed = await watch.next();
    await setCallbackFields(sandbox, onlyRow().id, { Status: 'Cancelled' });
    await answer(sandbox, placed).expectSay('This call back is no longer needed. Goodbye.').expectHangup();
    expect(onlyRow().fields.Status).toBe('Cancelled');
  });
});

describe('outside business hours', () => {
  function closedToday(): DemoBase {
    const base = demoBaseWithHours('closed');
    base.Lines[1]!['Business Hours'] = 'Mon-Sun 09:00-17:00';
    return base;
  }

  test('offered honestly, queued for the opening in the line\'s zone, dispatched then and not before', async () => {
    sandbox.airtable.reset(closedToday());
    await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
      .say('agent')
      .expectSay(/^We are closed now\. To get a call back when we open, \w+ at 9 AM, press 1 or say call me back\.$/)
      .press('1')
      .expectSay('ending in 0142')
      .press('1')
      .expectSay(/^We are closed right now\. We will call you back when we open, \w+ at 9 AM, at the number ending in 0142\. Goodbye\.$/)
      .expectHangup();
    const row = onlyRow();
    expect(row.fields).toMatchObject({ Status: 'Queued', Kind: 'Now', Attempts: 0 });
    const opening = new Date(String(row.fields['Next Attempt At']));
    expect(opening.toLocaleString('en-US', { timeZone: 'America/Chicago', hour: 'numeric', minute: '2-digit' })).toBe('9:00 AM');
    expect(opening.getTime()).toBeGreaterThan(Date.now() + 24 * 3_600_000);
    expect(sandbox.twilio.calls().filter((c) => c.resource.direction === 'outbound-api')).toHaveLength(0);

    expect((await runDispatch(sandbox)).json).toMatchObject({ dialled: [], skipped: [] }); // not due yet
    await setCallbackFields(sandbox, row.id, { 'Next Attempt At': minutesAgo(1) }); // the opening has come...
    // ...but the line is still closed (the operator moved the holidays): the row waits for the next opening.
    expect((await runDispatch(sandbox)).json.skipped).toEqual([{ id: row.id, reason: 'closed-postponed' }]);
    expect(onlyRow().fields['Next Attempt At']).toBe(opening.toISOString());
    await setCallbackFields(sandbox, row.id, { 'Next Attempt At': minutesAgo(1) }); // the opening has come
    const support = sandbox.airtable.records('Lines').find((l) => l.fields['Phone Number'] === DEMO_LINES.support)!;
    await setFields(sandbox, 'Lines', support.id, { 'Business Hours': '', Holidays: '' });
    const run = await runDispatch(sandbox);
    expect(run.json.dialled).toEqual([{ id: row.id, callSid: expect.stringMatching(/^CA/) }]);
    expect((await watch.next()).to).toBe(DEMO_AGENT_NUMBER);
    expect(onlyRow().fields).toMatchObject({ Status: 'Dialing', Attempts: 1, 'Callback Call SID': run.json.dialled![0]!.callSid });
  });
});
