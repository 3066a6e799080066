// Live transfer scenarios, played as calls by the simulator against the built Functions and the emulators:
// what the caller and the agent hear, and what lands on the Calls row.
import { DEMO_AGENT_NUMBER, DEMO_CALLERS, DEMO_LINES, demoBaseWithHours, type DemoBase } from '../../sandbox/demo-data';
import { call, heardBy } from '../../sandbox/simulator/call-script';
import type { TranscriptEvent } from '../../sandbox/simulator/transcript';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox(() => demoBaseWithHours('open'));

const callRow = (callSid: string) => sandbox.airtable.records('Calls').find((r) => r.fields['Call SID'] === callSid)?.fields;
const requestsTo = (events: readonly TranscriptEvent[], path: string) =>
  events.flatMap((e) => (e.kind === 'request' && new URL(e.url).pathname === path ? [e] : []));

/** A caller on the Sales line (live transfer only) asks for a person and says yes. */
const salesCall = (from: string = DEMO_CALLERS.stranger) =>
  call(sandbox, { to: DEMO_LINES.sales, from, statusCallback: '/events/call-status' })
    .expectSay('Thanks for calling Acme Sales')
    .say('agent')
    .expectSay(/connect you to a person/)
    .press('1');

/** Dana on the Support line (every path) picks the live transfer from the menu. */
const supportCall = () =>
  call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana, statusCallback: '/events/call-status' })
    .expectSay('Welcome to Acme Support')
    .say('agent')
    .expectSay(/talk to a person now, press 1/)
    .press('1');

function withLine(name: string, fields: Record<string, string | boolean | undefined>): DemoBase {
  const base = demoBaseWithHours('open');
  const line = base.Lines.find((l) => l.Name === name)!;
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete line[key];
    else line[key] = value;
  }
  return base;
}

