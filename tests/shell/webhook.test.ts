// The webhook shell on its own: whatever the handler does, the caller gets TwiML in time.
import type { Context } from '@twilio-labs/serverless-runtime-types/types';
import { cleanParams, voiceWebhook, type VoiceHandler } from '../../src/assets/shell/webhook.private';
import { parseTwiml, spoken, verbNames } from '../helpers/twiml';

/** The part of the runtime's global `Twilio.Response` the shell uses (the flow tests run the real one). */
class RuntimeResponse {
  body = '';
  headers: Record<string, string> = {};
  appendHeader(name: string, value: string) {
    this.headers[name] = value;
    return this;
  }
  setBody(body: string) {
    this.body = body;
    return this;
  }
}

beforeAll(() => {
  (globalThis as unknown as { Twilio: unknown }).Twilio = { Response: RuntimeResponse };
});

async function answer(handle: VoiceHandler, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    void voiceWebhook('test', handle)({ ...env } as unknown as Context, { CallSid: 'CA' + '0'.repeat(32) }, (error, response) => {
      if (error) return reject(error);
      resolve(String((response as unknown as { body: string }).body));
    });
  });
}

const neverAnswers: VoiceHandler = () => new Promise(() => undefined);
const throws: VoiceHandler = async () => {
  throw new Error('Airtable said no');
};

test('a handler that never answers is cut off at the budget with a kind goodbye', async () => {
  const started = Date.now();
  const xml = await answer(neverAnswers, { WEBHOOK_BUDGET_SECONDS: '0.2' });
  expect(Date.now() - started).toBeLessThan(1000);
  expect(spoken(xml)[0]).toMatch(/technical trouble/);
  expect(verbNames(xml)).toEqual(['Say', 'Hangup']);
});

test('a handler that throws: the caller is put through to FALLBACK_TRANSFER_NUMBER, and never hears the error', async () => {
  const xml = await answer(throws, { FALLBACK_TRANSFER_NUMBER: '+12025550199' });
  const [say, dial] = parseTwiml(xml);
  expect(say.text).toMatch(/connect you to someone/);
  expect(dial).toMatchObject({ name: 'Dial', attributes: expect.objectContaining({ action: '/voice/dial-ended' }) });
  expect(dial.children[0]).toMatchObject({ name: 'Number', text: '+12025550199' });
  expect(xml).not.toMatch(/Airtable said no/);
});

test('a step the twilio library cannot write (a character XML cannot hold) gives the safe answer, not a crash', async () => {
  const unwritable: VoiceHandler = async () => ({ kind: 'say-and-hangup', say: [{ text: 'The caller is \uFFFF.', language: 'en-US' }] });
  const xml = await answer(unwritable);
  expect(verbNames(xml)).toEqual(['Say', 'Hangup']);
  expect(spoken(xml)[0]).toMatch(/technical trouble/);
});

test.each([
  ['keeps plain strings', { To: '+12025550120' }, { To: '+12025550120' }],
  ['drops the runtime\'s request object and odd names', { request: { headers: {} }, 'bad name': 'x', $where: 'y' }, {}],
  ['takes the first string of a repeated parameter', { Digits: ['1', '2'] }, { Digits: '1' }],
  ['removes control characters and trims', { SpeechResult: ' agent\u0000\u0007 ' }, { SpeechResult: 'agent' }],
  ['cuts very long values', { SpeechResult: 'a'.repeat(10_000) }, { SpeechResult: 'a'.repeat(1000) }],
  ['removes what XML cannot hold (U+FFFE, U+FFFF, lone surrogates), keeps pairs', { caller: 'Dana\uFFFE\uFFFF\uD800 \uDC00x 😀' }, { caller: 'Dana x 😀' }],
  ['removes the half of a pair a cut leaves', { caller: `${'a'.repeat(999)}😀` }, { caller: 'a'.repeat(999) }],
  ['ignores numbers and objects', { Confidence: 0.9, Nested: { a: 1 } }, {}],
])('cleanParams %s', (_name, event, expected) => {
  expect(cleanParams(event as Record<string, unknown>)).toEqual(expected);
});

test('a webhook can name its own safe answer: the callback legs never transfer to the fallback number', async () => {
  const { agentLegTrouble, customerLegTrouble } = await import('../../src/assets/callback/handlers.private');
  const run = (trouble: typeof agentLegTrouble) =>
    new Promise<string>((resolve, reject) => {
      void voiceWebhook('test', throws, trouble)({ FALLBACK_TRANSFER_NUMBER: '+12025550100' } as unknown as Context, { CallSid: 'CA' + '0'.repeat(32) }, (error, response) =>
        error ? reject(error) : resolve(String((response as unknown as { body: string }).body)),
      );
    });
  expect(verbNames(await run(agentLegTrouble))).toEqual(['Say', 'Hangup']);
  expect(verbNames(await run(customerLegTrouble))).toEqual(['Hangup']);
  expect(verbNames(await answer(throws, { FALLBACK_TRANSFER_NUMBER: '+12025550100' }))).toContain('Dial'); // the default
});
