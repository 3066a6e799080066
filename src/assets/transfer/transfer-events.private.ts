// The events after a transfer: the number's call status callback, the Dial recording's callback and
// the Voice Intelligence webhook. Each is idempotent (Twilio may deliver twice or out of order): the
// same event writes the same fields. A Calls write that fails is kept (shell/call-log) and the event
// is answered 500: the failure shows in Twilio's debugger, a sender that retries delivers again, and
// in any case the next event this instance serves sends the kept row (Twilio does not redeliver status
// callbacks by default). A failed read of the row (call status, transcript) also answers 500; nothing
// is written then, since a row must not be created for a call that never escalated, nor a final
// outcome replaced. A final call status whose read failed is kept instead (pendingStatuses) and handled
// again, read first, by the next event this instance serves: so `Transferring` still becomes `Caller
// hung up` when Airtable comes back, as long as this instance serves another event.
import { loadCallRow } from '../adapters/calls-table.private';
import { twilioClientFor } from '../adapters/twilio-client.private';
import { isCallSid, retryPendingCallRows, saveCallRowFor } from '../shell/call-log.private';
import type { EventAnswer, EventRequest } from '../shell/event-webhook.private';
import {
  callStatusFields,
  RECORDING_SID,
  speakersOf,
  summaryOf,
  transcriptChannel,
  transcriptText,
  TRANSCRIPT_SID,
  wrapUpNotes,
  type Sentence,
} from './call-events.private';

const OK: EventAnswer = { status: 200, json: { ok: true } };
const ignored = (reason: string): EventAnswer => ({ status: 200, json: { ok: true, ignored: reason } });
const notWritten: EventAnswer = { status: 500, text: 'call log write deferred' };
/** Events are answered within a second (issue 7): Twilio's queue waits on each answer. */
export const EVENT_BUDGET_MS = 1000;
const MIN_TWILIO_TIMEOUT_MS = 200;
const MAX_SENTENCES = 2000;
const SERVICE_SID = /^GA[0-9a-fA-F]{32}$/;

/** Each Twilio request gives up by the event's I/O deadline. */
const twilioTimeout = (request: EventRequest) => Math.max(MIN_TWILIO_TIMEOUT_MS, request.deadline - Date.now());

/** The event's own work, and what earlier events of other calls could not write, at the same time. */
async function withPendingRows(request: EventRequest, callSid: string | undefined, work: () => Promise<EventAnswer>): Promise<EventAnswer> {
  const [answer] = await Promise.all([work(), retryPendingCallRows(request, callSid), retryPendingStatuses(request, callSid)]);
  return answer;
}

interface FinalStatus {
  readonly status: string;
  readonly duration: string | undefined;
}
// Final call statuses whose Calls row could not be read (module scope: the warm instance's next event).
const pendingStatuses = new Map<string, FinalStatus>();
const MAX_PENDING_STATUSES = 1000;

/** Statuses of other calls kept after a failed read, a couple at a time, oldest first. */
async function retryPendingStatuses(request: EventRequest, except: string | undefined, max = 2): Promise<void> {
  const waiting = [...pendingStatuses.entries()].filter(([sid]) => sid !== except).slice(0, max);
  await Promise.all(waiting.map(([sid, final]) => finaliseCall(request, sid, final).catch(() => undefined)));
}

// Recordings whose transcript this instance is creating or created: a duplicate callback that
// arrives meanwhile does not create a second one (the API lookup covers other instances).
const transcribing = new Set<string>();
const MAX_TRANSCRIBING = 1000;

/** /events/call-status: `Duration`, and `Outcome` when the caller hung up before the transfer ended. */
export async function handleCallStatus(request: EventRequest): Promise<EventAnswer> {
  const { CallSid: callSid, CallStatus: status, CallDuration: duration } = request.params;
  return withPendingRows(request, callSid, async () => {
    if (!isCallSid(callSid)) return ignored('no call');
    if (!status || !callStatusFields(status, duration, undefined)) return ignored('not final');
    return finaliseCall(request, callSid, { status, duration });
  });
}

/** Reads the row, then adds what the final status means to it; kept for a later event when the read fails. */
async function finaliseCall(request: EventRequest, callSid: string, final: FinalStatus): Promise<EventAnswer> {
  let row;
  try {
    // Only escalated calls have a row; every call of the number reports here.
    row = await loadCallRow(request.config, callSid, request.deadline);
  } catch (error) {
    if (!pendingStatuses.has(callSid) && pendingStatuses.size >= MAX_PENDING_STATUSES) pendingStatuses.delete(pendingStatuses.keys().next().value as string);
    pendingStatuses.set(callSid, final);
    throw error;
  }
  pendingStatuses.delete(callSid);
  if (!row) return ignored('not in the call log');
  const fields = callStatusFields(final.status, final.duration, row.fields.Outcome)!;
  if (Object.keys(fields).length === 0) return OK;
  return (await saveCallRowFor(request, callSid, fields)) ? OK : notWritten;
}

