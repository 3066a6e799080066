// "Already sent?" for the text and email paths: one send per call and channel, also when Twilio
// repeats a webhook or the caller asks twice.
//
// Functions instances share no memory, so the durable fact is the call's Calls row (`Sent`, read
// before sending). This instance also remembers what it sent and what it is sending right now: a
// repeated webhook racing the first on the same instance waits for nothing and sends nothing, and a
// send whose row write failed (kept by the call log for the next webhook) still counts. The entries'
// format and the pure rules are core/sent-ledger.
import { randomInt } from 'node:crypto';
import { loadCallSends } from '../adapters/calls-table.private';
import { formatSent, mergeSent, parseSent, type SentChannel, type SentEntry } from '../core/sent-ledger.private';
import { newCaseNumber } from '../email/case-number.private';
import { saveCallRow } from './call-log.private';
import type { WebhookRequest } from './webhook.private';

const MAX_REMEMBERED_CALLS = 1000;
const sentHere = new Map<string, SentEntry[]>(); // callSid → what this instance sent or learnt
const caseNumbersHere = new Map<string, string>(); // callSid → case number given on this instance
const inFlight = new Set<string>();

function rememberFor<T>(map: Map<string, T>, callSid: string, value: T): void {
  if (!map.has(callSid) && map.size >= MAX_REMEMBERED_CALLS) map.delete(map.keys().next().value as string);
  map.set(callSid, value);
}

export interface CallLedger {
  readonly entries: readonly SentEntry[];
  /** This call's case number, or a new one no other call has. */
  readonly caseNumber: string;
  /** False when Airtable could not be read: `entries` is only what this instance knows. */
  readonly durable: boolean;
}

/** What this call has sent and its case number. When Airtable cannot say, what this instance knows. */
export async function loadLedger(request: WebhookRequest, callSid: string): Promise<CallLedger> {
  const local = sentHere.get(callSid) ?? [];
  const localCase = caseNumbersHere.get(callSid);
  let candidate = localCase ?? newCaseNumber(randomInt);
  try {
    let sends = await loadCallSends(request.config, callSid, candidate, request.deadline);
    if (sends.caseNumberTaken && !sends.caseNumber) {
      candidate = newCaseNumber(randomInt);
      sends = await loadCallSends(request.config, callSid, candidate, request.deadline);
    }
    const caseNumber = sends.caseNumber ?? localCase ?? candidate;
    return { entries: mergeSent(parseSent(sends.sent), local), caseNumber, durable: true };
  } catch (error) {
    request.log.warn('sent-log-unavailable', { callSid, error });
    return { entries: local, caseNumber: candidate, durable: false };
  }
}

/**
 * Marks `callSid`+`channel` as being sent on this instance; false when it already is. The case number
 * the send will use is kept at once, so a repeated webhook racing this one says the same number.
 */
export function claimSend(callSid: string, channel: SentChannel, caseNumber?: string): boolean {
  const key = `${callSid}:${channel}`;
  if (inFlight.has(key)) return false;
  inFlight.add(key);
  if (caseNumber) rememberFor(caseNumbersHere, callSid, caseNumber);
  return true;
}

/**
 * `entries` (read before the claim) with what this instance recorded since: a request that read the
 * row just before another one on this instance finished sending must still see that send.
 */
export function sentSoFar(callSid: string, entries: readonly SentEntry[]): SentEntry[] {
  return mergeSent(entries, sentHere.get(callSid) ?? []);
}

/** The case number this instance gave (or is giving) the call, if any. */
export function caseNumberHere(callSid: string): string | undefined {
  return caseNumbersHere.get(callSid);
}

export function releaseSend(callSid: string, channel: SentChannel): void {
  inFlight.delete(`${callSid}:${channel}`);
}

/**
 * Records what was sent (ids and statuses only) on the call's row, with `fields` (Outcome, Case
 * Number...), and remembers it on this instance.
 */
export async function recordSent(request: WebhookRequest, callSid: string, entries: readonly SentEntry[], fields: Readonly<Record<string, string>> = {}): Promise<void> {
  rememberFor(sentHere, callSid, [...entries]);
  if (fields['Case Number']) rememberFor(caseNumbersHere, callSid, fields['Case Number']);
  await saveCallRow(request, { ...fields, Sent: formatSent(entries) });
}
