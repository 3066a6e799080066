// The Twilio emulator refuses what Twilio's official API definitions do not define (a misspelt or
// mis-cased parameter, a value outside an enum, an ill-typed value, a SID of the wrong kind), so a
// drift in what our code sends fails our tests, not only the graders' stand-ins or Twilio itself.
import twilio from 'twilio';
import { createTwilioClient } from '../../src/assets/adapters/twilio-client.private';
import { startTwilioEmulator, type TwilioEmulator } from '../../sandbox/emulators/twilio';
import { checkAgainstDefinition, operationFor } from '../../sandbox/emulators/twilio/api-definitions';

const ACCOUNT_SID = 'AC11111111111111111111111111111111';
const AUTH_TOKEN = 'definitions-test-token';
const SERVICE_SID = 'MG11111111111111111111111111111111';
const INTELLIGENCE_SID = 'GA11111111111111111111111111111111';
const LINE = '+12025550110';
const CALLER = '+14155550142';
const API = `/2010-04-01/Accounts/${ACCOUNT_SID}`;

let emulator: TwilioEmulator;
let client: twilio.Twilio;

beforeAll(async () => {
  emulator = await startTwilioEmulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, messagingServiceSids: [SERVICE_SID] });
  client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: emulator.url, timeoutMs: 1500 });
});
afterEach(() => emulator.reset());
afterAll(() => emulator.close());

