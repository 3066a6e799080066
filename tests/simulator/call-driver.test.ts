import { call, heardBy, ScenarioError } from '../../sandbox/simulator/call-script';
import { ANONYMOUS_CALLER_IDS } from '../../sandbox/simulator/call-params';
import { startFakeVoiceApp, twiml, type FakeVoiceApp } from './fake-voice-app';

const LINE = '+12025550120';
const CALLER = '+14155550142';
const AGENT = '+12025550100';

let app: FakeVoiceApp;

beforeAll(async () => {
  app = await startFakeVoiceApp();
});

afterAll(async () => {
  await app.close();
});

function inbound(path = '/voice/incoming') {
  return call(app, { to: LINE, from: CALLER, path });
}

describe('starting a call the way Twilio does', () => {
  test('posts signed, realistic parameters to the voice URL, ringing first and in progress after', async () => {
    app.routes({
      '/voice/incoming': twiml('<Redirect>/voice/next</Redirect>'),
      '/voice/next': twiml('<Say>Hello</Say><Redirect>/voice/last</Redirect>'),
      '/voice/last': twiml('<Hangup/>'),
    });
    await inbound().expectSay('Hello').expectHangup();

    const [first, second, third] = app.requests;
    expect(app.requests.every((request) => request.method === 'POST' && request.signed)).toBe(true);
    expect(first!.params).toMatchObject({
      AccountSid: app.accountSid,
      ApiVersion: '2010-04-01',
      CallStatus: 'ringing',
      Direction: 'inbound',
      From: CALLER,
      To: LINE,
      Caller: CALLER,
      Called: LINE,
      FromCountry: 'US',
      ToCountry: 'US',
    });
    expect(first!.params.CallSid).toMatch(/^CA[0-9a-f]{32}$/);
    // A <Redirect> before anything is said keeps the call ringing, as at Twilio.
    expect(second!.params.CallStatus).toBe('ringing');
    expect(third!.params.CallStatus).toBe('in-progress');
    expect(new Set(app.requests.map((request) => request.params.CallSid)).size).toBe(1);
  });

  test('a SIP call carries sip: addresses, the SIP call id and domain, and no country', async () => {
    app.routes({ '/voice/incoming': twiml('<Hangup/>') });
    await call(app, { to: `sip:${LINE}@acme.sip.twilio.com`, from: `sip:${CALLER}@pbx.example.com`, sipHeaders: { 'X-Case': '42' } }).expectHangup();
    const params = app.requests[0]!.params;
    expect(params).toMatchObject({ To: `sip:${LINE}@acme.sip.twilio.com`, From: `sip:${CALLER}@pbx.example.com`, SipDomain: 'acme.sip.twilio.com', 'SipHeader_X-Case': '42' });
    expect(params.SipCallId).toMatch(/@/);
    expect(params.FromCountry).toBeUndefined();
  });

  test('an anonymous caller arrives with the masked number Twilio uses and no country', async () => {
    app.routes({ '/voice/incoming': twiml('<Hangup/>') });
    await call(app, { to: LINE, from: ANONYMOUS_CALLER_IDS.anonymous }).expectHangup();
    expect(app.requests[0]!.params).toMatchObject({ From: '+266696687', FromCountry: '' });
  });

  test('a status callback hears the final status and duration', async () => {
    app.routes({ '/voice/incoming': twiml('<Say>Hi there, goodbye.</Say>'), '/events/call-status': twiml('') });
    await call(app, { to: LINE, from: CALLER, statusCallback: '/events/call-status' }).expectSay('goodbye').expectHangup();
    const [status] = app.requestsTo('/events/call-status');
    expect(status!.params).toMatchObject({ CallStatus: 'completed', CallbackSource: 'call-progress-events' });
    expect(Number(status!.params.CallDuration)).toBeGreaterThan(0);
  });
});

