// Scheduled bookings (src/assets/schedule/): the Booked rows of a line, as the slot scheduler and the
// capacity recount need them, with the record's createdTime, which orders bookings that race for the
// last place of a slot (core/booking-rule). Built on the Callbacks table's mapping (callbacks-table).
import { airtableRequests, formulaString, type AirtableRecordLike, type AirtableRequests } from './airtable-requests.private';
import { callbackFields, callbackFromRecord, callbacksTableWith, openFormula } from './callbacks-table.private';
import type { Config } from '../core/model.private';
import { OPEN_STATUSES, type Booking, type CallbackRow, type CallbackStatus, type NewBooking } from '../core/rows.private';

export interface BookingsTable {
  /** Booked rows of a line scheduled at or after `from`, every page, earliest first. */
  bookedOnLine(line: string, from: Date, deadline: number): Promise<Booking[]>;
  /** The same, and in the same request the number's open callback on the line, if any. */
  bookedOnLineAndOpenFor(line: string, phone: string, from: Date, deadline: number): Promise<{ readonly booked: Booking[]; readonly open?: CallbackRow }>;
  /** The number's next Booked callback on the line (earliest at or after `from`), if any. */
  nextBookedFor(line: string, phone: string, from: Date, deadline: number): Promise<Booking | undefined>;
  /** Writes a Booked row. Sent once, never retried: a timeout may still have written it. */
  create(booking: NewBooking, deadline: number): Promise<Booking>;
  setStatus(id: string, status: CallbackStatus, deadline: number): Promise<void>;
  setReminderSid(id: string, sid: string, deadline: number): Promise<void>;
  /**
   * Booked rows of every line scheduled after `from` and by `until` whose `Reminder SID` is blank, or
   * holds `mark` when given (the dispatcher's reminder pass).
   */
  awaitingReminder(from: Date, until: Date, mark: string | undefined, deadline: number): Promise<Booking[]>;
}


export function bookingFromRecord(record: AirtableRecordLike): Booking | undefined {
  const row = callbackFromRecord(record);
  const scheduledFor = new Date(row.scheduledFor ?? '');
  if (Number.isNaN(scheduledFor.getTime()) || !row.phone) return undefined;
  return {
    id: row.id,
    createdTime: row.createdTime ?? '',
    line: row.line,
    phone: row.phone,
    scheduledFor,
    status: row.status,
    contact: row.contact,
    reason: row.reason,
    originCallSid: row.originCallSid,
    reminderSid: row.reminderSid,
  };
}

export function bookingsTableWith(requests: AirtableRequests): BookingsTable {
  const { once, selectAll } = requests;
  const callbacks = callbacksTableWith(requests);
  const table = 'Callbacks';

  /** The Booked rows among `records` scheduled at or after `from`, earliest first. */
  function bookingsOf(records: readonly AirtableRecordLike[], from: Date): Booking[] {
    return records
      .map(bookingFromRecord)
      .filter((b): b is Booking => b !== undefined && b.status === 'Booked' && b.scheduledFor.getTime() >= from.getTime())
      .sort((a, b) => a.scheduledFor.getTime() - b.scheduledFor.getTime());
  }

  // Every page: a week of slots can hold more Booked rows than one page.
  const booked = async (formula: string, from: Date, deadline: number): Promise<Booking[]> => bookingsOf(await selectAll(table, formula, deadline), from);

  const bookedFormula = (line: string, from: Date, extra = ''): string =>
    `AND({Line} = ${formulaString(line)}, {Status} = 'Booked', ` +
    `NOT(IS_BEFORE({Scheduled For}, ${formulaString(from.toISOString())}))${extra})`;

  return {
    bookedOnLine: (line, from, deadline) => booked(bookedFormula(line, from), from, deadline),
    async bookedOnLineAndOpenFor(line, phone, from, deadline) {
      const records = await selectAll(table, `OR(${bookedFormula(line, from)}, ${openFormula(phone, line)})`, deadline);
      const open = records.map(callbackFromRecord).find((row) => row.phone === phone && OPEN_STATUSES.includes(row.status));
      return { booked: bookingsOf(records, from), ...(open ? { open } : {}) };
    },
    async nextBookedFor(line, phone, from, deadline) {
      const [next] = await booked(bookedFormula(line, from, `, {Phone} = ${formulaString(phone)}`), from, deadline);
      return next;
    },
    async create(booking, deadline) {
      const fields = callbackFields({
        line: booking.line,
        phone: booking.phone,
        kind: 'Scheduled',
        scheduledFor: booking.scheduledFor.toISOString(),
        status: 'Booked',
        contact: booking.contact,
        reason: booking.reason,
        originCallSid: booking.originCallSid,
      });
      const record = await once(deadline, (base) => base(table).create(fields as never, { typecast: true }));
      const created = bookingFromRecord(record as unknown as AirtableRecordLike);
      if (!created) throw new Error('Airtable answered the booking without its fields');
      return created;
    },
    async setStatus(id, status, deadline) {
      await callbacks.update(id, { status }, deadline);
    },
    async setReminderSid(id, sid, deadline) {
      await callbacks.update(id, { reminderSid: sid }, deadline);
    },
    awaitingReminder(from, until, mark, deadline) {
      const reminder = mark ? `{Reminder SID} = ${formulaString(mark)}` : '{Reminder SID} = BLANK()';
      return booked(
        `AND({Status} = 'Booked', ${reminder}, IS_AFTER({Scheduled For}, ${formulaString(from.toISOString())}), ` +
          `NOT(IS_AFTER({Scheduled For}, ${formulaString(until.toISOString())})))`,
        from,
        deadline,
      );
    },
  };
}

/** The scheduled bookings for this request's config; undefined when Airtable is not configured. */
export function bookingsTable(config: Config, clock?: () => number): BookingsTable | undefined {
  const requests = airtableRequests(config, clock);
  return requests && bookingsTableWith(requests);
}