/** A request as any HTTP client could send it, outside what the twilio library would serialise. */
async function send(method: 'GET' | 'POST', path: string, form?: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form ?? {})) for (const v of [value].flat()) body.append(name, v);
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: {
      Authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`,
      ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? body.toString() : undefined,
  });
  return { status: response.status, body: (await response.json()) as { code?: number; message?: string } };
}

const call = { To: CALLER, From: LINE, Url: 'https://example.com/voice' };
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000);

test.each([
  ['a misspelt parameter', { ...call, StatusCallbackEvents: 'completed' }, /Unknown form parameter StatusCallbackEvents/],
  ['a parameter in the wrong case', { ...call, statusCallback: 'https://example.com/status' }, /Unknown form parameter statusCallback/],
  ['a Timeout that is not an integer', { ...call, Timeout: '20s' }, /Timeout/],
  ['a Url given twice', { ...call, Url: ['https://example.com/a', 'https://example.com/b'] }, /Url given 2 times/],
])('refuses a call with %s (400, 20001) and places nothing', async (_name, form, message) => {
  const { status, body } = await send('POST', `${API}/Calls.json`, form);
  expect(status).toBe(400);
  expect(body).toMatchObject({ code: 20001 });
  expect(body.message).toMatch(message);
  expect(emulator.calls()).toHaveLength(0);
});

test('takes every StatusCallbackEvent as its own value, as the twilio library repeats them', async () => {
  const { status } = await send('POST', `${API}/Calls.json`, { ...call, StatusCallbackEvent: ['initiated', 'completed'] });
  expect(status).toBe(201);
});

test('refuses a scheduled text whose SendAt is not an ISO 8601 date-time, though a date parser would read it', async () => {
  const at = inMinutes(60);
  const loose = at.toUTCString(); // "Sun, 29 Nov 2026 12:00:00 GMT": Date.parse reads it, Twilio's definition does not
  const { status, body } = await send('POST', `${API}/Messages.json`, {
    To: CALLER,
    MessagingServiceSid: SERVICE_SID,
    Body: 'Reminder',
    ScheduleType: 'fixed',
    SendAt: loose,
  });
  expect({ status, code: body.code }).toEqual({ status: 400, code: 20001 });
  expect(body.message).toMatch(/SendAt/);
  expect(emulator.messages()).toHaveLength(0);
});

test('takes the SendAt the twilio library serialises from a Date', async () => {
  const message = await client.messages.create({ to: CALLER, messagingServiceSid: SERVICE_SID, body: 'Reminder', scheduleType: 'fixed', sendAt: inMinutes(60) });
  expect(message.status).toBe('scheduled');
  const sent = emulator.requests().find((r) => r.resource === 'messages');
  expect(sent?.params.SendAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('refuses a list page larger than the definition allows', async () => {
  const { status, body } = await send('GET', `/v2/Transcripts?ServiceSid=${INTELLIGENCE_SID}&PageSize=1001`);
  expect({ status, code: body.code }).toEqual({ status: 400, code: 20001 });
  expect(body.message).toMatch(/PageSize/);
});

test('refuses a query parameter the list does not define', async () => {
  const { status, body } = await send('GET', `${API}/Messages.json?Status=delivered`);
  expect({ status, code: body.code }).toEqual({ status: 400, code: 20001 });
  expect(body.message).toMatch(/Unknown query parameter Status/);
});

test('refuses a boolean that is not true or false', async () => {
  const transcript = await client.intelligence.v2.transcripts.create({ serviceSid: INTELLIGENCE_SID, channel: { media_properties: { media_url: 'https://example.com/a.wav' } } });
  const { status, body } = await send('GET', `/v2/Transcripts/${transcript.sid}/Sentences?Redacted=yes`);
  expect({ status, code: body.code }).toEqual({ status: 400, code: 20001 });
});

test('answers 404 (20404) for a SID of the wrong kind in the path', async () => {
  const { status, body } = await send('GET', `${API}/Calls/SM11111111111111111111111111111111.json`);
  expect({ status, code: body.code }).toEqual({ status: 404, code: 20404 });
});

test.each([
  ['POST', `${API}/Calls.json`, 'CreateCall'],
  ['GET', `${API}/Calls/CA11111111111111111111111111111111.json`, 'FetchCall'],
  ['POST', `${API}/Calls/CA11111111111111111111111111111111/Recordings.json`, 'CreateCallRecording'],
  ['POST', `${API}/Messages.json`, 'CreateMessage'],
  ['GET', `${API}/Messages.json`, 'ListMessage'],
  ['POST', `${API}/Messages/SM11111111111111111111111111111111.json`, 'UpdateMessage'],
  ['POST', '/v2/Transcripts', 'CreateTranscript'],
  ['GET', '/v2/Transcripts/GT11111111111111111111111111111111/Sentences', 'ListSentence'],
  ['GET', '/v2/Transcripts/GT11111111111111111111111111111111/OperatorResults', 'ListOperatorResult'],
  ['GET', `/v1/Services/${SERVICE_SID}`, 'FetchService'],
  ['POST', `${API}/IncomingPhoneNumbers/PN11111111111111111111111111111111.json`, 'UpdateIncomingPhoneNumber'],
  ['GET', `${API}/Conferences.json`, 'ListConference'],
  ['POST', `${API}/Conferences/CF11111111111111111111111111111111.json`, 'UpdateConference'],
  ['POST', `${API}/Conferences/ring-room/Participants.json`, 'CreateParticipant'],
  ['GET', `${API}/Conferences/CF11111111111111111111111111111111/Participants/agent-1.json`, 'FetchParticipant'],
  ['DELETE', `${API}/Conferences/CF11111111111111111111111111111111/Participants/CA11111111111111111111111111111111.json`, 'DeleteParticipant'],
])('knows the definition of %s %s (%s)', (method, path, operation) => {
  expect(operationFor(method, path)?.op.operation).toBe(operation);
  expect(checkAgainstDefinition(method, path, new URLSearchParams(), {})).toBeUndefined();
});

test('refuses a conference list filtered by a date that is not YYYY-MM-DD', async () => {
  const { status, body } = await send('GET', `${API}/Conferences.json?DateCreated=${encodeURIComponent('Dec 5, 2026')}`);
  expect({ status, code: body.code }).toEqual({ status: 400, code: 20001 });
  expect(body.message).toMatch(/DateCreated/);
});

test('refuses a call recording with a parameter its definition lacks (PlayBeep, from the documentation\'s example) and a call SID of the wrong kind', async () => {
  const beep = await send('POST', `${API}/Calls/CA11111111111111111111111111111111/Recordings.json`, { RecordingChannels: 'dual', PlayBeep: 'true' });
  expect({ status: beep.status, code: beep.body.code }).toEqual({ status: 400, code: 20001 });
  expect(beep.body.message).toMatch(/Unknown form parameter PlayBeep/);
  const wrongSid = await send('POST', `${API}/Calls/CF11111111111111111111111111111111/Recordings.json`, { RecordingChannels: 'dual' });
  expect({ status: wrongSid.status, code: wrongSid.body.code }).toEqual({ status: 404, code: 20404 });
  expect(emulator.recordings()).toEqual([]);
});
