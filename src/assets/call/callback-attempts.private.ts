// The I/O of one callback attempt, shared by the callback path's webhooks and the dispatcher: placing
// the agent-first calls through Twilio (the line's agents in order, one call at a time), and writing on its Callbacks row what became of it (the call's
// SID, Connected, or a missed attempt: Retry with the next time, or Failed and a short apology text).
// Every write names the attempt and the call it is about, so a repeated or late webhook changes nothing.
// A create is never retried: one that timed out may still have placed the call.
import type { CallbacksTable } from '../adapters/callbacks-table.private';
import { twilioClientFor } from '../adapters/twilio-client.private';
import { scheduleForLine } from '../core/business-hours.private';
import {
  agentRingSeconds,
  apologyText,
  attemptQuery,
  CLAIM_LEASE_MS,
  decideMissedAttempt,
  nextAgentAfter,
  type AgentTurn,
  type MissedOutcome,
} from '../core/callback-attempts.private';
import type { Line } from '../core/model.private';
import { agentNumbersOf, featuresFromEnv } from '../core/policy.private';
import type { CallbackRow } from '../core/rows.private';
import { functionUrl, stepUrl } from '../core/urls.private';
import { callMemory } from './memory.private';
import type { CallSession } from './session.private';

type PlaceOutcome =
  | { readonly kind: 'placed'; readonly callSid: string }
  /** Twilio answered with an error: no call exists. */
  | { readonly kind: 'refused'; readonly code?: number; readonly error: unknown }
  /** No answer in time (or no client): the call may or may not exist; its status callback will tell. */
  | { readonly kind: 'unknown'; readonly error: unknown };

/** Below this much time left, a create could not get its answer back: do not send it. */
const MIN_CREATE_MS = 600;

/**
 * Rings the agent of `turn` (its place in `agentNumbersOf(line)`) from the line's number. The agent's TwiML
 * and the status callback carry the row and the turn, so every later webhook knows which call it is about.
 */
async function placeAgentCall(call: CallSession, line: Line, row: CallbackRow, turn: AgentTurn): Promise<PlaceOutcome> {
  const { config, deadline } = call.request;
  const agents = agentNumbersOf(line);
  const left = deadline - Date.now();
  const client = left >= MIN_CREATE_MS ? twilioClientFor(config, left) : undefined;
  const query = attemptQuery(row.id, turn);
  const url = functionUrl(config, stepUrl('/callback/agent', query));
  const statusCallback = functionUrl(config, stepUrl('/callback/status', query));
  const to = agents[turn.agent];
  if (!client || !url || !statusCallback || !to) {
    return { kind: 'refused', error: new Error('cannot place calls: Twilio client, public URL or agent number missing') };
  }
  try {
    const placed = await client.calls.create({
      to,
      from: line.phoneNumber,
      url,
      method: 'POST',
      statusCallback,
      statusCallbackMethod: 'POST',
      // `initiated` lets the row learn the call's SID even when whoever placed it could not write it.
      statusCallbackEvent: ['initiated', 'completed'],
      timeout: agentRingSeconds(line, agents.length),
      // No machineDetection: the agent presses 1 (Agent Must Accept) or hears the whisper; detection would only delay them.
    });
    return { kind: 'placed', callSid: placed.sid };
  } catch (error) {
    const status = (error as { status?: number } | undefined)?.status;
    const code = (error as { code?: number } | undefined)?.code;
    return typeof status === 'number' && status >= 400 && status < 500 ? { kind: 'refused', code, error } : { kind: 'unknown', error };
  }
}

/**
 * Rings the agent of `turn`, or, when Twilio refuses that call (a bad number), the next of the group in
 * order: one call at a time, so a refused one is passed over and an unknown one stops the round (it may
 * be ringing; its status callback tells). `refused` only when every agent from `turn` on was refused.
 */
export async function ringAgentFrom(call: CallSession, line: Line, row: CallbackRow, turn: AgentTurn): Promise<PlaceOutcome & { readonly turn: AgentTurn }> {
  const agents = agentNumbersOf(line);
  let current = turn;
  for (;;) {
    const outcome = await placeAgentCall(call, line, row, current);
    const next = outcome.kind === 'refused' ? nextAgentAfter(agents, current.agent) : undefined;
    if (!next) return { ...outcome, turn: current };
    call.request.log.warn('callback-agent-refused', { callback: row.id, agent: current.agent, code: outcome.kind === 'refused' ? outcome.code : undefined });
    current = { ...current, agent: next.agent };
  }
}

/** What became of an agent call that ended without the customer: the next agent rings, or the attempt was missed. */
export type PassedOn = { readonly status: 'Dialing'; readonly agent?: number } | MissedOutcome;

