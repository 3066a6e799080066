// /callback/now: the number is confirmed (number entry redirects here with `number`). Stores the
// Callbacks row before the caller is told anything, one open callback per number and line; inside
// business hours the agent-first call is placed at once, outside it waits for the opening.
import { callbacksTable, type CallbackChanges, type CallbackRow, type CallbacksTable } from '../adapters/callbacks-table.private';
import { unknownLineStep } from '../core/incoming.private';
import type { Line } from '../core/model.private';
import { countryOf, maskForLog, parseDialableNumber, toE164Shape, type CountryCode } from '../core/phone.private';
import { decideOffers, featuresFromEnv, type CallerFacts } from '../core/policy.private';
import { prompt } from '../core/prompts.private';
import type { Step } from '../core/steps.private';
import { callerForNumber, loadCallFacts, menuWithout, MAX_REASON_LENGTH } from '../escalate/hand-off.private';
import { saveCallRow } from '../shell/call-log.private';
import type { WebhookRequest } from '../shell/webhook.private';
import { recordPlaced, type AttemptContext } from './attempt-outcome.private';
import { IMMEDIATE_HOLD_MS, decideAlreadyQueuedStep, decideCallbackTiming, decideQueuedStep, lineSchedule, type CallbackTiming } from './decide-callback.private';
import { placeAgentCall } from './place-agent-call.private';

/** Below this much time left, a second try at the write could not finish: tell the caller instead. */
const MIN_WRITE_MS = 400;

/**
 * The number from the query, checked again (never trusted): E.164, valid, not premium rate. A keyed
 * number must be in the line's country (as number entry asked); one on file may be in its own.
 */
export function callableNumber(raw: string | undefined, keyed: boolean, line: Line): string | undefined {
  const shaped = toE164Shape(raw);
  if (!shaped || shaped !== raw?.trim()) return undefined;
  const lineCountry: CountryCode = countryOf(line.phoneNumber) ?? 'US';
  const own = countryOf(shaped);
  const allowed = keyed || !own ? [lineCountry] : [lineCountry, own];
  const parsed = parseDialableNumber(shaped, lineCountry, allowed);
  return parsed.ok ? parsed.e164 : undefined;
}

function newRow(request: WebhookRequest, line: Line, caller: CallerFacts, number: string, timing: CallbackTiming): CallbackChanges {
  const { params, now } = request;
  // Called now: the row is held for this webhook (Next Attempt At in the future) so that no dispatcher run dials it too.
  const nextAttemptAt = timing.kind === 'at' ? timing.at : new Date(now.getTime() + IMMEDIATE_HOLD_MS);
  return {
    line: line.phoneNumber,
    phone: number,
    kind: 'Now',
    status: 'Queued',
    attempts: 0,
    nextAttemptAt: nextAttemptAt.toISOString(),
    ...(caller.contact ? { contact: caller.contact.name ?? caller.contact.id } : {}),
    ...(params.CallSid ? { originCallSid: params.CallSid } : {}),
    ...(params.Reason ? { reason: params.Reason.slice(0, MAX_REASON_LENGTH) } : {}),
  };
}

/**
 * Creates the row. A create is not idempotent, so after a failure we look before writing again: the
 * first write may have landed. A 429 is not tried again (Airtable refuses the base for 30 s).
 */
async function storeCallback(request: WebhookRequest, table: CallbacksTable, row: CallbackChanges): Promise<CallbackRow | undefined> {
  try {
    return await table.create(row, request.deadline);
  } catch (error) {
    request.log.warn('callback-create-failed', { callSid: request.params.CallSid, error });
    if ((error as { statusCode?: number }).statusCode === 429) return undefined;
  }
  try {
    const landed = await table.findOpen(row.phone as string, row.line as string, request.deadline);
    if (landed) return landed;
    if (request.deadline - Date.now() < MIN_WRITE_MS) return undefined;
    return await table.create(row, request.deadline);
  } catch (error) {
    request.log.warn('callback-create-failed-again', { callSid: request.params.CallSid, error });
    return undefined;
  }
}

