// The events after a transfer, posted the way Twilio posts them: the number's status callback, the
// recording callback and the Voice Intelligence webhook (JSON, signed with bodySHA256). Each must be
// idempotent, trust nothing in its body that it can fetch, and never lose a Calls write.
import { randomBytes } from 'node:crypto';
import { createTwilioClient } from '../../src/assets/adapters/twilio-client.private';
import { DEMO_DESK_AGENTS, DEMO_LINES, demoBaseWithHours, type DemoBase } from '../../sandbox/demo-data';
import { DEFAULT_TRANSCRIPT_CONTENT } from '../../sandbox/emulators/twilio';
import { signatureFor, withBodyHash } from '../../sandbox/webhook-client';
import { functionsMemory } from '../helpers/functions-memory';
import { useSandbox } from '../helpers/sandbox';

const newCallSid = () => `CA${randomBytes(16).toString('hex')}`;
const INTELLIGENCE_SERVICE = 'GA00000000000000000000000000000001';

const sandbox = useSandbox(() => demoBaseWithHours('open'));

function seedCalls(rows: Record<string, string | number>[]): void {
  const base: DemoBase = demoBaseWithHours('open');
  base.Calls = rows;
  sandbox.airtable.reset(base);
}
const callRows = () => sandbox.airtable.records('Calls');
const callRow = (callSid: string) => callRows().find((r) => r.fields['Call SID'] === callSid)?.fields;

/** A finished dual-channel recording of `callSid`'s bridge, and what Twilio posts about it. */
function recordingOf(callSid: string, channels = 2): Record<string, string> {
  sandbox.twilio.addInboundCall({ from: '+14155550142', to: DEMO_LINES.sales, sid: callSid, status: 'completed' });
  const recording = sandbox.twilio.addRecording(callSid, { channels, durationSeconds: 61 });
  return sandbox.twilio.recordingCallbackParams(recording.sid);
}

/** The Intelligence webhook's body (it only names the transcript; the handler fetches the rest). */
const transcriptEvent = (transcriptSid: string, customerKey = 'ignored') => ({
  account_sid: sandbox.accountSid,
  service_sid: INTELLIGENCE_SERVICE,
  transcript_sid: transcriptSid,
  customer_key: customerKey,
  event_type: 'voice_intelligence_transcript_available',
});

