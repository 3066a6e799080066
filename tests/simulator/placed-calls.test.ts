// Calls the application places (callbacks) through the Twilio emulator, answered by the driver.
import type twilio from 'twilio';
import { createTwilioClient } from '../../src/assets/adapters/twilio-client.private';
import { startTwilioEmulator, type TwilioEmulator } from '../../sandbox/emulators/twilio';
import { answer, call } from '../../sandbox/simulator/call-script';
import { watchPlacedCalls, type PlacedCallWatch } from '../../sandbox/simulator/placed-calls';
import { ACCOUNT_SID, AUTH_TOKEN, startFakeVoiceApp, twiml, type FakeVoiceApp } from './fake-voice-app';

const LINE = '+12025550120';
const AGENT = '+12025550100';
const CUSTOMER = '+14155550142';

let app: FakeVoiceApp;
let emulator: TwilioEmulator;
let client: twilio.Twilio;
let watch: PlacedCallWatch;
let target: FakeVoiceApp & { twilio: TwilioEmulator };

beforeAll(async () => {
  [app, emulator] = await Promise.all([startFakeVoiceApp(), startTwilioEmulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN })]);
  client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: emulator.url, timeoutMs: 1500 });
  target = Object.assign(Object.create(app) as FakeVoiceApp, { twilio: emulator });
});

beforeEach(() => {
  emulator.reset();
  watch = watchPlacedCalls(emulator);
});

afterEach(() => watch.stop());

afterAll(async () => {
  await Promise.all([app.close(), emulator.close()]);
});

function placeCallback(overrides: Record<string, unknown> = {}) {
  return client.calls.create({
    to: AGENT,
    from: LINE,
    url: `${app.baseUrl}/callback/agent?callback=rec1`,
    statusCallback: `${app.baseUrl}/events/call-status`,
    statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    ...overrides,
  } as Parameters<typeof client.calls.create>[0]);
}

test('an answered callback runs its TwiML as an outbound-api call, and the emulator sees it through', async () => {
  app.routes({
    '/callback/agent': twiml(`<Gather numDigits="1" action="/callback/accept"><Say>Callback for Dana. Press 1.</Say></Gather><Hangup/>`),
    '/callback/accept': twiml(`<Dial action="/callback/done"><Number>${CUSTOMER}</Number></Dial>`),
    '/callback/done': (params) => twiml(`<Say>Customer ${params.DialCallStatus}</Say>`),
    '/events/call-status': twiml(''),
  });
  const created = await placeCallback();
  const placed = await watch.next();
  expect(placed).toMatchObject({ sid: created.sid, to: AGENT, from: LINE });

  await answer(target, placed)
    .expectSay('Callback for Dana')
    .press('1')
    .dialed({ answer: 'accept', hungUpBy: 'agent' })
    .expectSay('Customer completed')
    .expectHangup();

  const agentRequest = app.requestsTo('/callback/agent')[0]!;
  expect(agentRequest).toMatchObject({ signed: true, params: expect.objectContaining({ CallSid: created.sid, Direction: 'outbound-api', CallStatus: 'in-progress', From: LINE, To: AGENT }) });
  expect(app.requestsTo('/events/call-status').map((request) => request.params.CallStatus)).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
  expect(emulator.calls()[0]!.resource).toMatchObject({ status: 'completed' });
  expect(Number(emulator.calls()[0]!.resource.duration)).toBeGreaterThan(0);
});

test.each(['no-answer', 'busy', 'failed'] as const)('a callback that ends %s runs no TwiML and reports the status', async (how) => {
  app.routes({ '/callback/agent': twiml('<Say>Never heard</Say>'), '/events/call-status': twiml('') });
  await placeCallback({ statusCallbackEvent: undefined });
  await answer(target, await watch.next(), how).expectEnd('party');
  expect(app.requestsTo('/callback/agent')).toHaveLength(0);
  expect(app.requestsTo('/events/call-status').map((request) => request.params.CallStatus)).toEqual([how]);
  expect(emulator.calls()[0]!.resource.status).toBe(how);
});

test('voicemail: machine detection says so, and the machine never presses a key', async () => {
  app.routes({
    '/callback/agent': (params) => twiml(`<Gather numDigits="1" action="/never"><Say>AnsweredBy ${params.AnsweredBy}</Say></Gather><Say>Leaving a message</Say>`),
  });
  await placeCallback({ machineDetection: 'Enable', statusCallback: undefined });
  await answer(target, await watch.next(), 'voicemail').expectSay('AnsweredBy machine_start').expectSay('Leaving a message').expectHangup();
  expect(emulator.calls()[0]!.resource.answered_by).toBe('machine_start');
});

test('a callback with inline TwiML runs it', async () => {
  await placeCallback({ url: undefined, twiml: '<Response><Say>Inline hello</Say></Response>', statusCallback: undefined });
  await answer(target, await watch.next()).expectSay('Inline hello').expectHangup();
});

test('an inbound call is filed in the emulator, and a recorded bridge leaves a recording the application can fetch', async () => {
  app.routes({
    '/voice/incoming': twiml(`<Dial action="/done" record="record-from-answer-dual" recordingStatusCallback="/recording">${AGENT}</Dial>`),
    '/done': twiml('<Hangup/>'),
    '/recording': twiml(''),
  });
  const record = await call(target, { to: LINE, from: CUSTOMER }).agent({ answer: 'accept', talkSeconds: 90 }).expectEnd('party');
  const filed = emulator.calls().find((entry) => entry.sid === record.callSid)!;
  expect(filed.resource).toMatchObject({ direction: 'inbound', status: 'completed', from: CUSTOMER, to: LINE });

  const callback = app.requestsTo('/recording')[0]!.params;
  const fetched = await client.recordings(callback.RecordingSid!).fetch();
  expect(fetched).toMatchObject({ callSid: record.callSid, duration: '90', channels: 2, source: 'DialVerb' });
  expect(callback.RecordingUrl).toBe(emulator.recordingCallbackParams(fetched.sid).RecordingUrl);
});

test('watching times out when the application places no call', async () => {
  await expect(watch.next(50)).rejects.toThrow('the application placed no call within 50 ms');
});
