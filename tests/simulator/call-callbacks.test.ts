// The callbacks Twilio sends about a call, as the driver and the Twilio emulator send them: the
// recording status callback of a recorded <Dial> and the number's status callback at the end, with
// Twilio's fields, signed (the fake app checks every request with twilio.validateRequest), in
// Twilio's order — and, on request, twice or out of order, or sent again by the emulator.
import { startTwilioEmulator, type TwilioEmulator } from '../../sandbox/emulators/twilio';
import { call, type CallOptions } from '../../sandbox/simulator/call-script';
import { ACCOUNT_SID, AUTH_TOKEN, startFakeVoiceApp, twiml, type FakeVoiceApp } from './fake-voice-app';

const LINE = '+12025550120';
const CALLER = '+14155550142';
const AGENT = '+12025550100';
const RFC_2822 = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

let app: FakeVoiceApp;
let twilioEmulator: TwilioEmulator;

beforeAll(async () => {
  app = await startFakeVoiceApp();
  // The emulator signs what it sends again with the account's token: the app's.
  twilioEmulator = await startTwilioEmulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
});

afterAll(async () => {
  await app.close();
  await twilioEmulator.close();
});

beforeEach(() => {
  twilioEmulator.reset();
  app.routes({
    '/voice/incoming': twiml(
      `<Dial action="/dial-done" record="record-from-answer-dual" recordingStatusCallback="/events/recording"><Number url="/whisper">${AGENT}</Number></Dial>`,
    ),
    '/whisper': twiml('<Gather numDigits="1" action="/whisper-accept"><Say>Press 1 to accept.</Say></Gather><Hangup/>'),
    '/whisper-accept': (params) => twiml(params.Digits === '1' ? '' : '<Hangup/>'),
    '/dial-done': (params) => twiml(`<Say>Dial ${params.DialCallStatus} ${params.DialBridged}</Say>`),
    '/events/recording': jsonOk,
    '/events/call-status': jsonOk,
  });
});

function bridgedCall(options: Partial<CallOptions> = {}) {
  return call({ ...app, twilio: twilioEmulator }, { to: LINE, from: CALLER, statusCallback: '/events/call-status', ...options })
    .agent({ answer: 'accept', talkSeconds: 61, hungUpBy: 'agent' })
    .expectSay('Dial completed true')
    .expectHangup();
}

function jsonOk() {
  return { body: '{"ok":true}', contentType: 'application/json' };
}

const paths = () => app.requests.map((request) => request.path);

describe('the recording status callback', () => {
  test("carries the fields of Twilio's <Dial> recording callback, matching the recording the emulator filed", async () => {
    await bridgedCall();
    const [callback] = app.requestsTo('/events/recording');
    const [recording] = twilioEmulator.recordings();
    expect(Object.keys(callback!.params).sort()).toEqual(
      ['AccountSid', 'CallSid', 'ErrorCode', 'RecordingChannels', 'RecordingDuration', 'RecordingSid', 'RecordingSource', 'RecordingStartTime', 'RecordingStatus', 'RecordingUrl'].sort(),
    );
    expect(callback!.params).toEqual({
      AccountSid: ACCOUNT_SID,
      CallSid: app.requests[0]!.params.CallSid,
      RecordingSid: recording!.sid,
      RecordingUrl: recording!.media_url,
      RecordingStatus: 'completed',
      RecordingDuration: '61',
      RecordingChannels: '2',
      RecordingSource: 'DialVerb',
      RecordingStartTime: expect.stringMatching(RFC_2822),
      ErrorCode: '0',
    });
    expect(callback!.signed).toBe(true);
  });

  test('recordingStatusCallbackEvent="in-progress completed": the start (no duration yet), then the finished recording', async () => {
    app.routes({
      '/voice/incoming': twiml(
        `<Dial action="/dial-done" record="record-from-answer-dual" recordingStatusCallback="/events/recording" recordingStatusCallbackEvent="in-progress completed">${AGENT}</Dial>`,
      ),
      '/dial-done': twiml('<Say>Dial completed true</Say>'),
      '/events/recording': jsonOk,
      '/events/call-status': jsonOk,
    });
    await bridgedCall();
    const [started, finished] = app.requestsTo('/events/recording');
    expect(started!.params).toMatchObject({ RecordingStatus: 'in-progress', RecordingDuration: '0', RecordingSid: finished!.params.RecordingSid, RecordingStartTime: finished!.params.RecordingStartTime });
    expect(started!.params).not.toHaveProperty('ErrorCode');
    expect(finished!.params).toMatchObject({ RecordingStatus: 'completed', RecordingDuration: '61', ErrorCode: '0' });
  });

  test('a mono recording (record-from-answer) has one channel', async () => {
    app.routes({
      '/voice/incoming': twiml(`<Dial action="/dial-done" record="record-from-answer" recordingStatusCallback="/events/recording">${AGENT}</Dial>`),
      '/dial-done': twiml('<Say>Dial completed true</Say>'),
      '/events/recording': jsonOk,
      '/events/call-status': jsonOk,
    });
    await bridgedCall();
    expect(app.requestsTo('/events/recording')[0]!.params.RecordingChannels).toBe('1');
    expect(twilioEmulator.recordings()[0]!.channels).toBe(1);
  });
});

