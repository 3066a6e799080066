// The Calls table: one row per escalated call, upserted on `Call SID` in one request.
// A write that fails is kept for the call's next webhook, which sends it again merged with
// whatever that webhook adds, so the row is late at worst, never silently lost.
import { createAirtableStore } from '../adapters/airtable-store.private';
import { botLogOf } from './bot-log.private';
import type { Path } from '../core/model.private';
import type { WebhookRequest } from './webhook.private';

export type CallRow = Readonly<Record<string, string | number>>;

/** How the paths appear in the call log: the names of the line's switches. */
export const PATH_LABEL: Readonly<Record<Path, string>> = {
  'live-transfer': 'Live Transfer',
  'callback-now': 'Phone Callback',
  'callback-scheduled': 'Scheduled Callback',
  'text-link': 'Text Link',
  email: 'Email Contact',
};

const CALL_SID = /^CA[0-9a-fA-F]{32}$/;

// Module scope outlives one invocation on a warm instance, which is where the next webhook usually lands.
const pendingRows = new Map<string, CallRow>();

export function labelPaths(paths: readonly Path[]): string {
  return paths.map((p) => PATH_LABEL[p]).join(', ');
}

/** A Twilio call SID (`CA` + 32 hex), the key of the Calls table. */
export function isCallSid(value: string | undefined): value is string {
  return value !== undefined && CALL_SID.test(value);
}

/** Creates or updates this call's row with `fields` (and anything an earlier failed write left). */
export async function saveCallRow(request: WebhookRequest, fields: CallRow): Promise<boolean> {
  return saveCallRowFor(request, request.params.CallSid, fields);
}

/**
 * The same for a call named by SID (events about a call arrive with its SID in other fields). A row
 * that cannot be written is kept and sent again by the next webhook of the call, or, for events that
 * come after the call, by the next event this instance receives (see retryPendingCallRows).
 */
export async function saveCallRowFor(request: WebhookRequest, callSid: string | undefined, fields: CallRow): Promise<boolean> {
  if (!isCallSid(callSid)) return false;
  const botLog = botLogOf(callSid);
  const row: CallRow = { ...pendingRows.get(callSid), ...(botLog ? { 'Bot Log': botLog } : {}), ...fields, 'Call SID': callSid };
  const store = createAirtableStore(request.config);
  try {
    if (!store) throw new Error('Airtable is not configured');
    await store.upsertCall(row, request.deadline);
    pendingRows.delete(callSid);
    return true;
  } catch (error) {
    pendingRows.set(callSid, row);
    request.log.warn('call-log-deferred', { callSid, error });
    return false;
  }
}

/** Sends a row an earlier webhook of this call could not write; a no-op when there is none. */
export async function retryPendingCallRow(request: WebhookRequest): Promise<void> {
  const callSid = request.params.CallSid;
  if (callSid && pendingRows.has(callSid)) await saveCallRow(request, {});
}

/**
 * Rows other calls left unwritten, oldest first, a couple at a time (events come after a call has
 * ended, so no later webhook of that call would send them). `except`: the call this event is about,
 * whose own write already includes its kept row.
 */
export async function retryPendingCallRows(request: WebhookRequest, except?: string, max = 2): Promise<void> {
  const waiting = [...pendingRows.keys()].filter((sid) => sid !== except).slice(0, max);
  await Promise.all(waiting.map((callSid) => saveCallRowFor(request, callSid, {})));
}

/** Rows waiting to be written again on this instance (for tests and logs). */
export function pendingCallRowCount(): number {
  return pendingRows.size;
}