describe('what the caller hears', () => {
  test('<Say>, <Play> and <Pause> are recorded with voice and language', async () => {
    app.routes({
      '/voice/incoming': twiml(
        '<Say voice="Polly.Joanna" language="en-US">Welcome <say-as interpret-as="digits">4567</say-as>.</Say><Pause length="2"/><Play>https://example.com/hold.mp3</Play>',
      ),
    });
    const record = await inbound().expectSay('Welcome 4567.').expectHangup();
    const kinds = record.events.filter((event) => ['say', 'pause', 'play'].includes(event.kind));
    expect(kinds).toEqual([
      { kind: 'say', leg: 'call', text: 'Welcome 4567.', voice: 'Polly.Joanna', language: 'en-US', loop: undefined },
      { kind: 'pause', leg: 'call', seconds: 2 },
      { kind: 'play', leg: 'call', url: 'https://example.com/hold.mp3', digits: undefined },
    ]);
  });
});

describe('<Gather>', () => {
  test('posts the digits to a relative action resolved against the document URL, keeping its query', async () => {
    app.routes({
      '/voice/menu': twiml('<Gather numDigits="1" action="choice?step=2"><Say>Press 1</Say></Gather>'),
      '/voice/choice': twiml('<Say>You chose</Say>'),
    });
    await inbound('/voice/menu?line=sales').expectSay('Press 1').press('1').expectSay('You chose').expectHangup();
    const [action] = app.requestsTo('/voice/choice');
    expect(action!.url).toMatch(/\/voice\/choice\?step=2$/);
    expect(action!.params).toMatchObject({ Digits: '1', CallStatus: 'in-progress' });
    expect(action!.signed).toBe(true);
  });

  test('without an action it posts back to the current document URL, query included', async () => {
    app.routes({ '/voice/menu': (params) => (params.Digits ? twiml('<Say>Got it</Say>') : twiml('<Gather><Say>Enter</Say></Gather>')) });
    await inbound('/voice/menu?attempt=1').press('42#').expectSay('Got it').expectHangup();
    const second = app.requestsTo('/voice/menu')[1]!;
    expect(second.url).toMatch(/\/voice\/menu\?attempt=1$/);
    expect(second.params).toMatchObject({ Digits: '42', FinishedOnKey: '#' });
  });

  test('method GET sends the parameters in the query string, signed over the full URL', async () => {
    app.routes({
      '/voice/incoming': twiml('<Gather action="/voice/next?x=1" method="GET"/>'),
      '/voice/next': twiml('<Hangup/>'),
    });
    await inbound().press('7').expectHangup();
    const [next] = app.requestsTo('/voice/next');
    expect(next).toMatchObject({ method: 'GET', signed: true });
    expect(next!.params).toMatchObject({ x: '1', Digits: '7', CallSid: expect.stringMatching(/^CA/) });
  });

  test.each([
    ['numDigits stops collecting', '<Gather numDigits="2" action="/a"/>', '123', { Digits: '12' }],
    ['the finish key ends input and is not sent', '<Gather action="/a"/>', '12#3', { Digits: '12', FinishedOnKey: '#' }],
    ['another finish key', '<Gather finishOnKey="*" action="/a"/>', '9#*', { Digits: '9#', FinishedOnKey: '*' }],
    ['an empty finishOnKey makes # a digit', '<Gather finishOnKey="" action="/a"/>', '12#', { Digits: '12#', FinishedOnKey: '' }],
  ])('%s', async (_name, gather, keys, expected) => {
    app.routes({ '/voice/incoming': twiml(gather), '/a': twiml('<Hangup/>') });
    await inbound().press(keys).expectHangup();
    expect(app.requestsTo('/a')[0]!.params).toMatchObject(expected);
  });

  test('speech arrives as SpeechResult with its confidence', async () => {
    app.routes({ '/voice/incoming': twiml('<Gather input="speech dtmf" action="/a"><Say>Speak</Say></Gather>'), '/a': twiml('<Hangup/>') });
    await inbound().say('talk to a human', 0.82).expectHangup();
    expect(app.requestsTo('/a')[0]!.params).toMatchObject({ SpeechResult: 'talk to a human', Confidence: '0.82' });
  });

  test('no input falls through to the next verb', async () => {
    app.routes({ '/voice/incoming': twiml('<Gather action="/a"><Say>Press a key</Say></Gather><Say>We did not get that</Say>') });
    await inbound().silence().expectSay('did not get that').expectHangup();
    expect(app.requestsTo('/a')).toHaveLength(0);
  });

  test('keys at a speech-only gather, or words at a keys-only gather, are not heard', async () => {
    app.routes({
      '/voice/incoming': twiml('<Gather input="speech" action="/a"/><Gather action="/a"/><Say>Nothing</Say>'),
    });
    await inbound().press('1').say('agent').expectSay('Nothing').expectHangup();
    expect(app.requestsTo('/a')).toHaveLength(0);
  });

  test('actionOnEmptyResult posts to the action even without input', async () => {
    app.routes({ '/voice/incoming': twiml('<Gather actionOnEmptyResult="true" action="/a"/><Say>Not reached</Say>'), '/a': twiml('<Say>Empty</Say>') });
    await inbound().silence().expectSay('Empty').expectNotSay('Not reached').expectHangup();
    expect(app.requestsTo('/a')[0]!.params.Digits).toBeUndefined();
  });

  test('the caller hanging up at a prompt ends the call', async () => {
    app.routes({ '/voice/incoming': twiml('<Gather action="/a"/><Say>Still there?</Say>') });
    const record = await inbound().hangup().expectEnd('party');
    expect(record.endedBy).toBe('party');
    expect(heardBy(record)).toEqual([]);
  });
});

