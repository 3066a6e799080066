// <Record> as Twilio runs it: the beep, the message until # (or the silence timeout, maxLength or a
// hang-up), the action with RecordingUrl, RecordingDuration and Digits, the recording filed with the
// Twilio emulator and its status callback; an empty recording requests no action and the next verb runs.
import { startTwilioEmulator, type TwilioEmulator } from '../../sandbox/emulators/twilio';
import { call } from '../../sandbox/simulator/call-script';
import { parseInput } from '../../sandbox/simulator/script-tokens';
import { ACCOUNT_SID, AUTH_TOKEN, startFakeVoiceApp, twiml, type FakeVoiceApp } from './fake-voice-app';

const LINE = '+12025550140';
const CALLER = '+14155550142';

let app: FakeVoiceApp;
let twilioEmulator: TwilioEmulator;

beforeAll(async () => {
  app = await startFakeVoiceApp();
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
      '<Say>Leave a message after the beep.</Say>' +
        '<Record maxLength="30" finishOnKey="#" timeout="4" playBeep="true" action="/voicemail/recorded" recordingStatusCallback="/events/voicemail" recordingStatusCallbackEvent="completed absent"/>' +
        '<Say>I did not hear a message.</Say>',
    ),
    '/voicemail/recorded': (params) => twiml(`<Say>Got ${params.RecordingDuration} seconds, ended by ${params.Digits ?? 'nothing'}.</Say>`),
    '/events/voicemail': '',
  });
});

const target = () => ({ ...app, twilio: twilioEmulator });

test('a message ended with #: the action hears RecordingUrl, RecordingDuration and Digits; the recording is filed and reported', async () => {
  const record = await call(target(), { to: LINE, from: CALLER })
    .expectSay('Leave a message')
    .leaveMessage('Hi, my order never arrived, please call me back', { seconds: 6 })
    .expectSay('Got 6 seconds, ended by #.')
    .expectHangup();
  const [action] = app.requestsTo('/voicemail/recorded');
  expect(action!.signed).toBe(true);
  expect(action!.params).toMatchObject({ RecordingDuration: '6', Digits: '#', CallStatus: 'in-progress' });
  const [recording] = twilioEmulator.recordings();
  expect(action!.params.RecordingUrl).toBe(recording!.media_url);
  expect(recording).toMatchObject({ source: 'RecordVerb', channels: 1, duration: '6', call_sid: action!.params.CallSid });
  const [status] = app.requestsTo('/events/voicemail');
  expect(status!.params).toMatchObject({ RecordingStatus: 'completed', RecordingSid: recording!.sid, RecordingSource: 'RecordVerb', RecordingDuration: '6', RecordingChannels: '1' });
  // The recording callback comes after the action, as Twilio posts it once the file is ready.
  expect(app.requests.findIndex((r) => r.path === '/events/voicemail')).toBeGreaterThan(app.requests.findIndex((r) => r.path === '/voicemail/recorded'));
  expect(record.events.some((event) => event.kind === 'record' && event.playBeep && event.maxLength === 30)).toBe(true);
});

test('silence is an empty recording: no action, no recording, the next verb runs; only `absent` is reported', async () => {
  await call(target(), { to: LINE, from: CALLER }).expectSay('Leave a message').silence().expectSay('I did not hear a message.').expectHangup();
  expect(app.requestsTo('/voicemail/recorded')).toHaveLength(0);
  expect(twilioEmulator.recordings()).toHaveLength(0);
  expect(app.requestsTo('/events/voicemail').map((r) => r.params.RecordingStatus)).toEqual(['absent']);
});

test('a message longer than maxLength is cut there and ends without a key', async () => {
  await call(target(), { to: LINE, from: CALLER }).leaveMessage('a very long story', { seconds: 95 }).expectSay('Got 30 seconds, ended by nothing.').expectHangup();
});

test('a message that ends in silence is kept: the timeout ends it, with no Digits', async () => {
  await call(target(), { to: LINE, from: CALLER }).leaveMessage('please call me', { end: 'silence', seconds: 3 }).expectSay('Got 3 seconds, ended by nothing.').expectHangup();
});

test('the caller hangs up after speaking: the action still gets the recording (Digits=hangup), and the call ends', async () => {
  await call(target(), { to: LINE, from: CALLER }).leaveMessage('call me back', { end: 'hangup', seconds: 2 }).expectEnd('party');
  const [action] = app.requestsTo('/voicemail/recorded');
  expect(action!.params).toMatchObject({ Digits: 'hangup', RecordingDuration: '2', CallStatus: 'completed' });
  expect(twilioEmulator.recordings()).toHaveLength(1);
});

test('`npm run call` tokens: message:<words>, with :hangup or :silence', () => {
  expect(parseInput('message:my order is late')).toEqual({ kind: 'message', text: 'my order is late', end: 'key' });
  expect(parseInput('message:call me:hangup')).toEqual({ kind: 'message', text: 'call me', end: 'hangup' });
  expect(parseInput('message:call me:silence')).toEqual({ kind: 'message', text: 'call me', end: 'silence' });
});
