// The Twilio emulator announces a completed Voice Intelligence transcript to the service's webhook
// the way Twilio does: a JSON body naming the transcript, signed with X-Twilio-Signature over the
// webhook URL plus `bodySHA256` (checked here with twilio.validateRequestWithBody), and can send it
// again (Twilio may deliver twice).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { createTwilioClient } from '../../src/assets/adapters/twilio-client.private';
import { startTwilioEmulator, type TwilioEmulator } from '../../sandbox/emulators/twilio';
import { startSandbox } from '../../sandbox/sandbox';

const ACCOUNT_SID = 'AC22222222222222222222222222222222';
const AUTH_TOKEN = 'intelligence-webhook-test-token';
const SERVICE_SID = 'GA22222222222222222222222222222222';
const OTHER_SERVICE_SID = 'GA33333333333333333333333333333333';
const CALL_SID = 'CA22222222222222222222222222222222';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
  readonly signature: string;
}

let emulator: TwilioEmulator;
let client: twilio.Twilio;
let receiver: http.Server;
let receiverUrl: string;
let received: Received[] = [];
let answerStatus = 200;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const url = `${receiverUrl}${req.url ?? ''}`;
      received.push({
        method: req.method ?? '',
        url,
        path: new URL(url).pathname,
        contentType: req.headers['content-type'] ?? '',
        body,
        signature: String(req.headers['x-twilio-signature'] ?? ''),
      });
      res.writeHead(answerStatus, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  emulator = await startTwilioEmulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: emulator.url, timeoutMs: 1500 });
});

beforeEach(() => {
  received = [];
  answerStatus = 200;
  emulator.setIntelligenceWebhook({ url: `${receiverUrl}/events/transcript?line=sales`, method: 'POST' });
});

afterEach(() => emulator.reset());

