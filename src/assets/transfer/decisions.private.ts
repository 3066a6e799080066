// Live transfer as pure decisions (SPEC "Live transfer"): which method a call can use, the Bridge
// <Dial> or the SIP <Refer>, what the agent hears in the whisper, and what a dial or REFER outcome
// means for the caller and the call log. Everything here is a function of plain data.
import { firstName } from '../core/menu.private';
import type { Contact, Language, Line } from '../core/model.private';
import { lastFour, sipHostOf, toE164Shape } from '../core/phone.private';
import { sayAs, utter, type PromptId, type Speaker } from '../core/prompts.private';
import { ringSecondsOf } from '../core/ring-group.private';
import { TRANSFER_OUTCOMES, type TransferOutcome } from '../core/rows.private';
import type { Step, Utterance } from '../core/steps.private';
import { stepUrl } from '../core/urls.private';

/** How long the agent's phone rings before the caller hears the apology and the other paths. */
export const RING_TIMEOUT_SECONDS = 20;
/** The key an agent presses in the whisper to take the call (when the line says `Agent Must Accept`). */
export const ACCEPT_KEY = '1';
/** Seconds the whisper waits for the accept key: silence (or a voicemail greeting) declines. */
export const ACCEPT_TIMEOUT_SECONDS = 6;
/** Each X- header value on a REFER target is cut to this many characters before encoding. */
export const MAX_SIP_HEADER_VALUE = 64;
/** Twilio warns (21227) and drops headers when the header part of a SIP URI is 1024 characters or more. */
export const MAX_SIP_HEADERS_LENGTH = 1000;


/** What is known about the inbound call, from Twilio's webhook parameters. */
export interface InboundLeg {
  /** Twilio's `To`: E.164 for a PSTN call, the INVITE's URI for a call to a SIP domain. */
  readonly to?: string;
  /** Present only on calls that arrived over SIP. */
  readonly sipCallId?: string;
}

export type TransferPlan =
  | { readonly method: 'Bridge'; readonly number: string; readonly referWanted: boolean }
  | { readonly method: 'SIP REFER'; readonly sipUri: string; readonly number: string };

/** True when the call arrived over SIP: only such a call may be referred (Twilio answers 13801 otherwise). */
export function arrivedOverSip(leg: InboundLeg): boolean {
  return Boolean(leg.sipCallId) || /^<?sips?:/i.test(leg.to?.trim() ?? '');
}

