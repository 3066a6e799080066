// A recorded ring group (issue 16), played as calls against the built Functions and the emulators: with
// `Record Agent Leg`, the caller hears the Recording Notice first, the connected call is recorded dual
// channel (In Order: the leg's <Dial record>; Simultaneous: the Call Recordings API on the caller's call
// when the agent joins the room), and /events/recording stores it as for a single number, then the Voice
// Intelligence transcript and wrap-up notes land on the Calls row with the number of the agent who took it.
import { DEMO_CALLERS, DEMO_DESK_AGENTS, DEMO_LINES, demoBaseWithHours, type DemoBase } from '../../sandbox/demo-data';
import { DEFAULT_TRANSCRIPT_CONTENT } from '../../sandbox/emulators/twilio';
import { call, type CallScript } from '../../sandbox/simulator/call-script';
import { useSandbox } from '../helpers/sandbox';

const NOTICE = 'This call may be recorded for quality.';

function recordedDesk(strategy: 'In Order' | 'Simultaneous'): DemoBase {
  const base = demoBaseWithHours('open');
  Object.assign(base.Lines.find((l) => l.Name === 'Service Desk')!, { 'Ring Strategy': strategy, 'Record Agent Leg': true, 'Recording Notice': NOTICE });
  return base;
}

const sandbox = useSandbox(() => recordedDesk('Simultaneous'), { transcriptWebhook: true });

const callRow = (callSid: string) => sandbox.airtable.records('Calls').find((r) => r.fields['Call SID'] === callSid)?.fields;

/** Dana calls the Service Desk, picks the live transfer, and hears the notice before anything rings. */
const deskCall = (): CallScript =>
  call(sandbox, { to: DEMO_LINES.serviceDesk, from: DEMO_CALLERS.dana, statusCallback: '/events/call-status' })
    .say('agent')
    .expectSay(/talk to a person now, press 1/)
    .press('1')
    .expectSay(NOTICE)
    .expectSay(/Connecting you to a person/);

const RECORDED_ROW = {
  Outcome: 'Connected',
  'Transfer Method': 'Bridge',
  Transcript: expect.stringContaining('Caller: Hi, I was charged twice'),
  'Wrap-up Notes': DEFAULT_TRANSCRIPT_CONTENT.wrapUpNotes,
};

test('In Order: the second agent takes the call; their leg is recorded dual channel, transcribed, and the row names them', async () => {
  sandbox.airtable.reset(recordedDesk('In Order'));
  const record = await deskCall()
    .agent({ answer: 'no-answer' })
    .expectSay('Still trying. Please hold.')
    .agent({ answer: 'accept', talkSeconds: 60 })
    .expectEnd('party');
  await sandbox.twilio.callbacksSettled();
  const recordings = sandbox.twilio.recordings();
  expect(recordings).toHaveLength(1);
  expect(recordings[0]).toMatchObject({ call_sid: record.callSid, channels: 2, source: 'DialVerb', status: 'completed' });
  expect(callRow(record.callSid)).toMatchObject({
    ...RECORDED_ROW,
    'Agent Number': DEMO_DESK_AGENTS[1],
    'Recording SID': recordings[0]!.sid,
    'Recording URL': recordings[0]!.media_url,
  });
  expect(sandbox.twilio.transcripts().map((t) => t.sourceSid)).toEqual([recordings[0]!.sid]);
});

test('Simultaneous: the agent who accepts joins the room, the caller\'s call is recorded dual channel from then on, transcribed, and the row names the agent', async () => {
  const script = deskCall()
    .agentCalls({ answer: 'voicemail' }, { answer: 'accept', hungUpBy: 'agent', talkSeconds: 60 }, { answer: 'accept' })
    .expectHoldAudio()
    .expectSay('Goodbye')
    .expectHangup();
  const record = await script;
  await sandbox.twilio.callbacksSettled();
  const recordings = sandbox.twilio.recordings();
  expect(recordings).toHaveLength(1);
  expect(recordings[0]).toMatchObject({ call_sid: record.callSid, channels: 2, track: 'both', source: 'StartCallRecordingAPI', status: 'completed' });
  expect(Number(recordings[0]!.duration)).toBeGreaterThan(0);
  const [started] = sandbox.twilio.requests().filter((r) => r.method === 'POST' && r.path.endsWith(`/Calls/${record.callSid}/Recordings.json`));
  expect(started!.params).toEqual({ RecordingChannels: 'dual', RecordingStatusCallback: `${sandbox.baseUrl}/events/recording`, RecordingStatusCallbackEvent: 'completed' });
  // The recording callback came from Twilio, signed, and the Functions stored it.
  expect(sandbox.twilio.callbacks().filter((c) => c.kind === 'recording').map((c) => [c.sentBy, c.params?.RecordingSid, c.status])).toEqual([['emulator', recordings[0]!.sid, 200]]);
  const [, agent] = script.agentCallRecords();
  expect(callRow(record.callSid)).toMatchObject({
    ...RECORDED_ROW,
    'Agent Number': DEMO_DESK_AGENTS[1],
    'Agent Call SID': agent!.callSid,
    'Recording SID': recordings[0]!.sid,
    'Recording URL': recordings[0]!.media_url,
  });
  // Channel 1 is the caller's own voice, channel 2 what they heard in the room: the agent.
  const [transcript] = sandbox.twilio.transcripts();
  expect(transcript!.channel).toMatchObject({ participants: [expect.objectContaining({ channel_participant: 1, role: 'Customer' }), expect.objectContaining({ channel_participant: 2, role: 'Agent' })] });
});

test('Simultaneous: Twilio refuses to start the recording; the caller is still connected, the row says Connected with no recording, and the room event answers 500', async () => {
  sandbox.twilio.faults.set({ resource: 'recordings', method: 'POST', status: 500 });
  const record = await deskCall()
    .agentCalls({ answer: 'accept', hungUpBy: 'agent', talkSeconds: 30 }, { answer: 'busy' }, { answer: 'busy' })
    .expectHoldAudio()
    .expectSay('Goodbye')
    .expectHangup();
  await sandbox.twilio.callbacksSettled();
  expect(sandbox.twilio.recordings()).toEqual([]);
  const row = callRow(record.callSid);
  expect(row).toMatchObject({ Outcome: 'Connected', 'Agent Number': DEMO_DESK_AGENTS[0] });
  expect(row?.['Recording SID']).toBeUndefined();
  const joins = sandbox.twilio.callbacks().filter((c) => c.kind === 'conference-status' && c.params?.StatusCallbackEvent === 'participant-join' && c.params.ParticipantLabel === 'agent');
  expect(joins.map((c) => c.status)).toEqual([500]);
});

test('Simultaneous: the room event delivered again starts no second recording', async () => {
  const record = await deskCall()
    .agentCalls({ answer: 'accept', hungUpBy: 'agent', talkSeconds: 30 }, { answer: 'busy' }, { answer: 'busy' })
    .expectHoldAudio()
    .expectSay('Goodbye')
    .expectHangup();
  await sandbox.twilio.callbacksSettled();
  expect(sandbox.twilio.recordings().filter((r) => r.call_sid === record.callSid)).toHaveLength(1);
  expect(await sandbox.twilio.redeliverCallback('conference-status', 'participant-join')).toMatchObject({ status: 200 });
  expect(sandbox.twilio.recordings().filter((r) => r.call_sid === record.callSid)).toHaveLength(1);
});
