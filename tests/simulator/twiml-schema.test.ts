import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import twilio from 'twilio';
import { closeTwimlValidator, TWIML_VALIDATOR_URL_ENV, twimlWorkerStarts, validateTwiml } from '../../sandbox/simulator/twiml-validator';
import { startTwimlValidatorService, type TwimlValidatorService } from '../../sandbox/simulator/twiml-validator-service';
import { installedTwilioVersion, loadTwimlXsd, twimlXsdCacheDir } from '../../sandbox/simulator/twiml-xsd-cache';
import { readTwimlModel } from '../../sandbox/simulator/twiml-xsd';

afterAll(() => closeTwimlValidator());

const doc = (verbs: string): string => `<?xml version="1.0" encoding="UTF-8"?><Response>${verbs}</Response>`;

describe('the schema generated from the installed twilio builders', () => {
  const model = readTwimlModel();

  test('knows the tags the builders emit, not the method names', () => {
    const say = model.elements.get('Say')!;
    expect(say.children.map((child) => child.tag)).toContain('say-as');
    const refer = model.elements.get('Refer')!;
    // refer().sip() builds class ReferSip, whose tag is <Sip>, unlike <Dial><Sip>.
    expect(refer.children).toEqual([{ tag: 'Sip', className: 'ReferSip' }]);
    expect(model.elements.get('ReferSip')!.attributes).toEqual([]);
    expect(model.elements.get('Sip')!.attributes.map((a) => a.name)).toContain('url');
  });

  test('types attributes from the declarations: integers, booleans, enum unions and lists of them', () => {
    const gather = new Map(model.elements.get('Gather')!.attributes.map((a) => [a.name, a.type]));
    expect(gather.get('numDigits')).toEqual({ kind: 'integer' });
    expect(gather.get('actionOnEmptyResult')).toEqual({ kind: 'boolean' });
    expect(gather.get('input')).toEqual({ kind: 'enum-list', name: 'GatherInput', values: ['dtmf', 'speech'] });
    expect(gather.get('language')).toMatchObject({ kind: 'enum', name: 'GatherLanguage' });
    expect(gather.get('action')).toEqual({ kind: 'string' });
  });

  test('is cached under .sandbox/ keyed by the twilio version', async () => {
    const xsd = await loadTwimlXsd();
    const cached = fs.readdirSync(twimlXsdCacheDir()).filter((name) => name.startsWith(`voice-twilio-${installedTwilioVersion()}-`));
    expect(cached.length).toBeGreaterThan(0);
    expect(cached.map((name) => fs.readFileSync(path.join(twimlXsdCacheDir(), name), 'utf8'))).toContain(xsd);
  });
});

/** Runs the describe's tests with TWIML_VALIDATOR_URL pointing at `url()` (undefined: unset), as `npm test` sets it. */
function withValidatorUrl(url: () => string | undefined): void {
  const before = process.env[TWIML_VALIDATOR_URL_ENV];
  beforeAll(() => {
    const value = url();
    if (value === undefined) delete process.env[TWIML_VALIDATOR_URL_ENV];
    else process.env[TWIML_VALIDATOR_URL_ENV] = value;
  });
  afterAll(() => {
    if (before === undefined) delete process.env[TWIML_VALIDATOR_URL_ENV];
    else process.env[TWIML_VALIDATOR_URL_ENV] = before;
  });
}

let service: TwimlValidatorService;
beforeAll(async () => {
  service = await startTwimlValidatorService();
});
afterAll(() => service.close());

