// SPEC §5 "Live transfer": Bridge with whisper, recording notice, outcomes that send the caller back
// to the remaining paths; SIP REFER with its fallbacks; business hours; FALLBACK_TRANSFER_NUMBER.
import { DateTime } from 'luxon';
import { DEMO_AGENT_NUMBER, DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import type { Sandbox } from '../../sandbox/sandbox';
import { useSandbox } from '../helpers/sandbox';
import { call } from '../../sandbox/simulator';
import { airtableApi, eventually, expectCallerNeverStranded, heardText, newCallSid, openBase, openSandbox } from './acceptance-kit';

const ENV_FALLBACK = '+12025550177';
const sandbox = useSandbox(openBase, { env: { FALLBACK_TRANSFER_NUMBER: ENV_FALLBACK } });
let airtable: ReturnType<typeof airtableApi>;
beforeAll(() => {
  airtable = airtableApi(sandbox);
});

test('bridge: recording notice, <Dial> of the fallback number, whisper with line, first name and Reason; the log says Connected', async () => {
  const callSid = newCallSid();
  const record = await call(sandbox, {
    to: DEMO_LINES.support,
    from: DEMO_CALLERS.dana,
    callSid,
    path: `/escalate?Reason=${encodeURIComponent('Refund for order 1234')}`,
  })
    .expectSay('Hi Dana')
    .press('1')
    .expectSay('This call may be recorded for quality and training.')
    .expectDial(DEMO_AGENT_NUMBER)
    .agent({ answer: 'accept' })
    .expectWhisper('Support')
    .expectWhisper('Dana')
    .expectWhisper('Refund for order 1234')
    .expectEnd('party');
  expectCallerNeverStranded(record);
  expect(heardText(record, 'dialed')).not.toMatch(/4155550142|415\D?555\D?0142/);
  const dial = record.events.find((event) => event.kind === 'dial');
  expect(dial).toMatchObject({ callerId: DEMO_LINES.support });
  const row = await eventually(async () => {
    const fields = await airtable.callRow(callSid);
    return fields?.Outcome === 'Connected' ? fields : undefined;
  }, 'the Connected row');
  expect(row).toMatchObject({ 'Transfer Method': 'Bridge', Chosen: 'Live Transfer', Line: DEMO_LINES.support });
  expect(row['Agent Call SID']).toMatch(/^CA/);
});

test('unknown caller: the whisper says "unknown caller" and only the last digits', async () => {
  const record = await call(sandbox, { to: DEMO_LINES.sales, from: DEMO_CALLERS.stranger })
    .press('0')
    .press('1')
    .agent({ answer: 'accept' })
    .expectWhisper(/unknown caller/i)
    .expectWhisper(/0\D?1\D?1\D?1/)
    .expectEnd('party');
  expect(heardText(record, 'dialed')).not.toMatch(/718\D?555/);
});

test.each([
  ['busy', { answer: 'busy' as const }],
  ['no answer', { answer: 'no-answer' as const }],
  ['failed', { answer: 'failed' as const }],
  ['agent silent at the accept prompt', { answer: 'silent' as const }],
  ['voicemail on the agent leg', { answer: 'voicemail' as const }],
])('%s: an apology, then the menu without the live transfer (the desk never rings twice)', async (_name, agent) => {
  const callSid = newCallSid();
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana, callSid })
    .press('0')
    .press('1')
    .agent(agent)
    .expectSay(/sorry/i)
    .expectSay(/call back.*press 1/i)
    .expectNotSay(/connect you to a person/i)
    .hangup();
  expectCallerNeverStranded(record);
  expect(record.events.filter((event) => event.kind === 'dial')).toHaveLength(1);
  expect(heardText(record)).not.toMatch(/connected|goodbye/i);
});

test('a failed transfer on a line with nothing else: the support number and a kind goodbye', async () => {
  const record = await call(sandbox, { to: DEMO_LINES.sales, from: DEMO_CALLERS.stranger })
    .press('0')
    .press('1')
    .agent({ answer: 'busy' })
    .expectSay(/sorry/i)
    .expectHangup();
  expect(heardText(record)).toMatch(/0\D{0,3}1\D{0,3}0\D{0,3}1\b/);
});

test('on a holiday (in the line\'s time zone) no live transfer is offered', async () => {
  const today = DateTime.now().setZone('America/New_York').toISODate();
  await airtable.editLine(DEMO_LINES.support, { Holidays: today, Timezone: 'America/New_York' });
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana }).press('0').expectSay(/press 1/).hangup();
  expect(heardText(record)).not.toMatch(/connect you to a person/i);
});