/**
 * The agent call of `turn` ended before the customer was dialled (declined, did not accept, busy, no
 * answer, failed): the next agent of the group rings within the same attempt and the row names that call
 * (the dispatcher's lease check follows it); with nobody left the attempt is missed. The caller checked
 * that the row still names the ended call; on this instance a duplicate arriving meanwhile is turned
 * away, so no agent is rung twice.
 */
export async function passToNextAgent(call: CallSession, table: CallbacksTable, line: Line, row: CallbackRow, turn: AgentTurn, endedCallSid: string): Promise<PassedOn | undefined> {
  const memory = callMemory.call(endedCallSid, Date.now());
  if (memory.passingOn) return undefined;
  memory.passingOn = true;
  const next = nextAgentAfter(agentNumbersOf(line), turn.agent);
  if (next) {
    const rung = await ringAgentFrom(call, line, row, { attempt: turn.attempt, agent: next.agent, previous: endedCallSid });
    if (rung.kind === 'placed') {
      // Not written: the new call's `initiated` status callback (it names `previous`) writes it again.
      await recordPlaced(call, table, row.id, turn.attempt, rung.callSid).catch((error: unknown) => call.request.log.warn('callback-placed-not-recorded', { callback: row.id, error }));
      return { status: 'Dialing', agent: rung.turn.agent };
    }
    // Maybe ringing: its own status callback names it on the row (it carries `previous`), else the lease.
    if (rung.kind === 'unknown') return { status: 'Dialing' };
  }
  try {
    return await recordMissed(call, table, line, row, turn.attempt, endedCallSid);
  } catch (error) {
    memory.passingOn = false; // nothing was rung: Twilio's retry of this callback may settle it
    throw error;
  }
}

/** The call of this attempt exists: `Dialing`, its SID and the attempt count, the claim renewed. */
export async function recordPlaced(call: CallSession, table: CallbacksTable, rowId: string, attempt: number, callSid: string): Promise<void> {
  const { now, deadline } = call.request;
  await table.update(rowId, { status: 'Dialing', callbackCallSid: callSid, attempts: attempt, nextAttemptAt: new Date(now.getTime() + CLAIM_LEASE_MS).toISOString() }, deadline);
}

export async function recordConnected(call: CallSession, table: CallbacksTable, rowId: string, attempt: number, callSid: string): Promise<void> {
  const row = await table.update(rowId, { status: 'Connected', callbackCallSid: callSid, attempts: attempt, nextAttemptAt: null }, call.request.deadline);
  await noteOnCallLog(call, row, `Callback connected (attempt ${attempt})`);
}

/** The caller's own Calls row (Origin Call SID) learns how their callback ended; a failure only costs the note. */
async function noteOnCallLog(call: CallSession, row: CallbackRow | undefined, outcome: string): Promise<void> {
  if (!row?.originCallSid || !call.store) return;
  try {
    await call.store.upsertCall({ 'Call SID': row.originCallSid, Outcome: outcome }, call.request.deadline);
  } catch (error) {
    call.request.log.warn('callback-outcome-not-logged', { callback: row.id, error });
  }
}

/** A missed attempt: Retry at the next time, or Failed (and, when the customer can be texted, an apology). */
export async function recordMissed(
  call: CallSession,
  table: CallbacksTable,
  line: Line,
  row: CallbackRow,
  attempt: number,
  callSid: string | undefined,
  now = call.request.now,
): Promise<MissedOutcome> {
  const { config, deadline } = call.request;
  const outcome = decideMissedAttempt(attempt, line.callbackMaxAttempts, scheduleForLine(line, config.defaultTimezone).schedule, now);
  const nextAttemptAt = outcome.status === 'Retry' ? outcome.nextAttemptAt.toISOString() : null;
  await table.update(row.id, { status: outcome.status, attempts: attempt, callbackCallSid: callSid ?? null, nextAttemptAt }, deadline);
  if (outcome.status === 'Failed') await Promise.all([sendApology(call, line, row), noteOnCallLog(call, row, `Callback failed after ${attempt} attempts`)]);
  return outcome;
}

/** One text, never retried (a timeout may have sent it); a landline or opted-out number just gets none. */
async function sendApology(call: CallSession, line: Line, row: CallbackRow): Promise<void> {
  const { config, deadline, log } = call.request;
  if (!featuresFromEnv(config.featureFlags).sms) return;
  const client = twilioClientFor(config, Math.max(500, deadline - Date.now()));
  if (!client) return;
  try {
    const message = await client.messages.create({ to: row.phone, from: line.phoneNumber, body: apologyText(line) });
    log.info('callback-apology-sent', { callback: row.id, messageSid: message.sid });
  } catch (error) {
    log.warn('callback-apology-not-sent', { callback: row.id, code: (error as { code?: number }).code, error });
  }
}
