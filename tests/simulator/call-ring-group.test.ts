// Ring groups as Twilio runs them. A <Dial> of several <Number>s rings them all and connects the FIRST
// that picks up, cancelling the rest — so a voicemail that answers first ends the ring for everyone
// (Twilio's <Number> reference). Each leg is scripted in order: .agent(a, b, c) or "@busy,@voicemail,@accept".
import { call } from '../../sandbox/simulator/call-script';
import { TokenActor } from '../../sandbox/simulator/script-tokens';
import { runInboundCall } from '../../sandbox/simulator/call-driver';
import { startFakeVoiceApp, twiml, type FakeVoiceApp } from './fake-voice-app';

const LINE = '+12025550140';
const CALLER = '+14155550142';
const AGENTS = ['+12025550100', '+12025550105', '+12025550106'];

let app: FakeVoiceApp;

beforeAll(async () => {
  app = await startFakeVoiceApp();
});
afterAll(async () => {
  await app.close();
});

const number = (to: string) => `<Number url="/whisper" statusCallback="/events/leg" statusCallbackEvent="initiated ringing answered completed">${to}</Number>`;

beforeEach(() => {
  app.routes({
    '/voice/incoming': twiml(`<Dial action="/dial-done" timeout="20">${AGENTS.map(number).join('')}</Dial>`),
    '/whisper': twiml('<Gather numDigits="1" action="/whisper-accept" timeout="3"><Say>Press 1 to take this call.</Say></Gather><Hangup/>'),
    '/whisper-accept': (params) => twiml(params.Digits === '1' ? '' : '<Hangup/>'),
    '/dial-done': (params) => twiml(`<Say>Dial ${params.DialCallStatus}, bridged ${params.DialBridged}.</Say>`),
    '/events/leg': '',
  });
});

/** Each leg's status callbacks, by number: the statuses in order. */
function legStatuses(): Record<string, string[]> {
  const byNumber: Record<string, string[]> = {};
  for (const request of app.requestsTo('/events/leg')) (byNumber[request.params.To!] ??= []).push(request.params.CallStatus!);
  return byNumber;
}

test('a voicemail that picks up first takes the ring: the agent who would accept is cancelled, and nobody is bridged', async () => {
  await call(app, { to: LINE, from: CALLER })
    .agent({ answer: 'busy' }, { answer: 'voicemail' }, { answer: 'accept' })
    .expectWhisper('Press 1 to take this call.')
    .expectSay('Dial completed, bridged false.')
    .expectHangup();
  expect(legStatuses()).toEqual({
    [AGENTS[0]!]: ['initiated', 'ringing', 'busy'],
    [AGENTS[1]!]: ['initiated', 'ringing', 'in-progress', 'completed'],
    [AGENTS[2]!]: ['initiated', 'ringing', 'canceled'],
  });
  // The whisper ran on the voicemail's leg only.
  expect(new Set(app.requestsTo('/whisper').map((r) => r.params.To))).toEqual(new Set([AGENTS[1]]));
});

test('the first agent to pick up is connected; the dial action names that leg', async () => {
  await call(app, { to: LINE, from: CALLER })
    .agent({ answer: 'no-answer' }, { answer: 'accept', hungUpBy: 'agent' }, { answer: 'accept' })
    .expectSay('Dial completed, bridged true.')
    .expectHangup();
  const [action] = app.requestsTo('/dial-done');
  const [whisper] = app.requestsTo('/whisper');
  expect(whisper!.params.To).toBe(AGENTS[1]);
  expect(action!.params.DialCallSid).toBe(whisper!.params.CallSid);
  expect(legStatuses()[AGENTS[2]!]).toEqual(['initiated', 'ringing', 'canceled']);
});

test('nobody picks up: no-answer when a phone rang out, busy when all were busy', async () => {
  await call(app, { to: LINE, from: CALLER }).agent({ answer: 'busy' }, { answer: 'no-answer' }, { answer: 'busy' }).expectSay('Dial no-answer, bridged false.').expectHangup();
  await call(app, { to: LINE, from: CALLER }).agent({ answer: 'busy' }, { answer: 'busy' }, { answer: 'busy' }).expectSay('Dial busy, bridged false.').expectHangup();
});

test('`npm run call` scripts each number of the <Dial> in order: "@decline,@accept,@accept" connects nobody (the decline picked up first)', async () => {
  const record = await runInboundCall(
    { authToken: app.authToken, accountSid: app.accountSid },
    { url: `${app.baseUrl}/voice/incoming`, from: CALLER, to: LINE },
    new TokenActor(['@decline', '@accept', '@accept']),
  );
  expect(record.errors).toEqual([]);
  expect(record.events.filter((event) => event.kind === 'say' && event.leg === 'call').map((event) => event.kind === 'say' && event.text)).toEqual(['Dial completed, bridged false.']);
  expect(legStatuses()[AGENTS[0]!]).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
});
