// Voicemail as pure decisions: who can be called back, the prompt and the <Record>, what a finished
// recording means for the caller (kept, asked once more, or nothing kept), the Callbacks row a kept
// message becomes, and the team's email. `now` is always an argument.
import { DateTime } from 'luxon';
import { byCreation, keepsItsPlace } from '../core/booking-rule.private';
import type { CallbackTiming } from '../core/callback-timing.private';
import { MAX_REASON_LENGTH } from '../core/carried-query.private';
import { escapeHtml } from '../core/contact-email.private';
import { firstName } from '../core/menu.private';
import type { Language, Line } from '../core/model.private';
import { lastFour, toE164Shape } from '../core/phone.private';
import { numberToCall, type CallerFacts } from '../core/policy.private';
import { utter } from '../core/prompts.private';
import { OPEN_STATUSES, type CallbackChanges, type CallbackRow } from '../core/rows.private';
import type { Step } from '../core/steps.private';
import { stepUrl, type Query } from '../core/urls.private';

/** A message shorter than this is not kept (a breath, a cough, a hang-up after the beep). */
export const MIN_MESSAGE_SECONDS = 2;
/** Seconds of silence that end a message. */
export const SILENCE_SECONDS = 5;
/** Tries at leaving a message: the first, and once more after an empty or too-short one. */
export const MAX_TRIES = 2;
const RECORDING_URL = /^https:\/\/api\.twilio\.com\/2010-04-01\/Accounts\/AC[0-9a-fA-F]{32}\/Recordings\/(RE[0-9a-fA-F]{32})$/;

/** Who left the message, as the recording callback and the email need it (carried in the callback's URL). */
export interface VoicemailCaller {
  /** The number to call back; absent for Do Not Contact or when no number is known. */
  readonly number?: string;
  /** The contact's full name, when known. */
  readonly name?: string;
  /** The last four digits of the caller's number, when known ("an unknown caller ending in 4321"). */
  readonly tail?: string;
}

/** The caller as the voicemail sees them: a call back only to a number we may call. */
export function voicemailCallerOf(caller: CallerFacts): VoicemailCaller {
  const known = numberToCall(caller);
  const name = caller.contact?.name?.trim() || undefined;
  const tail = known ? lastFour(known) : undefined;
  return { ...(known && !caller.contact?.doNotContact ? { number: known } : {}), ...(name ? { name } : {}), ...(tail ? { tail } : {}) };
}

/** The query the recording callback carries: the line, who called, and why. */
export function callerQuery(caller: VoicemailCaller): Query {
  return { number: caller.number, name: caller.name, tail: caller.tail };
}

/** Reads the callback's query back, checking the number again (a URL is never trusted as it is). */
export function callerFromQuery(params: Readonly<Record<string, string | undefined>>): VoicemailCaller {
  const number = toE164Shape(params.number);
  const name = params.name?.trim().slice(0, 100) || undefined;
  const tail = /^\d{4}$/.test(params.tail ?? '') ? params.tail : undefined;
  return { ...(number ? { number } : {}), ...(name ? { name } : {}), ...(tail ? { tail } : {}) };
}

export interface RecordUrls {
  /** The <Record> action, with the try in its query. */
  readonly action: (tryNumber: number) => string;
  readonly recordingStatusCallback: string;
}

/** The prompt and the <Record>: on the first try a caller we cannot call back is told so first. */
export function decideRecordStep(line: Line, caller: VoicemailCaller, tryNumber: number, urls: RecordUrls): Step {
  const intro = tryNumber > 1 ? [utter(line, 'voicemail.again')] : caller.number ? [] : [utter(line, 'voicemail.no-callback')];
  return {
    kind: 'record',
    say: [...intro, utter(line, 'voicemail.prompt')],
    action: urls.action(tryNumber),
    maxSeconds: line.voicemailMaxSeconds,
    silenceSeconds: SILENCE_SECONDS,
    recordingStatusCallback: urls.recordingStatusCallback,
    onEmpty: stepUrl(urls.action(tryNumber), { empty: '1' }),
  };
}

