// The live transfer's webhooks: the hand-off from the menu (straight to <Dial> or <Refer>, no Airtable
// read: the line and the caller are already known), the agent's whisper and accept key, the <Dial> and
// <Refer> actions that learn what happened; and the events after it (the number's call status, the
// Dial recording, the Voice Intelligence transcript).
//
// Each event is idempotent (Twilio may deliver twice or out of order): the same event writes the same
// fields. A Calls write that fails is kept (call/call-log) and the event answered 500: the failure
// shows in Twilio's debugger, a sender that retries delivers again, and the next event this instance
// serves sends the kept row. A failed read of the row (call status, transcript) also answers 500, and
// nothing is written: a row must not be created for a call that never escalated, nor a final outcome
// replaced. A final call status whose read failed is kept in the call memory and handled again, read
// first, by the next event this instance serves, so `Transferring` still becomes `Caller hung up`.
import { callMemory, type FinalStatus } from '../call/memory.private';
import type { EventAnswer, EventRequest, Params } from '../call/request.private';
import type { CallSession, HandOff } from '../call/session.private';
import { transcribeRecording, twilioWithin } from '../call/transcripts.private';
import { callStatusFields, readTranscriptKey, RECORDING_SID, speakersOf, summaryOf, transcriptText, TRANSCRIPT_SID, voicemailText, wrapUpNotes } from '../core/call-events.private';
import { unknownLineStep } from '../core/incoming.private';
import { isCallSid, type Line } from '../core/model.private';
import { TRANSFER_OUTCOMES, type CallRow } from '../core/rows.private';
import type { Step } from '../core/steps.private';
import { stepUrl } from '../core/urls.private';
import {
  bridgeStep,
  decideAfterDial,
  decideTransferPlan,
  decideWhisper,
  decideWhisperAnswer,
  dialOutcome,
  referSucceeded,
  speechOf,
  speechQuery,
  transferStep,
  whisperCallerOf,
  whisperOf,
  whisperQuery,
  type TransferUrls,
} from './decisions.private';

/**
 * The URLs of the transfer's later steps. Each carries what it needs to answer without a lookup: the
 * <Dial> action the line's language and voice, the whisper what the agent hears, and the refer action
 * who is calling (a refused REFER is bridged with the same whisper).
 */
function urlsFor(call: CallSession, line: Line, whisper: Record<string, string>): TransferUrls {
  return {
    dialAction: stepUrl('/transfer/dial-ended', call.carry(speechQuery(line))),
    referAction: stepUrl('/transfer/refer-ended', call.carry({ caller: whisper.caller, tail: whisper.tail })),
    whisper: stepUrl('/transfer/whisper', whisper),
    recording: '/events/recording',
  };
}

/** HAND_OFFS['live-transfer']: the caller said yes; answer the <Dial> (or <Refer>) with one Calls write. */
export async function startLiveTransfer({ call, line, caller, row }: HandOff): Promise<Step> {
  const { params, config, log } = call.request;
  const leg = { to: params.To, sipCallId: params.SipCallId };
  const plan = decideTransferPlan({ line, leg, sipDomain: config.sipDomain, contact: caller.contact, reason: params.Reason });
  if (!plan) {
    await call.saveCallRow({ ...row, Outcome: TRANSFER_OUTCOMES.failed });
    return call.menuWithout('live-transfer', 'path-unavailable');
  }
  if (plan.method === 'Bridge' && plan.referWanted) log.warn('refer-not-possible', { callSid: params.CallSid, sip: Boolean(params.SipCallId) });
  await call.saveCallRow({ ...row, 'Transfer Method': plan.method, Outcome: TRANSFER_OUTCOMES.transferring });
  const whisper = whisperQuery(line, whisperCallerOf(caller.contact, caller.callerId), params.Reason);
  return transferStep(line, plan, urlsFor(call, line, whisper));
}

/** The agent's side, before the caller is connected: who is calling and why; maybe "press 1". No lookups: all of it is in the URL. */
export async function handleWhisper({ params }: CallSession): Promise<Step> {
  const whisper = whisperOf(params);
  return decideWhisper(whisper, stepUrl('/transfer/whisper-answer', speechQuery(whisper)));
}

export async function handleWhisperAnswer({ params }: CallSession): Promise<Step> {
  return decideWhisperAnswer(speechOf(params), params.Digits, Boolean(params.silence));
}

/** The <Dial> is over: log what happened; goodbye, or the apology and the other paths. */
export async function handleDialEnded(call: CallSession): Promise<Step> {
  const { params } = call;
  const outcome = dialOutcome({ dialCallStatus: params.DialCallStatus, dialBridged: params.DialBridged });
  await call.saveCallRow({ Outcome: outcome, 'Transfer Method': 'Bridge', ...(params.DialCallSid ? { 'Agent Call SID': params.DialCallSid } : {}) });
  const after = decideAfterDial(speechOf(params), outcome);
  // Never a second ring to the same desk in one call: the menu comes back without the live transfer.
  return after.kind === 'goodbye' ? after.step : call.menuWithout('live-transfer', 'other-paths', after.apology);
}

/** The <Refer> is over: a transferred call has left Twilio; a refused one is bridged instead, in the same call. */
export async function handleReferEnded(call: CallSession): Promise<Step> {
  const { params } = call;
  const report = { referCallStatus: params.ReferCallStatus, referSipResponseCode: params.ReferSipResponseCode, notifySipResponseCode: params.NotifySipResponseCode };
  if (referSucceeded(report)) {
    await call.saveCallRow({ Outcome: TRANSFER_OUTCOMES.referred, 'Transfer Method': 'SIP REFER' });
    return { kind: 'say-and-hangup', say: [] };
  }
  call.request.log.warn('refer-failed', { callSid: params.CallSid, status: params.ReferCallStatus, code: params.ReferSipResponseCode });
  const [line] = await Promise.all([call.line(params.Line ?? params.To), call.saveCallRow({ 'Transfer Method': 'Bridge' })]);
  const number = line?.fallbackTransferNumber;
  if (!line || !number) return line ? call.menuWithout('live-transfer', 'path-unavailable') : unknownLineStep();
  const whisper = whisperQuery(line, whisperOf(params).caller, params.Reason);
  return bridgeStep(line, number, urlsFor(call, line, whisper));
}

