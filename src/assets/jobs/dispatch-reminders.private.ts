// Reminders the dispatcher texts (SPEC §5: "a reminder before the slot ... else the dispatcher"): the
// Booked callbacks whose reminder Twilio does not hold (no MESSAGING_SERVICE_SID, or scheduling it
// failed), once their reminder time has come. Called by /jobs/dispatch-callbacks after its dial rounds.
//
// Each reminder goes once however many runs overlap, with the dispatcher's claim idea: a run reads the
// rows (R), marks each `Reminder SID` with its own token (W), goes on only when W finished within
// SETTLE_MS of R's start, waits SETTLE_MS, reads again and texts only the rows still carrying its token;
// the message SID then replaces the mark. A run that dies after W leaves the mark: that reminder is
// skipped rather than ever sent twice.
import { randomUUID } from 'node:crypto';
import { bookingMessenger, type BookingMessenger } from '../adapters/booking-messenger.private';
import type { BookingsTable } from '../adapters/bookings-table.private';
import type { EventRequest } from '../call/request.private';
import type { CallSession } from '../call/session.private';
import type { Booking } from '../core/rows.private';
import { bookingText, isReminderDueByDispatcher, REMINDER_LEAD_MINUTES } from '../schedule/decisions.private';

const SETTLE_MS = 1000;
const MAX_REMINDERS_PER_RUN = 10;
/** Reading, marking, settling, reading again and texting need about this much time. */
export const REMINDERS_MIN_MS = 2500;

export interface RemindersReport {
  readonly sent: string[];
  readonly errors: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export async function sendDueReminders(call: CallSession<EventRequest>): Promise<RemindersReport> {
  const { request } = call;
  const report: RemindersReport = { sent: [], errors: [] };
  const table = call.bookings();
  const messenger = bookingMessenger(request.config, 2000);
  if (!table || !messenger) return report;
  const now = request.now;
  const until = new Date(now.getTime() + REMINDER_LEAD_MINUTES * 60_000);
  const mark = `reminder:${randomUUID()}`;

  const readStarted = Date.now();
  const waiting = await table.awaitingReminder(now, until, undefined, request.deadline);
  const due = waiting.filter((b) => isReminderDueByDispatcher(b, now)).slice(0, MAX_REMINDERS_PER_RUN);
  if (due.length === 0) return report;
  await Promise.all(due.map((b) => table.setReminderSid(b.id, mark, request.deadline)));
  if (Date.now() - readStarted > SETTLE_MS) {
    report.errors.push('marking took too long; the marked reminders are skipped');
    return report;
  }
  await sleep(SETTLE_MS);
  const still = (await table.awaitingReminder(now, until, mark, request.deadline)).filter((b) => due.some((d) => d.id === b.id));
  for (const booking of still) {
    await remind(call, table, booking, messenger, report);
  }
  return report;
}

async function remind(call: CallSession<EventRequest>, table: BookingsTable, booking: Booking, messenger: BookingMessenger, report: RemindersReport): Promise<void> {
  const { request } = call;
  try {
    const line = await call.line(booking.line);
    if (!line) throw new Error('no line with this number');
    const sid = await messenger.send(line.phoneNumber, booking.phone, bookingText('reminder', line, booking.scheduledFor), booking.originCallSid);
    report.sent.push(sid);
    await table.setReminderSid(booking.id, sid, request.deadline);
  } catch (error) {
    report.errors.push(`reminder of ${booking.id} not sent`);
    request.log.warn('reminder-not-sent', { booking: booking.id, error });
  }
}
