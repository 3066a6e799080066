// SPEC §5 "Robustness": whatever Airtable, Twilio's REST API or SendGrid do (errors, 429, hanging),
// every webhook answers valid TwiML within 4 s and the caller never hears Twilio's application error;
// cached line settings, then FALLBACK_TRANSFER_NUMBER, keep callers moving.
import { DEMO_AGENT_NUMBER, DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import type { Sandbox } from '../../sandbox/sandbox';
import { call } from '../../sandbox/simulator';
import { airtableApi, expectCallerNeverStranded, heardText, openBase, openSandbox } from './acceptance-kit';

const ENV_FALLBACK = '+12025550177';
let sandbox: Sandbox;
let airtable: ReturnType<typeof airtableApi>;

beforeAll(async () => {
  sandbox = await openSandbox({ FALLBACK_TRANSFER_NUMBER: ENV_FALLBACK });
  airtable = airtableApi(sandbox);
});
beforeEach(() => {
  sandbox.airtable.faults.clear();
  sandbox.twilio.faults.clear();
  sandbox.sendgrid.faults.clear();
  sandbox.airtable.reset(openBase());
});
afterAll(async () => {
  sandbox.airtable.faults.clear();
  sandbox.twilio.faults.clear();
  await sandbox.twilio.messagesSettled();
  await sandbox.close();
});

describe('Airtable in trouble', () => {
  // (Hanging on a line seen before is the same path as 429 here, and each step of it waits out the budget:
  // the uncached case below covers hanging.)
  test.each([
    ['answering 429', { status: 429 as const }],
    ['answering 503', { status: 503 as const }],
  ])('%s: a line seen before is served from its cached settings and the caller still reaches the agent', async (_name, fault) => {
    await call(sandbox, { to: DEMO_LINES.sales, from: DEMO_CALLERS.stranger }).expectSay('Acme Sales').hangup();
    sandbox.airtable.faults.set(fault);
    // Handed off by a bot straight to /escalate (as from Studio), to keep the test short: every step waits out Airtable.
    const record = await call(sandbox, { to: DEMO_LINES.sales, from: DEMO_CALLERS.dana, path: '/escalate' })
      // The recording's status callback cannot reach the call log: it answers 500 and keeps the row for later (README).
      .allowError(/events\/recording answered HTTP 500/)
      .expectSay(/connect you to a person/)
      .press('1')
      .expectDial(DEMO_AGENT_NUMBER)
      .agent({ answer: 'accept' })
      .expectEnd('party');
    expectCallerNeverStranded(record);
  }, 30_000);

  test('hanging, on a line never looked up: the caller is transferred to FALLBACK_TRANSFER_NUMBER in time', async () => {
    await airtable.create('Lines', { Name: 'New', 'Phone Number': '+12025550140', 'Live Transfer': true, 'Fallback Transfer Number': DEMO_AGENT_NUMBER });
    sandbox.airtable.faults.set({ hang: true });
    const record = await call(sandbox, { to: '+12025550140', from: DEMO_CALLERS.dana, path: '/escalate' })
      .allowError(/events\/recording answered HTTP 500/)
      .expectSay(/person/)
      .press('1')
      .expectDial(ENV_FALLBACK)
      .agent({ answer: 'accept' })
      .expectEnd('party');
    expectCallerNeverStranded(record);
  }, 30_000);

  test('hanging while a callback is stored: the caller is told plainly, nothing is promised', async () => {
    await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana }).press('0').expectSay(/press 1/).hangup();
    sandbox.airtable.faults.set({ hang: true, table: 'Callbacks' });
    const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
      .press('0')
      .press('2')
      .press('1')
      .expectSay(/sorry|could not|cannot/i)
      .hangup();
    expectCallerNeverStranded(record);
    expect(heardText(record)).not.toMatch(/will call you back in a moment/i);
  }, 30_000);
});

describe('Twilio REST API in trouble', () => {
  test.each([
    ['hanging', { resource: 'messages', hang: true }],
    ['answering 500', { resource: 'messages', status: 500 }],
  ])('a text while Messages is %s: the caller is told and offered the other paths in time', async (_name, fault) => {
    sandbox.twilio.faults.set(fault);
    const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
      .press('0')
      .press('4')
      .press('1')
      .expectSay(/email.*press 4/)
      .hangup();
    expectCallerNeverStranded(record);
    expect(heardText(record)).not.toMatch(/I have sent/i);
    sandbox.twilio.faults.clear();
  }, 30_000);

  test('a callback while Calls is hanging: the caller gets an answer in time', async () => {
    sandbox.twilio.faults.set({ resource: 'calls', hang: true });
    const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana }).press('0').press('2').press('1').expectHangup();
    expectCallerNeverStranded(record);
    sandbox.twilio.faults.clear();
  }, 30_000);
});

test('SendGrid answering 429: told in time, offered a text', async () => {
  sandbox.sendgrid.faults.set({ status: 429 });
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
    .press('0')
    .press('5')
    .expectSay(/text/i)
    .hangup();
  expectCallerNeverStranded(record);
});

describe('untrusted input', () => {
  test('a Line with formula syntax in it matches nothing and breaks nothing', async () => {
    const record = await call(sandbox, {
      to: '+12025550999',
      from: DEMO_CALLERS.dana,
      path: `/escalate?Line=${encodeURIComponent("+1' & '' = '' , {Phone Number} != '")}`,
    })
      .expectHangup();
    expectCallerNeverStranded(record);
    expect(heardText(record)).not.toMatch(/Acme Sales|Acme Support/);
  });

  test('a Reason carrying markup is said as words in the whisper, never run as TwiML', async () => {
    const reason = '</Say><Hangup/><Say>"billing" & <refund>';
    const record = await call(sandbox, { to: DEMO_LINES.sales, from: DEMO_CALLERS.dana, path: `/escalate?Reason=${encodeURIComponent(reason)}` })
      .press('1')
      .expectDial(DEMO_AGENT_NUMBER)
      .agent({ answer: 'accept' })
      .expectWhisper('billing')
      .expectEnd('party');
    expectCallerNeverStranded(record);
    expect(record.events.some((event) => event.kind === 'ended' && event.leg === 'dialed' && /Hangup/.test(JSON.stringify(event)))).toBe(false);
  });

  test('speech that is not a choice, with odd characters, is re-prompted', async () => {
    const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
      .press('0')
      .say("'); DROP TABLE Calls; -- <xml>")
      .expectSay(/press 1/)
      .hangup();
    expectCallerNeverStranded(record);
  });
});
