// The Twilio emulator, driven by the real `twilio` client our factory builds: it must answer the
// way Twilio does, so the adapters tested against it behave the same against Twilio.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { createTwilioClient, rebaseUri } from '../../src/assets/adapters/twilio-client.private';
import { startTwilioEmulator, type CallCreatedEvent, type TwilioEmulator } from '../../sandbox/emulators/twilio';

const ACCOUNT_SID = 'AC11111111111111111111111111111111';
const AUTH_TOKEN = 'emulator-test-token';
const SERVICE_SID = 'MG11111111111111111111111111111111';
const INTELLIGENCE_SID = 'GA11111111111111111111111111111111';
const LINE = '+12025550110';
const CALLER = '+14155550142';
const OPTED_OUT = '+14155550100';
const LANDLINE = '+14155550101';
const REJECTED = '+14155550102';

let emulator: TwilioEmulator;
let client: twilio.Twilio;

beforeAll(async () => {
  emulator = await startTwilioEmulator({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    optedOut: [OPTED_OUT],
    landlines: [LANDLINE],
    invalid: [REJECTED],
    messagingServiceSids: [SERVICE_SID],
  });
  client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: emulator.url, timeoutMs: 1500 });
});

afterEach(() => emulator.reset());
afterAll(() => emulator.close());

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000);

function placeCall(overrides: Record<string, unknown> = {}) {
  return client.calls.create({
    to: CALLER,
    from: LINE,
    url: 'https://example.com/voice/callback-bridge',
    statusCallback: 'https://example.com/events/call-status',
    statusCallbackEvent: ['initiated', 'answered', 'completed'],
    ...overrides,
  } as Parameters<typeof client.calls.create>[0]);
}

/** A server that takes the callbacks Twilio posts, each with whether its signature is valid. */
async function callbackReceiver() {
  const posts: { url: string; params: Record<string, string>; valid: boolean }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}${req.url}`;
      const params = Object.fromEntries(new URLSearchParams(body));
      posts.push({ url, params, valid: twilio.validateRequest(AUTH_TOKEN, String(req.headers['x-twilio-signature']), url, params) });
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  return {
    posts,
    url: (path: string) => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}${path}`,
    close: () => new Promise((resolve) => receiver.close(resolve)),
  };
}

async function rejection(promise: Promise<unknown>): Promise<{ status?: number; code?: number; message?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { status?: number; code?: number; message?: string };
  }
  throw new Error('expected the request to be rejected');
}

