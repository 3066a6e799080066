// The scenario DSL: its failures must say which step failed, why, and show the call.
import { call, ScenarioError } from '../../sandbox/simulator/call-script';
import { startFakeVoiceApp, twiml, type FakeVoiceApp } from './fake-voice-app';

let app: FakeVoiceApp;

beforeAll(async () => {
  app = await startFakeVoiceApp();
});

beforeEach(() => {
  app.routes({
    '/voice/incoming': twiml('<Gather input="speech dtmf" action="/menu"><Say>Welcome to Acme. Say agent.</Say></Gather><Say>Goodbye.</Say>'),
    '/menu': twiml('<Gather numDigits="1" action="/pick"><Say>Press 1 for a callback, 2 for a text.</Say></Gather><Say>Goodbye.</Say><Hangup/>'),
    '/pick': (p) => twiml(`<Say>You picked ${p.Digits}.</Say>`),
  });
});

afterAll(async () => {
  await app.close();
});

const dial = () => call(app, { to: '+12025550120', from: '+14155550142' });

async function failure(script: PromiseLike<unknown>): Promise<ScenarioError> {
  try {
    await script;
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error('the scenario passed');
}

test('expectations match in order, several within one <Say>', async () => {
  await dial().expectSay('Welcome').expectSay(/say agent/i).say('agent').expectSay('Press 1').expectSay('2 for a text').press('2').expectSay('You picked 2.').expectHangup();
});

test('an expectation out of order fails', async () => {
  const error = await failure(dial().expectSay('Say agent').expectSay('Welcome').hangup());
  expect(error.message).toMatch(/^expectSay\("Welcome"\) failed: the caller did not hear "Welcome" after the call started\./);
});

test('a missing prompt names the step, what was heard instead, and prints the transcript', async () => {
  const error = await failure(dial().say('agent').expectSay(/press 3/).press('3'));
  expect(error.message).toContain("expectSay(/press 3/) failed: the caller did not hear /press 3/ after say('agent'). They heard (since the previous match):\n  \"Press 1 for a callback, 2 for a text.\"");
  expect(error.message).toContain('Transcript:\n→ POST /voice/incoming (call start)');
  expect(error.message).toContain('caller says "agent"');
  expect(error.record.events.length).toBeGreaterThan(0);
});

test('a script that runs out while the call waits for input says so', async () => {
  const error = await failure(dial().say('agent'));
  expect(error.message).toMatch(/^The script has no more input, but the call is waiting at a <Gather> after the caller heard:\n {2}"Press 1 for a callback, 2 for a text\."/);
});

test('steps left when the call ends fail the scenario', async () => {
  const error = await failure(dial().say('agent').press('1').press('2'));
  expect(error.message).toMatch(/^The call ended \(completed, by the application\), but the script still has: press\('2'\)/);
});

test('expectHangup while the call goes on fails', async () => {
  const error = await failure(dial().expectHangup().say('agent'));
  expect(error.message).toMatch(/^expectHangup\(\) failed: the call goes on after the call started \(it is waiting at a <Gather>\)/);
});

test('expectNotSay catches what must never be said', async () => {
  const error = await failure(dial().say('agent').expectNotSay(/callback/).hangup());
  expect(error.message).toMatch(/^expectNotSay\(\/callback\/\) failed after say\('agent'\): the caller heard "Press 1 for a callback/);
});

test('expectRequest checks the parameters the application received', async () => {
  await dial().say('agent').press('1').expectRequest('/pick', { Digits: '1', CallStatus: 'in-progress' }).expectHangup();
  const error = await failure(dial().say('agent').press('1').expectRequest('/pick', { Digits: '2' }).expectHangup());
  expect(error.message).toMatch(/^expectRequest\("\/pick", \{"Digits":"2"\}\) failed: no such request after press\('1'\)\. Requests made:\n {2}POST http:\/\/127\.0\.0\.1:\d+\/pick \{"Digits":"1","FinishedOnKey":""\}/);
});

test('a problem Twilio would report fails at the next step, unless allowed', async () => {
  app.routes({ '/voice/incoming': twiml('<Gather input="speech" actionOnEmptyResult="yes" action="/menu"/><Say>Bye</Say>') });
  const error = await failure(dial().silence().expectSay('Bye'));
  expect(error.message).toMatch(/^Twilio would report a problem:\nTwilio error 12200: invalid TwiML from http:\/\/127\.0\.0\.1:\d+\/voice\/incoming:\n {2}line 1: Element 'Gather', attribute 'actionOnEmptyResult': \[facet 'enumeration'\] The value 'yes'/);
  await dial().allowError(/12200/).silence().expectSay('Bye').expectHangup();
});

test('a script step of the wrong kind at a <Dial> is named', async () => {
  app.routes({ '/voice/incoming': twiml('<Dial>+12025550100</Dial>') });
  const error = await failure(dial().press('1'));
  expect(error.message).toMatch(/^The script's next step is press\('1'\), but the call is dialing \+12025550100: add \.agent\(\{ answer: \.\.\. \}\) first\./);
});

test('a script cannot change once it runs', async () => {
  const script = dial().say('agent').press('1');
  const running = script.run();
  expect(() => script.press('2')).toThrow('this call script is already running');
  await running;
});
