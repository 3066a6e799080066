// What one attempt's webhooks write on its Callbacks row: the call's SID, Connected, or a missed
// attempt (Retry with the next time, or Failed and a short apology text). Every write names the
// attempt and the call it is about, so a repeated or late webhook changes nothing.
import { isClaimMark, OPEN_STATUSES, type CallbackRow, type CallbacksTable } from '../adapters/callbacks-table.private';
import { twilioClientFor } from '../adapters/twilio-client.private';
import { featuresFromEnv } from '../core/policy.private';
import type { Line } from '../core/model.private';
import type { Config } from '../shell/config.private';
import type { Logger } from '../shell/log.private';
import { apologyText, CLAIM_LEASE_MS, decideMissedAttempt, lineSchedule, type MissedOutcome } from './decide-callback.private';

const ROW_ID = /^rec[A-Za-z0-9]{14}$/;
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;

/** The row and attempt a webhook of an attempt is about (from its query), when well formed. */
export function attemptOf(params: Readonly<Record<string, string>>): { rowId: string; attempt: number } | undefined {
  const attempt = Number(params.attempt);
  if (!ROW_ID.test(params.callback ?? '') || !Number.isInteger(attempt) || attempt < 1 || attempt > 99) return undefined;
  return { rowId: params.callback, attempt };
}

export function isCallSid(value: string | undefined): value is string {
  return CALL_SID.test(value ?? '');
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

export interface AttemptContext {
  readonly config: Config;
  readonly log: Logger;
  readonly now: Date;
  readonly deadline: number;
  readonly table: CallbacksTable;
}

/** The call of this attempt exists: `Dialing`, its SID and the attempt count, the claim renewed. */
export async function recordPlaced(ctx: AttemptContext, rowId: string, attempt: number, callSid: string): Promise<void> {
  await ctx.table.update(
    rowId,
    { status: 'Dialing', callbackCallSid: callSid, attempts: attempt, nextAttemptAt: new Date(ctx.now.getTime() + CLAIM_LEASE_MS).toISOString() },
    ctx.deadline,
  );
}

export async function recordConnected(ctx: AttemptContext, rowId: string, attempt: number, callSid: string): Promise<void> {
  await ctx.table.update(rowId, { status: 'Connected', callbackCallSid: callSid, attempts: attempt, nextAttemptAt: null }, ctx.deadline);
}

/** A missed attempt: Retry at the next time, or Failed (and, when the customer can be texted, an apology). */
export async function recordMissed(ctx: AttemptContext, line: Line, row: CallbackRow, attempt: number, callSid: string | undefined): Promise<MissedOutcome> {
  const outcome = decideMissedAttempt(attempt, line.callbackMaxAttempts, lineSchedule(line, ctx.config.defaultTimezone), ctx.now);
  await ctx.table.update(
    row.id,
    {
      status: outcome.status,
      attempts: attempt,
      callbackCallSid: callSid ?? null,
      nextAttemptAt: outcome.status === 'Retry' ? outcome.nextAttemptAt.toISOString() : null,
    },
    ctx.deadline,
  );
  if (outcome.status === 'Failed') await sendApology(ctx, line, row);
  return outcome;
}

/** One text, never retried (a timeout may have sent it); a landline or opted-out number just gets none. */
async function sendApology(ctx: AttemptContext, line: Line, row: CallbackRow): Promise<void> {
  if (!featuresFromEnv(ctx.config.featureFlags).sms) return;
  const client = twilioClientFor(ctx.config, Math.max(500, ctx.deadline - Date.now()));
  if (!client) return;
  try {
    const message = await client.messages.create({ to: row.phone, from: line.phoneNumber, body: apologyText(line) });
    ctx.log.info('callback-apology-sent', { callback: row.id, messageSid: message.sid });
  } catch (error) {
    ctx.log.warn('callback-apology-not-sent', { callback: row.id, code: (error as { code?: number }).code, error });
  }
}
