// The scheduled callback as pure decisions: what the caller hears while choosing a time (Steps), the
// booking's texts (confirmation, reminder, replies to CANCEL CALL and CHANGE) and when the reminder
// goes, and what a text to the line's number asks for. The slots and spoken times are core/slots and
// core/spoken-time. State travels in the step URLs (the "hunt" pattern): the number to call, the slots
// just read out (`heard`, so a key means the time the caller heard), the slot being confirmed
// (`slot`), the misunderstandings (`miss`), and for the recount the booking and when it was written
// (`booking`, `createdAt`).
import { DateTime } from 'luxon';
import { resolveZone } from '../core/business-hours.private';
import type { Language, Line } from '../core/model.private';
import { lastFour } from '../core/phone.private';
import { utter, type PromptId } from '../core/prompts.private';
import type { UnavailableReason } from '../core/slot-offer.private';
import type { Slot } from '../core/slots.private';
import { speakSlot } from '../core/spoken-time.private';
import type { Step, Utterance } from '../core/steps.private';
import { stepUrl } from '../core/urls.private';

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

/** Slot starts carried in a URL: minutes since the epoch, dot-separated (short and exact). */
export function encodeSlots(slots: readonly Pick<Slot, 'start'>[]): string {
  return slots.map((s) => String(Math.round(s.start.getTime() / 60_000))).join('.');
}

/** The slot starts of `heard`, at most three, ignoring anything that is not a plausible minute count. */
export function decodeSlots(raw: string | undefined): Date[] {
  return (raw ?? '')
    .split('.')
    .filter((part) => /^\d{7,9}$/.test(part))
    .slice(0, 3)
    .map((part) => new Date(Number(part) * 60_000));
}

export function scheduleUrl(ctx: ScheduleContext, step: 'time' | 'confirm' | 'check', extra: Record<string, string | undefined>): string {
  return stepUrl(`/callback/schedule/${step}`, { number: ctx.number, ...extra }, ctx.carry);
}

function gather(ctx: ScheduleContext, prompt_: readonly Utterance[], url: string, numDigits?: number): Step {
  return {
    kind: 'gather',
    prompt: prompt_,
    action: url,
    onSilence: stepUrl(url, { silence: '1' }),
    language: ctx.line.language,
    ...(numDigits ? { numDigits } : {}),
    timeoutSeconds: 6,
  };
}

function options(ctx: ScheduleContext, slots: readonly Slot[]): Utterance[] {
  return slots.map((s, i) => utter(ctx.line, 'schedule.option', { key: String(i + 1), when: speakSlot(s.start, ctx.zone, ctx.line.language) }));
}

/** "When should we call you back? ... Or press 1 for ..." — speech first, the next open times by key. */
export function askStep(ctx: ScheduleContext, next: readonly Slot[], miss: number, intro: readonly Utterance[] = []): Step {
  const url = scheduleUrl(ctx, 'time', { heard: encodeSlots(next), miss: String(miss) });
  return gather(ctx, [...intro, utter(ctx.line, 'schedule.ask'), ...options(ctx, next)], url, 1);
}

/** Times to choose from by key (after an unavailable request, or after misunderstandings). */
export function pickStep(ctx: ScheduleContext, slots: readonly Slot[], miss: number, intro: readonly Utterance[]): Step {
  const url = scheduleUrl(ctx, 'time', { heard: encodeSlots(slots), miss: String(miss) });
  return gather(ctx, [...intro, ...options(ctx, slots), utter(ctx.line, 'schedule.or-say')], url, 1);
}

/** Why a requested time cannot be booked, said before the alternatives. */
export function unavailableIntro(ctx: ScheduleContext, reason: UnavailableReason): Utterance[] {
  const id = `schedule.unavailable.${reason}` as PromptId;
  return [utter(ctx.line, id, { days: String(ctx.line.callbackDaysAhead) }), utter(ctx.line, 'schedule.nearest')];
}

/** "I can call you Tuesday, December 1 at 2:00 PM, at the number ending in 0142. Is that right?" */
export function confirmStep(ctx: ScheduleContext, slot: Pick<Slot, 'start'>, miss: number, intro: readonly Utterance[] = []): Step {
  const when = speakSlot(slot.start, ctx.zone, ctx.line.language);
  const url = scheduleUrl(ctx, 'confirm', { slot: String(slot.start.getTime()), miss: String(miss) });
  return gather(ctx, [...intro, utter(ctx.line, 'schedule.confirm', { when, last4: lastFour(ctx.number) })], url, 1);
}

/** Stored: say the booking is being made and come back to check it kept its place. */
/** To the recount; without `bookingId` (a create whose answer was lost) the recount looks the booking up. */
export function bookingStep(ctx: ScheduleContext, bookingId: string | undefined, slotStart: Date, createdAt: number): Step {
  return {
    kind: 'say-and-redirect',
    say: [utter(ctx.line, 'schedule.booking')],
    url: scheduleUrl(ctx, 'check', { booking: bookingId, slot: String(slotStart.getTime()), createdAt: String(createdAt) }),
  };
}

