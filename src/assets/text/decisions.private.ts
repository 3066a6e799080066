// The text path as pure decisions: the text a caller receives, what Twilio's answer to sending it
// means, what the call log records and what the caller hears.
import { menuWithout } from '../core/carried-query.private';
import { speakableNumber } from '../core/menu.private';
import type { Language, Line } from '../core/model.private';
import { countryOf, lastFour, parseDialableNumber, textableNumber, toE164Shape, type CountryCode } from '../core/phone.private';
import type { CallerFacts } from '../core/policy.private';
import { utter, type PromptId } from '../core/prompts.private';
import { UNCONFIRMED, withEntry, type SentEntry } from '../core/sent-ledger.private';
import type { Step } from '../core/steps.private';
import type { Query } from '../core/urls.private';

/** One SMS segment: 160 GSM-7 characters (70 when a character needs UCS-2). */
export const GSM7_SEGMENT = 160;

// The GSM 03.38 default alphabet, and its extension table (two septets each).
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENDED = '^{}\\[~]|€\f';

/** Septets `text` takes in GSM-7, or undefined when a character forces UCS-2. */
export function gsm7Length(text: string): number | undefined {
  let length = 0;
  for (const char of text) {
    if (GSM7_BASIC.includes(char)) length += 1;
    else if (GSM7_EXTENDED.includes(char)) length += 2;
    else return undefined;
  }
  return length;
}

export function fitsOneSegment(text: string): boolean {
  const septets = gsm7Length(text);
  return septets !== undefined ? septets <= GSM7_SEGMENT : [...text].length <= 70;
}

// Wordings from fullest to shortest; the first that fits one segment wins. Spanish avoids á, í, ó, ú
// (not in GSM-7), which would cut the segment to 70 characters.
const WORDINGS: Record<Language, readonly ((p: { name: string; link?: string; number?: string }) => string)[]> = {
  'en-US': [
    ({ name, link, number }) =>
      `${name}: ${[link && `get help at ${link}`, number && `call us at ${number}`].filter(Boolean).join(' or ')}. Thanks for calling.`,
    ({ name, link, number }) => `${name}: ${[link, number && `call ${number}`].filter(Boolean).join(' or ')}`,
  ],
  'es-US': [
    ({ name, link, number }) =>
      `${name}: ${[link && `ayuda en ${link}`, number && `llamenos al ${number}`].filter(Boolean).join(' o ')}. Gracias por llamar.`,
    ({ name, link, number }) => `${name}: ${[link, number && `llame al ${number}`].filter(Boolean).join(' o ')}`,
  ],
};

/** The SMS body: names the line and gives its support link and/or number, in one segment when it can. */
export function composeTextBody(line: Pick<Line, 'name' | 'language' | 'supportLink' | 'supportNumber'>): string {
  const parts = {
    name: line.name,
    link: line.supportLink?.trim() || undefined,
    number: line.supportNumber ? textableNumber(line.supportNumber) : undefined,
  };
  const bodies = WORDINGS[line.language].map((wording) => wording(parts));
  return bodies.find(fitsOneSegment) ?? bodies[bodies.length - 1];
}

/** Why a text could not be sent, as the caller will be told. */
export type TextFailure = 'opted-out' | 'not-mobile' | 'invalid-number' | 'unreachable' | 'rate-limited' | 'timeout' | 'other';

/** Twilio's error codes for a message create (https://www.twilio.com/docs/api/errors). */
const FAILURES_BY_CODE: Readonly<Record<number, TextFailure>> = {
  21610: 'opted-out', // Attempt to send to unsubscribed recipient
  21614: 'not-mobile', // 'To' number is not a valid mobile number
  21635: 'not-mobile', // 'To' number cannot be a landline
  21211: 'invalid-number', // Invalid 'To' phone number
  21408: 'unreachable', // Permission to send an SMS has not been enabled for the region
  21612: 'unreachable', // The 'To' phone number is not currently reachable via SMS
};

