// Immediate callbacks as pure decisions: when to call, what the caller and the agent hear, and what
// a missed attempt leads to. `now` is always an argument.
import { DateTime } from 'luxon';
import { isOpenAt, nextOpening, scheduleForLine, type Schedule } from '../core/business-hours.private';
import type { Language, Line } from '../core/model.private';
import { lastFour } from '../core/phone.private';
import { prompt, type PromptId } from '../core/prompts.private';
import type { Step, Utterance } from '../core/steps.private';
import type { CallbackRow } from '../adapters/callbacks-table.private';

/**
 * How long a claim on a row lasts (the row is `Dialing`, `Next Attempt At` = the claim's end). A placed
 * call settles its row long before (agent ring + whispers + customer ring is about two minutes), so a
 * row still `Dialing` after this was lost (a run that died, a status callback that never came) and the
 * dispatcher takes it again.
 */
export const CLAIM_LEASE_MS = 10 * 60_000;
/** How long the agent's phone rings, and then the customer's. */
export const AGENT_RING_SECONDS = 25;
export const CUSTOMER_RING_SECONDS = 30;
/** Wait before attempt n+1 after n missed attempts (the last value repeats); retries fall in business hours. */
export const RETRY_BACKOFF_MINUTES: readonly number[] = [5, 15, 30];
/** A callback due within this is "in the next few minutes" for a caller asking again. */
const SOON_MS = 10 * 60_000;

function utter(line: Line, text: string): Utterance {
  return { text, language: line.language, voice: line.voice };
}

function say(line: Line, id: PromptId, vars?: Record<string, string>): Utterance {
  return utter(line, prompt(line.language, id, vars));
}

export function lineSchedule(line: Line, defaultTimezone?: string): Schedule {
  return scheduleForLine(line, defaultTimezone).schedule;
}

/** Call now (open), at the next opening, or never (closed for longer than we look ahead). */
export type CallbackTiming = { readonly kind: 'now' } | { readonly kind: 'at'; readonly at: Date } | { readonly kind: 'none' };

export function decideCallbackTiming(schedule: Schedule, now: Date): CallbackTiming {
  if (isOpenAt(schedule, now)) return { kind: 'now' };
  const at = nextOpening(schedule, now);
  return at ? { kind: 'at', at } : { kind: 'none' };
}

function spokenClock(local: DateTime, language: Language): string {
  const hour12 = local.hour % 12 || 12;
  const minutes = local.minute ? `:${String(local.minute).padStart(2, '0')}` : '';
  if (language === 'es-US') {
    const part = local.hour < 12 ? 'de la mañana' : local.hour < 19 ? 'de la tarde' : 'de la noche';
    return `${hour12 === 1 ? 'a la' : 'a las'} ${hour12}${minutes} ${part}`;
  }
  return `${hour12}${minutes} ${local.hour < 12 ? 'AM' : 'PM'}`;
}

/** "today at 9 AM", "tomorrow at 9 AM", "Monday at 9 AM", "Monday, December 28, at 9 AM", in the zone. */
export function spokenWhen(at: Date, now: Date, zone: string, language: Language): string {
  const locale = language === 'es-US' ? 'es' : 'en-US';
  const local = DateTime.fromJSDate(at, { zone }).setLocale(locale);
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const days = Math.round(local.startOf('day').diff(today, 'days').days);
  const time = spokenClock(local, language);
  const vars = { time, day: local.toFormat('cccc'), date: local.toFormat(language === 'es-US' ? "d 'de' LLLL" : 'LLLL d') };
  const id: PromptId = days <= 0 ? 'callback.when.today' : days === 1 ? 'callback.when.tomorrow' : days < 7 ? 'callback.when.weekday' : 'callback.when.date';
  return prompt(language, id, vars);
}

/** For the menu: when an immediate callback would come, spoken ("Monday at 9 AM"); undefined while open. */
export function callbackOpeningWhen(line: Line, now: Date, defaultTimezone?: string): string | undefined {
  const schedule = lineSchedule(line, defaultTimezone);
  const timing = decideCallbackTiming(schedule, now);
  return timing.kind === 'at' ? spokenWhen(timing.at, now, schedule.zone, line.language) : undefined;
}

