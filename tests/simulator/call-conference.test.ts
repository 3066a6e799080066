// A Simultaneous ring group the way issue 16 suggests building it, played by a small fake application
// against the simulator and the Twilio emulator: the caller waits in a <Conference> with hold audio while
// REST calls ring the agents with a whisper; the first to press 1 joins the room, the others are
// cancelled. A voicemail that picks up first cannot take the caller. When nobody accepts, the application
// redirects the caller out of the room to leave a message.
import twilio from 'twilio';
import { createTwilioClient } from '../../src/assets/adapters/twilio-client.private';
import { startTwilioEmulator, type TwilioEmulator } from '../../sandbox/emulators/twilio';
import { call } from '../../sandbox/simulator/call-script';
import { ACCOUNT_SID, AUTH_TOKEN, startFakeVoiceApp, twiml, type FakeVoiceApp } from './fake-voice-app';

const LINE = '+12025550140';
const CALLER = '+14155550142';
const AGENTS = ['+12025550100', '+12025550105', '+12025550106'];

let app: FakeVoiceApp;
let emulator: TwilioEmulator;
let client: twilio.Twilio;
/** The agent legs the fake application placed for the current call, and whether one accepted. */
let legs: string[] = [];
let accepted = false;
/** How long the caller's webhook takes to answer once it has placed the agents' calls. */
let answerDelayMs = 0;

beforeAll(async () => {
  app = await startFakeVoiceApp();
  emulator = await startTwilioEmulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, numbers: [LINE] });
  // A fake app, not the product: no deadline of its own to test, so a loaded machine must not fail it.
  client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: emulator.url, timeoutMs: 10_000 });
});
afterAll(async () => {
  await emulator.callbacksSettled();
  await app.close();
  await emulator.close();
});

beforeEach(async () => {
  await emulator.callbacksSettled();
  emulator.reset();
  legs = [];
  accepted = false;
  answerDelayMs = 0;
  app.routes({
    '/voice/incoming': async (params) => {
      const room = `ring-${params.CallSid}`;
      for (const to of AGENTS) {
        const placed = await client.calls.create({ to, from: LINE, url: `${app.baseUrl}/agent/whisper?room=${room}&caller=${params.CallSid}`, timeout: 20, statusCallback: `${app.baseUrl}/events/agent`, statusCallbackEvent: ['completed'] });
        legs.push(placed.sid);
      }
      await new Promise((resolve) => setTimeout(resolve, answerDelayMs));
      return twiml(
        `<Dial action="/after-room"><Conference waitUrl="/hold" startConferenceOnEnter="false" endConferenceOnExit="true" beep="false" participantLabel="caller" statusCallback="/events/conference" statusCallbackEvent="join leave end">${room}</Conference></Dial>`,
      );
    },
    '/hold': twiml('<Say>Please hold while we find someone.</Say><Play>https://example.com/hold-music.mp3</Play><Redirect/>'),
    '/agent/whisper': (_params, request) =>
      twiml(`<Gather numDigits="1" timeout="5" action="/agent/answer?room=${new URL(request.url).searchParams.get('room')}"><Say>A caller is waiting. Press 1 to take the call.</Say></Gather><Hangup/>`),
    '/agent/answer': async (params, request) => {
      const room = new URL(request.url).searchParams.get('room');
      if (params.Digits !== '1' || accepted) return twiml('<Say>Someone else took this call.</Say><Hangup/>');
      accepted = true;
      // First to accept: the others stop ringing.
      for (const sid of legs.filter((sid) => sid !== params.CallSid)) await client.calls(sid).update({ status: 'canceled' });
      return twiml(`<Dial><Conference startConferenceOnEnter="true" endConferenceOnExit="true" beep="false" participantLabel="agent">${room}</Conference></Dial>`);
    },
    '/events/agent': async () => {
      const all = await Promise.all(legs.map((sid) => client.calls(sid).fetch()));
      const caller = (await client.calls.list({ to: LINE, limit: 1 }))[0];
      // Every leg over and nobody took the call: the caller leaves the room to leave a message.
      if (!accepted && caller?.status === 'in-progress' && all.every((leg) => ['completed', 'busy', 'no-answer', 'failed', 'canceled'].includes(leg.status))) {
        await client.calls(caller.sid).update({ url: `${app.baseUrl}/voicemail` });
      }
      return '';
    },
    '/voicemail': twiml('<Say>Nobody could take your call. Leave a message after the beep.</Say><Record maxLength="60" finishOnKey="#" action="/voicemail/recorded"/>'),
    '/voicemail/recorded': twiml('<Say>Thank you, goodbye.</Say><Hangup/>'),
    '/after-room': twiml('<Say>Thanks for calling.</Say>'),
    '/events/conference': '',
  });
});

