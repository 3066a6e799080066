// "Already sent?" for texts and emails: one send per call and channel, also when Twilio repeats a
// webhook or the caller asks twice.
//
// Functions instances share no memory, so the durable fact is the call's Calls row (`Sent`, read
// before sending). The call memory also keeps what this instance sent and what it is sending right now:
// a repeated webhook racing the first on the same instance waits for nothing and sends nothing, and a
// send whose row write failed (kept by the call log for the next webhook) still counts. The entries'
// format, the pure rules and the case-number maker are core/sent-ledger; here the one send-once sequence.
import { randomInt } from 'node:crypto';
import type { AirtableRequests } from '../adapters/airtable-requests.private';
import { loadCallSends } from '../adapters/calls-table.private';
import { formatSent, mergeSent, newCaseNumber, parseSent, type SentChannel, type SentEntry } from '../core/sent-ledger.private';
import { saveCallRowFor, type CallIo } from './call-log.private';
import { callMemory } from './memory.private';

export interface CallLedger {
  readonly entries: readonly SentEntry[];
  /** This call's case number, or a new one no other call has. */
  readonly caseNumber: string;
  /** False when Airtable could not be read: `entries` is only what this instance knows. */
  readonly durable: boolean;
}

export interface LedgerIo extends CallIo {
  readonly airtable: AirtableRequests | undefined;
}

/** What this call has sent and its case number. When Airtable cannot say, what this instance knows. */
export async function loadLedger(io: LedgerIo, callSid: string): Promise<CallLedger> {
  const { request } = io;
  const state = callMemory.call(callSid, request.now.getTime());
  const local = state.sent ?? [];
  let candidate = state.caseNumber ?? newCaseNumber(randomInt);
  try {
    let sends = await loadCallSends(io.airtable, callSid, candidate, request.deadline);
    if (sends.caseNumberTaken && !sends.caseNumber) {
      candidate = newCaseNumber(randomInt);
      sends = await loadCallSends(io.airtable, callSid, candidate, request.deadline);
    }
    const caseNumber = sends.caseNumber ?? state.caseNumber ?? candidate;
    return { entries: mergeSent(parseSent(sends.sent), local), caseNumber, durable: true };
  } catch (error) {
    request.log.warn('sent-log-unavailable', { callSid, error });
    return { entries: local, caseNumber: candidate, durable: false };
  }
}

/** The case number this instance gave (or is giving) the call, if any. */
export function caseNumberHere(callSid: string, now: number): string | undefined {
  return callMemory.known(callSid, now)?.caseNumber;
}

/** What a send leaves on the call's row: the ledger after it (when it changed) and other fields (Outcome, Case Number...). */
export interface SendRecord {
  readonly entries?: readonly SentEntry[];
  readonly fields?: Readonly<Record<string, string>>;
}

export type SendOnce<T> = { readonly claimed: false } | { readonly claimed: true; readonly result: T };

/**
 * The one send-once sequence: claim `channel` for this call on this instance (false when it is being
 * sent already: a repeated webhook racing this one), hand `send` what the call has sent so far (the
 * ledger read before the claim, with what this instance recorded since), record what it returns on the
 * call's row and in the call memory, and release the claim. The case number the send will use is kept
 * at the claim, so a repeated webhook racing this one says the same number.
 */
export async function sendOnce<T>(
  io: CallIo,
  callSid: string,
  channel: SentChannel,
  ledger: CallLedger,
  send: (entries: readonly SentEntry[]) => Promise<{ readonly result: T; readonly record?: SendRecord }>,
): Promise<SendOnce<T>> {
  const state = callMemory.call(callSid, io.request.now.getTime());
  if (state.sending.has(channel)) return { claimed: false };
  state.sending.add(channel);
  if (channel === 'Email') state.caseNumber = ledger.caseNumber;
  try {
    const { result, record } = await send(mergeSent(ledger.entries, state.sent ?? []));
    if (record) await recordSent(io, callSid, record);
    return { claimed: true, result };
  } finally {
    state.sending.delete(channel);
  }
}

/** Records what was sent (ids and statuses only) on the call's row, with `fields`, and remembers it on this instance. */
async function recordSent(io: CallIo, callSid: string, { entries, fields = {} }: SendRecord): Promise<void> {
  const state = callMemory.call(callSid, io.request.now.getTime());
  if (entries) state.sent = [...entries];
  if (fields['Case Number']) state.caseNumber = fields['Case Number'];
  await saveCallRowFor(io, callSid, { ...fields, ...(entries ? { Sent: formatSent(entries) } : {}) });
}

/** Records the ledger after a change that needs no claim (a delivery status), with what this instance recorded since. */
export async function recordLedger(io: CallIo, callSid: string, entries: readonly SentEntry[]): Promise<void> {
  const local = callMemory.known(callSid, io.request.now.getTime())?.sent ?? [];
  await recordSent(io, callSid, { entries: mergeSent(entries, local) });
}
