// "Already sent?" for the text and email paths: one send per call and channel, also when Twilio
// repeats a webhook or the caller asks twice.
//
// Functions instances share no memory, so the durable fact is the call's Calls row (`Sent`, read
// before sending). This instance also remembers what it sent and what it is sending right now: a
// repeated webhook racing the first on the same instance waits for nothing and sends nothing, and a
// send whose row write failed (kept by the call log for the next webhook) still counts.
import { randomInt } from 'node:crypto';
import { loadCallSends } from '../adapters/calls-table.private';
import { formatSent, parseSent, withEntry, type SentChannel, type SentEntry } from '../core/sent-ledger.private';
import { newCaseNumber } from '../email/case-number.private';
import { saveCallRow } from './call-log.private';
import type { WebhookRequest } from './webhook.private';

const MAX_REMEMBERED_CALLS = 1000;
const remembered = new Map<string, SentEntry[]>();
const remember = new Map<string, string>(); // callSid → case number given on this instance
const inFlight = new Set<string>();

export interface CallLedger {
  readonly entries: readonly SentEntry[];
  /** This call's case number, or a new one no other call has. */
  readonly caseNumber: string;
  /** True when the case number was on the row (or given on this instance) already. */
  readonly caseNumberKnown: boolean;
  /** False when Airtable could not be read: `entries` is only what this instance knows. */
  readonly durable: boolean;
}

function merge(a: readonly SentEntry[], b: readonly SentEntry[]): SentEntry[] {
  return b.reduce<SentEntry[]>((all, entry) => (all.some((e) => e.channel === entry.channel && e.id === entry.id) ? all : withEntry(all, entry)), [...a]);
}

/** What this call has sent and its case number. When Airtable cannot say, what this instance knows. */
export async function loadLedger(request: WebhookRequest, callSid: string): Promise<CallLedger> {
  const local = remembered.get(callSid) ?? [];
  const localCase = remember.get(callSid);
  let candidate = localCase ?? newCaseNumber(randomInt);
  try {
    let sends = await loadCallSends(request.config, callSid, candidate, request.deadline);
    if (sends.caseNumberTaken && !sends.caseNumber) {
      candidate = newCaseNumber(randomInt);
      sends = await loadCallSends(request.config, callSid, candidate, request.deadline);
    }
    const caseNumber = sends.caseNumber ?? localCase ?? candidate;
    return { entries: merge(parseSent(sends.sent), local), caseNumber, caseNumberKnown: Boolean(sends.caseNumber ?? localCase), durable: true };
  } catch (error) {
    request.log.warn('sent-log-unavailable', { callSid, error });
    return { entries: local, caseNumber: candidate, caseNumberKnown: Boolean(localCase), durable: false };
  }
}

/** Marks `callSid`+`channel` as being sent on this instance; false when it already is. */
export function claimSend(callSid: string, channel: SentChannel): boolean {
  const key = `${callSid}:${channel}`;
  if (inFlight.has(key)) return false;
  inFlight.add(key);
  return true;
}

export function releaseSend(callSid: string, channel: SentChannel): void {
  inFlight.delete(`${callSid}:${channel}`);
}

/**
 * Records what was sent (ids and statuses only) on the call's row, with `fields` (Outcome, Case
 * Number...), and remembers it on this instance.
 */
export async function recordSent(request: WebhookRequest, callSid: string, entries: readonly SentEntry[], fields: Readonly<Record<string, string>> = {}): Promise<void> {
  if (remembered.size >= MAX_REMEMBERED_CALLS) remembered.delete(remembered.keys().next().value as string);
  remembered.set(callSid, [...entries]);
  if (fields['Case Number']) {
    if (remember.size >= MAX_REMEMBERED_CALLS) remember.delete(remember.keys().next().value as string);
    remember.set(callSid, fields['Case Number']);
  }
  await saveCallRow(request, { ...fields, Sent: formatSent(entries) });
}