describe('Bridge', () => {
  test('answered and accepted: recording notice, whisper with the line and the caller, goodbye; the log says Connected', async () => {
    const record = await salesCall(DEMO_CALLERS.dana)
      .expectSay('This call may be recorded for quality.')
      .expectSay(/Connecting you to a person/)
      .expectDial(DEMO_AGENT_NUMBER)
      .agent({ answer: 'accept' })
      .expectWhisper('Incoming call for Sales.')
      .expectWhisper('The caller is Dana.')
      .expectWhisper('Press 1 to take the call.')
      .expectEnd('party');
    const dial = record.events.find((e) => e.kind === 'dial');
    expect(dial).toMatchObject({ callerId: DEMO_LINES.sales, record: 'record-from-answer-dual' });
    expect(heardBy(record, 'dialed').join(' ')).not.toMatch(/415|dana@/);
    const row = callRow(record.callSid);
    expect(row).toMatchObject({ Chosen: 'Live Transfer', 'Transfer Method': 'Bridge', Outcome: 'Connected', 'Agent Number': DEMO_AGENT_NUMBER });
    expect(String(row?.['Agent Call SID'])).toMatch(/^CA[0-9a-f]{32}$/);
    // The recording callback stored the recording and started its transcript, labelled by channel.
    const [recording] = sandbox.twilio.recordings();
    expect(row).toMatchObject({ 'Recording SID': recording.sid });
    expect(String(row?.['Recording URL'])).toContain(recording.sid);
    expect(Number(row?.Duration)).toBeGreaterThan(0);
    const transcripts = sandbox.twilio.transcripts();
    expect(transcripts).toHaveLength(1);
    expect(transcripts[0]).toMatchObject({ sourceSid: recording.sid, resource: { customer_key: record.callSid } });
    expect(transcripts[0].channel).toMatchObject({
      participants: [
        { channel_participant: 1, role: 'Customer' },
        { channel_participant: 2, role: 'Agent' },
      ],
    });
  });

  test('an unknown caller is announced by the last four digits only, and the bot’s Reason is whispered', async () => {
    const record = await call(sandbox, { to: DEMO_LINES.sales, from: DEMO_CALLERS.stranger, path: '/escalate?Reason=billing%20question' })
      .expectSay(/connect you to a person/)
      .say('yes')
      .expectDial()
      .agent({ answer: 'accept' })
      .expectWhisper('An unknown caller ending in 0 1 1 1.')
      .expectWhisper('Reason: billing question.')
      .expectEnd('party');
    expect(heardBy(record, 'dialed').join(' ')).not.toContain('7185550111');
  });

  test.each([
    ['busy', 'Sorry, everyone who could take your call is busy right now.', 'Agent busy'],
    ['no-answer', 'Sorry, nobody answered just now.', 'No answer'],
    ['failed', 'Sorry, I could not connect your call.', 'Transfer failed'],
  ] as const)('%s: the caller hears why, then the menu without the live transfer', async (answer, apology, outcome) => {
    const record = await supportCall()
      .expectDial(DEMO_AGENT_NUMBER)
      .agent({ answer })
      .expectSay(apology)
      .expectSay('Here is what else I can do.')
      .expectSay(/call back right away, press 1/)
      .expectNotSay(/talk to a person/)
      .hangup()
      .expectEnd('party');
    expect(record.events.filter((e) => e.kind === 'dial')).toHaveLength(1);
    expect(callRow(record.callSid)).toMatchObject({ Outcome: outcome, 'Transfer Method': 'Bridge' });
  });

  test('Started At is set once: a later write of the same call (a second choice) does not move it', async () => {
    let startedAt: unknown;
    const record = await supportCall()
      .agent({ answer: 'busy' })
      .check('first write', (events) => {
        void events;
        startedAt = sandbox.airtable.records('Calls')[0]?.fields['Started At'];
      })
      .expectSay('Here is what else I can do.')
      .press('1')
      .hangup()
      .expectEnd('party');
    expect(startedAt).toEqual(expect.any(String));
    expect(callRow(record.callSid)?.['Started At']).toBe(startedAt);
    expect(callRow(record.callSid)?.Chosen).toBe('Phone Callback');
  });

  test('busy on a line with nothing else to offer: the apology, the support number and a kind goodbye', async () => {
    const record = await salesCall()
      .agent({ answer: 'busy' })
      .expectSay(/busy right now/)
      .expectSay(/none of our ways to reach a person are available/)
      .expectSay(/support line at 2 0 2, 5 5 5, 0 1 0 1/)
      .expectSay('Goodbye')
      .expectHangup();
    expect(callRow(record.callSid)).toMatchObject({ Outcome: 'Agent busy' });
    expect(callRow(record.callSid)?.['Agent Number']).toBeUndefined();
  });

  test.each([
    ['declines (hangs up in the whisper)', { answer: 'decline' }],
    ['stays silent', { answer: 'ignore' }],
    ['presses another key', { answer: 'accept', press: '5' }],
    ['is a voicemail', { answer: 'voicemail' }],
  ] as const)('the agent %s: not connected, and the caller is offered the other paths', async (_name, agent) => {
    const record = await supportCall()
      .agent(agent)
      .expectWhisper('Press 1 to take the call.')
      .expectSay('Sorry, nobody was able to take your call just now.')
      .expectSay('Here is what else I can do.')
      .hangup()
      .expectEnd('party');
    const result = record.events.find((e) => e.kind === 'dial-result');
    expect(result).toMatchObject({ bridged: false });
    expect(callRow(record.callSid)).toMatchObject({ Outcome: 'Not accepted' });
    expect(callRow(record.callSid)?.['Agent Number']).toBeUndefined();
    expect(sandbox.twilio.recordings()).toHaveLength(0);
  });

  test('the caller hangs up while the agent rings: the log says Caller hung up, with the call duration', async () => {
    const record = await salesCall().agent({ answer: 'canceled' }).expectEnd('party');
    expect(requestsTo(record.events, '/events/call-status')).toHaveLength(1);
    const row = callRow(record.callSid);
    expect(row).toMatchObject({ Outcome: 'Caller hung up' });
    expect(typeof row?.Duration).toBe('number');
  });

  test('recording off: no notice, no recording, the call still bridges', async () => {
    sandbox.airtable.reset(withLine('Sales', { 'Record Agent Leg': false }));
    const record = await salesCall()
      .expectNotSay(/recorded/)
      .agent({ answer: 'accept' })
      .expectEnd('party');
    expect(record.events.find((e) => e.kind === 'dial')).toMatchObject({ record: undefined });
    expect(requestsTo(record.events, '/events/recording')).toHaveLength(0);
    expect(callRow(record.callSid)).toMatchObject({ Outcome: 'Connected' });
    expect(callRow(record.callSid)?.['Recording SID']).toBeUndefined();
  });

  test('without Agent Must Accept the whisper just announces the caller and the call connects', async () => {
    sandbox.airtable.reset(withLine('Sales', { 'Agent Must Accept': false }));
    const record = await salesCall()
      .agent({ answer: 'ignore' })
      .expectWhisper('Incoming call for Sales.')
      .expectEnd('party');
    expect(heardBy(record, 'dialed').join(' ')).not.toMatch(/Press 1/);
    expect(callRow(record.callSid)).toMatchObject({ Outcome: 'Connected' });
  });

  test('a Spanish line: the caller and the agent hear Spanish', async () => {
    sandbox.airtable.reset(withLine('After-hours', { 'Live Transfer': true }));
    await call(sandbox, { to: DEMO_LINES.afterHours, from: DEMO_CALLERS.stranger })
      .say('agente')
      .expectSay(/hablar con una persona ahora, marque 1/)
      .press('1')
      .expectSay('Le comunico con una persona ahora.')
      .agent({ answer: 'accept' })
      .expectWhisper('Llamada entrante para After-hours.')
      .expectWhisper('Una persona desconocida, con número terminado en 0 1 1 1.')
      .expectEnd('party');
    await call(sandbox, { to: DEMO_LINES.afterHours, from: DEMO_CALLERS.stranger })
      .say('agente')
      .press('1')
      .agent({ answer: 'busy' })
      .expectSay('Lo sentimos, todas las personas que podrían atenderle están ocupadas en este momento.')
      .expectSay('Esto es lo que también puedo hacer.')
      .hangup()
      .expectEnd('party');
  });
});

