// SPEC §5 "Menu" and §1's table, from the caller's side: which paths are offered (in the table's
// order), how one path or several are asked, repeats, no input, nothing available, recognition.
import { DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import type { Sandbox } from '../../sandbox/sandbox';
import { useSandbox } from '../helpers/sandbox';
import { ANONYMOUS_CALLER_IDS, call } from '../../sandbox/simulator';
import { airtableApi, callSidOf, expectCallerNeverStranded, heardText, newCallSid, openBase, openSandbox } from './acceptance-kit';

const sandbox = useSandbox(openBase);
let airtable: ReturnType<typeof airtableApi>;
beforeAll(() => {
  airtable = airtableApi(sandbox);
});

test('several paths: "press 1 or say …" in the order of the table, 9 repeats the menu', async () => {
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
    .expectSay('Welcome to Acme Support')
    .say('representative')
    .expectSay('Hi Dana')
    .expectSay(/person.*press 1/i)
    .expectSay(/call back right away, press 2/i)
    .expectSay(/schedule.*press 3/i)
    .expectSay(/text.*press 4/i)
    .expectSay(/email.*press 5/i)
    .expectSay(/press 9/)
    .press('9')
    .expectSay(/press 1/)
    .expectSay(/press 5/)
    .hangup();
  expectCallerNeverStranded(record);
});

test('one path is offered as a yes/no question, and "yes" takes it', async () => {
  await call(sandbox, { to: DEMO_LINES.sales, from: DEMO_CALLERS.stranger })
    .expectSay('Thanks for calling Acme Sales')
    .say('operator')
    .expectSay(/connect you to a person now\? Say yes/)
    .expectNotSay(/press 3/)
    .say('yes')
    .expectDial('+12025550100')
    .agent({ answer: 'accept' })
    .expectEnd('party');
});

test('"no" to the only path offered ends the call kindly and logs Declined', async () => {
  const callSid = newCallSid();
  await call(sandbox, { to: DEMO_LINES.sales, from: DEMO_CALLERS.stranger, callSid }).press('0').say('no').expectHangup();
  expect(await airtable.callRow(callSid)).toMatchObject({ Outcome: 'Declined' });
});

test('a line switch turned off in Airtable takes its path out of the menu', async () => {
  await airtable.editLine(DEMO_LINES.support, { 'Live Transfer': null, 'Scheduled Callback': null });
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
    .press('0')
    .expectSay(/call back.*press 1/i)
    .expectSay(/text.*press 2/i)
    .expectSay(/email.*press 3/i)
    .hangup();
  expect(heardText(record)).not.toMatch(/schedule/i);
  expect(heardText(record)).not.toMatch(/connect you to a person/i);
});

test('malformed Business Hours are treated as blank (always open), and the line\'s Voice is used', async () => {
  await airtable.editLine(DEMO_LINES.sales, { 'Business Hours': 'whenever we feel like it', Holidays: null });
  const record = await call(sandbox, { to: DEMO_LINES.sales, from: DEMO_CALLERS.stranger })
    .press('0')
    .expectSay(/connect you to a person/)
    .hangup();
  const says = record.events.filter((event) => event.kind === 'say');
  expect(says.every((event) => event.kind === 'say' && event.voice === 'Polly.Joanna')).toBe(true);
});

test('no match and no input are re-prompted twice, then the call ends politely', async () => {
  const callSid = newCallSid();
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana, callSid })
    .press('0')
    .expectSay(/press 1/)
    .say('banana bread')
    .expectSay(/press 1/)
    .silence()
    .expectSay(/press 1/)
    .press('7')
    .expectHangup();
  expectCallerNeverStranded(record);
  expect(heardText(record)).toMatch(/goodbye|call again/i);
  expect(await airtable.callRow(callSid)).toMatchObject({ Outcome: 'No choice made' });
});

test('nothing available: the caller is told kindly, hears the support number, the call ends and is logged', async () => {
  await airtable.editLine(DEMO_LINES.support, {
    'Live Transfer': null,
    'Phone Callback': null,
    'Scheduled Callback': null,
    'Text Link': null,
    'Email Contact': null,
  });
  const callSid = newCallSid();
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana, callSid })
    .say('agent')
    .expectSay(/not available|none of/i)
    .expectHangup();
  expect(heardText(record)).toMatch(/0\D{0,3}1\D{0,3}0\D{0,3}2\b/);
  expect(await airtable.callRow(callSid)).toMatchObject({ Outcome: 'No path available', Line: DEMO_LINES.support });
});

test('a known caller is recognised by their Callback Number too, and only the last four digits are said', async () => {
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.luisCallback })
    .say('agent')
    .expectSay('Hi Luis')
    .press('2')
    .expectSay(/ending in 0123/)
    .hangup();
  const heard = heardText(record);
  expect(heard).not.toMatch(/310\D?555\D?0123|3105550123/);
  expect(heard).not.toMatch(/luis\.ortega|example\.org/i);
});

test('anonymous and masked caller IDs match nobody', async () => {
  // A contact whose Phone is the literal an anonymous caller ID carries must still not be matched.
  await airtable.create('Contacts', { Name: 'Anon Ymous', Phone: ANONYMOUS_CALLER_IDS.anonymous });
  const record = await call(sandbox, { to: DEMO_LINES.support, from: ANONYMOUS_CALLER_IDS.anonymous })
    .press('0')
    .expectSay(/press 1/)
    .hangup();
  expect(heardText(record)).not.toMatch(/\bHi\b/);
});

test('a Spanish line understands a request for a person in Spanish and answers in Spanish', async () => {
  const record = await call(sandbox, { to: DEMO_LINES.afterHours, from: DEMO_CALLERS.stranger })
    .expectSay('Gracias por llamar a Acme')
    .say('quiero hablar con un agente')
    .expectSay(/oprima 1|marque 1|pulse 1/i)
    .hangup();
  expectCallerNeverStranded(record);
});

test('/escalate from a bot: Line names the line when To is not it, and Reason reaches the agent', async () => {
  const record = await call(sandbox, {
    to: '+12025550999',
    from: DEMO_CALLERS.dana,
    path: `/escalate?Reason=${encodeURIComponent('Billing question')}&Line=${encodeURIComponent(DEMO_LINES.sales)}`,
  })
    .expectSay(/connect you to a person/)
    .press('1')
    .agent({ answer: 'accept' })
    .expectWhisper('Sales')
    .expectWhisper('Dana')
    .expectWhisper('Billing question')
    .expectEnd('party');
  expect(callSidOf(record)).toMatch(/^CA/);
});

describe('account features (FEATURE_* flags) as well as line switches decide the paths', () => {
  let limited: Sandbox;
  beforeAll(async () => {
    limited = await openSandbox({ FEATURE_SMS: 'false', FEATURE_CLICK_TO_CALL: 'false', FEATURE_AVATAR_MODE: 'true', FEATURE_IVR_BRIDGE_CALL: 'false' });
  });
  afterAll(() => limited.close());

  test('no SMS or bridge feature: no text, no live transfer; FEATURE_AVATAR_MODE alone still allows callbacks', async () => {
    const record = await call(limited, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
      .press('0')
      .expectSay(/call back right away, press 1/i)
      .expectSay(/schedule.*press 2/i)
      .expectSay(/email.*press 3/i)
      .hangup();
    expect(heardText(record)).not.toMatch(/text|connect you to a person/i);
  });
});