describe.each([
  ['in this process', () => undefined],
  ['by the shared validator (TWIML_VALIDATOR_URL)', () => service.url],
])('validating TwiML %s', (_where, url) => {
  withValidatorUrl(url);

  test('accepts what the twilio builders produce for the verbs this project uses', async () => {
    const response = new twilio.twiml.VoiceResponse();
    const gather = response.gather({ input: ['speech', 'dtmf'], numDigits: 1, timeout: 5, action: '/escalate/choice?x=1&y=2', language: 'es-US', actionOnEmptyResult: false, hints: 'agente, persona' });
    gather.say({ voice: 'Polly.Lupe', language: 'es-US' }, 'Marque 1').sayAs({ 'interpret-as': 'telephone' }, '4567');
    gather.pause({ length: 1 });
    response.redirect({ method: 'POST' }, '/voice/incoming?turn=2');
    const dial = response.dial({
      action: '/voice/dial-ended',
      timeout: 20,
      callerId: '+12025550110',
      record: 'record-from-answer-dual',
      recordingStatusCallback: '/events/recording',
      recordingStatusCallbackEvent: ['completed'],
    });
    dial.number({ url: '/whisper?x=1', method: 'POST', statusCallbackEvent: ['answered', 'completed'] }, '+12025550100');
    response.refer({ action: '/refer-done' }).sip('sip:+12025550100@pbx.example.com');
    response.say({ voice: 'Polly.Joanna' }, '').lang({ 'xml:lang': 'fr-FR' }, 'Bonjour');
    response.reject({ reason: 'busy' });
    response.hangup();
    expect(await validateTwiml(response.toString())).toEqual({ valid: true, errors: [] });
  });

  test.each([
    ['an attribute in lower case', '<Gather numdigits="1"/>', "line 1: Element 'Gather', attribute 'numdigits': The attribute 'numdigits' is not allowed."],
    ['an attribute with a capital', '<Gather Timeout="5"/>', "line 1: Element 'Gather', attribute 'Timeout': The attribute 'Timeout' is not allowed."],
    ['<Dial> inside <Gather>', '<Gather><Dial>+12025550100</Dial></Gather>', "line 1: Element 'Dial': This element is not expected. Expected is one of ( Pause, Play, Say )."],
    [
      'an enum typo',
      '<Dial record="record-from-answer-duel">+12025550100</Dial>',
      "line 1: Element 'Dial', attribute 'record': [facet 'enumeration'] The value 'record-from-answer-duel' is not an element of the set {'do-not-record', 'record-from-answer', 'record-from-ringing', 'record-from-answer-dual', 'record-from-ringing-dual'}.",
    ],
    ['a typo inside a list attribute', '<Gather input="dtmf speach"/>', "The value 'speach' is not an element of the set {'dtmf', 'speech'}"],
    ['a boolean that is not true/false', '<Gather actionOnEmptyResult="yes"/>', "attribute 'actionOnEmptyResult': [facet 'enumeration'] The value 'yes'"],
    ['a number that is not one', '<Pause length="two"/>', "attribute 'length': 'two' is not a valid value of the atomic type 'xs:integer'."],
    ['text where the builder takes none', '<Gather>Press 1</Gather>', "Element 'Gather': Character content other than whitespace is not allowed"],
    ['a verb that does not exist', '<Speak>Hi</Speak>', "Element 'Speak': This element is not expected."],
    ['an unknown voice', '<Say voice="Polly.Joana">Hi</Say>', "The value 'Polly.Joana' is not an element of the set"],
  ])('rejects %s, with the reason', async (_case, verbs, reason) => {
    const result = await validateTwiml(doc(verbs));
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toContain(reason);
  });

  test('rejects a document that is not well-formed', async () => {
    const result = await validateTwiml('<Response><Say>Hi</Response>');
    expect(result.valid).toBe(false);
    expect(result.errors[0]).toMatch(/Opening and ending tag mismatch/);
  });

});

describe('the validator in this process', () => {
  withValidatorUrl(() => undefined);

  test('is one worker: twenty documents in a row start no new one', async () => {
    await validateTwiml(doc('<Say>warm</Say>'));
    const starts = twimlWorkerStarts();
    for (let i = 0; i < 20; i++) await validateTwiml(doc(`<Say>${i}</Say><Hangup/>`));
    expect(twimlWorkerStarts()).toBe(starts);
  });
});

describe('the shared validator', () => {
  test('answers only POSTed documents', async () => {
    const answer = await fetch(service.url);
    expect(answer.status).toBe(405);
  });

  describe('when what answers at TWIML_VALIDATOR_URL is not the validator', () => {
    let other: http.Server;
    let url: string;
    beforeAll(async () => {
      other = http.createServer((_request, response) => void response.writeHead(503).end('busy'));
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
    });
    afterAll(() => new Promise<void>((resolve) => other.close(() => resolve())));
    withValidatorUrl(() => url);

    test('a validation fails with its answer: no verdict is made up', async () => {
      await expect(validateTwiml(doc('<Say>someone else</Say>'))).rejects.toThrow(/answered 503: busy/);
    });
  });

  describe('when TWIML_VALIDATOR_URL names nothing that answers', () => {
    let closed: TwimlValidatorService;
    beforeAll(async () => {
      closed = await startTwimlValidatorService();
      await closed.close();
    });
    withValidatorUrl(() => closed.url);

    test('a validation fails, naming the variable', async () => {
      await expect(validateTwiml(doc('<Say>nobody listens</Say>'))).rejects.toThrow(/TWIML_VALIDATOR_URL\) did not answer/);
    });
  });
});