describe('ending and moving the call', () => {
  test('<Redirect> follows a relative URL with its method', async () => {
    app.routes({ '/voice/a/one': twiml('<Redirect method="GET">two?k=v</Redirect>'), '/voice/a/two': twiml('<Say>Two</Say>') });
    await inbound('/voice/a/one').expectSay('Two').expectHangup();
    expect(app.requestsTo('/voice/a/two')[0]).toMatchObject({ method: 'GET', signed: true, params: expect.objectContaining({ k: 'v' }) });
  });

  test('the end of the document ends the call, as a hang-up by the application', async () => {
    app.routes({ '/voice/incoming': twiml('<Say>Hi</Say>') });
    const record = await inbound().expectSay('Hi').expectHangup();
    expect(record.events.at(-1)).toEqual({ kind: 'ended', leg: 'call', by: 'app', cause: 'end of the TwiML document', status: 'completed' });
  });

  test('verbs after <Hangup> never run', async () => {
    app.routes({ '/voice/incoming': twiml('<Say>Bye</Say><Hangup/><Say>Ghost</Say>') });
    const record = await inbound().expectSay('Bye').expectNotSay('Ghost').expectHangup();
    expect(heardBy(record)).toEqual(['Bye']);
  });

  test.each([
    ['busy', 'busy'],
    ['rejected', 'no-answer'],
  ])('<Reject reason="%s"> as the first verb leaves the call unanswered (%s)', async (reason, status) => {
    app.routes({ '/voice/incoming': twiml(`<Reject reason="${reason}"/>`) });
    const record = await inbound().expectHangup();
    expect(record.status).toBe(status);
  });
});

