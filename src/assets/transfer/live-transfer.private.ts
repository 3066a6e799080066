// The live transfer's voice webhooks: the hand-off from the menu (straight to <Dial> or <Refer>, no
// Airtable read: the line and the caller are already known), the agent's whisper and accept key, and
// the <Dial>/<Refer> actions that learn what happened.
import { carriedQuery, menuWithout, type HandOffInput } from '../escalate/hand-off.private';
import { saveCallRow } from '../shell/call-log.private';
import { resolveLine } from '../shell/line-lookup.private';
import { unknownLineStep } from '../core/incoming.private';
import type { Line } from '../core/model.private';
import type { Step } from '../core/steps.private';
import type { Params, WebhookRequest } from '../shell/webhook.private';
import {
  bridgeStep,
  decideAfterDial,
  decideTransferPlan,
  decideWhisper,
  decideWhisperAnswer,
  dialOutcome,
  speechOf,
  speechQuery,
  whisperOf,
  referSucceeded,
  transferStep,
  TRANSFER_OUTCOMES,
  whisperCallerOf,
  whisperQuery,
  type TransferUrls,
} from './transfer-decisions.private';

export const TRANSFER_PATHS = {
  whisper: '/transfer/whisper',
  whisperAnswer: '/transfer/whisper-answer',
  dialEnded: '/transfer/dial-ended',
  referEnded: '/transfer/refer-ended',
  recording: '/events/recording',
} as const;

const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path);

/**
 * The URLs of the transfer's later steps. Each carries what it needs to answer without a lookup: the
 * <Dial> action the line's language and voice, the whisper what the agent hears, and the refer
 * action who is calling (a refused REFER is bridged with the same whisper).
 */
function urlsFor(params: Params, line: Line, whisper: Record<string, string>): TransferUrls {
  const caller: Record<string, string> = {};
  if (whisper.caller) caller.caller = whisper.caller;
  if (whisper.tail) caller.tail = whisper.tail;
  return {
    dialAction: withQuery(TRANSFER_PATHS.dialEnded, carriedQuery(params, speechQuery(line))),
    referAction: withQuery(TRANSFER_PATHS.referEnded, carriedQuery(params, caller)),
    whisper: withQuery(TRANSFER_PATHS.whisper, new URLSearchParams(whisper).toString()),
    recording: TRANSFER_PATHS.recording,
  };
}

/** HAND_OFFS['live-transfer']: the caller said yes; answer the <Dial> (or <Refer>) with one Calls write. */
export async function startLiveTransfer({ request, line, caller, row }: HandOffInput): Promise<Step> {
  const { params, config } = request;
  const plan = decideTransferPlan({
    line,
    leg: { to: params.To, sipCallId: params.SipCallId },
    sipDomain: config.sipDomain,
    contact: caller.contact,
    reason: params.Reason,
  });
  if (!plan) {
    await saveCallRow(request, { ...row, Outcome: TRANSFER_OUTCOMES.failed });
    return menuWithout(params, 'live-transfer', 'path-unavailable');
  }
  if (plan.method === 'Bridge' && plan.referWanted) request.log.warn('refer-not-possible', { callSid: params.CallSid, sip: Boolean(params.SipCallId) });
  await saveCallRow(request, { ...row, 'Transfer Method': plan.method, Outcome: TRANSFER_OUTCOMES.transferring });
  const whisper = whisperQuery(line, whisperCallerOf(caller.contact, caller.callerId), params.Reason);
  return transferStep(line, plan, urlsFor(params, line, whisper));
}

/** The agent's side, before the caller is connected: who is calling and why; maybe "press 1". No lookups: all of it is in the URL. */
export async function handleWhisper({ params }: WebhookRequest): Promise<Step> {
  const whisper = whisperOf(params);
  const answerUrl = withQuery(TRANSFER_PATHS.whisperAnswer, new URLSearchParams(speechQuery(whisper)).toString());
  return decideWhisper(whisper, answerUrl);
}

export async function handleWhisperAnswer({ params }: WebhookRequest): Promise<Step> {
  return decideWhisperAnswer(speechOf(params), params.Digits, Boolean(params.silence));
}

/** The <Dial> is over: log what happened; goodbye, or the apology and the other paths. */
export async function handleDialEnded(request: WebhookRequest): Promise<Step> {
  const { params } = request;
  const outcome = dialOutcome({ dialCallStatus: params.DialCallStatus, dialBridged: params.DialBridged });
  await saveCallRow(request, {
    Outcome: outcome,
    'Transfer Method': 'Bridge',
    ...(params.DialCallSid ? { 'Agent Call SID': params.DialCallSid } : {}),
  });
  const after = decideAfterDial(speechOf(params), outcome);
  // Never a second ring to the same desk in one call: the menu comes back without the live transfer.
  return after.kind === 'goodbye' ? after.step : menuWithout(params, 'live-transfer', 'other-paths', after.apology);
}

/** The <Refer> is over: a transferred call has left Twilio; a refused one is bridged instead, in the same call. */
export async function handleReferEnded(request: WebhookRequest): Promise<Step> {
  const { params } = request;
  const succeeded = referSucceeded({
    referCallStatus: params.ReferCallStatus,
    referSipResponseCode: params.ReferSipResponseCode,
    notifySipResponseCode: params.NotifySipResponseCode,
  });
  if (succeeded) {
    await saveCallRow(request, { Outcome: TRANSFER_OUTCOMES.referred, 'Transfer Method': 'SIP REFER' });
    return { kind: 'say-and-hangup', say: [] };
  }
  request.log.warn('refer-failed', { callSid: params.CallSid, status: params.ReferCallStatus, code: params.ReferSipResponseCode });
  const [line] = await Promise.all([resolveLine(request, params.Line ?? params.To), saveCallRow(request, { 'Transfer Method': 'Bridge' })]);
  const number = line?.fallbackTransferNumber;
  if (!line || !number) return line ? menuWithout(params, 'live-transfer', 'path-unavailable') : unknownLineStep();
  const whisper = whisperQuery(line, whisperOf(params).caller, params.Reason);
  const { dialAction, whisper: whisperUrl, recording } = urlsFor(params, line, whisper);
  return bridgeStep(line, number, { dialAction, whisper: whisperUrl, recording });
}
