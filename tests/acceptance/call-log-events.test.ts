// SPEC §5 "Call log, recording, notes" and §2's event webhooks: one Calls row per escalated call
// with what the bot said and the caller did, recording and transcript on the row, events replayed,
// a failed write retried, signatures enforced.
import { DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import { useSandbox } from '../helpers/sandbox';
import { call } from '../../sandbox/simulator';
import { inboundCallParams } from '../../sandbox/simulator/call-params';
import { airtableApi, eventually, expectCallerNeverStranded, newCallSid, openBase, openSandbox } from './acceptance-kit';

const sandbox = useSandbox(openBase, { transcriptWebhook: true });
let airtable: ReturnType<typeof airtableApi>;
beforeAll(() => {
  airtable = airtableApi(sandbox);
});

const bridgedCall = (callSid: string, callbacks?: { duplicate?: ('recording' | 'call-status')[] }) =>
  call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana, callSid, statusCallback: '/events/call-status', callbacks })
    .say('I need a human')
    .expectSay('Hi Dana')
    .press('1')
    .agent({ answer: 'accept', talkSeconds: 60 })
    .expectEnd('party');

test('an escalated call has one row: line, caller, contact, offered, chosen, bot log, duration; recording, transcript and notes land on it', async () => {
  const callSid = newCallSid();
  const record = await bridgedCall(callSid);
  expectCallerNeverStranded(record);
  await sandbox.twilio.callbacksSettled();
  const row = await eventually(async () => {
    const fields = await airtable.callRow(callSid);
    return fields?.Transcript && fields['Wrap-up Notes'] ? fields : undefined;
  }, 'transcript and notes on the row');
  expect(row).toMatchObject({
    Line: DEMO_LINES.support,
    From: DEMO_CALLERS.dana,
    Contact: 'Dana Whitfield',
    Chosen: 'Live Transfer',
    Outcome: 'Connected',
    'Transfer Method': 'Bridge',
  });
  expect(String(row.Offered)).toMatch(/Live Transfer.*Phone Callback.*Scheduled Callback.*Text Link.*Email Contact/);
  expect(String(row['Bot Log'])).toMatch(/Welcome to Acme Support[\s\S]*I need a human[\s\S]*Hi Dana/);
  expect(row['Recording SID']).toMatch(/^RE/);
  expect(String(row['Recording URL'])).toContain(String(row['Recording SID']));
  expect(Number(row.Duration)).toBeGreaterThan(0);
  expect(String(row.Transcript)).toMatch(/Caller:|Agent:/);
  expect(await airtable.list('Calls')).toHaveLength(1);
});

test('recording and status callbacks delivered twice leave one consistent row and one transcript', async () => {
  const callSid = newCallSid();
  const before = sandbox.twilio.transcripts().length;
  await bridgedCall(callSid, { duplicate: ['recording', 'call-status'] });
  await sandbox.twilio.callbacksSettled();
  await sandbox.twilio.redeliverCallback('transcript');
  await sandbox.twilio.callbacksSettled();
  expect(sandbox.twilio.transcripts().length - before).toBe(1);
  const rows = await airtable.list('Calls', `{Call SID}='${callSid}'`);
  expect(rows).toHaveLength(1);
  expect(rows[0]!.fields).toMatchObject({ Outcome: 'Connected' });
  expect(rows[0]!.fields.Transcript).toBeTruthy();
});

test('the caller hangs up while the agent\'s phone rings: the log says so', async () => {
  const callSid = newCallSid();
  await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana, callSid, statusCallback: '/events/call-status' })
    .press('0')
    .press('1')
    .hangupWhileRinging()
    .expectEnd('party');
  const row = await eventually(async () => {
    const fields = await airtable.callRow(callSid);
    return fields?.Outcome === 'Caller hung up' ? fields : undefined;
  }, 'Outcome Caller hung up');
  expect(row.Chosen).toBe('Live Transfer');
});

