// The text a caller receives, and what Twilio's answer to sending it means. Pure.
import type { Language, Line } from '../core/model.private';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

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

/** "+1 202 555 0102": international format, so it can be tapped to call from anywhere. */
export function textableNumber(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
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
