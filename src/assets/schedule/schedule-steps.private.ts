// What the caller hears while choosing a callback time, as Steps. Pure.
// State travels in the step URLs (the "hunt" pattern): the number to call, the slots just read out
// (`o`, so a key means the time the caller heard), the slot being confirmed and the misunderstandings.
import type { Line } from '../core/model.private';
import { lastFour } from '../core/phone.private';
import { prompt, type PromptId } from '../core/prompts.private';
import type { Step, Utterance } from '../core/steps.private';
import type { UnavailableReason } from './slot-offer.private';
import type { Slot } from './slots.private';
import { speakSlot } from './spoken-time.private';

/** Misunderstandings before the caller is offered the next open times by key. */
export const MISSES_BEFORE_KEYS = 2;
/** Misunderstandings before the call ends politely (never a loop). */
export const MAX_MISSES = 4;

export interface ScheduleContext {
  readonly line: Line;
  /** The line's resolved IANA zone. */
  readonly zone: string;
  /** The confirmed number to call (E.164). */
  readonly number: string;
  /** The carried query (Reason, Line, exclude), already encoded. */
  readonly carry: string;
}

export function utter(ctx: ScheduleContext, id: PromptId, vars?: Record<string, string>): Utterance {
  return { text: prompt(ctx.line.language, id, vars), language: ctx.line.language, voice: ctx.line.voice };
}

/** Slot starts carried in a URL: minutes since the epoch, dot-separated (short and exact). */
export function encodeSlots(slots: readonly Pick<Slot, 'start'>[]): string {
  return slots.map((s) => String(Math.round(s.start.getTime() / 60_000))).join('.');
}

/** The slot starts of `o`, at most three, ignoring anything that is not a plausible minute count. */
export function decodeSlots(raw: string | undefined): Date[] {
  return (raw ?? '')
    .split('.')
    .filter((part) => /^\d{7,9}$/.test(part))
    .slice(0, 3)
    .map((part) => new Date(Number(part) * 60_000));
}

export function scheduleUrl(ctx: ScheduleContext, step: 'time' | 'confirm' | 'check', extra: Record<string, string>): string {
  const query = new URLSearchParams({ number: ctx.number, ...extra }).toString();
  return `/callback/schedule/${step}?${query}${ctx.carry ? `&${ctx.carry}` : ''}`;
}

function gather(ctx: ScheduleContext, prompt_: readonly Utterance[], url: string, numDigits?: number): Step {
  return {
    kind: 'gather',
    prompt: prompt_,
    action: url,
    onSilence: `${url}&silence=1`,
    language: ctx.line.language,
    ...(numDigits ? { numDigits } : {}),
    timeoutSeconds: 6,
  };
}

function options(ctx: ScheduleContext, slots: readonly Slot[]): Utterance[] {
  return slots.map((s, i) => utter(ctx, 'schedule.option', { key: String(i + 1), when: speakSlot(s.start, ctx.zone, ctx.line.language) }));
}

/** "When should we call you back? ... Or press 1 for ..." — speech first, the next open times by key. */
export function askStep(ctx: ScheduleContext, next: readonly Slot[], miss: number, intro: readonly Utterance[] = []): Step {
  const url = scheduleUrl(ctx, 'time', { o: encodeSlots(next), miss: String(miss) });
  return gather(ctx, [...intro, utter(ctx, 'schedule.ask'), ...options(ctx, next)], url, 1);
}

/** Times to choose from by key (after an unavailable request, or after misunderstandings). */
export function pickStep(ctx: ScheduleContext, slots: readonly Slot[], miss: number, intro: readonly Utterance[]): Step {
  const url = scheduleUrl(ctx, 'time', { o: encodeSlots(slots), miss: String(miss) });
  return gather(ctx, [...intro, ...options(ctx, slots), utter(ctx, 'schedule.or-say')], url, 1);
}

/** Why a requested time cannot be booked, said before the alternatives. */
export function unavailableIntro(ctx: ScheduleContext, reason: UnavailableReason): Utterance[] {
  const id = `schedule.unavailable.${reason}` as PromptId;
  return [utter(ctx, id, { days: String(ctx.line.callbackDaysAhead) }), utter(ctx, 'schedule.nearest')];
}

/** "I can call you Tuesday, December 1 at 2:00 PM, at the number ending in 0142. Is that right?" */
export function confirmStep(ctx: ScheduleContext, slot: Pick<Slot, 'start'>, miss: number, intro: readonly Utterance[] = []): Step {
  const when = speakSlot(slot.start, ctx.zone, ctx.line.language);
  const url = scheduleUrl(ctx, 'confirm', { slot: String(slot.start.getTime()), miss: String(miss) });
  return gather(ctx, [...intro, utter(ctx, 'schedule.confirm', { when, last4: lastFour(ctx.number) })], url, 1);
}

/** Stored: say the booking is being made and come back to check it kept its place. */
/** To the recount; without `bookingId` (a create whose answer was lost) the recount looks the booking up. */
export function bookingStep(ctx: ScheduleContext, bookingId: string | undefined, slotStart: Date, createdAt: number): Step {
  return {
    kind: 'say-and-redirect',
    say: [utter(ctx, 'schedule.booking')],
    url: scheduleUrl(ctx, 'check', { ...(bookingId ? { booking: bookingId } : {}), slot: String(slotStart.getTime()), t: String(createdAt) }),
  };
}

export function bookedStep(ctx: ScheduleContext, slotStart: Date, texted: boolean): Step {
  const when = speakSlot(slotStart, ctx.zone, ctx.line.language);
  return {
    kind: 'say-and-hangup',
    say: [utter(ctx, 'schedule.booked', { when }), ...(texted ? [utter(ctx, 'schedule.booked.texted')] : []), utter(ctx, 'goodbye')],
  };
}

export function gaveUpStep(ctx: ScheduleContext): Step {
  return { kind: 'say-and-hangup', say: [utter(ctx, 'menu.gave-up'), utter(ctx, 'goodbye')] };
}

const SPOKEN_CHOICES: Readonly<Record<string, number>> = {
  '1': 1, one: 1, first: 1, uno: 1, una: 1, primero: 1, primera: 1,
  '2': 2, two: 2, second: 2, dos: 2, segundo: 2, segunda: 2,
  '3': 3, three: 3, third: 3, tres: 3, tercero: 3, tercera: 3,
};

const FILLER_WORDS = new Set(['option', 'number', 'press', 'the', 'please', 'el', 'la', 'opcion', 'numero', 'por', 'favor']);

/** "Two", "option 2", "the second one", "la segunda": the caller said the key of a time read out. */
export function spokenChoice(speech: string | undefined): number | undefined {
  let words = (speech ?? '')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9 ]/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '' && !FILLER_WORDS.has(w));
  if (words.length === 2 && words[1] === 'one' && words[0] !== 'one') words = [words[0]]; // "the second one"
  return words.length === 1 ? SPOKEN_CHOICES[words[0]] : undefined;
}
