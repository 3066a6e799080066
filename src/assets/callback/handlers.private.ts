// The immediate callback's webhooks. /callback/now: the number is confirmed (number entry redirects here
// with `number`); the Callbacks row is stored before the caller is told anything, one open callback per
// number and line; inside business hours the agent-first call is placed at once, outside it waits for
// the opening (the dispatcher, jobs/). Then the legs of one agent-first call, each URL carrying
// `callback` (the row) and `attempt`:
//   /callback/agent            the agent answered: whisper, accept key (Agent Must Accept), then <Dial> the customer
//   /callback/agent-answer     the agent's key at the whisper
//   /callback/customer         the customer's <Number url> whisper: "press 1 to be connected"
//   /callback/customer-answer  the customer's key: 1 bridges (the row is Connected), anything else declines
//   /callback/dial-ended       the agent's <Dial> ended: bridged, or the attempt is missed
//   /callback/status           the agent call's status callback (initiated, completed): idempotent; an agent
//                              call that ended before the customer was dialled rings the line's next agent
// A group's agents are rung in order within one attempt, one call at a time: after the first, the URLs
// also carry `agent` (its place in the group) and `previous` (the agent call before it).
// On the agent's and the customer's legs `From` is the line's number, which is how the line is found.
import type { CallbacksTable } from '../adapters/callbacks-table.private';
import { passToNextAgent, recordConnected, recordMissed, recordPlaced, ringAgentFrom } from '../call/callback-attempts.private';
import type { EventAnswer, EventRequest } from '../call/request.private';
import type { CallSession } from '../call/session.private';
import { firstSentence } from '../core/call-events.private';
import { attemptOf, isUnsettledAttempt, type AgentTurn } from '../core/callback-attempts.private';
import { decideAlreadyQueuedStep, decideCallbackTiming, lineSchedule } from '../core/callback-timing.private';
import { unknownLineStep } from '../core/incoming.private';
import { isCallSid, type Line } from '../core/model.private';
import { maskForLog } from '../core/phone.private';
import { prompt, utter } from '../core/prompts.private';
import type { CallbackChanges, CallbackRow } from '../core/rows.private';
import type { Step } from '../core/steps.private';
import * as decide from './decisions.private';

/** Below this much time left, a second try at the write could not finish: tell the caller instead. */
const MIN_WRITE_MS = 400;
const HANG_UP: Step = { kind: 'say-and-hangup', say: [] };

/**
 * Creates the row. A create is not idempotent, so after a failure we look before writing again: the
 * first write may have landed. A 429 is not tried again (Airtable refuses the base for 30 s).
 */
async function storeCallback(call: CallSession, table: CallbacksTable, row: CallbackChanges): Promise<CallbackRow | undefined> {
  const { deadline, log } = call.request;
  try {
    return await table.create(row, deadline);
  } catch (error) {
    log.warn('callback-create-failed', { callSid: call.callSid, error });
    if ((error as { statusCode?: number }).statusCode === 429) return undefined;
  }
  try {
    const landed = await table.findOpen(row.phone as string, row.line as string, deadline);
    if (landed) return landed;
    if (deadline - Date.now() < MIN_WRITE_MS) return undefined;
    return await table.create(row, deadline);
  } catch (error) {
    log.warn('callback-create-failed-again', { callSid: call.callSid, error });
    return undefined;
  }
}

/** The open callback for this number on this line; when Airtable cannot say, we go on (a late duplicate beats a lost callback). */
async function findOpenCallback(call: CallSession, table: CallbacksTable, number: string, line: Line): Promise<CallbackRow | undefined> {
  return table.findOpen(number, line.phoneNumber, call.request.deadline).catch((error: unknown) => {
    call.request.log.warn('callback-lookup-failed', { callSid: call.callSid, error });
    return undefined;
  });
}

/** Rings the (first) agent now. A refused call is left to the dispatcher's next run; an unknown one to its status callback. */
async function dialNow(call: CallSession, table: CallbacksTable, line: Line, row: CallbackRow): Promise<void> {
  const { now, deadline, log } = call.request;
  const placed = await ringAgentFrom(call, line, row, { attempt: 1, agent: 0 });
  try {
    if (placed.kind === 'placed') await recordPlaced(call, table, row.id, 1, placed.callSid);
    else if (placed.kind === 'refused') await table.update(row.id, { nextAttemptAt: now.toISOString() }, deadline);
  } catch (error) {
    // The call's own status callback carries the row and the attempt and writes this again.
    log.warn('callback-placed-not-recorded', { callback: row.id, error });
  }
  log.info('callback-dialled', { callback: row.id, outcome: placed.kind, agentCallSid: placed.kind === 'placed' ? placed.callSid : undefined });
}

