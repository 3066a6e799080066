// The live transfer's webhooks: the hand-off from the menu (straight to <Dial> or <Refer>, no Airtable
// read: the line and the caller are already known), the agent's whisper and accept key, the <Dial> and
// <Refer> actions that learn what happened, a ring group's legs (In Order: one <Dial> after another;
// Simultaneous: the caller's room, the agents' accept; its Twilio events are in call/ring-group); and
// the events after it (the number's call status, the Dial recording, the Voice Intelligence transcript).
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
import { callerStatusOf, checkBeforeJoining, placeAgentLegs } from '../call/ring-group.private';
import type { CallSession, HandOff } from '../call/session.private';
import { transcribeRecording, twilioWithin } from '../call/transcripts.private';
import { callStatusFields, readTranscriptKey, RECORDING_SID, speakersOf, summaryOf, transcriptText, TRANSCRIPT_SID, voicemailText, wrapUpNotes } from '../core/call-events.private';
import { unknownLineStep } from '../core/incoming.private';
import { isCallSid, type Line } from '../core/model.private';
import { toE164Shape } from '../core/phone.private';
import { utter } from '../core/prompts.private';
import { utterRing } from '../core/prompts-ring.private';
import { agentNumbersOf } from '../core/policy.private';
import { agentInRoom, callerInRoom, callerOfRoom, decideAccept, decideInOrderEnd, legsQuery, ringGroupOf, ringSecondsOf, roomOf } from '../core/ring-group.private';
import { TRANSFER_OUTCOMES, type CallRow, type TransferOutcome } from '../core/rows.private';
import type { Step } from '../core/steps.private';
import { functionUrl, stepUrl } from '../core/urls.private';
import {
  acceptedKey,
  bridgeStep,
  connectingSay,
  decideAfterDial,
  decideTransferPlan,
  decideWhisper,
  decideWhisperAnswer,
  groupWhisper,
  dialOutcome,
  referSucceeded,
  speechOf,
  speechQuery,
  transferStep,
  whisperCallerOf,
  whisperOf,
  whisperQuery,
  type Speech,
  type TransferUrls,
} from './decisions.private';

/**
 * The URLs of the transfer's later steps. Each carries what it needs to answer without a lookup: the
 * <Dial> action the line's language and voice, the whisper what the agent hears, and the refer action
 * who is calling (a refused REFER is bridged with the same whisper).
 */