/** What a failed `messages.create` means, from the twilio library's RestException or a transport error. */
export function classifyTextError(error: unknown): TextFailure {
  const { status, code } = (error ?? {}) as { status?: unknown; code?: unknown };
  if (typeof code === 'number' && FAILURES_BY_CODE[code]) return FAILURES_BY_CODE[code];
  if (status === 429 || code === 20429) return 'rate-limited';
  if (typeof status === 'number') return 'other';
  // No HTTP status: the request never got an answer (axios: ECONNABORTED/ETIMEDOUT on its timeout).
  return code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ECONNRESET' || /timeout/i.test(String((error as Error)?.message))
    ? 'timeout'
    : 'other';
}

/** A Twilio error code worth keeping on the call log (never the message text, which may quote the number). */
export function errorCodeOf(error: unknown): string {
  const { status, code } = (error ?? {}) as { status?: unknown; code?: unknown };
  if (typeof code === 'number') return String(code);
  return typeof status === 'number' ? `HTTP ${status}` : 'no answer';
}

const FAILURE_PROMPT: Record<TextFailure, PromptId> = {
  'opted-out': 'text.opted-out',
  'not-mobile': 'text.not-mobile',
  'invalid-number': 'text.invalid-number',
  unreachable: 'text.unreachable',
  'rate-limited': 'text.failed',
  timeout: 'text.unconfirmed',
  other: 'text.failed',
};

/**
 * The number to text, re-validated: number entry put it in the URL, and nothing in a URL is trusted.
 * A number we already know (caller ID or on file) may be in any country; one keyed in must be valid
 * in the line's country, as for callbacks.
 */
export function decideTextNumber(raw: string | undefined, line: Pick<Line, 'phoneNumber'>, caller: CallerFacts): string | undefined {
  const shaped = toE164Shape(raw);
  if (!shaped) return undefined;
  const known = [caller.callerId, caller.contact?.phone, caller.contact?.callbackNumber].some((n) => toE164Shape(n) === shaped);
  const lineCountry: CountryCode = countryOf(line.phoneNumber) ?? 'US';
  const allowed: CountryCode[] = known ? [countryOf(shaped) ?? lineCountry] : [lineCountry];
  const parsed = parseDialableNumber(shaped, lineCountry, allowed);
  return parsed.ok ? parsed.e164 : undefined;
}

/** What became of the one text this call may send. */
export type TextOutcome =
  | { readonly kind: 'sent'; readonly sid: string; readonly status: string }
  /** `found`: a create of this call that had timed out turned up, after all. */
  | { readonly kind: 'already-sent'; readonly found?: { readonly sid: string; readonly status: string } }
  | { readonly kind: 'failed'; readonly failure: TextFailure; readonly code: string };

/** What the Calls row records for an outcome (ids and statuses only), or undefined when nothing changed. */
export function ledgerAfter(entries: readonly SentEntry[], outcome: TextOutcome): { entries: SentEntry[]; outcome: string } | undefined {
  switch (outcome.kind) {
    case 'sent':
      return { entries: withEntry(entries, { channel: 'Text', id: outcome.sid, status: outcome.status }), outcome: 'Text sent' };
    case 'already-sent':
      return outcome.found ? { entries: withEntry(entries, { channel: 'Text', id: outcome.found.sid, status: outcome.found.status }), outcome: 'Text sent' } : undefined;
    case 'failed':
      return outcome.failure === 'timeout'
        ? { entries: withEntry(entries, { channel: 'Text', id: UNCONFIRMED, status: 'timeout' }), outcome: 'Text unconfirmed (timeout)' }
        : { entries: [...entries], outcome: `Text not sent (${outcome.code})` };
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}

/** What the caller hears after the attempt: "sent" only once Twilio accepted; a failure explained, then the other paths. */
export function decideTextStep(line: Line, number: string, outcome: TextOutcome, params: Query): Step {
  const say = (id: PromptId, vars?: Record<string, string>) => utter(line, id, vars);
  switch (outcome.kind) {
    case 'sent':
      return { kind: 'say-and-hangup', say: [say('text.sent', { digits: lastFour(number) }), say('goodbye')] };
    case 'already-sent':
      return { kind: 'say-and-hangup', say: [say('text.already-sent'), say('goodbye')] };
    case 'failed':
      return menuWithout(params, 'text-link', 'other-paths', [say(FAILURE_PROMPT[outcome.failure], { number: speakableNumber(line.phoneNumber) })]);
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}