/** The <Record> action's report: how long the message is (0 when Twilio recorded nothing). */
export function messageSecondsOf(params: Readonly<Record<string, string | undefined>>): number {
  if (params.empty || !params.RecordingUrl) return 0;
  const seconds = Number(params.RecordingDuration);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}

export type AfterRecording = { readonly kind: 'kept'; readonly step: Step } | { readonly kind: 'again' } | { readonly kind: 'nothing-kept' };

/** A message long enough is kept (thanks and goodbye); else asked once more; then nothing is kept. */
export function decideAfterRecording(line: Line, caller: VoicemailCaller, seconds: number, tryNumber: number): AfterRecording {
  if (seconds >= MIN_MESSAGE_SECONDS) {
    const say = caller.number ? utter(line, 'voicemail.kept', { last4: lastFour(caller.number) }) : utter(line, 'voicemail.kept-no-callback');
    return { kind: 'kept', step: { kind: 'say-and-hangup', say: [say] } };
  }
  return tryNumber < MAX_TRIES ? { kind: 'again' } : { kind: 'nothing-kept' };
}

/** The recording's SID from its URL (Twilio's own api.twilio.com URL only). */
export function recordingSidOf(url: string | undefined): string | undefined {
  return RECORDING_URL.exec(url ?? '')?.[1];
}

export interface NewVoicemailCallback {
  readonly line: Line;
  readonly number: string;
  readonly name?: string;
  readonly originCallSid: string;
  readonly reason?: string;
  readonly voicemailUrl: string;
  /** Now (open) or the line's next opening; the dispatcher places it. */
  readonly timing: CallbackTiming;
  readonly now: Date;
}

/** The Callbacks row of a kept message: Queued for the dispatcher, due now or at the line's next opening. */
export function voicemailCallbackRow({ line, number, name, originCallSid, reason, voicemailUrl, timing, now }: NewVoicemailCallback): CallbackChanges {
  return {
    line: line.phoneNumber,
    phone: number,
    kind: 'Voicemail',
    status: 'Queued',
    attempts: 0,
    nextAttemptAt: (timing.kind === 'at' ? timing.at : now).toISOString(),
    originCallSid,
    voicemailUrl,
    ...(name ? { contact: name } : {}),
    ...(reason ? { reason: reason.slice(0, MAX_REASON_LENGTH) } : {}),
  };
}

/** What a kept message's callback becomes, given the rows it depends on (`voicemailPeers`). */
export type VoicemailCallbackPlan =
  /** The call's Voicemail row exists: a redelivery of the recording callback. */
  | { readonly kind: 'stored' }
  /** The caller already waits for a callback on this line (SPEC §5: one open callback per number and line): the message joins it. */
  | { readonly kind: 'join'; readonly row: CallbackRow }
  | { readonly kind: 'create' };

const isOpen = (row: CallbackRow): boolean => OPEN_STATUSES.includes(row.status);
const ranked = (row: CallbackRow) => ({ id: row.id, createdTime: row.createdTime ?? '' });

export function planVoicemailCallback(peers: readonly CallbackRow[], originCallSid: string): VoicemailCallbackPlan {
  if (peers.some((row) => row.kind === 'Voicemail' && row.originCallSid === originCallSid)) return { kind: 'stored' };
  const [first] = peers.filter(isOpen).sort((a, b) => byCreation(ranked(a), ranked(b)));
  return first ? { kind: 'join', row: first } : { kind: 'create' };
}

/**
 * Read once the second of `mine`'s createdTime is over (core/booking-rule): the open callback created
 * first stays. Two instances storing the same message at once (neither saw the other's row) both
 * create; the later row gives way. Returns the row `mine` gives way to, undefined when `mine` stays.
 */
export function givesWayTo(mine: CallbackRow, peers: readonly CallbackRow[]): CallbackRow | undefined {
  const others = peers.filter((row) => row.id !== mine.id && isOpen(row));
  if (keepsItsPlace(ranked(mine), others.map(ranked), 1)) return undefined;
  return [...others].sort((a, b) => byCreation(ranked(a), ranked(b)))[0];
}