describe('/events/recording', () => {
  test('stores the recording and creates one transcript (caller and agent by channel), even when delivered twice', async () => {
    const callSid = newCallSid();
    seedCalls([{ 'Call SID': callSid, Line: DEMO_LINES.sales, Outcome: 'Connected' }]);
    const params = recordingOf(callSid);
    const first = await sandbox.post('/events/recording', params);
    const second = await sandbox.post('/events/recording', params);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(callRows()).toHaveLength(1);
    expect(callRow(callSid)).toMatchObject({ 'Recording SID': params.RecordingSid, 'Recording URL': params.RecordingUrl, Outcome: 'Connected' });
    const transcripts = sandbox.twilio.transcripts();
    expect(transcripts).toHaveLength(1);
    expect(transcripts[0]).toMatchObject({ sourceSid: params.RecordingSid, resource: { customer_key: callSid, service_sid: INTELLIGENCE_SERVICE } });
    expect(sandbox.twilio.stats().created.transcripts).toBe(1);
  });

  test('every Twilio request uses only parameters of the official API definition (twilio_intelligence_v2)', async () => {
    const callSid = newCallSid();
    seedCalls([{ 'Call SID': callSid }]);
    await sandbox.post('/events/recording', recordingOf(callSid));
    const [transcript] = sandbox.twilio.transcripts();
    await sandbox.postJson('/events/transcript', transcriptEvent(transcript.sid));
    // Checked against POST/GET /v2/Transcripts, /Sentences and /OperatorResults in the official OpenAPI file.
    const allowed: Record<string, string[]> = {
      'POST /v2/Transcripts': ['ServiceSid', 'Channel', 'CustomerKey', 'MediaStartTime'],
      'GET /v2/Transcripts': ['ServiceSid', 'SourceSid', 'Status', 'PageSize', 'Page', 'PageToken'],
      [`GET /v2/Transcripts/${transcript.sid}`]: [],
      [`GET /v2/Transcripts/${transcript.sid}/Sentences`]: ['Redacted', 'WordTimestamps', 'PageSize', 'Page', 'PageToken'],
      [`GET /v2/Transcripts/${transcript.sid}/OperatorResults`]: ['Redacted', 'PageSize', 'Page', 'PageToken'],
    };
    const made = sandbox.twilio.requests().map((r) => ({ key: `${r.method} ${r.path}`, names: [...Object.keys(r.params), ...new URLSearchParams(r.query).keys()] }));
    expect(made.map((m) => m.key).sort()).toEqual(Object.keys(allowed).sort());
    for (const { key, names } of made) expect(allowed[key]).toEqual(expect.arrayContaining(names));
    // Values within the definition's limits: PageSize 1..1000 (Transcripts, OperatorResults) or 1..5000 (Sentences).
    for (const r of sandbox.twilio.requests()) {
      const pageSize = new URLSearchParams(r.query).get('PageSize');
      if (pageSize) expect(Number(pageSize)).toBeLessThanOrEqual(r.path.endsWith('/Sentences') ? 5000 : 1000);
    }
    const create = sandbox.twilio.requests().find((r) => r.method === 'POST')!;
    expect(create.params.ServiceSid).toMatch(/^GA[0-9a-fA-F]{32}$/);
    expect(String(create.params.CustomerKey).length).toBeLessThanOrEqual(64);
    expect(JSON.parse(String(create.params.Channel))).toEqual({
      media_properties: { source_sid: transcript.sourceSid },
      participants: [
        { channel_participant: 1, role: 'Customer', full_name: 'Caller' },
        { channel_participant: 2, role: 'Agent', full_name: 'Agent' },
      ],
    });
  });

  test('a mono recording has one channel: no participants are claimed for it', async () => {
    const callSid = newCallSid();
    seedCalls([{ 'Call SID': callSid }]);
    await sandbox.post('/events/recording', recordingOf(callSid, 1));
    expect(sandbox.twilio.transcripts()[0].channel).toEqual({ media_properties: { source_sid: expect.stringMatching(/^RE/) } });
  });

  test('an Airtable failure answers 500 and keeps the write; the next event sends it', async () => {
    const callSid = newCallSid();
    seedCalls([{ 'Call SID': callSid }]);
    const params = recordingOf(callSid);
    sandbox.airtable.faults.set({ status: 503, table: 'Calls' });
    expect((await sandbox.post('/events/recording', params)).status).toBe(500);
    expect(callRow(callSid)?.['Recording SID']).toBeUndefined();
    sandbox.airtable.faults.clear();
    const other = newCallSid();
    const answer = await sandbox.post('/events/call-status', { CallSid: other, CallStatus: 'completed', CallDuration: '5', AccountSid: sandbox.accountSid });
    expect(answer.status).toBe(200);
    expect(callRow(callSid)).toMatchObject({ 'Recording SID': params.RecordingSid });
    expect(callRow(other)).toBeUndefined();
    expect(sandbox.twilio.transcripts()).toHaveLength(1);
  });

  test('an in-progress recording event writes nothing', async () => {
    const callSid = newCallSid();
    seedCalls([]);
    const params = { ...recordingOf(callSid), RecordingStatus: 'in-progress' };
    expect((await sandbox.post('/events/recording', params)).status).toBe(200);
    expect(callRows()).toHaveLength(0);
  });
});