const target = () => ({ ...app, twilio: emulator });
const conferenceEvents = () => app.requestsTo('/events/conference').map((r) => `${r.params.StatusCallbackEvent}${r.params.ParticipantLabel ? `:${r.params.ParticipantLabel}` : ''}`);

test('the first phone to pick up is a voicemail; the second agent accepts and gets the caller, the third is cancelled', async () => {
  const script = call(target(), { to: LINE, from: CALLER })
    .agentCalls({ answer: 'voicemail' }, { answer: 'accept', hungUpBy: 'agent', talkSeconds: 30 }, { answer: 'accept' })
    .expectSay('Please hold while we find someone.')
    .expectHoldAudio()
    .expectSay('Thanks for calling.')
    .expectHangup();
  const record = await script;
  const [voicemail, agent, third] = script.agentCallRecords();
  expect(voicemail!.events.some((event) => event.kind === 'conference')).toBe(false);
  expect(agent!.events).toContainEqual(expect.objectContaining({ kind: 'conference', action: 'join' }));
  expect(third!.status).toBe('canceled');
  expect(record.events).toContainEqual(expect.objectContaining({ kind: 'conference', action: 'leave', reason: 'conference-ended' }));
  await emulator.callbacksSettled();
  expect(conferenceEvents()).toEqual(['participant-join:caller', 'participant-join:agent', 'participant-leave:agent', 'participant-leave:caller', 'conference-end']);
  expect(app.requestsTo('/events/conference').every((r) => r.signed)).toBe(true);
  const [room] = emulator.conferences();
  expect(room!.resource).toMatchObject({ status: 'completed', reason_conference_ended: 'participant-with-end-conference-on-exit-left' });
});

test('nobody accepts: the application redirects the caller out of the room, and the caller leaves a message', async () => {
  await call(target(), { to: LINE, from: CALLER })
    .agentCalls({ answer: 'decline' }, { answer: 'voicemail' }, { answer: 'busy' })
    .expectSay('Please hold')
    .expectSay('Leave a message after the beep.')
    .leaveMessage('Please call me back about my order', { seconds: 5 })
    .expectSay('Thank you, goodbye.')
    .expectHangup();
  expect(app.requestsTo('/voicemail/recorded')[0]!.params).toMatchObject({ RecordingDuration: '5', Digits: '#' });
  await emulator.callbacksSettled();
  expect(conferenceEvents()).toEqual(['participant-join:caller', 'participant-leave:caller', 'conference-end']);
});

test('an agent\'s phone is answered only once the call that placed it waits: a webhook slow to answer after placing the calls still finds the caller in the room first', async () => {
  answerDelayMs = 300;
  const script = call(target(), { to: LINE, from: CALLER })
    .agentCalls({ answer: 'accept', hungUpBy: 'agent', talkSeconds: 20 }, { answer: 'busy' }, { answer: 'busy' })
    .expectHoldAudio()
    .expectSay('Thanks for calling.')
    .expectHangup();
  await script;
  const [agent] = script.agentCallRecords();
  expect(agent!.events).toContainEqual(expect.objectContaining({ kind: 'conference', action: 'join' }));
  await emulator.callbacksSettled();
  expect(conferenceEvents().slice(0, 2)).toEqual(['participant-join:caller', 'participant-join:agent']);
});

test('hangupOnHold(): the caller hangs up while holding in the room; the room ends and the call ends by the caller', async () => {
  const record = await call(target(), { to: LINE, from: CALLER })
    .agentCalls({ answer: 'no-answer' }, { answer: 'no-answer' }, { answer: 'no-answer' })
    .expectSay('Please hold while we find someone.')
    .hangupOnHold()
    .expectEnd('party');
  expect(record.events).toContainEqual(expect.objectContaining({ kind: 'conference', action: 'leave', reason: 'hung-up' }));
  await emulator.callbacksSettled();
  expect(conferenceEvents()).toEqual(['participant-join:caller', 'participant-leave:caller', 'conference-end']);
});
