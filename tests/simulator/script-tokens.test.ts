import { runInboundCall } from '../../sandbox/simulator/call-driver';
import { parseAgentToken, parseInput, parseReferToken, parseScript, TokenActor } from '../../sandbox/simulator/script-tokens';
import { startFakeVoiceApp, twiml, type FakeVoiceApp } from './fake-voice-app';

let app: FakeVoiceApp;

beforeAll(async () => {
  app = await startFakeVoiceApp();
});

afterAll(async () => {
  await app.close();
});

test.each([
  ['0', { kind: 'digits', digits: '0' }],
  ['12#', { kind: 'digits', digits: '12#' }],
  ['~', { kind: 'silence' }],
  ['', { kind: 'silence' }],
  ['hangup', { kind: 'hangup' }],
  ['talk to an agent', { kind: 'speech', text: 'talk to an agent' }],
])('"%s" is what the caller does', (token, input) => {
  expect(parseInput(token)).toEqual(input);
});

test.each([
  ['@silent', { answer: { result: 'answered' }, whisper: [] }],
  ['@ignore', { answer: { result: 'answered' }, whisper: [] }],
  ['@voicemail', { answer: { result: 'answered', machine: true }, whisper: [] }],
  ['@caller-hangup', { answer: { result: 'canceled' }, whisper: [] }],
  ['@canceled', { answer: { result: 'canceled' }, whisper: [] }],
  ['@decline', { answer: { result: 'answered' }, whisper: [{ kind: 'hangup' }] }],
])('%s is how the agent answers a <Dial>', (token, choice) => {
  expect(parseAgentToken(token)).toEqual(choice);
});

test.each([
  ['@accepted', { result: 'accepted' }],
  ['@rejected', { result: 'rejected' }],
  ['@rejected:405', { result: 'rejected', referSipResponseCode: '405' }],
  ['@rejected:603', { result: 'rejected', referSipResponseCode: '603' }],
  ['@busy', { result: 'busy' }],
  ['@canceled', { result: 'canceled' }],
  ['@rejected:abc', undefined],
  ['@rejected:200', undefined],
  ['@busy:486', undefined],
])('%s is how the SIP side answers a <Refer>', (token, answer) => {
  expect(parseReferToken(token)).toEqual(answer);
});

test('a script splits on commas and new lines', () => {
  expect(parseScript('0, agent\n@accept:2,,  1 ')).toEqual(['0', 'agent', '@accept:2', '1']);
});

async function play(tokens: string, notes: string[] = []) {
  return runInboundCall(
    { authToken: app.authToken, accountSid: app.accountSid },
    { url: `${app.baseUrl}/voice/incoming`, from: '+14155550142', to: '+12025550120' },
    new TokenActor(parseScript(tokens), (note) => notes.push(note)),
  );
}

describe('a token script against a call', () => {
  beforeEach(() => {
    app.routes({
      '/voice/incoming': twiml('<Gather input="speech dtmf" action="/menu"/><Say>Bye</Say>'),
      '/menu': twiml('<Dial action="/done"><Number url="/whisper">+12025550100</Number></Dial>'),
      '/whisper': twiml('<Gather numDigits="1" action="/accept"><Say>Press 1</Say></Gather><Hangup/>'),
      '/accept': (p) => (p.Digits === '2' ? twiml('') : twiml('<Hangup/>')),
      '/done': (p) => twiml(`<Say>${p.DialCallStatus} ${p.DialBridged}</Say>`),
    });
  });

  test('words, then the agent pressing the key after the colon', async () => {
    const result = await play('agent,@accept:2');
    expect(app.requestsTo('/menu')[0]!.params.SpeechResult).toBe('agent');
    expect(app.requestsTo('/done')[0]!.params).toMatchObject({ DialBridged: 'true' });
    expect(result.endedBy).toBe('party');
  });

  test('a dial the script says nothing about is accepted with 1, and said so', async () => {
    const notes: string[] = [];
    await play('0', notes);
    expect(app.requestsTo('/accept')[0]!.params.Digits).toBe('1');
    expect(notes).toEqual(['the script does not say how +12025550100 answers: @accept']);
  });

  test('when the script runs out the caller hangs up', async () => {
    const notes: string[] = [];
    const result = await play('', notes);
    expect(result.endedBy).toBe('party');
    expect(notes).toEqual(['the script has ended: hanging up']);
  });

  test('@caller-hangup: the caller hangs up while the agent rings; the action hears canceled', async () => {
    const result = await play('agent,@caller-hangup');
    expect(app.requestsTo('/done')[0]!.params).toMatchObject({ DialCallStatus: 'canceled', DialBridged: 'false' });
    expect(app.requestsTo('/whisper')).toHaveLength(0);
    expect(result.endedBy).toBe('party');
  });

  test('@silent and @voicemail answer, hear the whisper and are never bridged', async () => {
    for (const token of ['@silent', '@voicemail']) {
      await play(`agent,${token}`);
      expect(app.requestsTo('/done').at(-1)!.params).toMatchObject({ DialCallStatus: 'completed', DialBridged: 'false' });
    }
  });

  test('a dial answer where the call waits for input is an error in the script', async () => {
    await expect(play('@busy')).rejects.toThrow('the script says @busy, but the call is waiting for input at a <Gather>');
  });
});