export async function handleCallbackNow(call: CallSession): Promise<Step> {
  const { params, request } = call;
  const { now, config } = request;
  const { line, caller: callerById } = await call.facts();
  if (!line) return unknownLineStep();
  const notStored = async (id: 'callback.bad-number' | 'callback.not-saved', outcome?: string) => {
    if (outcome) await call.saveCallRow({ Outcome: outcome });
    return call.menuWithout('callback-now', 'other-paths', [utter(line, id)]);
  };
  const number = decide.callableNumber(params.number, params.keyed === '1', line);
  if (!number) {
    request.log.warn('callback-number-refused', { callSid: params.CallSid, number: maskForLog(params.number) });
    return notStored('callback.bad-number');
  }
  // The number's own contact (Do Not Contact included) decides, not only the caller ID's.
  const caller = await call.callerForNumber(callerById, number);
  if (!caller || !call.isOffered('callback-now', line, caller)) return call.menuWithout('callback-now', 'path-unavailable');
  const schedule = lineSchedule(line, config.defaultTimezone);
  const timing = decideCallbackTiming(schedule, now);
  const table = call.callbacks();
  if (!table || timing.kind === 'none') return notStored('callback.not-saved', 'Callback not stored');
  const open = await findOpenCallback(call, table, number, line);
  if (open) {
    await call.saveCallRow({ Outcome: 'Callback already queued' });
    return decideAlreadyQueuedStep(line, open, now, schedule.zone);
  }
  const changes = decide.newCallbackRow({ line, number, contact: caller.contact, originCallSid: params.CallSid, reason: params.Reason, timing, now });
  const row = await storeCallback(call, table, changes);
  if (!row) return notStored('callback.not-saved', 'Callback not stored');
  await Promise.all([
    timing.kind === 'now' ? dialNow(call, table, line, row) : undefined,
    call.saveCallRow({ Outcome: timing.kind === 'now' ? 'Callback dialling' : 'Callback queued' }),
  ]);
  return decide.decideQueuedStep(line, number, timing, now, schedule.zone);
}

/** The legs' answer when a handler fails: never the usual transfer to the fallback number (see voiceWebhook). */
export function agentLegTrouble(): Step {
  return { kind: 'say-and-hangup', say: [{ text: prompt('en-US', 'trouble.goodbye'), language: 'en-US' }] };
}

/** On the customer's whisper a hang-up declines the bridge: they are not connected to a failing call. */
export function customerLegTrouble(): Step {
  return HANG_UP;
}

interface AttemptFacts {
  readonly table: CallbacksTable;
  readonly line: Line;
  readonly row: CallbackRow;
  readonly turn: AgentTurn;
}

type LoadedAttempt = { readonly kind: 'loaded'; readonly facts: AttemptFacts } | { readonly kind: 'gone' } | { readonly kind: 'unavailable'; readonly line?: Line };

/**
 * The row and the line of this attempt: `gone` when the URL is not an attempt's or the row was deleted,
 * `unavailable` when Airtable cannot say. Never throws: on the agent's leg the wrapper's safe answer
 * (a transfer to the fallback number) would ring the agent from their own call.
 */
async function loadAttempt(call: CallSession): Promise<LoadedAttempt> {
  const target = attemptOf(call.params);
  const table = call.callbacks();
  if (!target || !table) return { kind: 'gone' };
  const line = call.line(call.params.From).catch(() => undefined);
  try {
    const row = await table.find(target.rowId, call.request.deadline);
    const found = await line;
    if (!row || !found) return { kind: 'gone' };
    return { kind: 'loaded', facts: { table, line: found, row, turn: target } };
  } catch (error) {
    call.request.log.warn('callback-row-unavailable', { callback: target.rowId, error });
    return { kind: 'unavailable', line: await line };
  }
}

/** The attempt's facts, or the Step that ends the leg: nobody to call, or the row cannot be read (left to its status callback or the lease). */
async function loadUnsettled(call: CallSession): Promise<AttemptFacts | Step> {
  const loaded = await loadAttempt(call);
  if (loaded.kind === 'unavailable') return loaded.line ? decide.agentUnavailableStep(loaded.line) : HANG_UP;
  if (loaded.kind === 'gone') return HANG_UP;
  const { line, row, turn } = loaded.facts;
  // A row cancelled, connected or taken over by a later attempt or agent meanwhile: nobody to call.
  return isUnsettledAttempt(row, call.callSid, turn.attempt, turn.previous) ? loaded.facts : decide.agentGoneStep(line);
}

const isStep = (value: AttemptFacts | Step): value is Step => 'kind' in value;

export async function handleAgentLeg(call: CallSession): Promise<Step> {
  const facts = await loadUnsettled(call);
  if (isStep(facts)) return facts;
  return decide.decideAgentWhisper(facts.line, facts.row, facts.turn, await voicemailSaid(call, facts.row));
}

