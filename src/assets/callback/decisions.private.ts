// Immediate callbacks as pure decisions: the number to call, the row to store, what the caller and the
// agent hear on each leg. `now` is always an argument. When a callback comes and what a missed attempt
// leads to are core/callback-timing and core/callback-attempts (the dispatcher and scheduled callbacks
// share them).
import { attemptQuery, IMMEDIATE_HOLD_MS, type AgentTurn, type MissedOutcome } from '../core/callback-attempts.private';
import { spokenWhen, type CallbackTiming } from '../core/callback-timing.private';
import { MAX_REASON_LENGTH } from '../core/carried-query.private';
import type { Contact, Line } from '../core/model.private';
import { countryOf, lastFour, parseDialableNumber, toE164Shape, type CountryCode } from '../core/phone.private';
import { prompt, utter } from '../core/prompts.private';
import type { CallbackChanges, CallbackRow } from '../core/rows.private';
import type { Step, Utterance } from '../core/steps.private';
import { stepUrl } from '../core/urls.private';

/** How long the customer's phone rings. */
export const CUSTOMER_RING_SECONDS = 30;

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

export interface NewCallback {
  readonly line: Line;
  readonly number: string;
  readonly contact?: Contact;
  readonly originCallSid?: string;
  readonly reason?: string;
  readonly timing: CallbackTiming;
  readonly now: Date;
}

/** The Callbacks row of a new immediate callback. Called now, it is held for this webhook (Next Attempt At ahead) so no dispatcher run dials it too. */
export function newCallbackRow({ line, number, contact, originCallSid, reason, timing, now }: NewCallback): CallbackChanges {
  const nextAttemptAt = timing.kind === 'at' ? timing.at : new Date(now.getTime() + IMMEDIATE_HOLD_MS);
  return {
    line: line.phoneNumber,
    phone: number,
    kind: 'Now',
    status: 'Queued',
    attempts: 0,
    nextAttemptAt: nextAttemptAt.toISOString(),
    ...(contact ? { contact: contact.name ?? contact.id } : {}),
    ...(originCallSid ? { originCallSid } : {}),
    ...(reason ? { reason: reason.slice(0, MAX_REASON_LENGTH) } : {}),
  };
}

/** What the caller hears once their callback is stored. */
export function decideQueuedStep(line: Line, number: string, timing: CallbackTiming, now: Date, zone: string): Step {
  const last4 = lastFour(number);
  if (timing.kind === 'at') {
    return { kind: 'say-and-hangup', say: [utter(line, 'callback.queued-later', { when: spokenWhen(timing.at, now, zone, line.language), last4 })] };
  }
  return { kind: 'say-and-hangup', say: [utter(line, 'callback.queued-now', { last4 })] };
}

/**
 * The agent's side of the call, once they answer: who is waiting and why (for a voicemail, that it is
 * about one and its transcript's first sentence, when there is one; a voicemail added to another
 * callback is named after it), then (accepted) the customer.
 */
export function decideAgentWhisper(line: Line, row: CallbackRow, turn: AgentTurn | number, voicemailSaid?: string): Step {
  // A voicemail left while this callback was already open was added to it (one callback per number and line).
  const alsoVoicemail = row.voicemailUrl ? [utter(line, 'callback.agent.also-voicemail')] : [];
  const whisper = row.kind === 'Voicemail' ? voicemailWhisper(line, row, voicemailSaid) : [callbackWhisper(line, row), ...alsoVoicemail];
  const query = attemptQuery(row.id, turn);
  if (!line.agentMustAccept) return decideDialCustomer(line, row, turn, whisper);
  return {
    kind: 'gather',
    prompt: [...whisper, utter(line, 'callback.agent.accept')],
    action: stepUrl('/callback/agent-answer', query),
    onSilence: stepUrl('/callback/agent-answer', query, { silence: '1' }),
    language: line.language,
    numDigits: 1,
    keysOnly: true,
    timeoutSeconds: 6,
  };
}

function callbackWhisper(line: Line, row: CallbackRow): Utterance {
  const name = row.contact?.trim() || prompt(line.language, 'callback.agent.unknown-caller');
  return utter(line, 'callback.agent.whisper', { line: line.name, name, reason: row.reason ?? '' });
}

function voicemailWhisper(line: Line, row: CallbackRow, said: string | undefined): Utterance[] {
  const name = row.contact?.trim() || prompt(line.language, 'callback.agent.voicemail-caller');
  const about = utter(line, 'callback.agent.whisper-voicemail', { line: line.name, name });
  return said ? [about, utter(line, 'callback.agent.voicemail-said', { sentence: said })] : [about];
}

/** The agent's key at the whisper: 1 accepts. */
export function isAgentAccepting(digits: string | undefined): boolean {
  return digits?.trim() === '1';
}

/** The agent did not accept: the attempt is missed (its status callback counts it). */
export function agentNotAcceptedStep(line: Line): Step {
  return { kind: 'say-and-hangup', say: [utter(line, 'callback.agent.not-accepted')] };
}

/** Dial the customer from the line's number; their side hears "press 1 to be connected" before the bridge. */
export function decideDialCustomer(line: Line, row: CallbackRow, turn: AgentTurn | number, before: readonly Utterance[]): Step {
  const query = attemptQuery(row.id, turn);
  return {
    kind: 'dial',
    say: [...before, utter(line, 'callback.agent.connecting')],
    number: row.phone,
    callerId: line.phoneNumber,
    action: stepUrl('/callback/dial-ended', query),
    whisperUrl: stepUrl('/callback/customer', query),
    timeoutSeconds: CUSTOMER_RING_SECONDS,
  };
}

/** The customer's whisper: a person must press 1, so a voicemail greeting is never bridged. */
export function decideCustomerWhisper(line: Line, rowId: string, turn: AgentTurn | number): Step {
  const query = attemptQuery(rowId, turn);
  const ask = utter(line, 'callback.customer.whisper', { line: line.name });
  return {
    kind: 'gather',
    prompt: [ask, ask],
    action: stepUrl('/callback/customer-answer', query),
    // No press: hang up the customer's leg, which declines it (the agent is told at the Dial's end).
    onSilence: stepUrl('/callback/customer-answer', query, { silence: '1' }),
    language: line.language,
    numDigits: 1,
    keysOnly: true,
    timeoutSeconds: 5,
  };
}

/** The customer's key: 1 ends the whisper and the two are bridged; anything else declines. */
export function decideCustomerAnswer(digits: string | undefined): 'bridge' | 'decline' {
  return digits?.trim() === '1' ? 'bridge' : 'decline';
}

/** What the agent hears when the customer was not connected. */
export function decideMissedStep(line: Line, outcome: MissedOutcome): Step {
  return { kind: 'say-and-hangup', say: [utter(line, outcome.status === 'Failed' ? 'callback.agent.missed-last' : 'callback.agent.missed')] };
}

export function agentGoneStep(line: Line): Step {
  return { kind: 'say-and-hangup', say: [utter(line, 'callback.agent.gone')] };
}

/** The call back's details cannot be read right now (Airtable failing): the attempt will come again. */
export function agentUnavailableStep(line: Line): Step {
  return { kind: 'say-and-hangup', say: [utter(line, 'callback.agent.unavailable')] };
}