describe('when Airtable or Twilio fail', () => {
  beforeEach(() => {
    sandbox.airtable.faults.clear();
    sandbox.twilio.faults.clear();
  });
  afterAll(() => sandbox.airtable.faults.clear());

  test('the choice\'s write fails: the caller is still transferred, and the row is written by the dial action', async () => {
    sandbox.airtable.faults.set({ status: 503, table: 'Calls', times: 3 });
    const record = await salesCall(DEMO_CALLERS.dana).expectDial(DEMO_AGENT_NUMBER).agent({ answer: 'accept' }).expectEnd('party');
    expect(callRow(record.callSid)).toMatchObject({ Chosen: 'Live Transfer', Outcome: 'Connected', Contact: 'Dana Whitfield' });
  });

  test('the call log hangs: the <Dial> and, after a busy agent, the apology still come within 4 s', async () => {
    sandbox.airtable.faults.set({ hang: true, table: 'Calls' });
    const record = await supportCall()
      .expectDial(DEMO_AGENT_NUMBER)
      .agent({ answer: 'busy' })
      .expectSay(/busy right now/)
      .expectSay('Here is what else I can do.')
      .hangup()
      .allowError(/events\/call-status answered HTTP 500/)
      .expectEnd('party');
    const slowest = Math.max(...record.events.flatMap((e) => (e.kind === 'response' ? [e.ms] : [])));
    expect(slowest).toBeLessThan(4000);
    sandbox.airtable.faults.clear();
  }, 30_000);

  test('Voice Intelligence is down: the recording is still on the row, and the event answers 500 so it is not lost silently', async () => {
    sandbox.twilio.faults.set({ resource: 'transcripts', status: 503 });
    const record = await salesCall()
      .agent({ answer: 'accept' })
      .allowError(/events\/recording answered HTTP 500/)
      .expectEnd('party');
    expect(callRow(record.callSid)?.['Recording SID']).toMatch(/^RE/);
    expect(sandbox.twilio.transcripts()).toHaveLength(0);
  });
});