afterAll(async () => {
  await emulator.close();
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

async function transcribe(serviceSid = SERVICE_SID) {
  emulator.addInboundCall({ from: '+14155550142', to: '+12025550110', sid: CALL_SID, status: 'completed' });
  const recording = emulator.addRecording(CALL_SID, { channels: 2 });
  const transcript = await client.intelligence.v2.transcripts.create({
    serviceSid,
    channel: { media_properties: { source_sid: recording.sid } },
    customerKey: CALL_SID,
  });
  await emulator.callbacksSettled();
  return transcript;
}

const control = (path: string, body: unknown) =>
  fetch(`${emulator.url}/__emulator${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the Intelligence webhook', () => {
  test('a completed transcript is posted as JSON naming it, signed with bodySHA256 as Twilio signs JSON', async () => {
    const transcript = await transcribe();
    expect(received).toHaveLength(1);
    const [hook] = received;
    expect(hook).toMatchObject({ method: 'POST', path: '/events/transcript', contentType: 'application/json' });
    expect(JSON.parse(hook!.body)).toEqual({
      account_sid: ACCOUNT_SID,
      service_sid: SERVICE_SID,
      transcript_sid: transcript.sid,
      customer_key: CALL_SID,
      event_type: 'voice_intelligence_transcript_available',
    });
    // The configured URL keeps its query; bodySHA256 is appended; the signature covers that URL alone.
    const url = new URL(hook!.url);
    expect(url.searchParams.get('line')).toBe('sales');
    expect(url.searchParams.get('bodySHA256')).toBe(twilio.getExpectedBodyHash(hook!.body));
    expect(twilio.validateRequestWithBody(AUTH_TOKEN, hook!.signature, hook!.url, hook!.body)).toBe(true);
    expect(twilio.validateRequestWithBody('another-token', hook!.signature, hook!.url, hook!.body)).toBe(false);
    expect(twilio.validateRequestWithBody(AUTH_TOKEN, hook!.signature, hook!.url, hook!.body.replace(CALL_SID, 'CA0'))).toBe(false);
  });

  test('a transcript that waits is announced only when it completes, and a failed one not at all', async () => {
    const waiting = await startTwilioEmulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, autoCompleteTranscripts: false, intelligenceWebhook: { url: `${receiverUrl}/hook`, method: 'POST' } });
    try {
      const waitingClient = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: waiting.url, timeoutMs: 1500 });
      const recording = waiting.addRecording(CALL_SID);
      const create = () => waitingClient.intelligence.v2.transcripts.create({ serviceSid: SERVICE_SID, channel: { media_properties: { source_sid: recording.sid } } });
      const [first, second] = [await create(), await create()];
      await waiting.callbacksSettled();
      expect(received).toHaveLength(0);

      const completed = await fetch(`${waiting.url}/__emulator/transcripts/${first.sid}/complete`, { method: 'POST', body: '{}' });
      expect(completed.status).toBe(200);
      waiting.completeTranscript(second.sid, { status: 'failed' });
      await waiting.callbacksSettled();
      expect(received.map((hook) => JSON.parse(hook.body).transcript_sid)).toEqual([first.sid]);
      // No customer key: the field is left out rather than sent empty.
      expect(JSON.parse(received[0]!.body)).not.toHaveProperty('customer_key');
    } finally {
      await waiting.close();
    }
  });

  test("a service's own webhook (POST /v2/Services/{Sid}) wins over the default; without any, nothing is sent", async () => {
    const updated = await client.intelligence.v2.services(OTHER_SERVICE_SID).update({ webhookUrl: `${receiverUrl}/other`, webhookHttpMethod: 'POST' });
    expect(updated).toMatchObject({ sid: OTHER_SERVICE_SID, webhookUrl: `${receiverUrl}/other`, webhookHttpMethod: 'POST' });
    expect(await client.intelligence.v2.services(SERVICE_SID).fetch()).toMatchObject({ webhookUrl: `${receiverUrl}/events/transcript?line=sales` });

    await transcribe(OTHER_SERVICE_SID);
    await transcribe(SERVICE_SID);
    expect(received.map((hook) => hook.path)).toEqual(['/other', '/events/transcript']);

    received = [];
    emulator.setIntelligenceWebhook(undefined);
    await transcribe(SERVICE_SID);
    expect(received).toHaveLength(0);
    expect((await client.intelligence.v2.services(SERVICE_SID).fetch()).webhookUrl).toBeNull();
  });

  test('the control API sets the webhook, and a GET webhook carries the fields in its signed query', async () => {
    const set = await control('/intelligence/webhook', { url: `${receiverUrl}/by-get`, method: 'get' });
    expect(set.status).toBe(200);
    const transcript = await transcribe();
    expect(received).toHaveLength(1);
    const [hook] = received;
    expect(hook).toMatchObject({ method: 'GET', path: '/by-get', body: '' });
    expect(new URL(hook!.url).searchParams.get('transcript_sid')).toBe(transcript.sid);
    expect(twilio.validateRequest(AUTH_TOKEN, hook!.signature, hook!.url, {})).toBe(true);
  });

  test('the last webhook can be delivered again, identical and still valid; the log shows both', async () => {
    const transcript = await transcribe();
    const again = await control('/callbacks/redeliver', { kind: 'transcript', about: transcript.sid });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ kind: 'transcript', attempt: 2, status: 200, sentBy: 'emulator' });
    expect(received).toHaveLength(2);
    expect(received[1]!.body).toBe(received[0]!.body);
    expect(received[1]!.url).toBe(received[0]!.url);
    expect(twilio.validateRequestWithBody(AUTH_TOKEN, received[1]!.signature, received[1]!.url, received[1]!.body)).toBe(true);

    const log = (await (await fetch(`${emulator.url}/__emulator/callbacks`)).json()) as { kind: string; attempt: number }[];
    expect(log.map((c) => [c.kind, c.attempt])).toEqual([
      ['transcript', 1],
      ['transcript', 2],
    ]);
    expect((await control('/callbacks/redeliver', { kind: 'recording' })).status).toBe(400);
  });

  test('an error answer is logged, not retried by itself; a reset forgets the log but keeps the webhook', async () => {
    answerStatus = 500;
    await transcribe();
    expect(received).toHaveLength(1);
    expect(emulator.callbacks()).toMatchObject([{ kind: 'transcript', status: 500 }]);
    emulator.reset();
    expect(emulator.callbacks()).toEqual([]);
    answerStatus = 200;
    await transcribe();
    expect(received).toHaveLength(2);
  });
});

describe('in the sandbox', () => {
  test("the Intelligence service's webhook is the Functions' /events/transcript when asked (npm start, npm run call)", async () => {
    const sandbox = await startSandbox({ transcriptWebhook: true });
    try {
      const sandboxClient = createTwilioClient({ accountSid: sandbox.accountSid, authToken: sandbox.authToken, apiBaseUrl: sandbox.twilio.url, timeoutMs: 1500 });
      expect(await sandboxClient.intelligence.v2.services(SERVICE_SID).fetch()).toMatchObject({
        webhookUrl: `${sandbox.baseUrl}/events/transcript`,
        webhookHttpMethod: 'POST',
      });
      const recording = sandbox.twilio.addRecording(CALL_SID);
      await sandboxClient.intelligence.v2.transcripts.create({ serviceSid: SERVICE_SID, channel: { media_properties: { source_sid: recording.sid } }, customerKey: CALL_SID });
      await sandbox.twilio.callbacksSettled();
      const [hook] = sandbox.twilio.callbacks();
      expect(hook!.requestedUrl).toMatch(new RegExp(`^${sandbox.baseUrl}/events/transcript\\?bodySHA256=[0-9a-f]{64}$`));
      expect(twilio.validateRequestWithBody(sandbox.authToken, hook!.signature, hook!.requestedUrl, hook!.body!)).toBe(true);
    } finally {
      await sandbox.close();
    }
  });

  test('twilioOptions.autoCompleteTranscripts false: the webhook waits for completeTranscript', async () => {
    const sandbox = await startSandbox({ transcriptWebhook: true, twilioOptions: { autoCompleteTranscripts: false } });
    try {
      const sandboxClient = createTwilioClient({ accountSid: sandbox.accountSid, authToken: sandbox.authToken, apiBaseUrl: sandbox.twilio.url, timeoutMs: 1500 });
      const recording = sandbox.twilio.addRecording(CALL_SID);
      const transcript = await sandboxClient.intelligence.v2.transcripts.create({ serviceSid: SERVICE_SID, channel: { media_properties: { source_sid: recording.sid } } });
      await sandbox.twilio.callbacksSettled();
      expect(sandbox.twilio.callbacks()).toEqual([]);
      sandbox.twilio.completeTranscript(transcript.sid);
      await sandbox.twilio.callbacksSettled();
      expect(sandbox.twilio.callbacks()).toMatchObject([{ kind: 'transcript', json: { transcript_sid: transcript.sid } }]);
    } finally {
      await sandbox.close();
    }
  });

  test('tests opt in: by default no webhook is configured', async () => {
    const sandbox = await startSandbox();
    try {
      const sandboxClient = createTwilioClient({ accountSid: sandbox.accountSid, authToken: sandbox.authToken, apiBaseUrl: sandbox.twilio.url, timeoutMs: 1500 });
      expect((await sandboxClient.intelligence.v2.services(SERVICE_SID).fetch()).webhookUrl).toBeNull();
    } finally {
      await sandbox.close();
    }
  });
});