export function bookedStep(ctx: ScheduleContext, slotStart: Date, texted: boolean): Step {
  const when = speakSlot(slotStart, ctx.zone, ctx.line.language);
  return {
    kind: 'say-and-hangup',
    say: [utter(ctx.line, 'schedule.booked', { when }), ...(texted ? [utter(ctx.line, 'schedule.booked.texted')] : []), utter(ctx.line, 'goodbye')],
  };
}

export function gaveUpStep(ctx: ScheduleContext): Step {
  return { kind: 'say-and-hangup', say: [utter(ctx.line, 'menu.gave-up'), utter(ctx.line, 'goodbye')] };
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

// The texts of a scheduled callback. They ask for "CANCEL CALL", not a bare "CANCEL": on long codes a
// message that is only CANCEL is one of Twilio's default opt-out keywords (like STOP), which would also
// block every later text from the line. A bare CANCEL still cancels the booking (Twilio passes it on).

/** The reminder goes this long before the slot. */
export const REMINDER_LEAD_MINUTES = 60;
/** Twilio schedules a message only 15 minutes to 35 days ahead; a minute of margin for the request's own time. */
export const SCHEDULE_MIN_LEAD_MS = 16 * 60_000;
export const SCHEDULE_MAX_LEAD_MS = 35 * 24 * 3_600_000 - 60_000;

export type ReminderPlan =
  /** Ask Twilio to send it at `sendAt` (needs a Messaging Service). */
  | { readonly kind: 'twilio-schedule'; readonly sendAt: Date }
  /** Leave it to the dispatcher (no Messaging Service, or too far ahead for Twilio), which sends it at `sendAt`. */
  | { readonly kind: 'dispatcher'; readonly sendAt: Date }
  /** The slot is so close that the confirmation just sent is the reminder. */
  | { readonly kind: 'none' };

export function decideReminder(slotStart: Date, now: Date, hasMessagingService: boolean): ReminderPlan {
  const sendAt = new Date(slotStart.getTime() - REMINDER_LEAD_MINUTES * 60_000);
  const lead = sendAt.getTime() - now.getTime();
  if (lead < SCHEDULE_MIN_LEAD_MS) return { kind: 'none' };
  if (hasMessagingService && lead <= SCHEDULE_MAX_LEAD_MS) return { kind: 'twilio-schedule', sendAt };
  return { kind: 'dispatcher', sendAt };
}

/** "Tuesday, December 1 at 2:00 PM CST" — the slot and the zone's short name, for texts. */
export function writtenSlot(start: Date, timezone: string, language: Language): string {
  const zone = resolveZone(timezone);
  const abbreviation = DateTime.fromJSDate(start, { zone }).setLocale('en-US').toFormat('ZZZZ');
  return `${speakSlot(start, zone, language)} ${abbreviation}`;
}

const TEXTS = {
  'en-US': {
    confirmation: (line: string, when: string) =>
      `${line}: your call back is booked for ${when}. Reply CANCEL CALL to cancel or CHANGE to pick another time.`,
    reminder: (line: string, when: string) => `${line}: reminder, we will call you ${when}. Reply CANCEL CALL to cancel or CHANGE to pick another time.`,
    cancelled: (line: string, when: string) => `${line}: your call back for ${when} is cancelled.`,
    choices: (line: string, options: readonly string[]) =>
      `${line}: reply with a number to move your call back: ${options.map((o, i) => `${i + 1}) ${o}`).join('; ')}.`,
    moved: (line: string, when: string) => `${line}: your call back is moved to ${when}. Reply CANCEL CALL to cancel or CHANGE to pick another time.`,
    taken: (line: string) => `${line}: sorry, that time was just taken. Reply CHANGE to see the open times.`,
    noLongerOpen: (line: string) => `${line}: sorry, that time is no longer open.`,
    noChoices: (line: string) => `${line}: sorry, there are no other open times right now. Your call back stays as booked.`,
    help: (line: string, when: string) => `${line}: your call back is booked for ${when}. Reply CANCEL CALL to cancel or CHANGE to pick another time.`,
    unknown: (line: string) => `${line}: we could not find a booked call back for this number. Please call us to book one.`,
    trouble: (line: string) => `${line}: sorry, we could not do that just now. Please try again in a few minutes.`,
  },
  'es-US': {
    confirmation: (line: string, when: string) =>
      `${line}: su llamada quedó programada para ${when}. Responda CANCELAR para cancelarla o CAMBIAR para elegir otra hora.`,
    reminder: (line: string, when: string) => `${line}: le recordamos que le llamaremos ${when}. Responda CANCELAR para cancelarla o CAMBIAR para elegir otra hora.`,
    cancelled: (line: string, when: string) => `${line}: su llamada para ${when} quedó cancelada.`,
    choices: (line: string, options: readonly string[]) =>
      `${line}: responda con un número para cambiar su llamada: ${options.map((o, i) => `${i + 1}) ${o}`).join('; ')}.`,
    moved: (line: string, when: string) => `${line}: su llamada se cambió para ${when}. Responda CANCELAR para cancelarla o CAMBIAR para elegir otra hora.`,
    taken: (line: string) => `${line}: lo sentimos, esa hora se acaba de ocupar. Responda CAMBIAR para ver las horas disponibles.`,
    noLongerOpen: (line: string) => `${line}: lo sentimos, esa hora ya no está disponible.`,
    noChoices: (line: string) => `${line}: lo sentimos, no hay otras horas disponibles ahora. Su llamada sigue programada.`,
    help: (line: string, when: string) => `${line}: su llamada está programada para ${when}. Responda CANCELAR para cancelarla o CAMBIAR para elegir otra hora.`,
    unknown: (line: string) => `${line}: no encontramos una llamada programada para este número. Llámenos para programar una.`,
    trouble: (line: string) => `${line}: lo sentimos, no pudimos hacerlo en este momento. Inténtelo de nuevo en unos minutos.`,
  },
} as const;

