// The Calls table: one row per escalated call, upserted on `Call SID` in one request.
// A write that fails is kept in the call memory for the call's next webhook, which sends it again
// merged with whatever that webhook adds, so the row is late at worst, never silently lost.
import type { AirtableStore } from '../adapters/airtable-store.private';
import { isCallSid } from '../core/model.private';
import type { CallRow } from '../core/rows.private';
import { botLogOf } from './bot-log.private';
import { callMemory } from './memory.private';
import type { WebhookRequest } from './request.private';

/** What a write needs: the request (log, deadline) and its one Airtable store. */
export interface CallIo {
  readonly request: WebhookRequest;
  readonly store: AirtableStore | undefined;
}

/**
 * Creates or updates the row of the call named by SID (events about a call arrive with its SID in other
 * fields) with `fields` and anything an earlier failed write left. A row that cannot be written is kept
 * and sent again by the next webhook of the call, or, for events that come after the call, by the next
 * event this instance receives (see retryPendingCallRows).
 */
export async function saveCallRowFor(io: CallIo, callSid: string | undefined, fields: CallRow): Promise<boolean> {
  if (!isCallSid(callSid)) return false;
  const { request, store } = io;
  const now = request.now.getTime();
  const known = callMemory.known(callSid, now);
  const botLog = botLogOf(callSid, now);
  const row: CallRow = { ...known?.pendingRow, ...(botLog ? { 'Bot Log': botLog } : {}), ...fields, 'Call SID': callSid };
  try {
    if (!store) throw new Error('Airtable is not configured');
    await store.upsertCall(row, request.deadline);
    if (known) known.pendingRow = undefined;
    const state = callMemory.call(callSid, now);
    state.rowWritten = true;
    if (typeof row.Outcome === 'string') state.writtenOutcome = row.Outcome;
    return true;
  } catch (error) {
    callMemory.call(callSid, now).pendingRow = row;
    request.log.warn('call-log-deferred', { callSid, error });
    return false;
  }
}

/** Sends a row an earlier webhook of this call could not write; a no-op when there is none. */
export async function retryPendingCallRow(io: CallIo, callSid: string | undefined): Promise<void> {
  if (isCallSid(callSid) && callMemory.known(callSid, io.request.now.getTime())?.pendingRow) await saveCallRowFor(io, callSid, {});
}

/**
 * Rows other calls left unwritten, oldest first, a couple at a time (events come after a call has
 * ended, so no later webhook of that call would send them). `except`: the call this event is about,
 * whose own write already includes its kept row.
 */
export async function retryPendingCallRows(io: CallIo, except?: string, max = 2): Promise<void> {
  const waiting = callMemory
    .waiting(io.request.now.getTime(), 'pendingRow')
    .map(([callSid]) => callSid)
    .filter((sid) => sid !== except)
    .slice(0, max);
  await Promise.all(waiting.map((callSid) => saveCallRowFor(io, callSid, {})));
}