test('a Calls write that fails is retried and the row is not lost', async () => {
  sandbox.airtable.faults.set({ table: 'Calls', status: 500, times: 2 });
  const callSid = newCallSid();
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana, callSid, statusCallback: '/events/call-status' })
    .press('0')
    .press('1')
    .agent({ answer: 'busy' })
    .expectSay(/sorry/i)
    .expectSay(/text.*press 3/)
    .press('3')
    .press('1')
    .expectSay(/sent/i)
    .expectHangup();
  expectCallerNeverStranded(record);
  sandbox.airtable.faults.clear();
  const row = await eventually(async () => airtable.callRow(callSid), 'the Calls row');
  expect(row.Line).toBe(DEMO_LINES.support);
  // The text's status callbacks arrive after the call; let them land before the next test resets the base.
  await sandbox.twilio.messagesSettled();
});

test('logs never hold a full phone number, an email address or a token', async () => {
  const lines: string[] = [];
  const capture = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  const spies = (['log', 'info', 'warn', 'error'] as const).map((level) => jest.spyOn(console, level).mockImplementation(capture));
  try {
    await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.luis, statusCallback: '/events/call-status' }).press('0').press('4').press('1').expectHangup();
    await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.luis }).press('0').press('5').expectSay(/case number/i).hangup();
    await call(sandbox, { to: DEMO_LINES.support, from: 'anonymous' }).press('0').press('2').press('4155550177#').press('1').expectHangup();
    await sandbox.twilio.messagesSettled();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  expect(lines.length).toBeGreaterThan(5);
  const secrets = [sandbox.authToken, sandbox.env.AIRTABLE_API_KEY!, sandbox.env.SENDGRID_API_KEY!, sandbox.env.DISPATCH_SECRET!];
  for (const line of lines) {
    expect(line).not.toMatch(/\+?1?(2125550199|3105550123|4155550177)/);
    expect(line).not.toContain('luis.ortega');
    for (const secret of secrets) expect(line).not.toContain(secret);
  }
});

test('without INTELLIGENCE_SERVICE_SID the recording is stored and no transcript is made', async () => {
  const plain = await openSandbox({ INTELLIGENCE_SERVICE_SID: 'off' });
  try {
    const callSid = newCallSid();
    await call(plain, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana, callSid }).press('0').press('1').agent({ answer: 'accept' }).expectEnd('party');
    const row = await eventually(async () => {
      const fields = await airtableApi(plain).callRow(callSid);
      return fields?.['Recording SID'] ? fields : undefined;
    }, 'the recording on the row');
    expect(row.Transcript).toBeUndefined();
    expect(plain.twilio.transcripts()).toHaveLength(0);
  } finally {
    await plain.close();
  }
});

describe('signatures on every Twilio-facing webhook', () => {
  const params = { CallSid: 'CA0000000000000000000000000000beef', AccountSid: 'AC00000000000000000000000000000001', From: DEMO_CALLERS.dana, To: DEMO_LINES.support };
  test.each(['/voice/incoming', '/escalate', '/events/call-status', '/events/recording', '/events/message-status', '/sms/incoming'])(
    '%s: 401 unsigned, 403 wrongly signed',
    async (path) => {
      expect((await sandbox.post(path, params, { sign: false })).status).toBe(401);
      expect((await sandbox.post(path, params, { signature: 'bm90IGEgc2lnbmF0dXJl' })).status).toBe(403);
    },
  );
});

test('after a text, the final status adds the Duration without reading the row first: this instance wrote its Outcome', async () => {
  const callSid = newCallSid();
  await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana, callSid }).press('0').press('4').press('1').expectSay(/I have sent a text/).expectHangup();
  await sandbox.twilio.messagesSettled();
  sandbox.airtable.stats.reset();
  await sandbox.post('/events/call-status', { ...inboundCallParams({ accountSid: sandbox.accountSid, from: DEMO_CALLERS.dana, to: DEMO_LINES.support }), CallSid: callSid, CallStatus: 'completed', CallDuration: '40' });
  expect(sandbox.airtable.stats.counts().Calls).toEqual({ PATCH: 1 });
  expect(await airtable.callRow(callSid)).toMatchObject({ Outcome: 'Text sent', Duration: 40 });
});