export type BookingText = keyof (typeof TEXTS)['en-US'];

/** The body of a booking text for `line`, the slot (if any) written in the line's zone and language. */
export function bookingText(kind: Exclude<BookingText, 'choices'>, line: Pick<Line, 'name' | 'language' | 'timezone'>, slotStart?: Date): string {
  const when = slotStart ? writtenSlot(slotStart, line.timezone, line.language) : '';
  return TEXTS[line.language][kind](line.name, when);
}

export function choicesText(line: Pick<Line, 'name' | 'language' | 'timezone'>, slotStarts: readonly Date[]): string {
  return TEXTS[line.language].choices(line.name, slotStarts.map((s) => writtenSlot(s, line.timezone, line.language)));
}

/**
 * For the dispatcher (issue 8's /jobs/dispatch-callbacks): whether it should text the reminder of a
 * Booked callback now. True when no reminder was scheduled with Twilio (no `Reminder SID`: no Messaging
 * Service, or scheduling failed), the reminder time has come, the slot has not, and the booking was
 * not made so late that its confirmation was the reminder. The dispatcher stores the SID it sends.
 */
export function isReminderDueByDispatcher(
  booking: { readonly scheduledFor: Date; readonly createdTime: string; readonly reminderSid?: string },
  now: Date,
): boolean {
  if (booking.reminderSid) return false;
  const sendAt = booking.scheduledFor.getTime() - REMINDER_LEAD_MINUTES * 60_000;
  const created = Date.parse(booking.createdTime);
  const bookedEarlyEnough = Number.isNaN(created) || sendAt - created >= SCHEDULE_MIN_LEAD_MS;
  return bookedEarlyEnough && now.getTime() >= sendAt && now.getTime() < booking.scheduledFor.getTime();
}

// What a text to the line's number asks for. Twilio answers its own keywords (STOP, START, HELP and
// their synonyms): those get no reply from us.
export type SmsCommand =
  | { readonly kind: 'cancel' }
  | { readonly kind: 'change' }
  /** A reply with one of the numbers of the CHANGE list (1-based). */
  | { readonly kind: 'choose'; readonly choice: number }
  /** STOP/START/HELP and friends: Twilio's to answer. */
  | { readonly kind: 'twilio-keyword' }
  | { readonly kind: 'other' };

/** How many numbered times a CHANGE reply offers. */
export const SMS_CHOICES = 3;

// Twilio's default opt-out, opt-in and help keywords, minus CANCEL which is ours too.
const TWILIO_KEYWORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'END', 'QUIT', 'REVOKE', 'OPTOUT', 'START', 'YES', 'UNSTOP', 'HELP', 'INFO']);
const CANCEL = /^(CANCEL|CANCEL CALL|CANCEL MY CALL|CANCEL CALLBACK|CANCEL CALL BACK|CANCELAR|CANCELAR LLAMADA)$/;
const CHANGE = /^(CHANGE|CHANGE CALL|CHANGE TIME|MOVE|RESCHEDULE|CAMBIAR|CAMBIO|CAMBIAR HORA)$/;

export function readSmsCommand(body: string | undefined): SmsCommand {
  const text = (body ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9 ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (TWILIO_KEYWORDS.has(text)) return { kind: 'twilio-keyword' };
  if (CANCEL.test(text)) return { kind: 'cancel' };
  if (CHANGE.test(text)) return { kind: 'change' };
  const choice = /^(?:OPTION |NUMBER |NUMERO )?(\d)$/.exec(text);
  if (choice && Number(choice[1]) >= 1 && Number(choice[1]) <= SMS_CHOICES) return { kind: 'choose', choice: Number(choice[1]) };
  return { kind: 'other' };
}
