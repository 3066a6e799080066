// Live transfer scenarios, played as calls by the simulator against the built Functions and the emulators.
import { DEMO_AGENT_NUMBER, DEMO_CALLERS, DEMO_LINES, demoBaseWithHours } from '../../sandbox/demo-data';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { call, heardBy } from '../../sandbox/simulator/call-script';
import { closeTwimlValidator } from '../../sandbox/simulator/twiml-validator';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: demoBaseWithHours('open') });
});
afterAll(async () => {
  await sandbox.close();
  await closeTwimlValidator();
});
beforeEach(() => {
  sandbox.airtable.reset(demoBaseWithHours('open'));
  sandbox.twilio.reset();
});

const callRow = (callSid: string) => sandbox.airtable.records('Calls').find((r) => r.fields['Call SID'] === callSid)?.fields;

/** A stranger on the Sales line asks for a person and says yes to the transfer. */
const salesCall = (from: string = DEMO_CALLERS.stranger) =>
  call(sandbox, { to: DEMO_LINES.sales, from }).expectSay('Thanks for calling Acme Sales').say('agent').expectSay(/connect you to a person/).press('1');

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
    expect(heardBy(record, 'dialed').join(' ')).not.toMatch(/4155550142|dana@/);
    const row = callRow(record.callSid);
    expect(row).toMatchObject({ Chosen: 'Live Transfer', 'Transfer Method': 'Bridge', Outcome: 'Connected' });
    expect(String(row?.['Agent Call SID'])).toMatch(/^CA[0-9a-f]{32}$/);
  });
});