/** A voicemail's first sentence, from its call's row (`Voicemail Transcript`); the whisper goes on without it when there is none or Airtable fails. */
async function voicemailSaid(call: CallSession, row: CallbackRow): Promise<string | undefined> {
  if (row.kind !== 'Voicemail' || !isCallSid(row.originCallSid)) return undefined;
  try {
    const origin = await call.callRow(row.originCallSid);
    const transcript = origin?.fields['Voicemail Transcript'];
    return firstSentence(typeof transcript === 'string' ? transcript : undefined);
  } catch (error) {
    call.request.log.warn('voicemail-transcript-unavailable', { callback: row.id, error });
    return undefined;
  }
}

export async function handleAgentAnswer(call: CallSession): Promise<Step> {
  const { params } = call;
  if (params.silence || !decide.isAgentAccepting(params.Digits)) {
    // Not accepted: the call's `completed` status callback counts the missed attempt.
    const line = await call.line(params.From);
    return line ? decide.agentNotAcceptedStep(line) : HANG_UP;
  }
  const facts = await loadUnsettled(call);
  return isStep(facts) ? facts : decide.decideDialCustomer(facts.line, facts.row, facts.turn, []);
}

export async function handleCustomerLeg(call: CallSession): Promise<Step> {
  const target = attemptOf(call.params);
  const line = await call.line(call.params.From);
  if (!target || !line) return HANG_UP;
  return decide.decideCustomerWhisper(line, target.rowId, target);
}

export async function handleCustomerAnswer(call: CallSession): Promise<Step> {
  const { params } = call;
  const target = attemptOf(params);
  if (!target || params.silence || decide.decideCustomerAnswer(params.Digits) === 'decline') return HANG_UP;
  const table = call.callbacks();
  // The whisper runs on the customer's leg: its parent is the agent's call, the attempt's call.
  if (table && isCallSid(params.ParentCallSid)) {
    try {
      await recordConnected(call, table, target.rowId, target.attempt, params.ParentCallSid);
    } catch (error) {
      // The bridge goes ahead; the Dial's end writes Connected again.
      call.request.log.warn('callback-connected-not-recorded', { callback: target.rowId, error });
    }
  }
  return { kind: 'say-and-connect', say: [] };
}

export async function handleCallbackDialEnded(call: CallSession): Promise<Step> {
  const bridged = call.params.DialBridged === 'true';
  const loaded = await loadAttempt(call);
  if (loaded.kind === 'unavailable') return loaded.line ? decide.agentUnavailableStep(loaded.line) : HANG_UP;
  if (loaded.kind === 'gone') return HANG_UP;
  const { table, line, row, turn } = loaded.facts;
  try {
    if (bridged) {
      if (row.status !== 'Connected') await recordConnected(call, table, row.id, turn.attempt, call.callSid);
      return HANG_UP;
    }
    // The customer was dialled and not connected: the attempt ends here, whoever is left in the group.
    if (!isUnsettledAttempt(row, call.callSid, turn.attempt, turn.previous)) return decide.agentGoneStep(line);
    return decide.decideMissedStep(line, await recordMissed(call, table, line, row, turn.attempt, call.callSid));
  } catch (error) {
    // Not written: the call's `completed` status callback (or, failing that, the lease) settles the row.
    call.request.log.warn('callback-outcome-not-recorded', { callback: row.id, error });
    return bridged ? HANG_UP : decide.agentUnavailableStep(line);
  }
}

const ENDED = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
/**
 * Twilio waits 15 s for a status callback; the end of a group agent's call reads the row, places the next
 * agent's call (passing over any Twilio refuses) and writes it.
 */
export const CALLBACK_STATUS_BUDGET_MS = 6000;

export async function handleCallbackStatus(call: CallSession<EventRequest>): Promise<EventAnswer> {
  const { params, request } = call;
  const target = attemptOf(params);
  const table = call.callbacks();
  const callSid = params.CallSid;
  if (!target || !table || !isCallSid(callSid)) return { status: 400, text: 'not a callback attempt' };
  const row = await table.find(target.rowId, request.deadline);
  if (!row || !isUnsettledAttempt(row, callSid, target.attempt, target.previous)) return { status: 200, json: { changed: false } };
  if (ENDED.has(params.CallStatus ?? '')) {
    // Still Dialing when the agent's call is over: this agent did not accept or never answered. The next
    // agent of the group rings, or the attempt is missed.
    const line = await call.line(row.line);
    if (!line) return { status: 200, json: { changed: false } };
    const outcome = await passToNextAgent(call, table, line, row, target, callSid);
    return { status: 200, json: outcome ? { changed: true, status: outcome.status } : { changed: false } };
  }
  if (row.callbackCallSid !== callSid) {
    await recordPlaced(call, table, row.id, target.attempt, callSid);
    return { status: 200, json: { changed: true, status: 'Dialing' } };
  }
  return { status: 200, json: { changed: false } };
}