describe('<Dial> with a whisper', () => {
  const dialTwiml = twiml(
    `<Say>Connecting you</Say><Dial action="/dial-done" timeout="20" record="record-from-answer-dual" recordingStatusCallback="/recording">` +
      `<Number url="/whisper?case=7">${AGENT}</Number></Dial><Say>Not reached</Say>`,
  );
  const whisper = twiml('<Gather numDigits="1" action="/whisper-accept?case=7"><Say>Call from Dana. Press 1 to accept.</Say></Gather><Hangup/>');
  const accepted = (params: Record<string, string>) => (params.Digits === '1' ? twiml('<Say>Connecting.</Say>') : twiml('<Hangup/>'));

  beforeEach(() => {
    app.routes({
      '/voice/incoming': dialTwiml,
      '/whisper': whisper,
      '/whisper-accept': accepted,
      '/dial-done': (params) => twiml(`<Say>Dial ended ${params.DialCallStatus} ${params.DialBridged}</Say>`),
      '/recording': twiml(''),
    });
  });

  test('the agent hears the whisper, accepts, and the action and recording callback report the bridge', async () => {
    await inbound()
      .expectSay('Connecting you')
      .expectDial(AGENT)
      .agent({ answer: 'accept', talkSeconds: 60 })
      .expectWhisper('Call from Dana')
      .expectRequest('/dial-done', { DialCallStatus: 'completed', DialBridged: 'true' })
      .expectEnd('party');

    const whisperRequest = app.requestsTo('/whisper')[0]!;
    const parentSid = app.requests[0]!.params.CallSid;
    expect(whisperRequest.params).toMatchObject({ Direction: 'outbound-dial', To: AGENT, From: CALLER, ParentCallSid: parentSid, CallStatus: 'in-progress' });
    expect(whisperRequest.url).toMatch(/\/whisper\?case=7$/);
    const action = app.requestsTo('/dial-done')[0]!;
    expect(action.params).toMatchObject({ CallSid: parentSid, DialCallSid: whisperRequest.params.CallSid, CallStatus: 'completed', RecordingSid: expect.stringMatching(/^RE/) });
    expect(Number(action.params.DialCallDuration)).toBeGreaterThanOrEqual(60);
    const recording = app.requestsTo('/recording')[0]!;
    expect(recording.params).toMatchObject({ RecordingStatus: 'completed', RecordingChannels: '2', CallSid: parentSid, RecordingSid: action.params.RecordingSid });
    // Twilio reports the recording after the dial action.
    expect(app.requests.indexOf(recording)).toBeGreaterThan(app.requests.indexOf(action));
    expect(app.requests.every((request) => request.signed)).toBe(true);
  });

  test('the dialed leg\'s status callback hears the events it asked for', async () => {
    app.routes({
      '/voice/incoming': twiml(
        `<Dial action="/dial-done"><Number statusCallback="/agent-status" statusCallbackEvent="initiated ringing answered completed">${AGENT}</Number></Dial>`,
      ),
      '/agent-status': twiml(''),
      '/dial-done': twiml('<Hangup/>'),
    });
    await inbound().agent({ answer: 'accept', talkSeconds: 30 }).expectEnd('party');
    const statuses = app.requestsTo('/agent-status');
    expect(statuses.map((request) => request.params.CallStatus)).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
    const dialCallSid = app.requestsTo('/dial-done')[0]!.params.DialCallSid;
    expect(statuses.every((request) => request.params.CallSid === dialCallSid && request.params.ParentCallSid === app.requests[0]!.params.CallSid)).toBe(true);
    expect(Number(statuses[3]!.params.CallDuration)).toBeGreaterThanOrEqual(30);
  });

  test('when the agent hangs up first, the caller goes on with the action TwiML', async () => {
    await inbound().agent({ answer: 'accept', hungUpBy: 'agent' }).expectSay('Dial ended completed true').expectHangup();
  });

  test.each([
    ['hangs up during the whisper', { answer: 'decline' as const }],
    ['presses nothing', { answer: 'ignore' as const }],
    ['presses another key', { answer: 'accept' as const, press: '2' }],
  ])('an agent who %s is reported completed but not bridged', async (_name, answer) => {
    await inbound().agent(answer).expectSay('Dial ended completed false').expectNotSay('Not reached').expectHangup();
    expect(app.requestsTo('/recording')).toHaveLength(0);
  });

  test('a voicemail hears the whisper and never accepts', async () => {
    await inbound().agent({ answer: 'voicemail' }).expectWhisper('Press 1').expectSay('Dial ended completed false').expectHangup();
  });

  test.each(['busy', 'no-answer', 'failed'] as const)('%s is reported to the action', async (result) => {
    await inbound().agent({ answer: result }).expectSay(`Dial ended ${result} false`).expectHangup();
    expect(app.requestsTo('/whisper')).toHaveLength(0);
    expect(app.requestsTo('/dial-done')[0]!.params.DialCallDuration).toBe('0');
  });

  test('a caller who hangs up while it rings: the action hears canceled and its TwiML is not executed', async () => {
    const record = await inbound().agent({ answer: 'canceled' }).expectRequest('/dial-done', { DialCallStatus: 'canceled', CallStatus: 'completed' }).expectEnd('party');
    expect(heardBy(record)).toEqual(['Connecting you']);
  });

  test('without an action, the call goes on with the next verb', async () => {
    app.routes({ '/voice/incoming': twiml(`<Dial>${AGENT}</Dial><Say>After the dial</Say>`) });
    await inbound().agent({ answer: 'busy' }).expectSay('After the dial').expectHangup();
  });

  test('an invalid number fails the dial with Twilio error 13223', async () => {
    app.routes({ '/voice/incoming': twiml('<Dial action="/dial-done">not-a-number</Dial>'), '/dial-done': (p) => twiml(`<Say>${p.DialCallStatus}</Say>`) });
    await inbound().allowError(/13223/).expectSay('failed').expectHangup();
  });

  test('a whisper may not <Dial>', async () => {
    app.routes({ '/voice/incoming': twiml(`<Dial action="/dial-done"><Number url="/whisper">${AGENT}</Number></Dial>`), '/whisper': twiml(`<Dial>${CALLER}</Dial>`), '/dial-done': twiml('') });
    await expect(inbound().agent({ answer: 'accept' }).expectHangup()).rejects.toThrow(/<Dial> cannot run in a <Dial> whisper/);
  });
});