describe("the number's status callback", () => {
  test('the final one carries CallStatus, CallDuration, Duration, Timestamp, SequenceNumber and CallbackSource, signed', async () => {
    const record = await bridgedCall();
    const [status] = app.requestsTo('/events/call-status');
    expect(status!.params).toMatchObject({
      CallSid: app.requests[0]!.params.CallSid,
      AccountSid: ACCOUNT_SID,
      From: CALLER,
      To: LINE,
      Direction: 'inbound',
      CallStatus: 'completed',
      CallDuration: String(record.duration),
      Duration: String(Math.ceil(record.duration / 60)),
      CallbackSource: 'call-progress-events',
      SequenceNumber: expect.stringMatching(/^\d+$/),
      Timestamp: expect.stringMatching(RFC_2822),
    });
    expect(status!.signed).toBe(true);
    expect(twilioEmulator.calls().find((c) => c.sid === status!.params.CallSid)).toMatchObject({ resource: { status: 'completed' } });
  });

  test('a caller who hangs up while the agent rings: the dial action hears canceled, then the call completes', async () => {
    await call({ ...app, twilio: twilioEmulator }, { to: LINE, from: CALLER, statusCallback: '/events/call-status' })
      .hangupWhileRinging()
      .expectRequest('/dial-done', { DialCallStatus: 'canceled', DialBridged: 'false' })
      .expectRequest('/events/call-status', { CallStatus: 'completed' })
      .expectEnd('party');
    expect(app.requestsTo('/events/recording')).toHaveLength(0);
  });
});

describe('order, duplicates and redelivery', () => {
  test("Twilio's order: dial action, recording, then the final call status", async () => {
    await bridgedCall();
    expect(paths().filter((path) => path.startsWith('/events') || path === '/dial-done')).toEqual(['/dial-done', '/events/recording', '/events/call-status']);
  });

  test('duplicate: each callback of those kinds is delivered twice, identical and signed', async () => {
    const record = await bridgedCall({ callbacks: { duplicate: ['recording', 'call-status'] } });
    const recordings = app.requestsTo('/events/recording');
    const statuses = app.requestsTo('/events/call-status');
    expect(recordings).toHaveLength(2);
    expect(statuses).toHaveLength(2);
    expect(recordings[1]!.params).toEqual(recordings[0]!.params);
    expect(statuses[1]!.params).toEqual(statuses[0]!.params);
    expect([...recordings, ...statuses].every((request) => request.signed)).toBe(true);
    expect(record.events.filter((event) => event.kind === 'note' && /delivered again/.test(event.text))).toHaveLength(2);
  });

  test('defer: the recording callback arrives after the final call status', async () => {
    await bridgedCall({ callbacks: { defer: ['recording'] } });
    expect(paths().filter((path) => path.startsWith('/events'))).toEqual(['/events/call-status', '/events/recording']);
  });

  test('the emulator keeps what the driver sent and sends the last of a kind again, signed with the account token', async () => {
    await bridgedCall();
    const filed = twilioEmulator.callbacks();
    expect(filed.map((c) => [c.kind, c.sentBy, c.status])).toEqual([
      ['recording', 'driver', 200],
      ['call-status', 'driver', 200],
    ]);
    const again = await twilioEmulator.redeliverCallback('recording');
    expect(again).toMatchObject({ kind: 'recording', attempt: 2, status: 200 });
    const recordings = app.requestsTo('/events/recording');
    expect(recordings).toHaveLength(2);
    expect(recordings[1]).toMatchObject({ params: recordings[0]!.params, signed: true });
    // A SID is matched whole: "RE0" is not the recording whose SID starts with RE0 (1 call in 16 did).
    await expect(twilioEmulator.redeliverCallback('recording', 'RE0')).rejects.toThrow(/no recording callback about RE0/);
    await expect(twilioEmulator.redeliverCallback('recording', recordings[0]!.params.RecordingSid)).resolves.toMatchObject({ attempt: 3 });
  });
});

describe('REFER outcomes as Twilio reports them', () => {
  const sipCall = () => call(app, { to: `sip:${LINE}@acme.sip.twilio.com`, from: `sip:${CALLER}@pbx.example.com` });
  beforeEach(() => {
    app.routes({
      '/voice/incoming': twiml('<Refer action="/refer-done"><Sip>sip:+12025550100@pbx.example.com</Sip></Refer>'),
      '/refer-done': (p) => twiml(`<Say>Refer ${p.ReferCallStatus} ${p.ReferSipResponseCode} ${p.NotifySipResponseCode ?? 'no notify'}</Say>`),
    });
  });

  test.each(['405', '603'])('refused with %s: failed, that code, and no NOTIFY code', async (code) => {
    await sipCall().refer({ result: 'rejected', referSipResponseCode: code }).expectSay(`Refer failed ${code} no notify`).expectHangup();
  });

  test('refused without a code is a 603 decline', async () => {
    await sipCall().refer('rejected').expectSay('Refer failed 603 no notify').expectHangup();
  });

  test('the new call fails after the REFER was accepted: 202 and the NOTIFY code', async () => {
    await sipCall().refer('busy').expectSay('Refer busy 202 486').expectHangup();
  });

  test('the caller hangs up before the transfer completes: canceled, and the action TwiML does not run', async () => {
    const record = await sipCall().refer('canceled').expectRequest('/refer-done', { ReferCallStatus: 'canceled', ReferSipResponseCode: '202', NotifySipResponseCode: '180' }).expectEnd('party');
    expect(record.events.some((event) => event.kind === 'say')).toBe(false);
  });
});
