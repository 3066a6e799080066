// Phone numbers, caller IDs and SIP URIs. Pure.
//
// Three levels of trust, on purpose:
// - toE164Shape: syntax only (+ and 7 to 15 digits). Used to match lines and caller IDs, because
//   real configurations use numbers libphonenumber calls invalid (the SPEC's own +15551230000).
// - normalizeE164: libphonenumber, "possible" length for the country; formats national input.
// - parseDialableNumber: libphonenumber "valid", in an allowed country, not premium rate. For
//   numbers a caller keys in, since we will dial them at the business's expense.

import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type { CountryCode };

export type DialableNumber =
  | { readonly ok: true; readonly e164: string; readonly country: CountryCode }
  | { readonly ok: false; readonly reason: 'empty' | 'invalid' | 'other-country' | 'premium-rate' };

const E164_SHAPE = /^\+[1-9]\d{6,14}$/;
// RFC 3966 visual separators, plus the spaces people type.
const VISUAL_SEPARATORS = /[\s\-.()/\u00a0]/g;

const ANONYMOUS_WORDS = new Set([
  'anonymous', 'restricted', 'unknown', 'private', 'unavailable', 'blocked', 'withheld',
  'anonymous caller', 'unknown caller', 'private number', 'private caller', 'no caller id', 'not available',
]);
// Carriers spell the words on a keypad: ANONYMOUS (Twilio's), RESTRICTED, BLOCKED, UNKNOWN,
// UNAVAILABLE, PRIVATE. Compared as digits, with or without the +.
const MASKED_NUMBER_DIGITS = new Set(['266696687', '7378742833', '2562533', '8656696', '86282452253', '7748283']);

/** The user part of a sip:/sips: URI, percent-decoded, without password or user parameters. */
export function sipUserOf(uri: string | undefined): string | undefined {
  const m = /^<?sips?:([^@>]*)@/i.exec(uri?.trim() ?? '');
  if (!m) return undefined;
  const user = m[1].split(';')[0].split(':')[0];
  if (user === '') return undefined;
  try {
    return decodeURIComponent(user);
  } catch {
    return user;
  }
}

/** The host of a sip:/sips: URI, lower-cased, without port or parameters. */
export function sipHostOf(uri: string | undefined): string | undefined {
  const m = /^<?sips?:(?:[^@>]*@)?([^;?>]+)/i.exec(uri?.trim() ?? '');
  if (!m) return undefined;
  const hostport = m[1].toLowerCase();
  const host = hostport.startsWith('[') ? hostport.slice(0, hostport.indexOf(']') + 1) : hostport.split(':')[0];
  return host === '' || host === '[]' ? undefined : host;
}

/**
 * Syntactic E.164 after removing formatting and sip:/tel: wrapping, or undefined.
 * "sip:+15551230000@pbx.example.com" → "+15551230000"; "client:alice" → undefined.
 */
/** At most this many numbers in `More Agent Numbers` (SPEC §3): a group rings ten phones at most. */
export const MAX_MORE_AGENT_NUMBERS = 9;

/** `More Agent Numbers` as written: comma-separated (new lines and semicolons tolerated), blanks dropped. */
export function splitAgentNumbers(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[,;\n]/)
    .map((n) => n.trim())
    .filter(Boolean);
}

export function toE164Shape(raw: string | undefined): string | undefined {
  const text = unwrapUri(raw);
  if (text === undefined) return undefined;
  const compact = text.replace(VISUAL_SEPARATORS, '');
  return E164_SHAPE.test(compact) ? compact : undefined;
}

/**
 * E.164 via libphonenumber when the number has a possible length for its country; national
 * formats need `defaultCountry` ("4155550142", "US" → "+14155550142"). Extensions are dropped.
 */
export function normalizeE164(raw: string | undefined, defaultCountry?: CountryCode): string | undefined {
  const text = unwrapUri(raw);
  if (text === undefined) return undefined;
  const parsed = parsePhoneNumberFromString(text, defaultCountry);
  return parsed?.isPossible() ? parsed.number : undefined;
}

/**
 * A number the caller keyed in or said, checked before we dial it: valid, in one of
 * `allowedCountries` (default: only `defaultCountry`, because +1 also reaches the Caribbean's
 * expensive numbers), and not premium rate or shared cost.
 */