describe('/events/transcript', () => {
  async function transcribedCall(): Promise<{ callSid: string; transcriptSid: string }> {
    const callSid = newCallSid();
    seedCalls([{ 'Call SID': callSid, Outcome: 'Connected', 'Recording SID': 'RE00000000000000000000000000000000' }]);
    await sandbox.post('/events/recording', recordingOf(callSid));
    return { callSid, transcriptSid: sandbox.twilio.transcripts()[0].sid };
  }

  test('writes the speaker-labelled transcript and the summary operator’s notes; twice is the same row', async () => {
    const { callSid, transcriptSid } = await transcribedCall();
    const first = await sandbox.postJson('/events/transcript', transcriptEvent(transcriptSid));
    const afterFirst = callRow(callSid);
    const second = await sandbox.postJson('/events/transcript', transcriptEvent(transcriptSid));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(callRow(callSid)).toEqual(afterFirst);
    expect(afterFirst).toMatchObject({
      Transcript: [
        'Caller: Hi, I was charged twice for my last order.',
        'Agent: Sorry about that. I can see the duplicate charge and I will refund it today.',
        'Caller: Thank you, that is all I needed.',
      ].join('\n'),
      'Wrap-up Notes': DEFAULT_TRANSCRIPT_CONTENT.wrapUpNotes,
      Outcome: 'Connected',
    });
    expect(callRows()).toHaveLength(1);
    expect(sandbox.twilio.stats().created.transcripts).toBe(1);
  });

  test('a call this instance logged is known to be in the log: the transcript is written without reading the row first', async () => {
    const { callSid, transcriptSid } = await transcribedCall();
    sandbox.airtable.stats.reset();
    expect((await sandbox.postJson('/events/transcript', transcriptEvent(transcriptSid))).status).toBe(200);
    expect(sandbox.airtable.stats.counts().Calls).toEqual({ PATCH: 1 });
    expect(callRow(callSid)?.Transcript).toMatch(/^Caller: /);
  });

  test('a call another instance logged: the row is read first, then written', async () => {
    const { callSid, transcriptSid } = await transcribedCall();
    functionsMemory().reset();
    sandbox.airtable.stats.reset();
    expect((await sandbox.postJson('/events/transcript', transcriptEvent(transcriptSid))).status).toBe(200);
    expect(sandbox.airtable.stats.counts().Calls).toEqual({ GET: 1, PATCH: 1 });
    expect(callRow(callSid)?.Transcript).toMatch(/^Caller: /);
  });

  test('without a summary operator the notes are the first sentences of the call', async () => {
    sandbox.twilio.setTranscriptContent({ sentences: [
      { channel: 1, text: 'My parcel never arrived.' },
      { channel: 2, text: 'I will send a new one.' },
      { channel: 1, text: 'Great.' },
      { channel: 2, text: 'Anything else?' },
    ] });
    const { callSid, transcriptSid } = await transcribedCall();
    await sandbox.postJson('/events/transcript', transcriptEvent(transcriptSid));
    expect(callRow(callSid)?.['Wrap-up Notes']).toBe('My parcel never arrived. I will send a new one. Great.');
  });

  test('the body is not trusted: the call comes from the transcript fetched by SID, not from customer_key', async () => {
    const { callSid, transcriptSid } = await transcribedCall();
    const bystander = newCallSid();
    const base = demoBaseWithHours('open');
    base.Calls = [...callRows().map((r) => r.fields as Record<string, string>), { 'Call SID': bystander, Outcome: 'Declined' }];
    sandbox.airtable.reset(base);
    await sandbox.postJson('/events/transcript', transcriptEvent(transcriptSid, bystander));
    expect(callRow(bystander)).toEqual({ 'Call SID': bystander, Outcome: 'Declined' });
    expect(callRow(callSid)?.Transcript).toMatch(/^Caller:/);
  });

  test('an unknown transcript SID, or a malformed one, writes nothing', async () => {
    seedCalls([]);
    for (const sid of [`GT${randomBytes(16).toString('hex')}`, 'GT123', '']) {
      const answer = await sandbox.postJson('/events/transcript', transcriptEvent(sid));
      expect(answer.status).toBe(200);
    }
    expect(callRows()).toHaveLength(0);
  });

  test('a transcript of a call that is not in the log writes nothing', async () => {
    seedCalls([]);
    const client = createTwilioClient({ accountSid: sandbox.accountSid, authToken: sandbox.authToken, apiBaseUrl: sandbox.twilio.url });
    const stranger = newCallSid();
    const recording = sandbox.twilio.addRecording(stranger);
    const transcript = await client.intelligence.v2.transcripts.create({ serviceSid: INTELLIGENCE_SERVICE, channel: { media_properties: { source_sid: recording.sid } }, customerKey: stranger });
    expect((await sandbox.postJson('/events/transcript', transcriptEvent(transcript.sid, stranger))).status).toBe(200);
    expect(callRows()).toHaveLength(0);
  });

  test('a failed transcript writes nothing', async () => {
    const callSid = newCallSid();
    seedCalls([{ 'Call SID': callSid }]);
    const client = createTwilioClient({ accountSid: sandbox.accountSid, authToken: sandbox.authToken, apiBaseUrl: sandbox.twilio.url });
    // Media that does not exist: the emulator fails the transcript, as Twilio does.
    const transcript = await client.intelligence.v2.transcripts.create({ serviceSid: INTELLIGENCE_SERVICE, channel: { media_properties: { source_sid: `RE${'0'.repeat(32)}` } }, customerKey: callSid });
    await sandbox.postJson('/events/transcript', transcriptEvent(transcript.sid));
    expect(callRow(callSid)).toEqual({ 'Call SID': callSid });
  });

  test('the Intelligence API is down: 500, so the service delivers again; nothing half-written', async () => {
    const { callSid, transcriptSid } = await transcribedCall();
    sandbox.twilio.faults.set({ resource: 'transcripts', status: 503 });
    expect((await sandbox.postJson('/events/transcript', transcriptEvent(transcriptSid))).status).toBe(500);
    expect(callRow(callSid)?.Transcript).toBeUndefined();
    sandbox.twilio.faults.clear();
    expect((await sandbox.postJson('/events/transcript', transcriptEvent(transcriptSid))).status).toBe(200);
    expect(callRow(callSid)?.Transcript).toMatch(/^Caller:/);
  });

  test('JSON webhooks are checked like Twilio signs them: unsigned 401, wrong signature or altered body 403', async () => {
    const { transcriptSid } = await transcribedCall();
    expect((await sandbox.postJson('/events/transcript', transcriptEvent(transcriptSid), { sign: false })).status).toBe(401);
    expect((await sandbox.postJson('/events/transcript', transcriptEvent(transcriptSid), { signature: 'bm90IHRoZSBzaWduYXR1cmU=' })).status).toBe(403);
    // Signed for one body, sent with another: the bodySHA256 in the signed URL no longer matches.
    const body = JSON.stringify(transcriptEvent(transcriptSid));
    const url = withBodyHash(`${sandbox.baseUrl}/events/transcript`, body);
    const tampered = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twilio-signature': signatureFor(sandbox.authToken, url, {}) },
      body: body.replace(transcriptSid, `GT${'1'.repeat(32)}`),
    });
    expect(tampered.status).toBe(403);
  });
});