type Event = CallSession<EventRequest>;
const OK: EventAnswer = { status: 200, json: { ok: true } };
const ignored = (reason: string): EventAnswer => ({ status: 200, json: { ok: true, ignored: reason } });
const notWritten: EventAnswer = { status: 500, text: 'call log write deferred' };
/** Events are answered within a second (issue 7): Twilio's queue waits on each answer. */
export const EVENT_BUDGET_MS = 1000;
const MAX_SENTENCES = 2000;

/** The event's own work, and what earlier events of other calls could not write, at the same time. */
async function withPendingWork(call: Event, callSid: string | undefined, work: () => Promise<EventAnswer>): Promise<EventAnswer> {
  const statuses = callMemory.waiting(call.request.now.getTime(), 'pendingStatus').filter(([sid]) => sid !== callSid).slice(0, 2);
  const [answer] = await Promise.all([
    work(),
    call.retryPendingCallRows(callSid),
    ...statuses.map(([sid, state]) => finaliseCall(call, sid, state.pendingStatus!).catch(() => undefined)),
  ]);
  return answer;
}

/** /events/call-status: `Duration`, and `Outcome` when the caller hung up before the transfer ended. */
export async function handleCallStatus(call: Event): Promise<EventAnswer> {
  const { CallSid: callSid, CallStatus: status, CallDuration: duration } = call.params;
  return withPendingWork(call, callSid, async () => {
    if (!isCallSid(callSid)) return ignored('no call');
    if (!status || !callStatusFields(status, duration, undefined)) return ignored('not final');
    return finaliseCall(call, callSid, { status, duration });
  });
}

/** Reads the row, then adds what the final status means to it; kept for a later event when the read fails. */
async function finaliseCall(call: Event, callSid: string, final: FinalStatus): Promise<EventAnswer> {
  const now = call.request.now.getTime();
  let row;
  try {
    // Only escalated calls have a row; every call of the number reports here.
    row = await call.callRow(callSid);
  } catch (error) {
    callMemory.call(callSid, now).pendingStatus = final;
    throw error;
  }
  const known = callMemory.known(callSid, now);
  if (known) known.pendingStatus = undefined;
  if (!row) return ignored('not in the call log');
  const fields = callStatusFields(final.status, final.duration, row.fields.Outcome)!;
  if (Object.keys(fields).length === 0) return OK;
  return (await call.saveCallRowFor(callSid, fields)) ? OK : notWritten;
}

/** /events/recording: the recording on the row, and, with INTELLIGENCE_SERVICE_SID, its transcript. */
export async function handleRecording(call: Event): Promise<EventAnswer> {
  return withPendingWork(call, call.params.CallSid, () => storeRecording(call, call.params));
}

async function storeRecording(call: Event, params: Params): Promise<EventAnswer> {
  const { CallSid: callSid, RecordingSid: recordingSid } = params;
  if (!isCallSid(callSid) || !recordingSid || !RECORDING_SID.test(recordingSid)) return ignored('no recording');
  if (params.RecordingStatus && params.RecordingStatus !== 'completed') return ignored(`recording ${params.RecordingStatus}`);
  const fields = { 'Recording SID': recordingSid, ...(params.RecordingUrl ? { 'Recording URL': params.RecordingUrl } : {}) };
  const channels = Number(params.RecordingChannels) || 1;
  const [written, transcribed] = await Promise.all([
    call.saveCallRowFor(callSid, fields),
    transcribeRecording(call.request, { sid: recordingSid, callSid, channels, of: 'call' }),
  ]);
  return written && transcribed ? OK : notWritten;
}

/**
 * /events/transcript (the Intelligence service's webhook). The body only names a transcript: its
 * content, status and call come from the API, and the call must be in the log.
 */
export async function handleTranscript(call: Event): Promise<EventAnswer> {
  return withPendingWork(call, undefined, () => storeTranscript(call));
}

async function storeTranscript(call: Event): Promise<EventAnswer> {
  const { config } = call.request;
  const transcriptSid = call.params.transcript_sid;
  if (!transcriptSid || !TRANSCRIPT_SID.test(transcriptSid)) return ignored('no transcript');
  const client = twilioWithin(call.request);
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
  const target = readTranscriptKey(transcript.customerKey);
  if (!target) return ignored('not a call');
  const { callSid } = target;
  const [row, sentences, results] = await Promise.all([
    call.callRow(callSid),
    transcripts(transcriptSid).sentences.list({ limit: MAX_SENTENCES }),
    transcripts(transcriptSid).operatorResults.list({ limit: 100 }),
  ]);
  if (!row) return ignored('not in the call log');
  const said = sentences.map((s) => ({ mediaChannel: s.mediaChannel, text: s.transcript ?? '' }));
  const summaries = results.flatMap((r) => summaryOf(r) ?? []);
  // A voicemail's words have a field of their own: the call may have a bridge transcript too.
  const fields: CallRow =
    target.of === 'voicemail'
      ? { 'Voicemail Transcript': voicemailText(said) }
      : { Transcript: transcriptText(said, speakersOf(transcript.channel)), 'Wrap-up Notes': wrapUpNotes(summaries, said) };
  return (await call.saveCallRowFor(callSid, fields)) ? OK : notWritten;
}