describe('client factory', () => {
  test('rebases any Twilio domain onto the override, keeping path and query', () => {
    expect(rebaseUri('https://intelligence.twilio.com/v2/Transcripts?PageSize=2&Page=1', 'http://127.0.0.1:4010/')).toBe(
      'http://127.0.0.1:4010/v2/Transcripts?PageSize=2&Page=1',
    );
    expect(rebaseUri('https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json', 'http://localhost:9/twilio')).toBe(
      'http://localhost:9/twilio/2010-04-01/Accounts/AC1/Calls.json',
    );
  });

  test('rejects wrong credentials with Twilio 20003 (HTTP 401)', async () => {
    const wrong = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: 'not-the-token', apiBaseUrl: emulator.url });
    const err = await rejection(wrong.calls.create({ to: CALLER, from: LINE, url: 'https://example.com/x' }));
    expect(err).toBeInstanceOf(twilio.RestException);
    expect(err).toMatchObject({ status: 401, code: 20003, message: 'Authenticate' });
    expect(emulator.calls()).toHaveLength(0);
  });

  test('answers 404 (20404) for another account than the one authenticated', async () => {
    const response = await fetch(`${emulator.url}/2010-04-01/Accounts/AC22222222222222222222222222222222/Calls.json`, {
      headers: { Authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}` },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 20404, status: 404, more_info: 'https://www.twilio.com/docs/errors/20404' });
  });
});

describe('calls', () => {
  test('creates a queued outbound call and tells the call driver how to answer it', async () => {
    const events: CallCreatedEvent[] = [];
    const unsubscribe = emulator.onCallCreated((event) => events.push(event));
    const call = await placeCall({ machineDetection: 'Enable', timeout: 20 });
    unsubscribe();

    expect(call.sid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(call).toMatchObject({ status: 'queued', direction: 'outbound-api', to: CALLER, from: LINE, accountSid: ACCOUNT_SID });
    expect(call.toFormatted).toBe('(415) 555-0142');
    expect(call.dateCreated).toBeInstanceOf(Date);
    expect(Number.isNaN(call.dateCreated.getTime())).toBe(false);
    expect(call.startTime).toBeNull();

    const [stored] = emulator.calls();
    expect(stored.params.StatusCallbackEvent).toEqual(['initiated', 'answered', 'completed']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      url: 'https://example.com/voice/callback-bridge',
      method: 'POST',
      statusCallback: 'https://example.com/events/call-status',
      statusCallbackEvents: ['initiated', 'answered', 'completed'],
      machineDetection: 'Enable',
      timeoutSeconds: 20,
    });
    expect(events[0].call.sid).toBe(call.sid);
  });

  test.each([
    ['no Url, Twiml or ApplicationSid', 21205, { url: undefined }],
    ['a Url that is not absolute', 21205, { url: '/voice/next' }],
    ['Twiml over 4000 characters', 32018, { url: undefined, twiml: `<Response><Say>${'a'.repeat(4000)}</Say></Response>` }],
    ['a To that is not E.164', 21211, { to: '555-0142' }],
    ['a To Twilio rejects', 21211, { to: REJECTED }],
  ])('rejects a call with %s (code %d)', async (_name, code, overrides) => {
    const err = await rejection(placeCall(overrides));
    expect(err).toMatchObject({ status: 400, code });
    expect(emulator.calls()).toHaveLength(0);
  });

  test('takes StatusCallbackEvent only as repeated values: a space-joined one is accepted but ignored with warning 21626', async () => {
    const events: CallCreatedEvent[] = [];
    const unsubscribe = emulator.onCallCreated((event) => events.push(event));
    const call = await placeCall({ statusCallbackEvent: ['initiated answered', 'completed'] });
    await new Promise((resolve) => setImmediate(resolve));
    unsubscribe();

    expect(call.status).toBe('queued');
    expect(events[0].statusCallbackEvents).toEqual(['completed']);
    const [stored] = emulator.calls();
    expect(stored.params.StatusCallbackEvent).toEqual(['initiated answered', 'completed']);
    expect(stored.warnings).toEqual([{ code: 21626, message: 'Invalid StatusCallbackEvent ignored: "initiated answered"' }]);
  });

  test('ignores an unknown StatusCallbackEvent with warning 21626, keeping the valid ones', async () => {
    const events: CallCreatedEvent[] = [];
    const unsubscribe = emulator.onCallCreated((event) => events.push(event));
    await placeCall({ statusCallbackEvent: ['picked-up', 'ringing'] });
    await new Promise((resolve) => setImmediate(resolve));
    unsubscribe();

    expect(events[0].statusCallbackEvents).toEqual(['ringing']);
    expect(emulator.calls()[0].warnings.map((w) => w.code)).toEqual([21626]);
  });

  test('records no warning when every StatusCallbackEvent is one event name', async () => {
    await placeCall();
    expect(emulator.calls()[0].warnings).toEqual([]);
  });

  test('accepts inline Twiml instead of a Url', async () => {
    const twiml = new twilio.twiml.VoiceResponse();
    twiml.say('Connecting you now.');
    const call = await placeCall({ url: undefined, twiml });
    expect(emulator.calls()[0].params.Twiml).toBe(twiml.toString());
    expect(call.status).toBe('queued');
  });

  test('fetches a call the driver moved on, with times and duration', async () => {
    const { sid } = await placeCall();
    emulator.setCallStatus(sid, 'in-progress', { answeredBy: 'human' });
    emulator.setCallStatus(sid, 'completed', { durationSeconds: 37 });
    const call = await client.calls(sid).fetch();
    expect(call).toMatchObject({ status: 'completed', duration: '37', answeredBy: 'human' });
    expect(call.startTime).toBeInstanceOf(Date);
    expect(call.endTime).toBeInstanceOf(Date);
  });

  test('hangs up a live call, cancels a ringing one, and refuses to redirect an ended one (21220)', async () => {
    const live = await placeCall();
    emulator.setCallStatus(live.sid, 'in-progress');
    expect((await client.calls(live.sid).update({ status: 'completed' })).status).toBe('completed');
    const err = await rejection(client.calls(live.sid).update({ url: 'https://example.com/voice/other' }));
    expect(err).toMatchObject({ status: 400, code: 21220 });

    const ringing = await placeCall();
    emulator.setCallStatus(ringing.sid, 'ringing');
    expect((await client.calls(ringing.sid).update({ status: 'canceled' })).status).toBe('canceled');
    expect(emulator.calls().find((c) => c.sid === ringing.sid)?.updates).toEqual([{ Status: 'canceled' }]);
  });

  test('answers 404 (20404) for a call that does not exist', async () => {
    const err = await rejection(client.calls('CA0123456789abcdef0123456789abcdef').fetch());
    expect(err).toMatchObject({ status: 404, code: 20404 });
  });

  test('lists calls newest first, page by page', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1) created.push((await placeCall({ to: `+1415555020${i}` })).sid);

    const firstPage = await client.calls.page({ pageSize: 2 });
    expect(firstPage.instances.map((c) => c.sid)).toEqual([created[4], created[3]]);
    expect(firstPage.nextPageUrl).toContain('/2010-04-01/Accounts/');

    const all = await client.calls.list({ pageSize: 2 });
    expect(all.map((c) => c.sid)).toEqual([...created].reverse());
    const filtered = await client.calls.list({ to: '+14155550203' });
    expect(filtered.map((c) => c.sid)).toEqual([created[3]]);
  });
});

describe('messages', () => {
  test('a sent message moves queued → sent → delivered, and posts each status to its StatusCallback, signed', async () => {
    const receiver = await callbackReceiver();
    const posts = receiver.posts;
    try {
      const callback = receiver.url('/events/message-status?CallSid=CA1');
      const message = await client.messages.create({ to: CALLER, from: LINE, body: 'hi', statusCallback: callback });
      await emulator.messagesSettled();
      expect(posts.map((p) => p.params.MessageStatus)).toEqual(['queued', 'sent', 'delivered']);
      expect(posts.every((p) => p.valid)).toBe(true);
      expect(posts[2].params).toMatchObject({ MessageSid: message.sid, SmsSid: message.sid, SmsStatus: 'delivered', AccountSid: ACCOUNT_SID, From: LINE, To: CALLER, ApiVersion: '2010-04-01' });
      expect((await client.messages(message.sid).fetch()).status).toBe('delivered');
      expect(emulator.messages()[0].statusCallbacks).toEqual([
        { status: 'queued', answer: 200 },
        { status: 'sent', answer: 200 },
        { status: 'delivered', answer: 200 },
      ]);
    } finally {
      await receiver.close();
    }
  });

  test('the carrier can hold its delivery report (it often comes after the call): sent at once, delivered when released', async () => {
    const receiver = await callbackReceiver();
    const release = emulator.holdCarrierReports();
    try {
      const message = await client.messages.create({ to: CALLER, from: LINE, body: 'hi', statusCallback: receiver.url('/status') });
      for (let waited = 0; receiver.posts.length < 2 && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 200)); // time enough for a report that was not held
      expect(receiver.posts.map((p) => p.params.MessageStatus)).toEqual(['queued', 'sent']);
      expect((await client.messages(message.sid).fetch()).status).toBe('sent');
      release();
      await emulator.messagesSettled();
      expect(receiver.posts.map((p) => p.params.MessageStatus)).toEqual(['queued', 'sent', 'delivered']);
    } finally {
      release();
      await receiver.close();
    }
  });

  test('a landline Twilio cannot spot at create: accepted, then undelivered with 30006', async () => {
    emulator.recipients.undeliverable.add(CALLER);
    try {
      const message = await client.messages.create({ to: CALLER, from: LINE, body: 'hi' });
      expect(message.status).toBe('queued');
      await emulator.messagesSettled();
      expect(await client.messages(message.sid).fetch()).toMatchObject({ status: 'undelivered', errorCode: 30006 });
    } finally {
      emulator.recipients.undeliverable.clear();
    }
  });

  test.each([
    ['unreachable', 21612],
    ['noRegionPermission', 21408],
  ] as const)('a number in %s is refused with %s', async (list, code) => {
    emulator.recipients[list].add(list === 'noRegionPermission' ? '+44' : CALLER);
    try {
      const to = list === 'noRegionPermission' ? '+447911123456' : CALLER;
      expect(await rejection(client.messages.create({ to, from: LINE, body: 'hi' }))).toMatchObject({ status: 400, code });
    } finally {
      emulator.recipients[list].clear();
    }
  });

  test('sends a text from the line number', async () => {
    const message = await client.messages.create({ to: CALLER, from: LINE, body: 'Acme Sales: https://example.com/help' });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message).toMatchObject({ status: 'queued', from: LINE, to: CALLER, numSegments: '1', errorCode: null });
    expect(emulator.messages()[0].params).toMatchObject({ To: CALLER, From: LINE, Body: 'Acme Sales: https://example.com/help' });
    const listed = await client.messages.list({ to: CALLER });
    expect(listed.map((m) => m.sid)).toEqual([message.sid]);
  });

  test.each([
    ['an opted-out number', 21610, OPTED_OUT],
    ['a landline', 21614, LANDLINE],
    ['a number Twilio rejects', 21211, REJECTED],
    ['a number that is not E.164', 21211, '4155550142'],
  ])('refuses to text %s with code %d, as a RestException', async (_name, code, to) => {
    const err = await rejection(client.messages.create({ to, from: LINE, body: 'Hello' }));
    expect(err).toBeInstanceOf(twilio.RestException);
    expect(err).toMatchObject({ status: 400, code });
    expect(emulator.messages()).toHaveLength(0);
  });

  test('requires a body (21602) and a sender (21603)', async () => {
    expect(await rejection(client.messages.create({ to: CALLER, from: LINE }))).toMatchObject({ code: 21602 });
    expect(await rejection(client.messages.create({ to: CALLER, body: 'x' } as never))).toMatchObject({ code: 21603 });
  });

  test('schedules a reminder through the Messaging Service, then cancels it', async () => {
    const message = await client.messages.create({
      to: CALLER,
      messagingServiceSid: SERVICE_SID,
      body: 'Reminder: we will call you at 2:00 PM.',
      scheduleType: 'fixed',
      sendAt: inMinutes(60),
    });
    expect(message).toMatchObject({ status: 'scheduled', messagingServiceSid: SERVICE_SID, from: null, dateSent: null });
    const canceled = await client.messages(message.sid).update({ status: 'canceled' });
    expect(canceled.status).toBe('canceled');
    const again = await rejection(client.messages(message.sid).update({ status: 'canceled' }));
    expect(again).toMatchObject({ status: 400, code: 30409 });
  });

  test.each([
    ['less than 15 minutes ahead', 35114, { messagingServiceSid: SERVICE_SID, sendAt: inMinutes(10) }],
    ['more than 35 days ahead', 35114, { messagingServiceSid: SERVICE_SID, sendAt: inMinutes(36 * 24 * 60) }],
    ['without a Messaging Service', 35118, { from: LINE, sendAt: inMinutes(60) }],
    ['without SendAt', 35111, { messagingServiceSid: SERVICE_SID }],
    ['with a Messaging Service that does not exist', 21701, { messagingServiceSid: 'MG99999999999999999999999999999999', sendAt: inMinutes(60) }],
  ])('refuses a scheduled message %s (code %d)', async (_name, code, options) => {
    const err = await rejection(
      client.messages.create({ to: CALLER, body: 'Reminder', scheduleType: 'fixed', ...options } as never),
    );
    expect(err).toMatchObject({ status: 400, code });
  });

  test('refuses to cancel a message that was sent, not scheduled (30409)', async () => {
    const { sid } = await client.messages.create({ to: CALLER, from: LINE, body: 'Now' });
    expect(await rejection(client.messages(sid).update({ status: 'canceled' }))).toMatchObject({ code: 30409 });
  });

  test('finds a Messaging Service that exists, and 404s one that does not', async () => {
    const service = await client.messaging.v1.services(SERVICE_SID).fetch();
    expect(service.sid).toBe(SERVICE_SID);
    const err = await rejection(client.messaging.v1.services('MG99999999999999999999999999999999').fetch());
    expect(err).toMatchObject({ status: 404, code: 20404 });
  });
});

describe('recordings and Voice Intelligence', () => {
  test('serves a recording added for a call, and the callback Twilio would post', async () => {
    const callSid = 'CA0000000000000000000000000000abcd';
    const added = emulator.addRecording(callSid, { durationSeconds: 61 });
    const recording = await client.recordings(added.sid).fetch();
    expect(recording).toMatchObject({ sid: added.sid, callSid, duration: '61', status: 'completed', channels: 2, source: 'DialVerb' });
    const forCall = await client.calls(callSid).recordings.list();
    expect(forCall.map((r) => r.sid)).toEqual([added.sid]);
    expect(emulator.recordingCallbackParams(added.sid)).toMatchObject({
      CallSid: callSid,
      RecordingSid: added.sid,
      RecordingStatus: 'completed',
      RecordingDuration: '61',
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${added.sid}`,
    });
  });

  describe('started on a call in progress (the Call Recordings API)', () => {
    const CALL_SID = 'CA0000000000000000000000000000beef';
    let receiver: Awaited<ReturnType<typeof callbackReceiver>>;
    beforeEach(async () => {
      receiver = await callbackReceiver();
      emulator.addInboundCall({ from: CALLER, to: LINE, sid: CALL_SID, status: 'in-progress' });
    });
    afterEach(() => receiver.close());

    test('records both sides in two channels; when the call ends it is completed and its status callback posted, signed', async () => {
      const started = await client.calls(CALL_SID).recordings.create({
        recordingChannels: 'dual',
        recordingStatusCallback: receiver.url('/events/recording'),
        recordingStatusCallbackEvent: ['completed'],
      });
      expect(started).toMatchObject({ callSid: CALL_SID, status: 'in-progress', source: 'StartCallRecordingAPI', channels: 2, track: 'both', duration: null });
      expect(started.uri).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${CALL_SID}/Recordings/${started.sid}.json`);
      expect(receiver.posts).toEqual([]);

      emulator.setCallStatus(CALL_SID, 'completed', { durationSeconds: 90 });
      await emulator.callbacksSettled();
      expect(receiver.posts).toHaveLength(1);
      expect(receiver.posts[0]).toMatchObject({ url: receiver.url('/events/recording'), valid: true });
      expect(receiver.posts[0]!.params).toMatchObject({
        AccountSid: ACCOUNT_SID,
        CallSid: CALL_SID,
        RecordingSid: started.sid,
        RecordingStatus: 'completed',
        RecordingDuration: '90',
        RecordingChannels: '2',
        RecordingSource: 'StartCallRecordingAPI',
        RecordingTrack: 'both',
        RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${started.sid}`,
        ErrorCode: '0',
      });
      expect(await client.recordings(started.sid).fetch()).toMatchObject({ status: 'completed', duration: '90' });
      expect(emulator.callbacks().map((c) => [c.kind, c.status])).toEqual([['recording', 200]]);
    });

    test('a recording started a moment after the answer, across a second boundary, lasts the whole call', async () => {
      // The answer at …00.900 and the recording at …01.100 show as different whole seconds; the
      // recording is still as long as the call (this once failed in CI as 89 of 90 seconds).
      let clock = Date.parse('2026-12-05T15:00:00.900Z');
      const timed = await startTwilioEmulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, now: () => new Date(clock) });
      try {
        const local = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: timed.url });
        timed.addInboundCall({ from: CALLER, to: LINE, sid: CALL_SID, status: 'in-progress' });
        clock += 200;
        const started = await local.calls(CALL_SID).recordings.create({ recordingChannels: 'dual' });
        clock += 90_000;
        timed.setCallStatus(CALL_SID, 'completed', { durationSeconds: 90 });
        expect(await local.recordings(started.sid).fetch()).toMatchObject({ status: 'completed', duration: '90' });
      } finally {
        await timed.close();
      }
    });

    test('takes the events as the documentation writes them, space-separated in one value: in-progress at once, completed at the end', async () => {
      await client.calls(CALL_SID).recordings.create({ recordingStatusCallback: receiver.url('/rec'), recordingStatusCallbackEvent: ['in-progress completed'] });
      await emulator.callbacksSettled();
      expect(receiver.posts.map((p) => p.params.RecordingStatus)).toEqual(['in-progress']);
      emulator.setCallStatus(CALL_SID, 'completed', { durationSeconds: 12 });
      await emulator.callbacksSettled();
      expect(receiver.posts.map((p) => [p.params.RecordingStatus, p.params.RecordingChannels])).toEqual([['in-progress', '1'], ['completed', '1']]);
    });

    test('a call that ends with nothing recorded: absent (16101), reported only when asked', async () => {
      const quiet = await client.calls(CALL_SID).recordings.create({ recordingStatusCallback: receiver.url('/rec') });
      const asked = await client.calls(CALL_SID).recordings.create({ recordingStatusCallback: receiver.url('/rec'), recordingStatusCallbackEvent: ['absent'] });
      emulator.setCallStatus(CALL_SID, 'completed', { durationSeconds: 0 });
      await emulator.callbacksSettled();
      expect(emulator.recordings().map((r) => [r.sid, r.status, r.error_code])).toEqual([
        [quiet.sid, 'absent', 16101],
        [asked.sid, 'absent', 16101],
      ]);
      expect(receiver.posts.map((p) => [p.params.RecordingSid, p.params.RecordingStatus, p.params.ErrorCode])).toEqual([[asked.sid, 'absent', '16101']]);
    });

    test('a call hung up through the API ends its recording too', async () => {
      await client.calls(CALL_SID).recordings.create({ recordingStatusCallback: receiver.url('/rec'), recordingStatusCallbackEvent: ['completed', 'absent'] });
      await client.calls(CALL_SID).update({ status: 'completed' });
      await emulator.callbacksSettled();
      expect(emulator.recordings()[0]!.status).not.toBe('in-progress');
      expect(receiver.posts).toHaveLength(1);
    });

    test('refuses a call that is not in progress (21220) and one it does not know (404)', async () => {
      emulator.addInboundCall({ from: CALLER, to: LINE, sid: 'CA0000000000000000000000000000cafe', status: 'ringing' });
      expect(await rejection(client.calls('CA0000000000000000000000000000cafe').recordings.create())).toMatchObject({ status: 400, code: 21220 });
      emulator.setCallStatus(CALL_SID, 'completed');
      expect(await rejection(client.calls(CALL_SID).recordings.create())).toMatchObject({ status: 400, code: 21220, message: 'Requested resource is not eligible for recording' });
      expect(await rejection(client.calls('CA0000000000000000000000000000dead').recordings.create())).toMatchObject({ status: 404, code: 20404 });
      expect(emulator.recordings()).toEqual([]);
    });

    test.each([
      ['RecordingChannels', { recordingChannels: 'stereo' }],
      ['RecordingTrack', { recordingTrack: 'left' }],
      ['Trim', { trim: 'trim' }],
      ['RecordingStatusCallbackEvent', { recordingStatusCallbackEvent: ['done'] }],
      ['RecordingStatusCallback', { recordingStatusCallback: 'not a url' }],
    ])('refuses a %s Twilio does not document, and records nothing', async (_name, params) => {
      const err = await rejection(client.calls(CALL_SID).recordings.create(params as Parameters<ReturnType<typeof client.calls>['recordings']['create']>[0]));
      expect(err).toMatchObject({ status: 400 });
      expect(emulator.recordings()).toEqual([]);
    });
  });

  test('transcribes a recording: sentences and wrap-up notes', async () => {
    const recording = emulator.addRecording('CA0000000000000000000000000000abcd');
    const created = await client.intelligence.v2.transcripts.create({
      serviceSid: INTELLIGENCE_SID,
      channel: { media_properties: { source_sid: recording.sid } },
      customerKey: 'CA0000000000000000000000000000abcd',
    });
    expect(created.sid).toMatch(/^GT[0-9a-f]{32}$/);
    expect(created).toMatchObject({ status: 'queued', serviceSid: INTELLIGENCE_SID, customerKey: 'CA0000000000000000000000000000abcd' });

    const transcript = await client.intelligence.v2.transcripts(created.sid).fetch();
    expect(transcript.status).toBe('completed');
    // Page size 2 makes the client follow next_page_url, an intelligence.twilio.com URL.
    const sentences = await client.intelligence.v2.transcripts(created.sid).sentences.list({ pageSize: 2 });
    expect(sentences.map((s) => [s.mediaChannel, s.transcript])).toEqual([
      [1, 'Hi, I was charged twice for my last order.'],
      [2, 'Sorry about that. I can see the duplicate charge and I will refund it today.'],
      [1, 'Thank you, that is all I needed.'],
    ]);
    const results = await client.intelligence.v2.transcripts(created.sid).operatorResults.list({ redacted: false });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ operatorType: 'text-generation', textGenerationResults: { format: 'text' } });
    expect(results[0].textGenerationResults.result).toContain('refunded the duplicate charge');
  });

  test('redacts PII in sentences by default and gives the raw text with Redacted=false', async () => {
    const recording = emulator.addRecording('CA0000000000000000000000000000abcd');
    emulator.setTranscriptContent({
      sentences: [
        { channel: 1, text: 'Call me back on +1 415-555-0142 or write to jo.doe@example.com please.' },
        { channel: 2, text: 'Sure, I will call you at 10:30 on 2026-11-30.' },
      ],
    });
    const { sid } = await client.intelligence.v2.transcripts.create({
      serviceSid: INTELLIGENCE_SID,
      channel: { media_properties: { source_sid: recording.sid } },
    });

    const redacted = await client.intelligence.v2.transcripts(sid).sentences.list();
    expect(redacted.map((s) => s.transcript)).toEqual([
      'Call me back on [PHONE_NUMBER] or write to [EMAIL_ADDRESS] please.',
      'Sure, I will call you at 10:30 on 2026-11-30.',
    ]);
    expect(redacted[0].words.map((w: { word: string }) => w.word)).toContain('[PHONE_NUMBER]');
    const explicit = await client.intelligence.v2.transcripts(sid).sentences.list({ redacted: true });
    expect(explicit.map((s) => s.transcript)).toEqual(redacted.map((s) => s.transcript));

    const raw = await client.intelligence.v2.transcripts(sid).sentences.list({ redacted: false });
    expect(raw.map((s) => s.transcript)).toEqual([
      'Call me back on +1 415-555-0142 or write to jo.doe@example.com please.',
      'Sure, I will call you at 10:30 on 2026-11-30.',
    ]);
    expect(emulator.transcripts()[0].sentences[0].transcript).toContain('+1 415-555-0142');
  });

  test('puts every sentence of a mono recording on media channel 1', async () => {
    const recording = emulator.addRecording('CA0000000000000000000000000000abcd', { channels: 1 });
    const { sid } = await client.intelligence.v2.transcripts.create({
      serviceSid: INTELLIGENCE_SID,
      channel: { media_properties: { source_sid: recording.sid } },
    });
    const sentences = await client.intelligence.v2.transcripts(sid).sentences.list();
    expect(sentences).toHaveLength(3);
    expect(sentences.map((s) => s.mediaChannel)).toEqual([1, 1, 1]);
  });

  test('fails a transcript whose recording does not exist', async () => {
    const created = await client.intelligence.v2.transcripts.create({
      serviceSid: INTELLIGENCE_SID,
      channel: { media_properties: { source_sid: 'RE00000000000000000000000000000000' } },
    });
    expect((await client.intelligence.v2.transcripts(created.sid).fetch()).status).toBe('failed');
    expect(await client.intelligence.v2.transcripts(created.sid).sentences.list()).toEqual([]);
  });

  test('refuses a transcript whose Channel names no media (20001)', async () => {
    const err = await rejection(
      client.intelligence.v2.transcripts.create({ serviceSid: INTELLIGENCE_SID, channel: { participants: [] } }),
    );
    expect(err).toMatchObject({ status: 400, code: 20001 });
  });

  test('holds a transcript until told to finish it, with the content given', async () => {
    const waiting = await startTwilioEmulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, autoCompleteTranscripts: false });
    try {
      const local = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: waiting.url });
      const recording = waiting.addRecording('CA0000000000000000000000000000abcd');
      const { sid } = await local.intelligence.v2.transcripts.create({
        serviceSid: INTELLIGENCE_SID,
        channel: { media_properties: { source_sid: recording.sid } },
      });
      expect((await local.intelligence.v2.transcripts(sid).fetch()).status).toBe('queued');
      waiting.completeTranscript(sid, { content: { sentences: [{ channel: 1, text: 'Hola' }], wrapUpNotes: 'Short call.' } });
      expect((await local.intelligence.v2.transcripts(sid).sentences.list()).map((s) => s.transcript)).toEqual(['Hola']);
      const [notes] = await local.intelligence.v2.transcripts(sid).operatorResults.list();
      expect(notes.textGenerationResults.result).toBe('Short call.');
    } finally {
      await waiting.close();
    }
  });
});