describe('/events/call-status', () => {
  test('a final outcome that arrived first is kept; only the duration is added', async () => {
    const callSid = newCallSid();
    seedCalls([{ 'Call SID': callSid, Outcome: 'Connected' }]);
    await sandbox.post('/events/call-status', { CallSid: callSid, CallStatus: 'completed', CallDuration: '95' });
    expect(callRow(callSid)).toMatchObject({ Outcome: 'Connected', Duration: 95 });
  });

  test('a call that never escalated (no row) and a progress event write nothing', async () => {
    seedCalls([]);
    await sandbox.post('/events/call-status', { CallSid: newCallSid(), CallStatus: 'completed', CallDuration: '12' });
    await sandbox.post('/events/call-status', { CallSid: newCallSid(), CallStatus: 'ringing' });
    expect(callRows()).toHaveLength(0);
  });

  test('Airtable hangs: the event is still answered within a second', async () => {
    seedCalls([]);
    sandbox.airtable.faults.set({ hang: true });
    const started = Date.now();
    const answer = await sandbox.post('/events/call-status', { CallSid: newCallSid(), CallStatus: 'completed', CallDuration: '9' });
    expect(answer.status).toBe(500);
    expect(Date.now() - started).toBeLessThan(1500);
    sandbox.airtable.faults.clear();
  });

  test('the row cannot even be read: 500, and the outcome still reaches the row with the next event on this instance', async () => {
    const callSid = newCallSid();
    seedCalls([{ 'Call SID': callSid, Outcome: 'Transferring' }]);
    sandbox.airtable.faults.set({ status: 503, table: 'Calls' });
    expect((await sandbox.post('/events/call-status', { CallSid: callSid, CallStatus: 'completed', CallDuration: '41' })).status).toBe(500);
    expect(callRow(callSid)).toMatchObject({ Outcome: 'Transferring' });
    sandbox.airtable.faults.clear();
    // Twilio does not send the status again; another call's event comes along.
    await sandbox.post('/events/call-status', { CallSid: newCallSid(), CallStatus: 'completed', CallDuration: '3' });
    expect(callRow(callSid)).toMatchObject({ Outcome: 'Caller hung up', Duration: 41 });
    expect(callRows()).toHaveLength(1);
  });

  test('a kept status whose call turned out to end well keeps its final outcome', async () => {
    const callSid = newCallSid();
    seedCalls([{ 'Call SID': callSid, Outcome: 'Transferring' }]);
    sandbox.airtable.faults.set({ status: 503, table: 'Calls', method: 'GET' });
    expect((await sandbox.post('/events/call-status', { CallSid: callSid, CallStatus: 'completed', CallDuration: '50' })).status).toBe(500);
    sandbox.airtable.faults.clear();
    seedCalls([{ 'Call SID': callSid, Outcome: 'Connected' }]); // the transfer's own ending was written meanwhile
    await sandbox.post('/events/call-status', { CallSid: newCallSid(), CallStatus: 'completed', CallDuration: '3' });
    expect(callRow(callSid)).toMatchObject({ Outcome: 'Connected', Duration: 50 });
  });

  test('Airtable down: 500 so the event is not lost silently; the row is written by a later event', async () => {
    const callSid = newCallSid();
    seedCalls([{ 'Call SID': callSid, Outcome: 'Transferring' }]);
    sandbox.airtable.faults.set({ status: 500, table: 'Calls', method: 'PATCH' });
    expect((await sandbox.post('/events/call-status', { CallSid: callSid, CallStatus: 'completed', CallDuration: '20' })).status).toBe(500);
    sandbox.airtable.faults.clear();
    await sandbox.post('/events/call-status', { CallSid: newCallSid(), CallStatus: 'completed', CallDuration: '3' });
    expect(callRow(callSid)).toMatchObject({ Outcome: 'Caller hung up', Duration: 20 });
  });
});