/** `X-` headers on a SIP URI: names kept to SIP token characters, values cut and percent-encoded, the whole part capped. */
export function withSipHeaders(uri: string, headers: Readonly<Record<string, string | undefined>>): string {
  const parts: string[] = [];
  let length = 0;
  for (const [name, raw] of Object.entries(headers)) {
    const value = raw?.replace(/\s+/g, ' ').trim().slice(0, MAX_SIP_HEADER_VALUE);
    if (!value || !/^X-[A-Za-z0-9-]+$/.test(name) || /^X-Twilio/i.test(name)) continue;
    const part = `${name}=${encodeURIComponent(value)}`;
    if (length + part.length + 1 > MAX_SIP_HEADERS_LENGTH) break;
    parts.push(part);
    length += part.length + 1;
  }
  if (parts.length === 0) return uri;
  return `${uri}${uri.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

export interface PlanInput {
  readonly line: Line;
  readonly leg: InboundLeg;
  /** SIP_DOMAIN, the host of auto-formatted REFER targets. */
  readonly sipDomain?: string;
  readonly contact?: Contact;
  readonly reason?: string;
}

/**
 * Bridge unless the line asks for SIP REFER and REFER can work: the call came over SIP and there is a
 * target (`SIP URI`, else `sip:<fallback>@<SIP_DOMAIN or the inbound To host>`). Undefined when the
 * line has no number to transfer to.
 */
export function decideTransferPlan({ line, leg, sipDomain, contact, reason }: PlanInput): TransferPlan | undefined {
  const number = toE164Shape(line.fallbackTransferNumber);
  if (!number) return undefined;
  const referWanted = line.transferMethod === 'SIP REFER';
  if (!referWanted || !arrivedOverSip(leg)) return { method: 'Bridge', number, referWanted };
  const host = sipDomain?.trim() || sipHostOf(leg.to);
  const target = line.sipUri?.trim() || (host ? `sip:${number}@${host}` : undefined);
  if (!target || !/^sips?:/i.test(target)) return { method: 'Bridge', number, referWanted };
  const sipUri = withSipHeaders(target, { 'X-IVR-Line': line.name, 'X-IVR-Reason': reason, 'X-IVR-Contact': contact?.name });
  return { method: 'SIP REFER', sipUri, number };
}

/** The language and voice the transfer speaks in: the line's, carried in the URLs of its later steps. */
export type Speech = Speaker;

/** The line's language and voice as query parameters (`lang`, `voice`), so later steps need no lookup. */
export function speechQuery(line: Speech): Record<string, string> {
  return { lang: line.language, ...(line.voice ? { voice: line.voice } : {}) };
}

/** `lang` and `voice` back from a query; anything unexpected is English and the default voice. */
export function speechOf(query: Readonly<Record<string, string | undefined>>): Speech {
  const language: Language = query.lang === 'es-US' ? 'es-US' : 'en-US';
  const voice = query.voice && /^[A-Za-z][A-Za-z0-9.-]{0,60}$/.test(query.voice) ? query.voice : undefined;
  return { language, voice };
}

/** URLs of the transfer's own webhooks, each with the query carried from the menu. */
export interface TransferUrls {
  readonly dialAction: string;
  readonly referAction: string;
  readonly whisper: string;
  readonly recording: string;
}

/** What the caller hears before the first ring: the recording notice when the agent leg is recorded, then "connecting". */
export function connectingSay(line: Line): Utterance[] {
  const say: Utterance[] = [];
  if (line.recordAgentLeg && line.recordingNotice) say.push(sayAs(line, line.recordingNotice));
  say.push(utter(line, 'transfer.connecting'));
  return say;
}

/**
 * The Bridge: the recording notice first when the agent leg is recorded, then the <Dial>. A leg of an In
 * Order group says `say` instead and rings the line's `Ring Seconds` (its action carries its position);
 * a single number's action carries the number (`agent`), for the log's `Agent Number`.
 */
export function bridgeStep(line: Line, number: string, urls: Pick<TransferUrls, 'dialAction' | 'whisper' | 'recording'>, leg?: { readonly say: readonly Utterance[] }): Step {
  return {
    kind: 'dial',
    say: leg ? leg.say : connectingSay(line),
    number,
    callerId: toE164Shape(line.phoneNumber),
    action: leg ? urls.dialAction : stepUrl(urls.dialAction, { agent: number }),
    whisperUrl: urls.whisper,
    timeoutSeconds: leg ? ringSecondsOf(line) : RING_TIMEOUT_SECONDS,
    answerOnBridge: true,
    ...(line.recordAgentLeg ? { record: { statusCallback: urls.recording } } : {}),
  };
}

/** The first step of a live transfer for the plan: the <Dial> or the <Refer>. */
export function transferStep(line: Line, plan: TransferPlan, urls: TransferUrls): Step {
  if (plan.method === 'SIP REFER') return { kind: 'refer', say: [utter(line, 'transfer.connecting')], sipUri: plan.sipUri, action: urls.referAction };
  return bridgeStep(line, plan.number, urls);
}

/** Who is calling, for the whisper: a first name, or only the last four digits (never a full number). */
export interface WhisperCaller {
  readonly firstName?: string;
  readonly lastDigits?: string;
}

export function whisperCallerOf(contact: Contact | undefined, callerId: string | undefined): WhisperCaller {
  const name = firstName(contact);
  if (name) return { firstName: name };
  return callerId ? { lastDigits: lastFour(callerId) } : {};
}

/** What the whisper says, all of it carried in its URL: the agent's phone is answered, nothing is looked up. */
export interface Whisper extends Speech {
  readonly lineName: string;
  readonly mustAccept: boolean;
  readonly caller: WhisperCaller;
  readonly reason?: string;
}

export function whisperQuery(line: Line, caller: WhisperCaller, reason: string | undefined): Record<string, string> {
  const query: Record<string, string> = { line: line.name.slice(0, 80), ...speechQuery(line), accept: line.agentMustAccept ? '1' : '0' };
  if (caller.firstName) query.caller = caller.firstName.slice(0, 40);
  else if (caller.lastDigits) query.tail = caller.lastDigits;
  if (reason?.trim()) query.Reason = reason.trim().slice(0, 200);
  return query;
}

export function whisperOf(query: Readonly<Record<string, string | undefined>>): Whisper {
  const tail = query.tail?.replace(/\D/g, '').slice(-4);
  return {
    ...speechOf(query),
    lineName: query.line || 'our team',
    mustAccept: query.accept !== '0',
    caller: { firstName: query.caller || undefined, lastDigits: tail && tail.length === 4 ? tail : undefined },
    reason: query.Reason || undefined,
  };
}

/** "4 3 2 1": digits spoken one by one. */
function spokenDigits(digits: string): string {
  return digits.split('').join(' ');
}

/** What the agent hears before the caller is connected, in the line's language; with `Agent Must Accept`, a key to press. */
export function decideWhisper(whisper: Whisper, answerUrl: string): Step {
  const { caller, reason } = whisper;
  const say = [utter(whisper, 'transfer.whisper.line', { line: whisper.lineName })];
  if (caller.firstName) say.push(utter(whisper, 'transfer.whisper.known', { name: caller.firstName }));
  else if (caller.lastDigits) say.push(utter(whisper, 'transfer.whisper.unknown', { digits: spokenDigits(caller.lastDigits) }));
  else say.push(utter(whisper, 'transfer.whisper.hidden'));
  if (reason?.trim()) say.push(utter(whisper, 'transfer.whisper.reason', { reason: reason.trim() }));
  if (!whisper.mustAccept) return { kind: 'say-and-connect', say };
  return {
    kind: 'gather',
    prompt: [...say, utter(whisper, 'transfer.whisper.accept')],
    action: answerUrl,
    onSilence: stepUrl(answerUrl, { silence: '1' }),
    language: whisper.language,
    numDigits: 1,
    timeoutSeconds: ACCEPT_TIMEOUT_SECONDS,
    keysOnly: true,
  };
}

/** A Simultaneous group's whisper: "press 1" goes to the room's accept; without Agent Must Accept, straight there. */
export function groupWhisper(whisper: Whisper, acceptUrl: string): Step {
  const step = decideWhisper(whisper, acceptUrl);
  return step.kind === 'say-and-connect' ? { kind: 'say-and-redirect', say: step.say, url: stepUrl(acceptUrl, { auto: '1' }) } : step;
}

/** The accept key, or a whisper that asks for none (`auto`). */
export function acceptedKey(params: Readonly<Record<string, string | undefined>>): boolean {
  return params.auto === '1' || (!params.silence && params.Digits === ACCEPT_KEY);
}

/** The agent's answer to "press 1": only the accept key connects; any other key or silence declines (a hang-up). */
export function decideWhisperAnswer(speech: Speech, digits: string | undefined, silence: boolean): Step {
  if (!silence && digits === ACCEPT_KEY) return { kind: 'say-and-connect', say: [utter(speech, 'transfer.whisper.accepted')] };
  return { kind: 'say-and-hangup', say: [utter(speech, 'transfer.whisper.declined')] };
}

/** What Twilio reported to the <Dial> action. */
export interface DialReport {
  readonly dialCallStatus?: string;
  readonly dialBridged?: string;
}

/**
 * The outcome of a Bridge. `DialBridged` decides, not the status alone: a declined whisper still
 * reports `completed` (twilio-runtime-notes). An old report without DialBridged counts
 * `completed`/`answered` as connected.
 */
export function dialOutcome({ dialCallStatus, dialBridged }: DialReport): TransferOutcome {
  if (dialBridged === 'true') return TRANSFER_OUTCOMES.connected;
  switch (dialCallStatus) {
    case 'busy':
      return TRANSFER_OUTCOMES.busy;
    case 'no-answer':
      return TRANSFER_OUTCOMES.noAnswer;
    case 'canceled':
      return TRANSFER_OUTCOMES.callerHungUp;
    case 'completed':
    case 'answered':
      return dialBridged === 'false' ? TRANSFER_OUTCOMES.notAccepted : TRANSFER_OUTCOMES.connected;
    default:
      return TRANSFER_OUTCOMES.failed;
  }
}

const APOLOGY: Partial<Record<TransferOutcome, PromptId>> = {
  [TRANSFER_OUTCOMES.busy]: 'transfer.busy',
  [TRANSFER_OUTCOMES.noAnswer]: 'transfer.no-answer',
  [TRANSFER_OUTCOMES.failed]: 'transfer.failed',
  [TRANSFER_OUTCOMES.notAccepted]: 'transfer.not-accepted',
};

/**
 * After the Bridge: goodbye when connected (or when the caller is gone); otherwise the apology naming
 * what happened, for the caller to hear before the menu comes again without the live transfer.
 */
export function decideAfterDial(speech: Speech, outcome: TransferOutcome): { readonly kind: 'goodbye'; readonly step: Step } | { readonly kind: 'other-paths'; readonly apology: readonly Utterance[] } {
  const apology = APOLOGY[outcome];
  if (!apology) return { kind: 'goodbye', step: { kind: 'say-and-hangup', say: [utter(speech, 'goodbye')] } };
  return { kind: 'other-paths', apology: [utter(speech, apology)] };
}

/** What Twilio reported to the <Refer> action. */
export interface ReferReport {
  readonly referCallStatus?: string;
  readonly referSipResponseCode?: string;
  readonly notifySipResponseCode?: string;
}

const isFailureCode = (code: string | undefined) => code !== undefined && code !== '' && !(Number(code) >= 100 && Number(code) < 400);

/** A REFER worked when the far end accepted it and the transferred call went through; anything else falls back to Bridge. */
export function referSucceeded({ referCallStatus, referSipResponseCode, notifySipResponseCode }: ReferReport): boolean {
  const status = (referCallStatus ?? '').toLowerCase();
  if (!['success', 'in-progress', 'completed'].includes(status)) return false;
  if (isFailureCode(referSipResponseCode)) return false;
  return !(notifySipResponseCode && Number(notifySipResponseCode) >= 300);
}
