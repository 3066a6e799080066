// The sandbox's callbacks against the built Functions, end to end: a bridged call on the Sales line
// posts its recording and status callbacks, the Twilio emulator announces the transcript to
// /events/transcript, and the Calls row ends up complete — also when Twilio delivers a callback
// twice, sends one again later, or delivers the recording after the final call status.
import { DEMO_CALLERS, DEMO_LINES, demoBaseWithHours } from '../../sandbox/demo-data';
import { DEFAULT_TRANSCRIPT_CONTENT } from '../../sandbox/emulators/twilio';
import { call, type CallOptions } from '../../sandbox/simulator/call-script';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox(() => demoBaseWithHours('open'), { transcriptWebhook: true });

const callRows = () => sandbox.airtable.records('Calls');

async function bridgedSalesCall(options: Partial<CallOptions> = {}) {
  const record = await call(sandbox, { to: DEMO_LINES.sales, from: DEMO_CALLERS.dana, statusCallback: '/events/call-status', ...options })
    .say('agent')
    .press('1')
    .agent({ answer: 'accept', talkSeconds: 75 })
    .expectEnd('party');
  // The Intelligence webhook goes out once the transcript completes, after the recording callback.
  await sandbox.twilio.callbacksSettled();
  return record;
}

const COMPLETE_ROW = {
  Outcome: 'Connected',
  Transcript: expect.stringContaining('Caller: Hi, I was charged twice'),
  'Wrap-up Notes': DEFAULT_TRANSCRIPT_CONTENT.wrapUpNotes,
};

test('a bridged call ends with recording, duration, transcript and wrap-up notes on its row, through the webhooks Twilio sends', async () => {
  const record = await bridgedSalesCall();
  const [recording] = sandbox.twilio.recordings();
  expect(callRows()).toHaveLength(1);
  expect(callRows()[0]!.fields).toMatchObject({ ...COMPLETE_ROW, 'Call SID': record.callSid, 'Recording SID': recording!.sid, Duration: record.duration });
  // The log files a callback once answered: the transcript webhook lands while /events/recording is still answering.
  expect(sandbox.twilio.callbacks().map((c) => [c.kind, c.status])).toEqual([
    ['transcript', 200],
    ['recording', 200],
    ['call-status', 200],
  ]);
});

test('every callback delivered twice, and each sent once more later: one row, the same fields, one transcript', async () => {
  await bridgedSalesCall({ callbacks: { duplicate: ['recording', 'call-status'] } });
  const row = structuredClone(callRows()[0]!.fields);
  expect(row).toMatchObject(COMPLETE_ROW);
  for (const kind of ['recording', 'transcript', 'call-status']) expect(await sandbox.twilio.redeliverCallback(kind)).toMatchObject({ status: 200 });
  await sandbox.twilio.callbacksSettled();
  expect(callRows()).toHaveLength(1);
  expect(callRows()[0]!.fields).toEqual(row);
  expect(sandbox.twilio.stats().created.transcripts).toBe(1);
});

test('the recording callback after the final call status: the row is the same', async () => {
  await bridgedSalesCall({ callbacks: { defer: ['recording'] } });
  expect(sandbox.twilio.callbacks().map((c) => c.kind)).toEqual(['call-status', 'transcript', 'recording']);
  expect(callRows()).toHaveLength(1);
  expect(callRows()[0]!.fields).toMatchObject({ ...COMPLETE_ROW, Duration: expect.any(Number) });
});