/** Where the team listens to a recording: its page in the Twilio Console's recording logs. */
export function consoleRecordingUrl(recordingSid: string): string {
  return `https://console.twilio.com/us1/monitor/logs/call-recordings?frameUrl=${encodeURIComponent(`/console/voice/recordings/recording-logs/${recordingSid}`)}`;
}

const WORDS: Record<Language, {
  subject: (line: string, who: string) => string;
  unknown: (tail?: string) => string;
  lines: { caller: string; callBack: string; noCallBack: string; when: string; length: string; reason: string; listen: string };
  transcriptLater: string;
  seconds: (n: number) => string;
}> = {
  'en-US': {
    subject: (line, who) => `${line}: new voicemail from ${who}`,
    unknown: (tail) => (tail ? `an unknown caller ending in ${tail}` : 'an unknown caller'),
    lines: { caller: 'Caller', callBack: 'Call back', noCallBack: 'No call back (Do Not Contact or no number)', when: 'Left at', length: 'Length', reason: 'Reason', listen: 'Listen' },
    transcriptLater: 'The transcript will follow on the Calls row (Voicemail Transcript) when it is ready.',
    seconds: (n) => `${n} seconds`,
  },
  'es-US': {
    subject: (line, who) => `${line}: nuevo recado de ${who}`,
    unknown: (tail) => (tail ? `un cliente desconocido con número terminado en ${tail}` : 'un cliente desconocido'),
    lines: { caller: 'Cliente', callBack: 'Devolver la llamada', noCallBack: 'Sin devolución (No contactar o sin número)', when: 'Dejado el', length: 'Duración', reason: 'Motivo', listen: 'Escuchar' },
    transcriptLater: 'La transcripción aparecerá en la fila de Calls (Voicemail Transcript) cuando esté lista.',
    seconds: (n) => `${n} segundos`,
  },
};

export interface VoicemailEmailInput {
  readonly line: Pick<Line, 'name' | 'language'>;
  readonly caller: VoicemailCaller;
  readonly reason?: string;
  readonly recordingSid: string;
  readonly seconds: number;
  readonly at: Date;
  readonly zone: string;
}

/** The team's email about one voicemail: never the caller's full number in the subject. */
// Sent when the recording is stored, before its transcript exists: the email says the transcript follows
// on the Calls row rather than waiting for it (a transcript may never come, and the call back should not wait).
export function composeVoicemailEmail({ line, caller, reason, recordingSid, seconds, at, zone }: VoicemailEmailInput): { subject: string; text: string; html: string } {
  const words = WORDS[line.language];
  const who = caller.name ? (firstName({ id: '', name: caller.name, doNotContact: false }) ?? caller.name) : words.unknown(caller.tail);
  const when = DateTime.fromJSDate(at, { zone }).setLocale(line.language === 'es-US' ? 'es' : 'en-US').toFormat('cccc d LLLL yyyy, HH:mm ZZZZ');
  const listen = consoleRecordingUrl(recordingSid);
  const rows: [string, string][] = [
    [words.lines.caller, caller.name ?? words.unknown(caller.tail)],
    [words.lines.callBack, caller.number ?? words.lines.noCallBack],
    [words.lines.when, when],
    [words.lines.length, words.seconds(seconds)],
    ...(reason ? [[words.lines.reason, reason] as [string, string]] : []),
    [words.lines.listen, listen],
  ];
  const text = [...rows.map(([label, value]) => `${label}: ${value}`), '', words.transcriptLater].join('\n');
  const html = [
    '<ul>',
    ...rows.map(([label, value]) => `<li>${escapeHtml(label)}: ${value === listen ? `<a href="${escapeHtml(listen)}">${escapeHtml(recordingSid)}</a>` : escapeHtml(value)}</li>`),
    '</ul>',
    `<p>${escapeHtml(words.transcriptLater)}</p>`,
  ].join('\n');
  return { subject: words.subject(line.name, who), text, html };
}
