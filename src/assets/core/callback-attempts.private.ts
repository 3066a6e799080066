// One attempt of a callback (immediate or scheduled) as data: how long its claim and its call last, what
// every URL of the attempt carries, which events may still settle its row, and what a missed attempt
// leads to. Pure: `now` is an argument. Shared by the callback path's webhooks and the dispatcher.
import { nextOpening, type Schedule } from './business-hours.private';
import type { Line } from './model.private';
import { prompt } from './prompts.private';
import { OPEN_STATUSES, type CallbackRow } from './rows.private';
import { encodeQuery } from './urls.private';

const CLAIM_PREFIX = 'claim:';

/** What `Callback Call SID` holds while `token` owns the row and has not dialled yet. */
export function claimMark(token: string): string {
  return `${CLAIM_PREFIX}${token}`;
}

export function isClaimMark(value: string | undefined): boolean {
  return value?.startsWith(CLAIM_PREFIX) === true;
}

/**
 * How long a placed call keeps its row (`Dialing`, `Next Attempt At` = the lease's end). The call settles
 * the row long before (agent ring + whispers + customer ring is about two minutes), so a row still
 * `Dialing` after this lost its outcome (a status callback that never came) and the dispatcher takes it
 * again, after asking Twilio whether the call is still going.
 */
export const CLAIM_LEASE_MS = 10 * 60_000;
/**
 * How long a dispatcher's claim lasts before its call is placed (the claim → dial → write takes seconds):
 * a row still claimed after this belongs to a run that died, or met Airtable failing, and is taken again.
 */
export const UNPLACED_CLAIM_MS = 3 * 60_000;
/**
 * How long a new immediate callback is held for the webhook that rings the agent at once (Next Attempt
 * At in the future, so no dispatcher run dials it too). Placing the call renews it to a full claim; a
 * row still Queued after this was not placed (Twilio refused, or time ran out) and the dispatcher takes it.
 */
export const IMMEDIATE_HOLD_MS = 2 * 60_000;
/** How long the agent's phone rings, and then the customer's. */
export const AGENT_RING_SECONDS = 25;
/** Wait before attempt n+1 after n missed attempts (the last value repeats); retries fall in business hours. */
export const RETRY_BACKOFF_MINUTES: readonly number[] = [5, 15, 30];
/** After `attempts` calls that did not connect: try again (in business hours) or give up. */
export type MissedOutcome = { readonly status: 'Retry'; readonly nextAttemptAt: Date } | { readonly status: 'Failed' };

export function decideMissedAttempt(attempts: number, maxAttempts: number, schedule: Schedule, now: Date): MissedOutcome {
  if (attempts >= maxAttempts) return { status: 'Failed' };
  const minutes = RETRY_BACKOFF_MINUTES[Math.min(Math.max(attempts, 1), RETRY_BACKOFF_MINUTES.length) - 1];
  const earliest = new Date(now.getTime() + minutes * 60_000);
  const at = nextOpening(schedule, earliest);
  return at ? { status: 'Retry', nextAttemptAt: at } : { status: 'Failed' };
}

/** The query every step of one attempt carries: the row and which attempt this call is. */
export function attemptQuery(rowId: string, attempt: number, extra: Record<string, string> = {}): string {
  return encodeQuery({ callback: rowId, attempt: String(attempt), ...extra });
}

const ROW_ID = /^rec[A-Za-z0-9]{14}$/;

/** The row and attempt a webhook of an attempt is about (from its query), when well formed. */
export function attemptOf(params: Readonly<Record<string, string>>): { rowId: string; attempt: number } | undefined {
  const attempt = Number(params.attempt);
  if (!ROW_ID.test(params.callback ?? '') || !Number.isInteger(attempt) || attempt < 1 || attempt > 99) return undefined;
  return { rowId: params.callback, attempt };
}

/**
 * Whether an event of call `callSid`, attempt `attempt`, may still settle the row: the row is dialling
 * that call, or the call is the next attempt and its SID was never written (the writer died or
 * Airtable failed) while the row is still open.
 */
export function isUnsettledAttempt(row: CallbackRow, callSid: string, attempt: number): boolean {
  if (row.callbackCallSid === callSid) return row.status === 'Dialing';
  const unrecorded = !row.callbackCallSid || isClaimMark(row.callbackCallSid);
  return unrecorded && row.attempts === attempt - 1 && OPEN_STATUSES.includes(row.status);
}

/** The short text sent when every attempt failed. */
export function apologyText(line: Line): string {
  const body = prompt(line.language, 'callback.apology-text', { line: line.name });
  return line.supportNumber ? body + prompt(line.language, 'callback.apology-text.number', { number: line.supportNumber }) : body;
}