/** Creates the recording's transcript unless one exists for it (a redelivered callback). */
async function transcribe(request: EventRequest, recordingSid: string, callSid: string, channels: number): Promise<boolean> {
  const { config } = request;
  const serviceSid = config.intelligenceServiceSid;
  const client = twilioClientFor(config, twilioTimeout(request));
  // A value that is not a service SID (e.g. "off") means no transcripts, not a request Twilio would refuse.
  if (!serviceSid || !SERVICE_SID.test(serviceSid) || !client || transcribing.has(recordingSid)) return true;
  if (transcribing.size >= MAX_TRANSCRIBING) transcribing.delete(transcribing.values().next().value as string);
  transcribing.add(recordingSid);
  try {
    const existing = await client.intelligence.v2.transcripts.list({ serviceSid, sourceSid: recordingSid, limit: 1 });
    if (existing.length > 0) return true;
    await client.intelligence.v2.transcripts.create({ serviceSid, channel: transcriptChannel(recordingSid, channels), customerKey: callSid });
    return true;
  } catch (error) {
    transcribing.delete(recordingSid);
    request.log.error('transcript-not-created', { callSid, recordingSid, error });
    return false;
  }
}

/** /events/recording: the recording on the row, and, with INTELLIGENCE_SERVICE_SID, its transcript. */
export async function handleRecording(request: EventRequest): Promise<EventAnswer> {
  return withPendingRows(request, request.params.CallSid, () => storeRecording(request));
}

async function storeRecording(request: EventRequest): Promise<EventAnswer> {
  const { params } = request;
  const { CallSid: callSid, RecordingSid: recordingSid } = params;
  if (!isCallSid(callSid) || !recordingSid || !RECORDING_SID.test(recordingSid)) return ignored('no recording');
  if (params.RecordingStatus && params.RecordingStatus !== 'completed') return ignored(`recording ${params.RecordingStatus}`);
  const fields = { 'Recording SID': recordingSid, ...(params.RecordingUrl ? { 'Recording URL': params.RecordingUrl } : {}) };
  const channels = Number(params.RecordingChannels) || 1;
  const [written, transcribed] = await Promise.all([saveCallRowFor(request, callSid, fields), transcribe(request, recordingSid, callSid, channels)]);
  return written && transcribed ? OK : notWritten;
}

/**
 * /events/transcript (the Intelligence service's webhook). The body only names a transcript: its
 * content, status and call come from the API, and the call must be in the log.
 */
export async function handleTranscript(request: EventRequest): Promise<EventAnswer> {
  return withPendingRows(request, undefined, () => storeTranscript(request));
}

async function storeTranscript(request: EventRequest): Promise<EventAnswer> {
  const { config } = request;
  const transcriptSid = request.params.transcript_sid;
  if (!transcriptSid || !TRANSCRIPT_SID.test(transcriptSid)) return ignored('no transcript');
  const client = twilioClientFor(config, twilioTimeout(request));
  if (!client) return { status: 503, text: 'Twilio is not configured' };
  const transcripts = client.intelligence.v2.transcripts;
  let transcript;
  try {
    transcript = await transcripts(transcriptSid).fetch();
  } catch (error) {
    if ((error as { status?: number }).status === 404) return ignored('unknown transcript');
    throw error;
  }
  if (transcript.status !== 'completed') return ignored(`transcript ${transcript.status}`);
  if (config.intelligenceServiceSid && transcript.serviceSid !== config.intelligenceServiceSid) return ignored('another service');
  const callSid = transcript.customerKey;
  if (!isCallSid(callSid)) return ignored('not a call');
  const [row, sentences, results] = await Promise.all([
    loadCallRow(config, callSid, request.deadline),
    transcripts(transcriptSid).sentences.list({ limit: MAX_SENTENCES }),
    transcripts(transcriptSid).operatorResults.list({ limit: 100 }),
  ]);
  if (!row) return ignored('not in the call log');
  const said: Sentence[] = sentences.map((s) => ({ mediaChannel: s.mediaChannel, text: s.transcript ?? '' }));
  const summaries = results.flatMap((r) => summaryOf(r) ?? []);
  const fields = { Transcript: transcriptText(said, speakersOf(transcript.channel)), 'Wrap-up Notes': wrapUpNotes(summaries, said) };
  return (await saveCallRowFor(request, callSid, fields)) ? OK : notWritten;
}
