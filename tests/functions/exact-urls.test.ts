// Every URL the Functions put in TwiML is exact: Twilio requests it and signs it exactly as written, so
// an action, redirect, whisper or callback URL never ends in `?` or `&`, and a request signed the way
// Twilio signs it (the URL as requested, lone `?` and all) is accepted by the sandbox. The test walks
// one answer of every Step kind and follows each URL in it.
import { DEMO_CALLERS, DEMO_LINES, demoBaseWithHours, type DemoBase } from '../../sandbox/demo-data';
import { postWebhook } from '../../sandbox/webhook-client';
import { voiceParams } from '../helpers/call-params';
import { useSandbox } from '../helpers/sandbox';
import { parseTwiml, type Verb } from '../helpers/twiml';

const sandbox = useSandbox(() => demoBaseWithHours('open'));
const CALL_SID = `CA${'7'.repeat(32)}`;
const params = (overrides: Record<string, string> = {}) => voiceParams(sandbox.accountSid, { CallSid: CALL_SID, ...overrides });

/** The URLs a document asks Twilio to request: actions, redirects, <Number url>, recording callbacks. */
function urlsOf(verbs: readonly Verb[]): string[] {
  return verbs.flatMap((verb) => [
    ...['action', 'url', 'recordingStatusCallback'].flatMap((name) => (verb.attributes[name] !== undefined ? [verb.attributes[name]] : [])),
    ...(verb.name === 'Redirect' ? [verb.text] : []),
    ...urlsOf(verb.children),
  ]);
}

/** The Step kind a document renders (see core/render-twiml). */
function stepKind(verbs: readonly Verb[]): string {
  const names = verbs.map((v) => v.name);
  if (names.includes('Gather')) return 'gather';
  if (names.includes('Dial')) return 'dial';
  if (names.includes('Refer')) return 'refer';
  if (names.includes('Redirect')) return 'say-and-redirect';
  if (names.includes('Hangup')) return 'say-and-hangup';
  return 'say-and-connect';
}

const withSipSales = (): DemoBase => {
  const base = demoBaseWithHours('open');
  const sales = base.Lines.find((line) => line.Name === 'Sales')!;
  sales['Transfer Method'] = 'SIP REFER';
  return base;
};

test('every Step kind: its URLs end clean, and each one, signed as Twilio signs it, is accepted', async () => {
  const sip = `sip:${DEMO_LINES.sales}@pbx.example.com`;
  const answers: { kind: string; urls: string[] }[] = [];
  const ask = async (path: string, extra: Record<string, string> = {}) => {
    const answer = await sandbox.post(path, params(extra));
    expect(answer.status).toBe(200);
    const verbs = parseTwiml(answer.body);
    answers.push({ kind: stepKind(verbs), urls: urlsOf(verbs) });
  };
  await ask('/voice/incoming'); // gather
  await ask('/voice/incoming?turn=1', { SpeechResult: 'agent' }); // say-and-redirect to the menu
  await ask('/escalate'); // the menu, nothing carried
  await ask('/escalate/choice?offered=email&attempt=0', { Digits: '1' }); // say-and-redirect to /email/send, nothing carried
  await ask('/escalate/choice?offered=live-transfer&attempt=0', { Digits: '1' }); // dial, recorded, whisper
  await ask('/transfer/whisper?line=Support&lang=en-US&accept=0'); // say-and-connect
  await ask('/voice/incoming', { To: '+12025550999' }); // say-and-hangup: no line has this number
  sandbox.airtable.reset(withSipSales());
  await ask('/escalate/choice?offered=live-transfer&attempt=0', { Digits: '1', To: sip, From: `sip:${DEMO_CALLERS.dana}@pbx.example.com`, SipCallId: 'abc@pbx' }); // refer

  expect(new Set(answers.map((a) => a.kind))).toEqual(new Set(['gather', 'say-and-redirect', 'dial', 'say-and-connect', 'say-and-hangup', 'refer']));
  const urls = answers.flatMap((a) => a.urls);
  expect(urls).toContain('/email/send');
  expect(urls.filter((url) => /[?&]$|\?&|&&/.test(url))).toEqual([]);

  for (const url of new Set(urls)) {
    // Twilio resolves a relative URL against the document's and requests (and signs) exactly that.
    const answer = await postWebhook(`${sandbox.baseUrl}${url}`, params(), { authToken: sandbox.authToken });
    expect({ url, status: answer.status }).toEqual({ url, status: 200 });
  }
});

test('the sandbox checks the signature over the URL exactly as requested: a lone `?` is part of it', async () => {
  const signedAsRequested = await postWebhook(`${sandbox.baseUrl}/escalate?`, params(), { authToken: sandbox.authToken });
  expect(signedAsRequested.status).toBe(200);
  const { signatureFor } = await import('../../sandbox/webhook-client');
  const signedWithoutIt = await postWebhook(`${sandbox.baseUrl}/escalate?`, params(), {
    authToken: sandbox.authToken,
    signature: signatureFor(sandbox.authToken, `${sandbox.baseUrl}/escalate`, params()),
  });
  expect(signedWithoutIt.status).toBe(403);
});

test('texts and calls the Functions create carry exact callback URLs', async () => {
  await sandbox.post('/text/send?number=%2B14155550142', params());
  const created = sandbox.twilio.messages().map((m) => m.params.StatusCallback);
  expect(created).toEqual([`${sandbox.baseUrl}/events/message-status?CallSid=${CALL_SID}`]);
});
