// A line's ring group (issue 16) as pure decisions: how its agents ring, the position an In Order group
// carries in its step URLs (validated: a URL is never trusted blindly), what a leg's end means, the room
// a Simultaneous group's caller waits in, the agent legs carried in URLs, and when the group is over.
import type { Line } from './model.private';
import { isCallSid } from './model.private';
import { agentNumbersOf } from './policy.private';
import { TRANSFER_OUTCOMES, type TransferOutcome } from './rows.private';
import type { ConferenceStep, Utterance } from './steps.private';

/**
 * How a Bridge rings the line's agents: one number is today's single <Dial>; several ring In Order (one
 * <Dial> after another, in the same call) or Simultaneous (the caller waits in a room while every agent
 * is called with the whisper, and the first to accept joins).
 */
export type RingGroup =
  | { readonly kind: 'single' }
  | { readonly kind: 'in-order'; readonly agents: readonly string[] }
  | { readonly kind: 'simultaneous'; readonly agents: readonly string[] };

export function ringGroupOf(line: Line): RingGroup {
  const agents = agentNumbersOf(line);
  if (agents.length < 2) return { kind: 'single' };
  return line.ringStrategy === 'Simultaneous' ? { kind: 'simultaneous', agents } : { kind: 'in-order', agents };
}

/** `Ring Seconds` as Twilio takes a ring timeout (5 to 600 seconds). */
export function ringSecondsOf(line: Pick<Line, 'ringSeconds'>): number {
  return Math.min(600, Math.max(5, Math.round(line.ringSeconds)));
}

/** The `ring` position of an In Order group from a URL: a whole number naming one of `count` agents, else undefined. */
export function ringPositionOf(raw: string | undefined, count: number): number | undefined {
  if (!raw || !/^\d{1,2}$/.test(raw)) return undefined;
  const position = Number(raw);
  return position < count ? position : undefined;
}

export type AfterLeg =
  | { readonly kind: 'connected' }
  | { readonly kind: 'caller-gone' }
  /** The next agent: positions only grow, so no number rings twice in a call. */
  | { readonly kind: 'next'; readonly position: number }
  | { readonly kind: 'exhausted' };

/** After one leg of an In Order group: a decline, silence, voicemail, busy, no answer or failure tries the next agent. */
export function decideAfterInOrderLeg(outcome: TransferOutcome, position: number, count: number): AfterLeg {
  if (outcome === TRANSFER_OUTCOMES.connected) return { kind: 'connected' };
  if (outcome === TRANSFER_OUTCOMES.callerHungUp) return { kind: 'caller-gone' };
  return position + 1 < count ? { kind: 'next', position: position + 1 } : { kind: 'exhausted' };
}

export type InOrderEnd =
  | { readonly kind: 'next'; readonly position: number; readonly number: string }
  | { readonly kind: 'end'; readonly outcome: TransferOutcome; readonly agentNumber?: string };

/**
 * After one leg of an In Order group: the next agent, or the group's end and what the log says. The
 * position comes from our own URL, but is checked against the line's agents: one that names none ends
 * the group (as if nobody accepted), and the next is always the one after it.
 */
export function decideInOrderEnd(agents: readonly string[], rawPosition: string | undefined, outcome: TransferOutcome): InOrderEnd {
  const position = ringPositionOf(rawPosition, agents.length);
  if (position === undefined) return { kind: 'end', outcome: outcome === TRANSFER_OUTCOMES.connected ? outcome : TRANSFER_OUTCOMES.noAgentAccepted };
  const after = decideAfterInOrderLeg(outcome, position, agents.length);
  switch (after.kind) {
    case 'next':
      return { kind: 'next', position: after.position, number: agents[after.position]! };
    case 'connected':
      return { kind: 'end', outcome, agentNumber: agents[position] };
    case 'caller-gone':
      return { kind: 'end', outcome };
    case 'exhausted':
      return { kind: 'end', outcome: TRANSFER_OUTCOMES.noAgentAccepted };
  }
}

/** The label of the one agent who takes a Simultaneous group's caller (unique in a room: Twilio's 16025). */
export const AGENT_LABEL = 'agent';
export const CALLER_LABEL = 'caller';

/** The caller's room: named after the caller's call, never after a person or a number (Twilio's advice). */
export function roomOf(callerSid: string): string {
  return `ring-${callerSid}`;
}

/** The caller's CallSid back from a room name; undefined for anything that is not one of our rooms. */
export function callerOfRoom(room: string | undefined): string | undefined {
  const sid = room?.match(/^ring-(CA[0-9a-f]{32})$/)?.[1];
  return isCallSid(sid) ? sid : undefined;
}

/** At most this many legs are carried: the line's first agent and up to 9 more. */
export const MAX_LEGS = 10;

/** The agent legs of a group in the agents' order, `''` for one Twilio refused: `CA…,,CA…`. */
export function legsQuery(legs: readonly (string | undefined)[]): string {
  return legs.map((sid) => sid ?? '').join(',');
}

/** The legs back from a URL: anything that is not a CallSid is a leg that was never placed. */
export function legsOf(raw: string | undefined): (string | undefined)[] {
  return (raw ?? '')
    .split(',')
    .slice(0, MAX_LEGS)
    .map((sid) => (isCallSid(sid) ? sid : undefined));
}

const FINAL_STATUSES = ['completed', 'busy', 'no-answer', 'failed', 'canceled'];

export function isFinalCallStatus(status: string | undefined): boolean {
  return status !== undefined && FINAL_STATUSES.includes(status);
}

/** Nobody took the caller when every agent leg of the group has ended (`undefined`: Twilio has no such call). */
export function everyLegOver(statuses: readonly (string | undefined)[]): boolean {
  return statuses.every((status) => status === undefined || isFinalCallStatus(status));
}

/** What an agent who pressed the accept key finds; what Twilio could not say is undefined. */
export interface AcceptCheck {
  readonly callerStatus?: string;
  /** The caller's room: waiting (only the caller), taken (an agent joined: it started), or over (none open). */
  readonly room?: 'waiting' | 'taken' | 'over';
}

export type AcceptVerdict = 'join' | 'taken' | 'caller-gone';

/**
 * Whether the agent may try to join. This check spares a late agent the attempt (and an agent never
 * joins a room that is over, where they would wait alone): two agents who accept at the same moment both
 * pass it, and the room's unique agent label lets exactly one in (the other goes on to "someone else
 * took this call"). When Twilio cannot say, the agent tries: the label still decides.
 */
export function decideAccept(check: AcceptCheck): AcceptVerdict {
  if (check.room === 'taken') return 'taken';
  if (check.room === 'over' || (check.callerStatus !== undefined && check.callerStatus !== 'in-progress')) return 'caller-gone';
  return 'join';
}

/** The caller waits in the room (startConferenceOnEnter false: hold music until an agent joins); leaving it ends it. */
export function callerInRoom(say: readonly Utterance[], room: string, action: string, statusCallback: string): ConferenceStep {
  return { kind: 'conference', say, room, label: CALLER_LABEL, startConferenceOnEnter: false, endConferenceOnExit: true, action, statusCallback };
}

/** The agent who accepted joins the room under the one agent label; `then` runs when the room is over for them. */
export function agentInRoom(say: readonly Utterance[], room: string, then: string): ConferenceStep {
  return { kind: 'conference', say, room, label: AGENT_LABEL, startConferenceOnEnter: true, endConferenceOnExit: true, then };
}
