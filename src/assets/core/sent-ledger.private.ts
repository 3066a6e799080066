// What a call has sent (the Calls row's `Sent` field), as data. Pure.
//
// `Sent` is the durable "already sent" fact: Functions instances share no memory, and Twilio may
// repeat a webhook or the caller ask twice, so a text or email is sent only when this call's row has
// no entry for that channel. One entry a line: "Text SM…: delivered", "Email <x-message-id>: accepted".
// Never a body or an address: only ids and statuses. Reading and writing it on the row, with what this
// instance remembers, is call/sent-log: this file is the format and the rules, that one the I/O.
// The call's case number (`Case Number`, given with the first email) is made here too.

/** `Voicemail`: the team's email about the message the caller left. */
export type SentChannel = 'Text' | 'Email' | 'Voicemail';

export interface SentEntry {
  readonly channel: SentChannel;
  /** The message SID or SendGrid message id; `unconfirmed` when a create timed out. */
  readonly id: string;
  /** Twilio's message status (queued, sent, delivered, undelivered 30006...), or `accepted` for an email. */
  readonly status: string;
}

/** A text whose create timed out: it may or may not have gone, so it is looked up before any resend. */
export const UNCONFIRMED = 'unconfirmed';

const ENTRY = /^(Text|Email|Voicemail) ([A-Za-z0-9._=+/-]{1,100}): ([A-Za-z0-9 ._-]{1,60})$/;

export function parseSent(raw: string | undefined): SentEntry[] {
  return (raw ?? '')
    .split('\n')
    .map((line) => ENTRY.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ channel: m[1] as SentChannel, id: m[2], status: m[3] }));
}

export function formatSent(entries: readonly SentEntry[]): string {
  return entries.map((e) => `${e.channel} ${e.id}: ${e.status}`).join('\n');
}

/** The entry that blocks sending again on this channel in this call (an unconfirmed text included). */
export function sentOn(entries: readonly SentEntry[], channel: SentChannel): SentEntry | undefined {
  return entries.find((e) => e.channel === channel);
}

/** Adds `entry`, replacing an entry with the same channel and id (or the unconfirmed placeholder). */
export function withEntry(entries: readonly SentEntry[], entry: SentEntry): SentEntry[] {
  const kept = entries.filter((e) => !(e.channel === entry.channel && (e.id === entry.id || e.id === UNCONFIRMED)));
  return [...kept, entry];
}

/** `durable` (the row) plus what only `local` (this instance) knows; a local placeholder never hides a real message. */
export function mergeSent(durable: readonly SentEntry[], local: readonly SentEntry[]): SentEntry[] {
  return local.reduce<SentEntry[]>((all, entry) => {
    const known = all.some((e) => e.channel === entry.channel && (e.id === entry.id || entry.id === UNCONFIRMED));
    return known ? all : withEntry(all, entry);
  }, [...durable]);
}

// Twilio's message statuses in the order they happen; callbacks can arrive out of order or twice.
const PROGRESS = ['accepted', 'scheduled', 'queued', 'sending', 'sent', 'receiving', 'received', 'delivered', 'undelivered', 'failed', 'read'];

/** The ledger after a status callback for text `sid`, or undefined when it changes nothing (repeat, late, unknown). */
export function afterMessageStatus(entries: readonly SentEntry[], sid: string, status: string, errorCode?: string): SentEntry[] | undefined {
  const rank = PROGRESS.indexOf(status);
  if (rank < 0) return undefined;
  const current = entries.find((e) => e.channel === 'Text' && e.id === sid);
  const currentRank = current ? PROGRESS.indexOf(current.status.split(' ')[0]) : -1;
  if (current && currentRank >= rank) return undefined;
  const code = /^\d{5}$/.test(errorCode ?? '') ? ` ${errorCode}` : '';
  return withEntry(entries, { channel: 'Text', id: sid, status: `${status}${code}` });
}

// Case numbers: short, and unambiguous when read aloud or copied from an email. The random source is
// passed in; uniqueness is checked against the Calls table by call/sent-log.
//
// No 0/O or 1/I (they look alike), no letters that rhyme on a phone line (B C D E G P T V Z, M/N,
// J/K, S/F), and no A (text-to-speech may read it as the article "a").
export const CASE_ALPHABET = '23456789FHKLRUWXY';
const CASE_HALF = 3;
export const CASE_NUMBER = new RegExp(`^[${CASE_ALPHABET}]{${CASE_HALF}}-[${CASE_ALPHABET}]{${CASE_HALF}}$`);

/** "K7F-49X". `randomInt(n)` returns an integer in [0, n), e.g. crypto.randomInt. */
export function newCaseNumber(randomInt: (n: number) => number): string {
  const char = () => CASE_ALPHABET[randomInt(CASE_ALPHABET.length)];
  const half = () => Array.from({ length: CASE_HALF }, char).join('');
  return `${half()}-${half()}`;
}

/** A case number from a URL or a row, or undefined when it is not one of ours. */
export function readCaseNumber(raw: string | undefined): string | undefined {
  const text = raw?.trim().toUpperCase();
  return text && CASE_NUMBER.test(text) ? text : undefined;
}
