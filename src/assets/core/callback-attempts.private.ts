// One attempt of a callback (immediate or scheduled) as data: how long its claim and its call last, what
// every URL of the attempt carries, which events may still settle its row, and what a missed attempt
// leads to. Pure: `now` is an argument. Shared by the callback path's webhooks and the dispatcher.
import { nextOpening, type Schedule } from './business-hours.private';
import { isCallSid, type Line } from './model.private';
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
 * How long a placed call keeps its row (`Dialing`, `Next Attempt At` = the lease's end; each agent call of
 * a group renews it). The call settles the row long before (agent ring + whispers + customer ring is about
 * two minutes), so a row still
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
/** How long a line's one agent's phone rings (a group's agents ring the line's `Ring Seconds` each). */
export const AGENT_RING_SECONDS = 25;
/** Twilio's bounds of a placed call's `Timeout`. */
const MIN_RING_SECONDS = 5;
const MAX_RING_SECONDS = 600;
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

/**
 * One agent's call within an attempt: the attempt, the agent's place in the line's group (0: the first,
 * `agentNumbersOf`), and the agent call placed before it in this attempt (none for the first placed). A
 * bare number is the attempt's first agent.
 */
export interface AgentTurn {
  readonly attempt: number;
  readonly agent: number;
  readonly previous?: string;
}

/** At most this many agents in a group: the Fallback Transfer Number and 9 More Agent Numbers. */
const MAX_AGENTS = 10;

/** The query every step of one attempt carries: the row, which attempt, and (after the first) which agent call. */
export function attemptQuery(rowId: string, turn: AgentTurn | number, extra: Record<string, string> = {}): string {
  const { attempt, agent, previous } = typeof turn === 'number' ? { attempt: turn, agent: 0, previous: undefined } : turn;
  // The first agent's URLs stay as they were before groups: `agent` and `previous` only when they say something.
  const position = agent > 0 ? { agent: String(agent) } : {};
  return encodeQuery({ callback: rowId, attempt: String(attempt), ...position, ...(previous ? { previous } : {}), ...extra });
}

const ROW_ID = /^rec[A-Za-z0-9]{14}$/;

/** The row and agent turn a webhook of an attempt is about (from its query), when well formed. */
export function attemptOf(params: Readonly<Record<string, string>>): ({ rowId: string } & AgentTurn) | undefined {
  const attempt = Number(params.attempt);
  const agent = params.agent === undefined ? 0 : Number(params.agent);
  if (!ROW_ID.test(params.callback ?? '') || !Number.isInteger(attempt) || attempt < 1 || attempt > 99) return undefined;
  if (!Number.isInteger(agent) || agent < 0 || agent >= MAX_AGENTS) return undefined;
  // A later agent names the call placed before it in the attempt (none when Twilio refused those); the first names none.
  if (params.previous !== undefined && (agent === 0 || !isCallSid(params.previous))) return undefined;
  return { rowId: params.callback, attempt, agent, ...(params.previous ? { previous: params.previous } : {}) };
}

/** How long each agent's phone rings on a callback: a line's one agent as ever, a group's agents `Ring Seconds` each. */
export function agentRingSeconds(line: Line, agents: number): number {
  if (agents <= 1) return AGENT_RING_SECONDS;
  return Math.min(MAX_RING_SECONDS, Math.max(MIN_RING_SECONDS, Math.round(line.ringSeconds)));
}

/**
 * Who is rung after the agent at `agent` did not take the callback (declined, did not accept, busy, no
 * answer, failed, or Twilio refused the call): the next one of the group, in order; none left means the
 * attempt is missed.
 */
export function nextAgentAfter(agents: readonly string[], agent: number): { readonly agent: number; readonly number: string } | undefined {
  const next = agent + 1;
  return next < agents.length ? { agent: next, number: agents[next]! } : undefined;
}

/**
 * Whether an event of call `callSid`, attempt `attempt`, may still settle the row: the row is dialling
 * that call, or the call's SID was never written (the writer died or Airtable failed) while the row is
 * still open and names what came before it: nothing (the attempt's first agent call, after attempt - 1)
 * or `previous`, the agent call rung before it in this attempt.
 */
export function isUnsettledAttempt(row: CallbackRow, callSid: string, attempt: number, previous?: string): boolean {
  if (row.callbackCallSid === callSid) return row.status === 'Dialing';
  if (previous) return row.callbackCallSid === previous && row.status === 'Dialing' && row.attempts === attempt;
  const unrecorded = !row.callbackCallSid || isClaimMark(row.callbackCallSid);
  return unrecorded && row.attempts === attempt - 1 && OPEN_STATUSES.includes(row.status);
}

/** The short text sent when every attempt failed. */
export function apologyText(line: Line): string {
  const body = prompt(line.language, 'callback.apology-text', { line: line.name });
  return line.supportNumber ? body + prompt(line.language, 'callback.apology-text.number', { number: line.supportNumber }) : body;
}
