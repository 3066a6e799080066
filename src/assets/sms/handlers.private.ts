// /sms/incoming: replies to texts about a booked callback, as Messaging TwiML (<Message>).
// CANCEL cancels the sender's next booked callback on this line and its reminder; CHANGE texts back the
// next open times, numbered; a number moves the booking (written first, then the same capacity rule as
// a call); anything else gets a one-line help. STOP/START/HELP stay Twilio's. A sender with no booking
// gets a polite one-liner; trouble gets an apology, never an error.
import { bookingMessenger } from '../adapters/booking-messenger.private';
import type { BookingsTable } from '../adapters/bookings-table.private';
import type { EventAnswer, EventRequest } from '../call/request.private';
import type { CallSession } from '../call/session.private';
import { keepsItsPlace, settleDelayMs } from '../core/booking-rule.private';
import type { Line } from '../core/model.private';
import { maskForLog, toE164Shape } from '../core/phone.private';
import { renderMessageReply } from '../core/render-twiml.private';
import type { Booking } from '../core/rows.private';
import { bookedIn, openSlots, scheduleOf, slotAt, slotSettingsOf, type OpenSlot, type SlotQuery } from '../core/slots.private';
import { bookingText, choicesText, decodeSlots, encodeSlots, readSmsCommand, SMS_CHOICES } from '../schedule/decisions.private';
import { cancelReminder, scheduleReminder } from '../schedule/handlers.private';

/** Twilio waits 15 s for a messaging webhook; moving a booking waits a second for the recount. */
export const SMS_BUDGET_MS = 6000;
const DAY_MS = 86_400_000;

/**
 * The times a CHANGE reply numbered, kept as a Twilio Messaging cookie (per sender and number, for
 * four hours), so a number means the time the sender read even when the open times moved meanwhile.
 */
export const CHOICES_COOKIE = 'bookingChoices';

type Reply = string | { readonly bodies: readonly string[]; readonly choices?: readonly Pick<OpenSlot, 'start'>[] };

function answer(reply?: Reply): EventAnswer {
  if (reply === undefined || typeof reply === 'string') return { status: 200, xml: renderMessageReply(reply) };
  return {
    status: 200,
    xml: renderMessageReply(...reply.bodies),
    ...(reply.choices ? { cookies: { [CHOICES_COOKIE]: encodeSlots(reply.choices) } } : {}),
  };
}

export async function handleIncomingSms(call: CallSession<EventRequest>): Promise<EventAnswer> {
  const { params, request } = call;
  const command = readSmsCommand(params.Body);
  const from = toE164Shape(params.From);
  if (command.kind === 'twilio-keyword' || !from) return answer();
  const line = await call.line(params.To).catch(() => undefined);
  const table = call.bookings();
  if (!line || !table) return answer();
  try {
    const booking = await table.nextBookedFor(line.phoneNumber, from, request.now, request.deadline);
    if (!booking) return answer(bookingText('unknown', line));
    switch (command.kind) {
      case 'cancel':
        return answer(await cancelBooking(request, line, booking, table));
      case 'change':
        return answer(await offerOtherTimes(request, line, booking, table));
      case 'choose':
        return answer(await moveBooking(request, line, booking, table, command.choice));
      case 'other':
        return answer(bookingText('help', line, booking.scheduledFor));
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  } catch (error) {
    request.log.warn('sms-reply-failed', { from: maskForLog(from), command: command.kind, error });
    return answer(bookingText('trouble', line));
  }
}

async function cancelBooking(request: EventRequest, line: Line, booking: Booking, table: BookingsTable): Promise<string> {
  await table.setStatus(booking.id, 'Cancelled', request.deadline);
  await cancelReminder(request, booking, bookingMessenger(request.config, remaining(request)));
  return bookingText('cancelled', line, booking.scheduledFor);
}

/** The open times other than the booking's own slot, earliest first (a CHANGE reply numbers the first three). */
async function otherTimes(request: EventRequest, line: Line, booking: Booking, table: BookingsTable): Promise<{ query: SlotQuery; times: OpenSlot[] }> {
  const booked = await table.bookedOnLine(line.phoneNumber, new Date(request.now.getTime() - DAY_MS), request.deadline);
  const query: SlotQuery = {
    schedule: scheduleOf(line, request.config.defaultTimezone),
    settings: slotSettingsOf(line),
    booked: booked.map((b) => b.scheduledFor),
    now: request.now,
  };
  return { query, times: openSlots(query).filter((slot) => bookedIn(slot, [booking.scheduledFor]) === 0) };
}

function choicesReply(line: Line, times: readonly OpenSlot[], before: readonly string[] = []): Reply {
  const choices = times.slice(0, SMS_CHOICES);
  if (choices.length === 0) return { bodies: [...before, bookingText('noChoices', line)] };
  return { bodies: [...before, choicesText(line, choices.map((t) => t.start))], choices };
}

async function offerOtherTimes(request: EventRequest, line: Line, booking: Booking, table: BookingsTable): Promise<Reply> {
  const { times } = await otherTimes(request, line, booking, table);
  return choicesReply(line, times);
}

/**
 * Moves the booking to the chosen time: the time numbered in the CHANGE reply the sender read (its
 * cookie), else the list as it is now. A new Booked row first (record-creation order decides who keeps
 * a place), the recount after the createdTime second, then the old row and its reminder cancelled.
 */
async function moveBooking(request: EventRequest, line: Line, booking: Booking, table: BookingsTable, choice: number): Promise<Reply> {
  const { query, times } = await otherTimes(request, line, booking, table);
  const read = decodeSlots(request.cookies[CHOICES_COOKIE]);
  const target = read.length > 0 ? read[choice - 1] : times[choice - 1]?.start;
  const chosen = target && times.find((t) => t.start.getTime() === target.getTime());
  if (!chosen) return choicesReply(line, times, target ? [bookingText('noLongerOpen', line)] : []);
  const moved = await table.create(
    { line: line.phoneNumber, phone: booking.phone, scheduledFor: chosen.start, contact: booking.contact, reason: booking.reason, originCallSid: booking.originCallSid },
    request.deadline,
  );
  const createdAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, settleDelayMs(createdAt, Date.now())));
  const booked = await table.bookedOnLine(line.phoneNumber, chosen.start, request.deadline);
  const slot = slotAt(query.schedule, query.settings.slotMinutes, chosen.start) ?? chosen;
  const inSlot = booked.filter((b) => bookedIn(slot, [b.scheduledFor]) === 1);
  if (!keepsItsPlace(moved, inSlot, query.settings.capacity)) {
    await table.setStatus(moved.id, 'Cancelled', request.deadline);
    return bookingText('taken', line);
  }
  await table.setStatus(booking.id, 'Cancelled', request.deadline);
  const messenger = bookingMessenger(request.config, remaining(request));
  if (messenger) {
    await Promise.all([cancelReminder(request, booking, messenger), scheduleReminder(request, line, moved, table, messenger)]);
  }
  return bookingText('moved', line, moved.scheduledFor);
}

function remaining(request: EventRequest): number {
  return Math.max(request.deadline - Date.now(), 250);
}
