// Helpers every Twilio resource shape shares: hosts, SIDs, the two date formats, number formatting.
import { randomBytes } from 'node:crypto';

export const API_HOST = 'https://api.twilio.com';
export const INTELLIGENCE_HOST = 'https://intelligence.twilio.com';
export const MESSAGING_HOST = 'https://messaging.twilio.com';

export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** API v2010 dates: RFC 2822 with a numeric zone, "Tue, 31 Aug 2010 20:36:28 +0000". */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/** Intelligence v2 dates: ISO 8601 to the second, "2010-08-31T20:36:28Z". */
export function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** "(415) 867-5309" for North American numbers, as Twilio formats `to_formatted`; others unchanged. */
export function formatNumber(value: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(value);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : value;
}

