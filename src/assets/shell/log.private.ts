// Structured, redacted logging. Logs never hold full phone numbers, email addresses or tokens:
// everything passes through `redact` before it reaches the console.
import type { Logger } from '../core/model.private';

// Any run of plus signs in front is part of the match: `++14155550142` (a forged parameter) is a number too.
const PHONE = /(?<![\w+])\+*\(?\d[\d\s().-]{6,}\d(?!\w)/g;
const EMAIL = /[A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
// Twilio auth tokens and secrets are 32 hex chars; Airtable tokens start with "pat"; SendGrid keys with "SG.".
const TOKEN = /\b(?:[0-9a-f]{32}|pat[A-Za-z0-9]{14}\.[A-Za-z0-9]{20,}|SG\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})\b/g;
const SECRET_KEY = /token|secret|password|api_?key|authorization/i;

/** Keeps the last four digits of a phone number so support can still correlate calls. */
function maskPhone(match: string): string {
  const digits = match.replace(/\D/g, '');
  return digits.length < 7 ? match : `***${digits.slice(-4)}`;
}

export function redact(text: string): string {
  return text
    .replace(TOKEN, '[redacted]')
    .replace(EMAIL, (_m, domain: string) => `***@${domain}`)
    .replace(PHONE, maskPhone);
}

function redactValue(key: string, value: unknown): unknown {
  if (SECRET_KEY.test(key)) return '[redacted]';
  if (typeof value === 'string') return redact(value);
  if (value instanceof Error) return redact(`${value.name}: ${value.message}`);
  if (Array.isArray(value)) return value.map((v) => redactValue('', v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(k, v)]));
  }
  return value;
}

export function createLogger(scope: string, sink: Pick<Console, 'log' | 'warn' | 'error'> = console): Logger {
  const write = (level: 'info' | 'warn' | 'error', event: string, fields: Record<string, unknown> = {}) => {
    const line = JSON.stringify({ level, scope, event, ...(redactValue('', fields) as object) });
    if (level === 'error') sink.error(line);
    else if (level === 'warn') sink.warn(line);
    else sink.log(line);
  };
  return {
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
  };
}
