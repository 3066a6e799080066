// Scheduled bookings in the Callbacks table (SPEC §3), through airtable.js and the shared request
// helpers. Only what booking, cancelling and moving need.
//
// NOTE for the integrator: the `callbacks` branch owns THE Callbacks-table adapter
// (adapters/callbacks-table.private.ts). It was not committed when this was written, so this file holds
// just the booking functions; once both are on main they belong in a clearly separated "scheduled
// bookings" section of that adapter.
import { airtableRequests, formulaString, type AirtableFields } from '../adapters/airtable-store.private';
import type { Config } from '../shell/config.private';

const TABLE = 'Callbacks';

export type CallbackStatus = 'Queued' | 'Booked' | 'Dialing' | 'Connected' | 'Retry' | 'Failed' | 'Cancelled';

export interface Booking {
  readonly id: string;
  readonly createdTime: string;
  /** The line's phone number. */
  readonly line: string;
  /** The number to call. */
  readonly phone: string;
  readonly scheduledFor: Date;
  readonly status: CallbackStatus;
  readonly contact?: string;
  readonly reason?: string;
  readonly originCallSid?: string;
  readonly reminderSid?: string;
}

export interface NewBooking {
  readonly line: string;
  readonly phone: string;
  readonly scheduledFor: Date;
  readonly contact?: string;
  readonly reason?: string;
  readonly originCallSid?: string;
}

export interface BookingsTable {
  /** Booked rows of a line scheduled at or after `from`, every page. */
  bookedOnLine(line: string, from: Date, deadline: number): Promise<Booking[]>;
  /** The caller's next Booked callback on the line (earliest at or after `from`), if any. */
  nextBookedFor(line: string, phone: string, from: Date, deadline: number): Promise<Booking | undefined>;
  /** Writes a Booked row. Sent once, never retried: a timeout may still have written it. */
  create(booking: NewBooking, deadline: number): Promise<Booking>;
  /** Sets the Status of a row (idempotent, so retried while time remains). */
  setStatus(id: string, status: CallbackStatus, deadline: number): Promise<void>;
  setReminderSid(id: string, sid: string, deadline: number): Promise<void>;
}

interface RawRecord {
  readonly id: string;
  readonly fields: AirtableFields;
  readonly _rawJson?: { readonly createdTime?: string };
}

const text = (f: AirtableFields, k: string): string | undefined => {
  const v = f[k];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

export function bookingFromRecord(record: RawRecord): Booking | undefined {
  const f = record.fields;
  const scheduledFor = new Date(text(f, 'Scheduled For') ?? '');
  const phone = text(f, 'Phone');
  if (Number.isNaN(scheduledFor.getTime()) || !phone) return undefined;
  return {
    id: record.id,
    createdTime: record._rawJson?.createdTime ?? '',
    line: text(f, 'Line') ?? '',
    phone,
    scheduledFor,
    status: (text(f, 'Status') ?? 'Booked') as CallbackStatus,
    contact: text(f, 'Contact'),
    reason: text(f, 'Reason'),
    originCallSid: text(f, 'Origin Call SID'),
    reminderSid: text(f, 'Reminder SID'),
  };
}

export function bookingsTable(config: Config, clock: () => number = Date.now): BookingsTable | undefined {
  const requests = airtableRequests(config, clock);
  if (!requests) return undefined;
  const { withRetry, once } = requests;

  async function booked(formula: string, deadline: number): Promise<Booking[]> {
    const records = await withRetry(deadline, (base) => base(TABLE).select({ filterByFormula: formula, pageSize: 100 }).all());
    return (records as unknown as RawRecord[])
      .map(bookingFromRecord)
      .filter((b): b is Booking => b !== undefined)
      .sort((a, b) => a.scheduledFor.getTime() - b.scheduledFor.getTime());
  }

  const bookedFormula = (line: string, from: Date, extra = ''): string =>
    `AND({Line} = ${formulaString(line)}, {Status} = 'Booked', ` +
    `NOT(IS_BEFORE({Scheduled For}, ${formulaString(from.toISOString())}))${extra})`;

  return {
    bookedOnLine: (line, from, deadline) => booked(bookedFormula(line, from), deadline),
    async nextBookedFor(line, phone, from, deadline) {
      const [next] = await booked(bookedFormula(line, from, `, {Phone} = ${formulaString(phone)}`), deadline);
      return next;
    },
    async create(booking, deadline) {
      const fields: Record<string, string> = {
        Line: booking.line,
        Phone: booking.phone,
        Kind: 'Scheduled',
        'Scheduled For': booking.scheduledFor.toISOString(),
        Status: 'Booked',
      };
      if (booking.contact) fields.Contact = booking.contact;
      if (booking.reason) fields.Reason = booking.reason;
      if (booking.originCallSid) fields['Origin Call SID'] = booking.originCallSid;
      const [record] = (await once(deadline, (base) => base(TABLE).create([{ fields }], { typecast: true }))) as unknown as RawRecord[];
      const created = bookingFromRecord(record);
      if (!created) throw new Error('Airtable answered the booking without its fields');
      return created;
    },
    async setStatus(id, status, deadline) {
      await withRetry(deadline, (base) => base(TABLE).update([{ id, fields: { Status: status } }], { typecast: true }));
    },
    async setReminderSid(id, sid, deadline) {
      await withRetry(deadline, (base) => base(TABLE).update([{ id, fields: { 'Reminder SID': sid } }]));
    },
  };
}