describe('faults', () => {
  test('a 429 surfaces at once and is not retried by the client (no duplicate call)', async () => {
    emulator.faults.set({ resource: 'calls', method: 'POST', status: 429, times: 1 });
    const started = Date.now();
    const err = await rejection(placeCall());
    expect(err).toMatchObject({ status: 429, code: 20429 });
    expect(Date.now() - started).toBeLessThan(500);
    expect(emulator.stats().requests).toBe(1);
    expect(emulator.calls()).toHaveLength(0);
    await placeCall();
    expect(emulator.calls()).toHaveLength(1);
  });

  test('N failures in a row, only on the resource named', async () => {
    emulator.faults.set({ resource: 'messages', status: 503, times: 2 });
    await placeCall();
    expect(await rejection(client.messages.create({ to: CALLER, from: LINE, body: 'a' }))).toMatchObject({ status: 503 });
    expect(await rejection(client.messages.create({ to: CALLER, from: LINE, body: 'b' }))).toMatchObject({ status: 503 });
    await client.messages.create({ to: CALLER, from: LINE, body: 'c' });
    expect(emulator.messages().map((m) => m.resource.body)).toEqual(['c']);
    expect(emulator.stats()).toMatchObject({ faults: 2, created: { calls: 1, messages: 1 } });
  });

  test('a hanging API runs into the client timeout', async () => {
    const impatient = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: emulator.url, timeoutMs: 300 });
    emulator.faults.set({ hang: true });
    const started = Date.now();
    const err = await rejection(impatient.calls.list());
    expect(err.message).toMatch(/timeout/i);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  test('latency delays the answer without failing it', async () => {
    emulator.faults.set({ latencyMs: 250 });
    const started = Date.now();
    await placeCall();
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  test('faults, state and reset are reachable over HTTP for other processes', async () => {
    const set = await fetch(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ resource: 'calls', status: 500, times: 1 }),
    });
    expect(set.status).toBe(200);
    expect(await rejection(placeCall())).toMatchObject({ status: 500, code: 20500 });
    const call = await placeCall();
    const calls = (await (await fetch(`${emulator.url}/__emulator/calls`)).json()) as { sid: string }[];
    expect(calls.map((c) => c.sid)).toEqual([call.sid]);
    const status = await fetch(`${emulator.url}/__emulator/calls/${call.sid}/status`, {
      method: 'POST',
      body: JSON.stringify({ status: 'busy' }),
    });
    expect(((await status.json()) as { status: string }).status).toBe('busy');
    await fetch(`${emulator.url}/__emulator/reset`, { method: 'POST' });
    expect(emulator.calls()).toHaveLength(0);
    const bad = await fetch(`${emulator.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ status: 'x' }) });
    expect(bad.status).toBe(400);
  });
});
