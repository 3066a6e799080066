// The webhooks of one agent-first call. Every URL carries `callback` (the row) and `attempt`.
//   /callback/agent            the agent answered: whisper, accept key (Agent Must Accept), then <Dial> the customer
//   /callback/agent-answer     the agent's key at the whisper
//   /callback/customer         the customer's <Number url> whisper: "press 1 to be connected"
//   /callback/customer-answer  the customer's key: 1 bridges (the row is Connected), anything else declines
//   /callback/dial-ended       the agent's <Dial> ended: bridged, or the attempt is missed
//   /callback/status           the agent call's status callback (initiated, completed): idempotent
// On the agent's and the customer's legs `From` is the line's number, which is how the line is found.
import { callbacksTable, type CallbackRow, type CallbacksTable } from '../adapters/callbacks-table.private';
import type { Line } from '../core/model.private';
import type { Step } from '../core/steps.private';
import type { EventAnswer, EventRequest } from '../shell/event-webhook.private';
import { resolveLine } from '../shell/line-lookup.private';
import type { WebhookRequest } from '../shell/webhook.private';
import { attemptOf, isCallSid, isUnsettledAttempt, recordConnected, recordMissed, recordPlaced, type AttemptContext } from './attempt-outcome.private';
import {
  agentGoneStep,
  agentNotAcceptedStep,
  decideAgentWhisper,
  decideCustomerAnswer,
  decideCustomerWhisper,
  decideDialCustomer,
  decideMissedStep,
  isAgentAccepting,
} from './decide-callback.private';

const HANG_UP: Step = { kind: 'say-and-hangup', say: [] };

interface AttemptFacts {
  readonly table: CallbacksTable;
  readonly line: Line;
  readonly row: CallbackRow;
  readonly attempt: number;
}

/** The row and the line of this attempt; undefined when the URL is not an attempt's or the row is gone. */
async function loadAttempt(request: WebhookRequest): Promise<AttemptFacts | undefined> {
  const target = attemptOf(request.params);
  const table = callbacksTable(request.config);
  if (!target || !table) return undefined;
  const [row, line] = await Promise.all([table.find(target.rowId, request.deadline), resolveLine(request, request.params.From)]);
  return row && line ? { table, line, row, attempt: target.attempt } : undefined;
}

export async function handleAgentLeg(request: WebhookRequest): Promise<Step> {
  const facts = await loadAttempt(request);
  if (!facts) return HANG_UP;
  const { line, row, attempt } = facts;
  // A row cancelled, connected or taken over by a later attempt meanwhile: nobody to call.
  if (!isUnsettledAttempt(row, request.params.CallSid ?? '', attempt)) return agentGoneStep(line);
  return decideAgentWhisper(line, row, attempt);
}

export async function handleAgentAnswer(request: WebhookRequest): Promise<Step> {
  const { params } = request;
  if (params.silence || !isAgentAccepting(params.Digits)) {
    // Not accepted: the call's `completed` status callback counts the missed attempt.
    const line = await resolveLine(request, params.From);
    return line ? agentNotAcceptedStep(line) : HANG_UP;
  }
  const facts = await loadAttempt(request);
  if (!facts) return HANG_UP;
  if (!isUnsettledAttempt(facts.row, params.CallSid ?? '', facts.attempt)) return agentGoneStep(facts.line);
  return decideDialCustomer(facts.line, facts.row, facts.attempt, []);
}

export async function handleCustomerLeg(request: WebhookRequest): Promise<Step> {
  const target = attemptOf(request.params);
  const line = await resolveLine(request, request.params.From);
  if (!target || !line) return HANG_UP;
  return decideCustomerWhisper(line, target.rowId, target.attempt);
}

export async function handleCustomerAnswer(request: WebhookRequest): Promise<Step> {
  const { params } = request;
  const target = attemptOf(params);
  if (!target || params.silence || decideCustomerAnswer(params.Digits) === 'decline') return HANG_UP;
  const table = callbacksTable(request.config);
  // The whisper runs on the customer's leg: its parent is the agent's call, the attempt's call.
  if (table && isCallSid(params.ParentCallSid)) {
    try {
      await recordConnected({ ...request, table }, target.rowId, target.attempt, params.ParentCallSid);
    } catch (error) {
      // The bridge goes ahead; the Dial's end writes Connected again.
      request.log.warn('callback-connected-not-recorded', { callback: target.rowId, error });
    }
  }
  return { kind: 'say-and-continue', say: [] };
}

export async function handleDialEnded(request: WebhookRequest): Promise<Step> {
  const { params } = request;
  const facts = await loadAttempt(request);
  if (!facts) return HANG_UP;
  const { table, line, row, attempt } = facts;
  const callSid = params.CallSid ?? '';
  const ctx: AttemptContext = { ...request, table };
  if (params.DialBridged === 'true') {
    if (row.status !== 'Connected') await recordConnected(ctx, row.id, attempt, callSid);
    return HANG_UP;
  }
  if (!isUnsettledAttempt(row, callSid, attempt)) return agentGoneStep(line);
  const outcome = await recordMissed(ctx, line, row, attempt, callSid);
  return decideMissedStep(line, outcome);
}

const ENDED = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

export async function handleCallbackStatus(request: EventRequest): Promise<EventAnswer> {
  const { params } = request;
  const target = attemptOf(params);
  const table = callbacksTable(request.config);
  const callSid = params.CallSid;
  if (!target || !table || !isCallSid(callSid)) return { status: 400, text: 'not a callback attempt' };
  const row = await table.find(target.rowId, request.deadline);
  if (!row || !isUnsettledAttempt(row, callSid, target.attempt)) return { status: 200, json: { changed: false } };
  const ctx: AttemptContext = { ...request, table };
  if (ENDED.has(params.CallStatus ?? '')) {
    // Still Dialing when the agent's call is over: nobody accepted, or the agent never answered.
    const line = await resolveLine(request, row.line);
    if (!line) return { status: 200, json: { changed: false } };
    const outcome = await recordMissed(ctx, line, row, target.attempt, callSid);
    return { status: 200, json: { changed: true, status: outcome.status } };
  }
  if (row.callbackCallSid !== callSid) {
    await recordPlaced(ctx, row.id, target.attempt, callSid);
    return { status: 200, json: { changed: true, status: 'Dialing' } };
  }
  return { status: 200, json: { changed: false } };
}