/** What the caller hears once their callback is stored. */
export function decideQueuedStep(line: Line, number: string, timing: CallbackTiming, now: Date, zone: string): Step {
  const last4 = lastFour(number);
  if (timing.kind === 'at') {
    return { kind: 'say-and-hangup', say: [say(line, 'callback.queued-later', { when: spokenWhen(timing.at, now, zone, line.language), last4 })] };
  }
  return { kind: 'say-and-hangup', say: [say(line, 'callback.queued-now', { last4 })] };
}

/** When an open callback will be tried next: Scheduled For for a booking, else Next Attempt At. */
export function nextCallOf(row: CallbackRow): Date | undefined {
  const iso = row.status === 'Booked' ? row.scheduledFor : row.nextAttemptAt;
  const at = iso ? new Date(iso) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : undefined;
}

/** A second request for the same number on the same line: it is already queued, and when. */
export function decideAlreadyQueuedStep(line: Line, row: CallbackRow, now: Date, zone: string): Step {
  const last4 = lastFour(row.phone);
  const at = nextCallOf(row);
  if (row.status === 'Dialing' || !at || at.getTime() - now.getTime() < SOON_MS) {
    return { kind: 'say-and-hangup', say: [say(line, 'callback.already-queued-soon', { last4 })] };
  }
  return { kind: 'say-and-hangup', say: [say(line, 'callback.already-queued-at', { when: spokenWhen(at, now, zone, line.language), last4 })] };
}

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
  return new URLSearchParams({ callback: rowId, attempt: String(attempt), ...extra }).toString();
}

/** The agent's side of the call, once they answer: who is waiting and why, then (accepted) the customer. */
export function decideAgentWhisper(line: Line, row: CallbackRow, attempt: number): Step {
  const name = row.contact?.trim() || prompt(line.language, 'callback.agent.unknown-caller');
  const whisper = say(line, 'callback.agent.whisper', { line: line.name, name, reason: row.reason ?? '' });
  const query = attemptQuery(row.id, attempt);
  if (!line.agentMustAccept) return decideDialCustomer(line, row, attempt, [whisper]);
  return {
    kind: 'gather',
    prompt: [whisper, say(line, 'callback.agent.accept')],
    action: `/callback/agent-answer?${query}`,
    onSilence: `/callback/agent-answer?${query}&silence=1`,
    language: line.language,
    numDigits: 1,
    keysOnly: true,
    timeoutSeconds: 6,
  };
}

/** The agent's key at the whisper: 1 accepts. */
export function isAgentAccepting(digits: string | undefined): boolean {
  return digits?.trim() === '1';
}

/** The agent did not accept: the attempt is missed (its status callback counts it). */
export function agentNotAcceptedStep(line: Line): Step {
  return { kind: 'say-and-hangup', say: [say(line, 'callback.agent.not-accepted')] };
}

/** Dial the customer from the line's number; their side hears "press 1 to be connected" before the bridge. */
export function decideDialCustomer(line: Line, row: CallbackRow, attempt: number, before: readonly Utterance[]): Step {
  const query = attemptQuery(row.id, attempt);
  return {
    kind: 'dial',
    say: [...before, say(line, 'callback.agent.connecting')],
    number: row.phone,
    callerId: line.phoneNumber,
    action: `/callback/dial-ended?${query}`,
    whisperUrl: `/callback/customer?${query}`,
    timeoutSeconds: CUSTOMER_RING_SECONDS,
  };
}

/** The customer's whisper: a person must press 1, so a voicemail greeting is never bridged. */
export function decideCustomerWhisper(line: Line, rowId: string, attempt: number): Step {
  const query = attemptQuery(rowId, attempt);
  const ask = say(line, 'callback.customer.whisper', { line: line.name });
  return {
    kind: 'gather',
    prompt: [ask, ask],
    action: `/callback/customer-answer?${query}`,
    // No press: hang up the customer's leg, which declines it (the agent is told at the Dial's end).
    onSilence: `/callback/customer-answer?${query}&silence=1`,
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
  return { kind: 'say-and-hangup', say: [say(line, outcome.status === 'Failed' ? 'callback.agent.missed-last' : 'callback.agent.missed')] };
}

export function agentGoneStep(line: Line): Step {
  return { kind: 'say-and-hangup', say: [say(line, 'callback.agent.gone')] };
}

/** The short text sent when every attempt failed. */
export function apologyText(line: Line): string {
  const body = prompt(line.language, 'callback.apology-text', { line: line.name });
  return line.supportNumber ? body + prompt(line.language, 'callback.apology-text.number', { number: line.supportNumber }) : body;
}