describe('/transfer/group/room (a Simultaneous group whose line records the agent leg)', () => {
  /** The Service Desk recording its calls, with the caller's row; the caller's call as Twilio knows it. */
  function recordedDeskCall(callerStatus: 'in-progress' | 'completed'): { callerSid: string; agentSid: string } {
    const [callerSid, agentSid] = [newCallSid(), newCallSid()];
    const base = demoBaseWithHours('open');
    Object.assign(base.Lines.find((l) => l.Name === 'Service Desk')!, { 'Record Agent Leg': true });
    base.Calls = [{ 'Call SID': callerSid, Line: DEMO_LINES.serviceDesk, Outcome: 'Transferring' }];
    sandbox.airtable.reset(base);
    sandbox.twilio.addInboundCall({ from: '+14155550142', to: DEMO_LINES.serviceDesk, sid: callerSid, status: callerStatus });
    return { callerSid, agentSid };
  }
  const agentJoined = ({ callerSid, agentSid }: { callerSid: string; agentSid: string }) =>
    sandbox.post(`/transfer/group/room?legs=${agentSid}&Line=${encodeURIComponent(DEMO_LINES.serviceDesk)}`, {
      ConferenceSid: `CF${randomBytes(16).toString('hex')}`,
      FriendlyName: `ring-${callerSid}`,
      StatusCallbackEvent: 'participant-join',
      CallSid: agentSid,
      ParticipantLabel: 'agent',
    });

  test('the agent joins: the caller\'s call is recorded dual channel, once however often the event comes', async () => {
    const call = recordedDeskCall('in-progress');
    expect((await agentJoined(call)).status).toBe(200);
    expect((await agentJoined(call)).status).toBe(200);
    expect(sandbox.twilio.recordings().map((r) => [r.call_sid, r.source, r.channels, r.status])).toEqual([[call.callerSid, 'StartCallRecordingAPI', 2, 'in-progress']]);
    expect(callRow(call.callerSid)).toMatchObject({ Outcome: 'Connected', 'Agent Number': DEMO_DESK_AGENTS[0], 'Agent Call SID': call.agentSid });
  });

  test('the event comes after the caller hung up: nothing left to record (Twilio\'s 21220), 200, the row still names the agent', async () => {
    const call = recordedDeskCall('completed');
    expect((await agentJoined(call)).status).toBe(200);
    expect(sandbox.twilio.recordings()).toEqual([]);
    expect(sandbox.twilio.requests().filter((r) => r.resource === 'recordings' && r.method === 'POST').map((r) => r.status)).toEqual([400]);
    expect(callRow(call.callerSid)).toMatchObject({ Outcome: 'Connected', 'Agent Number': DEMO_DESK_AGENTS[0] });
  });
});