describe('<Refer>', () => {
  const referTwiml = twiml('<Refer action="/refer-done"><Sip>sip:+12025550100@pbx.example.com</Sip></Refer><Say>Not reached</Say>');
  const sipCall = () => call(app, { to: `sip:${LINE}@acme.sip.twilio.com`, from: `sip:${CALLER}@pbx.example.com` });

  beforeEach(() => {
    app.routes({ '/voice/incoming': referTwiml, '/refer-done': (p) => twiml(`<Say>Refer ${p.ReferCallStatus} ${p.ReferSipResponseCode ?? 'none'}</Say>`) });
  });

  test('an accepted REFER reports to the action and the call leaves Twilio', async () => {
    const record = await sipCall().refer('accepted').expectRequest('/refer-done', { ReferCallStatus: 'in-progress', ReferSipResponseCode: '202', NotifySipResponseCode: '200' }).expectEnd('transfer');
    expect(heardBy(record)).toEqual([]);
  });

  test('a refused REFER reports the SIP code and the action TwiML runs', async () => {
    await sipCall().refer({ result: 'rejected', referSipResponseCode: '403' }).expectSay('Refer failed 403').expectHangup();
  });

  test('a REFER on a phone call is Twilio error 13801', async () => {
    await expect(inbound().expectHangup()).rejects.toThrow(/Twilio error 13801/);
    await inbound().allowError(/13801/).expectSay('Refer failed none').expectHangup();
  });
});

describe('application errors', () => {
  test('an HTTP error is flagged and the caller hears the application error', async () => {
    app.routes({ '/voice/incoming': () => ({ status: 500, body: 'boom', contentType: 'text/plain' }) });
    const failure = await inbound().expectHangup().run().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ScenarioError);
    const { message, record } = failure as ScenarioError;
    expect(message).toMatch(/Twilio error 11200: POST http:\/\/127\.0\.0\.1:\d+\/voice\/incoming answered HTTP 500: boom/);
    expect(heardBy(record)).toEqual(["We're sorry, an application error has occurred. Goodbye."]);
  });

  test('a body that is not XML is flagged', async () => {
    app.routes({ '/voice/incoming': () => ({ body: '{"ok":true}', contentType: 'application/json' }) });
    await expect(inbound().expectHangup()).rejects.toThrow(/12300.*not TwiML/);
  });

  test('invalid TwiML fails with the schema checker\'s exact reason', async () => {
    app.routes({ '/voice/incoming': twiml('<Gather Timeout="5" action="/a"/>') });
    await expect(inbound().silence().expectHangup()).rejects.toThrow(
      "line 1: Element 'Gather', attribute 'Timeout': The attribute 'Timeout' is not allowed.",
    );
  });
});