export function parseDialableNumber(
  raw: string | undefined,
  defaultCountry: CountryCode,
  allowedCountries: readonly CountryCode[] = [defaultCountry],
): DialableNumber {
  const text = (raw ?? '').replace(/[#*]+$/, '').trim(); // the caller may end keypad input with #
  if (text === '') return { ok: false, reason: 'empty' };
  const parsed = parsePhoneNumberFromString(text, defaultCountry);
  if (!parsed?.isValid() || !parsed.country) return { ok: false, reason: 'invalid' };
  if (!allowedCountries.includes(parsed.country)) return { ok: false, reason: 'other-country' };
  const type = parsed.getType();
  if (type === 'PREMIUM_RATE' || type === 'SHARED_COST') return { ok: false, reason: 'premium-rate' };
  return { ok: true, e164: parsed.number, country: parsed.country };
}

/** "+1 202 555 0102": international format, so it can be tapped to call from anywhere (texts, emails). */
export function textableNumber(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/** The country of a number per libphonenumber, e.g. to pick the default for keyed-in digits. */
export function countryOf(e164: string | undefined): CountryCode | undefined {
  const shaped = toE164Shape(e164);
  return shaped ? parsePhoneNumberFromString(shaped)?.country : undefined;
}

/** True when the caller ID is withheld or masked, or is not a phone (a `client:` identity). */
export function isAnonymousCaller(from: string | undefined): boolean {
  const text = (from ?? '').trim().toLowerCase();
  if (text === '' || text.startsWith('client:')) return true;
  if (/^<?sips?:/.test(text)) {
    // RFC 3323 anonymity: sip:anonymous@anonymous.invalid
    if (sipHostOf(text) === 'anonymous.invalid') return true;
    const user = sipUserOf(text);
    return user === undefined || isAnonymousCaller(user);
  }
  if (ANONYMOUS_WORDS.has(text.replace(/[\s_-]+/g, ' '))) return true;
  const digits = text.replace(VISUAL_SEPARATORS, '').replace(/^\+/, '');
  return MASKED_NUMBER_DIGITS.has(digits);
}

/**
 * The caller ID to match and call back: E.164 and not anonymous, else undefined. A national-format
 * caller ID (some SIP trunks send `sip:4155550142@…`) is read in `countryHint`, Twilio's `FromCountry`
 * or the line's country.
 */
export function callerIdOf(from: string | undefined, countryHint?: string): string | undefined {
  if (isAnonymousCaller(from)) return undefined;
  const hint = countryHint?.toUpperCase();
  return toE164Shape(from) ?? (hint && isSupportedCountry(hint) ? normalizeE164(from, hint) : undefined);
}

/** The last four digits, for prompts: "the number ending in 4567". */
export function lastFour(e164: string): string {
  return e164.replace(/\D/g, '').slice(-4);
}

/**
 * A phone number, caller ID or SIP URI made safe for logs: "+1******4567", "anonymous",
 * "sip:***@pbx.example.com". Never the full number.
 */
export function maskForLog(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return '(none)';
  if (isAnonymousCaller(value)) return value.trim().toLowerCase().startsWith('client:') ? 'client:***' : 'anonymous';
  const e164 = toE164Shape(value);
  if (e164) {
    const digits = e164.slice(1);
    const code = parsePhoneNumberFromString(e164)?.countryCallingCode ?? digits.slice(0, 1);
    const keep = digits.length - code.length > 6 ? 4 : 2;
    const hidden = Math.max(digits.length - code.length - keep, 0);
    return `+${code}${'*'.repeat(hidden)}${digits.slice(code.length + hidden)}`;
  }
  const host = sipHostOf(value);
  return host ? `sip:***@${host}` : '***';
}

/** "dana@example.com" → "d***@example.com". */
export function maskEmailForLog(email: string | undefined): string {
  const m = /^\s*([^\s@])[^\s@]*@([^\s@]+)\s*$/.exec(email ?? '');
  return m ? `${m[1]}***@${m[2].toLowerCase()}` : email?.trim() ? '***' : '(none)';
}

/** The bare number inside sip:, sips: or tel: URIs; undefined for client: identities or blanks. */
function unwrapUri(raw: string | undefined): string | undefined {
  const text = raw?.trim();
  if (!text || /^client:/i.test(text)) return undefined;
  if (/^<?sips?:/i.test(text)) return sipUserOf(text);
  if (/^tel:/i.test(text)) return text.slice(4).split(';')[0];
  return text;
}