describe('/transfer/group/room: the caller reaches the room after every leg already ended', () => {
  // The legs' own status callbacks came while the caller still heard "connecting you": there was no
  // room yet, so they let the group go on. The caller's arrival is the last chance to notice.
  function deskCallWithLegs(...legStatuses: ('failed' | 'busy' | 'no-answer' | 'ringing')[]): { callerSid: string; legs: string[] } {
    const callerSid = newCallSid();
    seedCalls([{ 'Call SID': callerSid, Line: DEMO_LINES.serviceDesk, Outcome: 'Transferring' }]);
    sandbox.twilio.addInboundCall({ from: '+14155550142', to: DEMO_LINES.serviceDesk, sid: callerSid, status: 'in-progress' });
    const legs = legStatuses.map((status, i) => sandbox.twilio.addInboundCall({ from: DEMO_LINES.serviceDesk, to: DEMO_DESK_AGENTS[i]!, status }).sid);
    return { callerSid, legs };
  }
  const callerJoined = ({ callerSid, legs }: { callerSid: string; legs: string[] }) =>
    sandbox.post(`/transfer/group/room?lang=es-US&legs=${legs.join(',')}&Line=${encodeURIComponent(DEMO_LINES.serviceDesk)}`, {
      ConferenceSid: `CF${randomBytes(16).toString('hex')}`,
      FriendlyName: `ring-${callerSid}`,
      StatusCallbackEvent: 'participant-join',
      CallSid: callerSid,
      ParticipantLabel: 'caller',
    });
  const redirectsOf = (callSid: string) => sandbox.twilio.calls().find((c) => c.sid === callSid)!.updates.map((u) => String(u.Url ?? ''));

  test('every leg failed or was busy: the caller leaves the room at once for the apology, in the line\'s language', async () => {
    const call = deskCallWithLegs('failed', 'busy', 'failed');
    expect((await callerJoined(call)).status).toBe(200);
    const [redirect, ...more] = redirectsOf(call.callerSid);
    expect(more).toEqual([]);
    const url = new URL(redirect!);
    expect(url.pathname).toBe('/transfer/group/ended');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ none: '1', lang: 'es-US', Line: DEMO_LINES.serviceDesk });
  });

  test('the caller\'s arrival reported twice at the same moment (Twilio may deliver a callback twice): one redirect, so the apology is heard once', async () => {
    const call = deskCallWithLegs('failed', 'busy');
    const answers = await Promise.all([callerJoined(call), callerJoined(call)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(redirectsOf(call.callerSid)).toHaveLength(1);
    // Later, with the caller in the menu by then: a repeat does not pull them back to the apology.
    expect((await callerJoined(call)).status).toBe(200);
    expect(redirectsOf(call.callerSid)).toHaveLength(1);
  });

  test('a leg still rings: the caller waits for it', async () => {
    const call = deskCallWithLegs('failed', 'ringing', 'busy');
    expect((await callerJoined(call)).status).toBe(200);
    expect(redirectsOf(call.callerSid)).toEqual([]);
  });

  test('a never-placed leg does not count, a placed one that ended does', async () => {
    const call = deskCallWithLegs('no-answer');
    expect((await callerJoined({ ...call, legs: ['', ...call.legs] })).status).toBe(200);
    expect(redirectsOf(call.callerSid)).toHaveLength(1);
  });

  test('Twilio cannot say how the legs are: the caller stays (the legs\' own callbacks decide)', async () => {
    const call = deskCallWithLegs('failed', 'failed');
    sandbox.twilio.faults.set({ resource: 'calls', method: 'GET', status: 500 });
    expect((await callerJoined(call)).status).toBe(200);
    sandbox.twilio.faults.clear();
    expect(redirectsOf(call.callerSid)).toEqual([]);
  });

  test('the redirect fails: the event answers 500 (the failure shows in Twilio\'s debugger), and a redelivery sends the caller on', async () => {
    const call = deskCallWithLegs('busy');
    sandbox.twilio.faults.set({ resource: 'calls', method: 'POST', status: 500 });
    expect((await callerJoined(call)).status).toBe(500);
    sandbox.twilio.faults.clear();
    expect((await callerJoined(call)).status).toBe(200);
    expect(redirectsOf(call.callerSid)).toHaveLength(1);
  });
});