/** The open callback for this number on this line; when Airtable cannot say, we go on (a late duplicate beats a lost callback). */
async function findOpenCallback(request: WebhookRequest, table: CallbacksTable, number: string, line: Line): Promise<CallbackRow | undefined> {
  try {
    return await table.findOpen(number, line.phoneNumber, request.deadline);
  } catch (error) {
    request.log.warn('callback-lookup-failed', { callSid: request.params.CallSid, error });
    return undefined;
  }
}

/** Rings the agent now. A refused call is left to the dispatcher's next run; an unknown one to its status callback. */
async function dialNow(request: WebhookRequest, table: CallbacksTable, line: Line, row: CallbackRow): Promise<void> {
  const ctx: AttemptContext = { ...request, table };
  const placed = await placeAgentCall(request.config, line, row, 1, request.deadline);
  try {
    if (placed.kind === 'placed') await recordPlaced(ctx, row.id, 1, placed.callSid);
    else if (placed.kind === 'refused') await table.update(row.id, { nextAttemptAt: request.now.toISOString() }, request.deadline);
  } catch (error) {
    // The call's own status callback carries the row and the attempt and writes this again.
    request.log.warn('callback-placed-not-recorded', { callback: row.id, error });
  }
  request.log.info('callback-dialled', { callback: row.id, outcome: placed.kind, agentCallSid: placed.kind === 'placed' ? placed.callSid : undefined });
}

export async function handleCallbackNow(request: WebhookRequest): Promise<Step> {
  const { params, config, now } = request;
  const { line, caller: callerById } = await loadCallFacts(request);
  if (!line) return unknownLineStep();
  const apology = (id: 'callback.bad-number' | 'callback.not-saved') => [{ text: prompt(line.language, id), language: line.language, voice: line.voice }];

  const number = callableNumber(params.number, params.keyed === '1', line);
  if (!number) {
    request.log.warn('callback-number-refused', { callSid: params.CallSid, number: maskForLog(params.number) });
    return menuWithout(params, 'callback-now', 'other-paths', apology('callback.bad-number'));
  }
  // The number's own contact (Do Not Contact included) decides, not only the caller ID's.
  const caller = await callerForNumber(request, callerById, number);
  if (!caller) return menuWithout(params, 'callback-now', 'path-unavailable');
  const offer = decideOffers({ features: featuresFromEnv(config.featureFlags), line, caller, now, defaultTimezone: config.defaultTimezone }).find(
    (o) => o.path === 'callback-now',
  );
  if (!offer?.available) return menuWithout(params, 'callback-now', 'path-unavailable');

  const schedule = lineSchedule(line, config.defaultTimezone);
  const timing = decideCallbackTiming(schedule, now);
  const table = callbacksTable(config);
  if (!table || timing.kind === 'none') {
    await saveCallRow(request, { Outcome: 'Callback not stored' });
    return menuWithout(params, 'callback-now', 'other-paths', apology('callback.not-saved'));
  }

  const open = await findOpenCallback(request, table, number, line);
  if (open) {
    await saveCallRow(request, { Outcome: 'Callback already queued' });
    return decideAlreadyQueuedStep(line, open, now, schedule.zone);
  }
  const row = await storeCallback(request, table, newRow(request, line, caller, number, timing));
  if (!row) {
    await saveCallRow(request, { Outcome: 'Callback not stored' });
    return menuWithout(params, 'callback-now', 'other-paths', apology('callback.not-saved'));
  }
  await Promise.all([
    timing.kind === 'now' ? dialNow(request, table, line, row) : undefined,
    saveCallRow(request, { Outcome: timing.kind === 'now' ? 'Callback dialling' : 'Callback queued' }),
  ]);
  return decideQueuedStep(line, number, timing, now, schedule.zone);
}
