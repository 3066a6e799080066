import { runInboundCall } from '../../sandbox/simulator/call-driver';
import { parseInput, parseScript, TokenActor } from '../../sandbox/simulator/script-tokens';
import { closeTwimlValidator } from '../../sandbox/simulator/twiml-validator';
import { startFakeVoiceApp, twiml, type FakeVoiceApp } from './fake-voice-app';

let app: FakeVoiceApp;

beforeAll(async () => {
  app = await startFakeVoiceApp();
});

afterAll(async () => {
  await app.close();
  await closeTwimlValidator();
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

  test('a dial answer where the call waits for input is an error in the script', async () => {
    await expect(play('@busy')).rejects.toThrow('the script says @busy, but the call is waiting for input at a <Gather>');
  });
});