function urlsFor(call: CallSession, line: Line, whisper: Record<string, string>, ring?: number): TransferUrls {
  // A leg of an In Order group carries its position and who is calling, for the next leg's whisper.
  const group = ring === undefined ? {} : { ring: String(ring), caller: whisper.caller, tail: whisper.tail };
  return {
    dialAction: stepUrl('/transfer/dial-ended', call.carry({ ...speechQuery(line), ...group })),
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
  // A ring group applies to Bridge: a SIP REFER hands the call to the PBX, whose own hunt group rings the desk.
  const group = plan.method === 'Bridge' ? ringGroupOf(line) : { kind: 'single' as const };
  if (group.kind === 'in-order') return bridgeStep(line, group.agents[0]!, urlsFor(call, line, whisper, 0), { say: connectingSay(line) });
  if (group.kind === 'simultaneous') return ringAll(call, line, group.agents, whisper);
  return transferStep(line, plan, urlsFor(call, line, whisper));
}

/** The agent's side, before the caller is connected: who is calling and why; maybe "press 1". No lookups: all of it is in the URL. */
export async function handleWhisper({ params }: CallSession): Promise<Step> {
  const whisper = whisperOf(params);
  if (params.room) return groupWhisper(whisper, stepUrl('/transfer/group/accept', speechQuery(whisper), { room: params.room }));
  return decideWhisper(whisper, stepUrl('/transfer/whisper-answer', speechQuery(whisper)));
}

const goodbye = (speech: Speech): Step => ({ kind: 'say-and-hangup', say: [utter(speech, 'goodbye')] });

/** Simultaneous: the agents' phones ring with the whisper while the caller waits in a room (call/ring-group). */
async function ringAll(call: CallSession, line: Line, agents: readonly string[], whisper: Record<string, string>): Promise<Step> {
  const { config, now } = call.request;
  const [room, speech] = [roomOf(call.callSid), speechQuery(line)];
  const whisperUrl = functionUrl(config, stepUrl('/transfer/whisper', whisper, { room }));
  const statusCallback = functionUrl(config, stepUrl('/transfer/group/agent-status', call.carry({ ...speech, Line: line.phoneNumber, room, t: String(now.getTime()) })));
  const legs = whisperUrl && statusCallback ? await placeAgentLegs(call, { from: line.phoneNumber, agents, whisperUrl, statusCallback, ringSeconds: ringSecondsOf(line) }) : [];
  if (legs.some(Boolean)) return callerInRoom(connectingSay(line), room, stepUrl('/transfer/group/ended', call.carry(speech)), stepUrl('/transfer/group/room', call.carry({ ...speech, legs: legsQuery(legs), Line: line.phoneNumber })));
  await call.saveCallRow({ Outcome: TRANSFER_OUTCOMES.failed });
  return call.menuWithout('live-transfer', 'other-paths', [utter(line, 'transfer.failed')]);
}

/** An agent of a Simultaneous group pressed a key (or, without Agent Must Accept, heard the whisper). */
export async function handleGroupAccept(call: CallSession): Promise<Step> {
  const { params } = call;
  const speech = speechOf(params);
  const callerSid = callerOfRoom(params.room);
  if (!callerSid || !acceptedKey(params)) return { kind: 'say-and-hangup', say: [utterRing(speech, 'ring.declined')] };
  const verdict = decideAccept(await checkBeforeJoining(call, callerSid, params.room!));
  if (verdict !== 'join') return { kind: 'say-and-hangup', say: [utterRing(speech, verdict === 'taken' ? 'ring.taken' : 'ring.caller-gone')] };
  return agentInRoom([utter(speech, 'transfer.whisper.accepted')], params.room!, stepUrl('/transfer/group/agent-after', speechQuery(speech), { room: params.room }));
}

/** The agent's room is over for them: another agent had the label (16025), or the caller left. */
export async function handleGroupAgentAfter(call: CallSession): Promise<Step> {
  const callerSid = callerOfRoom(call.params.room);
  const status = callerSid ? await callerStatusOf(call, callerSid) : undefined;
  return { kind: 'say-and-hangup', say: status === 'in-progress' ? [utterRing(speechOf(call.params), 'ring.taken')] : [] };
}

/** The caller's room is over: the agent hung up (goodbye), or nobody accepted (`none`: the apology and the other paths). */
export async function handleGroupEnded(call: CallSession): Promise<Step> {
  const speech = speechOf(call.params);
  if (call.params.none !== '1') return goodbye(speech);
  await call.saveCallRow({ Outcome: TRANSFER_OUTCOMES.noAgentAccepted, 'Transfer Method': 'Bridge' });
  return call.menuWithout('live-transfer', 'other-paths', [utterRing(speech, 'ring.none')]);
}

export async function handleWhisperAnswer({ params }: CallSession): Promise<Step> {
  return decideWhisperAnswer(speechOf(params), params.Digits, Boolean(params.silence));
}

/** The <Dial> is over: log what happened; goodbye, or the apology and the other paths (or, In Order, the next agent). */
export async function handleDialEnded(call: CallSession): Promise<Step> {
  const { params } = call;
  const outcome = dialOutcome({ dialCallStatus: params.DialCallStatus, dialBridged: params.DialBridged });
  if (params.ring !== undefined) return inOrderLegEnded(call, outcome);
  const agentNumber = outcome === TRANSFER_OUTCOMES.connected ? toE164Shape(params.agent) : undefined;
  const agent = { ...(params.DialCallSid ? { 'Agent Call SID': params.DialCallSid } : {}), ...(agentNumber ? { 'Agent Number': agentNumber } : {}) };
  await call.saveCallRow({ Outcome: outcome, 'Transfer Method': 'Bridge', ...agent });
  const after = decideAfterDial(speechOf(params), outcome);
  // Never a second ring to the same desk in one call: the menu comes back without the live transfer.
  return after.kind === 'goodbye' ? after.step : call.menuWithout('live-transfer', 'other-paths', after.apology);
}

/** One leg of an In Order group is over: the next agent rings, or the group ends (written once, then). */
async function inOrderLegEnded(call: CallSession, outcome: TransferOutcome): Promise<Step> {
  const { params } = call;
  const line = await call.line(params.Line ?? params.To);
  const end = decideInOrderEnd(line ? agentNumbersOf(line) : [], params.ring, outcome);
  const speech = speechOf(params);
  if (end.kind === 'next') return bridgeStep(line!, end.number, urlsFor(call, line!, whisperQuery(line!, whisperOf(params).caller, params.Reason), end.position), { say: [utterRing(speech, 'ring.next')] });
  const agent = end.agentNumber ? { 'Agent Number': end.agentNumber, ...(params.DialCallSid ? { 'Agent Call SID': params.DialCallSid } : {}) } : {};
  await call.saveCallRow({ Outcome: end.outcome, 'Transfer Method': 'Bridge', ...agent });
  return end.outcome === TRANSFER_OUTCOMES.noAgentAccepted ? call.menuWithout('live-transfer', 'other-paths', [utterRing(speech, 'ring.none')]) : goodbye(speech);
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
  // This instance wrote the row's last Outcome, and not "Transferring" (the one Outcome a final status
  // changes): the row exists and only its Duration is new, so it need not be read first.
  const written = callMemory.known(callSid, now)?.writtenOutcome;
  if (written && written !== TRANSFER_OUTCOMES.transferring) {
    const fields = callStatusFields(final.status, final.duration, written)!;
    return Object.keys(fields).length === 0 || (await call.saveCallRowFor(callSid, fields)) ? OK : notWritten;
  }
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
  // Only a call in the log gets the transcript (the upsert would otherwise make it a row); a call this
  // instance logged is known to be there.
  const [inLog, sentences, results] = await Promise.all([
    call.loggedHere(callSid) || call.callRow(callSid).then(Boolean),
    transcripts(transcriptSid).sentences.list({ limit: MAX_SENTENCES }),
    transcripts(transcriptSid).operatorResults.list({ limit: 100 }),
  ]);
  if (!inLog) return ignored('not in the call log');
  const said = sentences.map((s) => ({ mediaChannel: s.mediaChannel, text: s.transcript ?? '' }));
  const summaries = results.flatMap((r) => summaryOf(r) ?? []);
  // A voicemail's words have a field of their own: the call may have a bridge transcript too.
  const fields: CallRow =
    target.of === 'voicemail'
      ? { 'Voicemail Transcript': voicemailText(said) }
      : { Transcript: transcriptText(said, speakersOf(transcript.channel)), 'Wrap-up Notes': wrapUpNotes(summaries, said) };
  return (await call.saveCallRowFor(callSid, fields)) ? OK : notWritten;
}