describe('/transfer/dial-ended (the single number\'s <Dial> action)', () => {
  const dialEnded = (callSid: string, agent: string, bridged: 'true' | 'false') =>
    sandbox.post(`/transfer/dial-ended?lang=en-US&Line=${encodeURIComponent(DEMO_LINES.sales)}&agent=${encodeURIComponent(agent)}`, {
      CallSid: callSid,
      To: DEMO_LINES.sales,
      DialCallStatus: bridged === 'true' ? 'completed' : 'busy',
      DialBridged: bridged,
      DialCallSid: newCallSid(),
    });

  test('connected: Agent Number is the number dialled; not connected: none; a value that is not a number is not written', async () => {
    const [connected, busy, tampered] = [newCallSid(), newCallSid(), newCallSid()];
    seedCalls([connected, busy, tampered].map((sid) => ({ 'Call SID': sid, Line: DEMO_LINES.sales, Outcome: 'Transferring' })));
    expect((await dialEnded(connected, '+12025550100', 'true')).status).toBe(200);
    expect((await dialEnded(busy, '+12025550100', 'false')).status).toBe(200);
    expect((await dialEnded(tampered, 'call me =IF(1,2)', 'true')).status).toBe(200);
    expect(callRow(connected)).toMatchObject({ Outcome: 'Connected', 'Agent Number': '+12025550100' });
    expect(callRow(busy)).toMatchObject({ Outcome: 'Agent busy' });
    expect(callRow(busy)?.['Agent Number']).toBeUndefined();
    expect(callRow(tampered)).toMatchObject({ Outcome: 'Connected' });
    expect(callRow(tampered)?.['Agent Number']).toBeUndefined();
  });
});