describe('SIP REFER', () => {
  const sipLine = (fields: Record<string, string | undefined> = {}) => withLine('Sales', { 'Transfer Method': 'SIP REFER', ...fields });
  const sipCall = (to = `sip:${DEMO_LINES.sales}@pbx.example.com`) =>
    call(sandbox, { to, from: `sip:${DEMO_CALLERS.dana}@pbx.example.com`, statusCallback: '/events/call-status' })
      .expectSay('Thanks for calling Acme Sales')
      .say('agent')
      .press('1');

  test('a SIP call is referred to sip:<fallback>@<inbound host> with the context as X- headers', async () => {
    sandbox.airtable.reset(sipLine());
    const record = await sipCall().expectSay(/Connecting you/).refer('accepted').expectEnd('transfer');
    const refer = record.events.find((e) => e.kind === 'refer');
    expect(refer).toMatchObject({ target: `sip:${DEMO_AGENT_NUMBER}@pbx.example.com?X-IVR-Line=Sales&X-IVR-Contact=Dana%20Whitfield` });
    expect(record.events.some((e) => e.kind === 'dial')).toBe(false);
    expect(callRow(record.callSid)).toMatchObject({ 'Transfer Method': 'SIP REFER', Outcome: 'Referred' });
  });

  test('a SIP URI on the line is used as it is', async () => {
    sandbox.airtable.reset(sipLine({ 'SIP URI': 'sip:sales-desk@pbx.acme.example' }));
    const record = await sipCall().refer('accepted').expectEnd('transfer');
    expect(record.events.find((e) => e.kind === 'refer')).toMatchObject({ target: expect.stringMatching(/^sip:sales-desk@pbx\.acme\.example\?X-IVR-Line=Sales/) });
  });

  test('a PSTN caller on a SIP REFER line is bridged instead (no 13801)', async () => {
    sandbox.airtable.reset(sipLine());
    const record = await salesCall().expectDial(DEMO_AGENT_NUMBER).agent({ answer: 'accept' }).expectEnd('party');
    expect(record.events.some((e) => e.kind === 'refer')).toBe(false);
    expect(callRow(record.callSid)).toMatchObject({ 'Transfer Method': 'Bridge', Outcome: 'Connected' });
  });

  test.each(['405', '603'])('a REFER refused with %s falls back to the Bridge in the same call', async (code) => {
    sandbox.airtable.reset(sipLine());
    const record = await sipCall()
      .refer({ result: 'rejected', referSipResponseCode: code })
      .expectSay(/Connecting you/)
      .expectDial(DEMO_AGENT_NUMBER)
      .agent({ answer: 'accept' })
      .expectWhisper('The caller is Dana.')
      .expectEnd('party');
    expect(callRow(record.callSid)).toMatchObject({ 'Transfer Method': 'Bridge', Outcome: 'Connected', 'Agent Number': DEMO_AGENT_NUMBER });
  });

  test('a REFER the far end accepted but never connected (NOTIFY 486) falls back too', async () => {
    sandbox.airtable.reset(sipLine());
    const record = await sipCall().refer('busy').expectDial().agent({ answer: 'busy' }).expectSay(/busy right now/).expectHangup();
    expect(callRow(record.callSid)).toMatchObject({ 'Transfer Method': 'Bridge', Outcome: 'Agent busy' });
  });
});
