// The texts of a scheduled callback: confirmation, reminder, and the replies to CANCEL / CHANGE.
// Pure: bodies in the line's language with the slot in the line's zone, and when the reminder goes.
//
// The texts ask for "CANCEL CALL", not a bare "CANCEL": on long codes a message that is only CANCEL is
// one of Twilio's default opt-out keywords (like STOP), which would also block every later text from
// the line. A bare CANCEL still cancels the booking (Twilio passes it on to /sms/incoming).
import { DateTime } from 'luxon';
import { resolveZone } from '../core/business-hours.private';
import type { Language, Line } from '../core/model.private';
import { speakSlot } from './spoken-time.private';

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