test('without Record Agent Leg and Agent Must Accept: no notice, no recording, the agent is connected without a key', async () => {
  await airtable.editLine(DEMO_LINES.sales, { 'Record Agent Leg': null, 'Agent Must Accept': null });
  const record = await call(sandbox, { to: DEMO_LINES.sales, from: DEMO_CALLERS.dana })
    .press('0')
    .press('1')
    .expectDial(DEMO_AGENT_NUMBER)
    .agent({ answer: 'silent' })
    .expectEnd('party');
  expect(heardText(record)).not.toMatch(/recorded/i);
  expect(heardText(record, 'dialed')).not.toMatch(/press 1/i);
  const dial = record.events.find((event) => event.kind === 'dial');
  expect(JSON.stringify(dial)).not.toMatch(/record-from/);
  expect(record.events.some((event) => event.kind === 'say' && event.leg === 'call' && /sorry/i.test(event.text))).toBe(false);
});

test('a Spanish line\'s whisper is in Spanish', async () => {
  await airtable.editLine(DEMO_LINES.afterHours, { 'Live Transfer': true });
  const record = await call(sandbox, { to: DEMO_LINES.afterHours, from: DEMO_CALLERS.dana })
    .press('0')
    .press('1')
    .agent({ answer: 'accept' })
    .expectEnd('party');
  expect(heardText(record, 'dialed')).toMatch(/llamada|Dana/);
  expect(heardText(record, 'dialed')).not.toMatch(/Incoming call|The caller is/);
});

test('a line with no Fallback Transfer Number rings FALLBACK_TRANSFER_NUMBER', async () => {
  await airtable.editLine(DEMO_LINES.sales, { 'Fallback Transfer Number': null });
  await call(sandbox, { to: DEMO_LINES.sales, from: DEMO_CALLERS.stranger })
    .press('0')
    .press('1')
    .expectDial(ENV_FALLBACK)
    .agent({ answer: 'accept' })
    .expectEnd('party');
});

describe('SIP REFER line', () => {
  beforeEach(() => airtable.editLine(DEMO_LINES.support, { 'Transfer Method': 'SIP REFER' }));
  const sipCall = (callSid?: string) =>
    call(sandbox, { to: `sip:${DEMO_LINES.support}@pbx.example.com`, from: `sip:${DEMO_CALLERS.dana}@carrier.example.net`, callSid });

  test('a SIP call is referred to sip:<fallback>@<inbound host> when SIP URI is blank; accepted → Referred', async () => {
    const callSid = newCallSid();
    const record = await sipCall(callSid).press('0').press('1').refer('accepted').expectEnd('transfer');
    const refer = record.events.find((event) => event.kind === 'refer');
    expect(JSON.stringify(refer)).toContain(`sip:${DEMO_AGENT_NUMBER}@pbx.example.com`);
    await eventually(async () => ((await airtable.callRow(callSid))?.Outcome === 'Referred' ? true : undefined), 'Outcome Referred');
    expect(await airtable.callRow(callSid)).toMatchObject({ 'Transfer Method': 'SIP REFER' });
  });

  test('the line\'s SIP URI is used when set', async () => {
    await airtable.editLine(DEMO_LINES.support, { 'SIP URI': 'sip:desk@pbx.acme.example' });
    const record = await sipCall().press('0').press('1').refer('accepted').expectEnd('transfer');
    expect(JSON.stringify(record.events.find((event) => event.kind === 'refer'))).toContain('sip:desk@pbx.acme.example');
  });

  test.each(['405', '603'])('REFER refused with %s falls back to the Bridge in the same call; the log says Bridge', async (code) => {
    const callSid = newCallSid();
    await sipCall(callSid)
      .press('0')
      .press('1')
      .refer({ result: 'rejected', referSipResponseCode: code })
      .expectDial(DEMO_AGENT_NUMBER)
      .agent({ answer: 'accept' })
      .expectEnd('party');
    const row = await eventually(async () => {
      const fields = await airtable.callRow(callSid);
      return fields?.Outcome === 'Connected' ? fields : undefined;
    }, 'the Connected row');
    expect(row['Transfer Method']).toBe('Bridge');
  });

  test('a PSTN caller on a SIP REFER line is bridged (no <Refer>, no 13801)', async () => {
    const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
      .press('0')
      .press('1')
      .expectDial(DEMO_AGENT_NUMBER)
      .agent({ answer: 'accept' })
      .expectEnd('party');
    expect(record.events.some((event) => event.kind === 'refer')).toBe(false);
  });
});

describe('SIP REFER with SIP_DOMAIN set', () => {
  let withDomain: Sandbox;
  beforeAll(async () => {
    withDomain = await openSandbox({ SIP_DOMAIN: 'sip.acme.example' });
    await airtableApi(withDomain).editLine(DEMO_LINES.support, { 'Transfer Method': 'SIP REFER' });
  });
  afterAll(() => withDomain.close());

  test('a blank SIP URI is sip:<fallback>@SIP_DOMAIN', async () => {
    const record = await call(withDomain, { to: `sip:${DEMO_LINES.support}@pbx.example.com`, from: `sip:${DEMO_CALLERS.dana}@carrier.example.net` })
      .press('0')
      .press('1')
      .refer('accepted')
      .expectEnd('transfer');
    expect(JSON.stringify(record.events.find((event) => event.kind === 'refer'))).toContain(`sip:${DEMO_AGENT_NUMBER}@sip.acme.example`);
  });
});
