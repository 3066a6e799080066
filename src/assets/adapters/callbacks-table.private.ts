// THE Callbacks table (SPEC §3): immediate and scheduled callbacks, their status and attempts.
// Every read and write of the table goes through here, with the fields mapped to CallbackRow.
//
// Writes that name a record (update, claim) are idempotent and retried within the deadline; a create
// is sent once (a timeout may still have written the row; the caller of `create` decides).
// Between a claim and the call it leads to, `Callback Call SID` holds `claim:<token>` (the base has no
// other field for it); once the call is placed it holds the call's SID, and `Attempts` counts it.
import { airtableRequests, formulaString, type AirtableFields, type AirtableRecordLike, type AirtableRequests } from './airtable-requests.private';
import { claimMark } from '../core/callback-attempts.private';
import type { Config } from '../core/model.private';
import { CALLBACK_STATUSES, OPEN_STATUSES, type CallbackChanges, type CallbackKind, type CallbackRow, type CallbackStatus } from '../core/rows.private';

const FIELD_NAMES: { readonly [K in keyof Omit<CallbackRow, 'id' | 'createdTime'>]-?: string } = {
  line: 'Line',
  contact: 'Contact',
  phone: 'Phone',
  kind: 'Kind',
  scheduledFor: 'Scheduled For',
  status: 'Status',
  attempts: 'Attempts',
  nextAttemptAt: 'Next Attempt At',
  originCallSid: 'Origin Call SID',
  callbackCallSid: 'Callback Call SID',
  reminderSid: 'Reminder SID',
  reason: 'Reason',
  voicemailUrl: 'Voicemail URL',
};

const text = (f: AirtableFields, k: string): string | undefined => {
  const v = f[k];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

export function callbackFromRecord(record: AirtableRecordLike): CallbackRow {
  const f = record.fields;
  const status = CALLBACK_STATUSES.find((s) => s === text(f, 'Status')) ?? 'Queued';
  const attempts = Number(f.Attempts);
  const createdTime = record._rawJson?.createdTime;
  return {
    id: record.id,
    ...(createdTime ? { createdTime } : {}),
    line: text(f, 'Line') ?? '',
    contact: text(f, 'Contact'),
    phone: text(f, 'Phone') ?? '',
    kind: kindOf(text(f, 'Kind')),
    scheduledFor: text(f, 'Scheduled For'),
    status,
    attempts: Number.isFinite(attempts) && attempts > 0 ? Math.floor(attempts) : 0,
    nextAttemptAt: text(f, 'Next Attempt At'),
    originCallSid: text(f, 'Origin Call SID'),
    callbackCallSid: text(f, 'Callback Call SID'),
    reminderSid: text(f, 'Reminder SID'),
    reason: text(f, 'Reason'),
    voicemailUrl: text(f, 'Voicemail URL'),
  };
}

function kindOf(value: string | undefined): CallbackKind {
  return value === 'Scheduled' || value === 'Voicemail' ? value : 'Now';
}

export function callbackFields(changes: CallbackChanges): AirtableFields {
  const fields: AirtableFields = {};
  for (const [key, value] of Object.entries(changes) as [keyof CallbackChanges, unknown][]) {
    if (value !== undefined) fields[FIELD_NAMES[key]] = value;
  }
  return fields;
}

/** Rows that need a call at `now`: Queued/Retry/Dialing (a lapsed claim) past Next Attempt At, Booked past Scheduled For. */
export function dueFormula(now: Date): string {
  const at = formulaString(now.toISOString());
  const status = (s: CallbackStatus) => `{Status} = ${formulaString(s)}`;
  return (
    `OR(AND(OR(${status('Queued')}, ${status('Retry')}, ${status('Dialing')}), IS_BEFORE({Next Attempt At}, ${at})), ` +
    `AND(${status('Booked')}, IS_BEFORE({Scheduled For}, ${at})))`
  );
}

/** The formula `dueFormula` stands for, in code: the dispatcher checks each row with it too. */
export function isDue(row: CallbackRow, now: Date): boolean {
  const before = (iso: string | undefined) => iso !== undefined && Date.parse(iso) < now.getTime();
  if (row.status === 'Booked') return before(row.scheduledFor);
  return (row.status === 'Queued' || row.status === 'Retry' || row.status === 'Dialing') && before(row.nextAttemptAt);
}

const MAX_BATCH = 10; // Airtable: at most 10 records per create/update request

/** The number's open callbacks on the line (SPEC §5: one at a time). */
export function openFormula(phone: string, line: string): string {
  const open = OPEN_STATUSES.map((s) => `{Status} = ${formulaString(s)}`).join(', ');
  return `AND({Phone} = ${formulaString(phone)}, {Line} = ${formulaString(line)}, OR(${open}))`;
}

export interface CallbacksTable {
  /** The open callback (Queued, Booked, Dialing or Retry) for this number on this line, if any. */
  findOpen(phone: string, line: string, deadline: number): Promise<CallbackRow | undefined>;
  /** Creates one row; sent once, never retried. */
  create(row: CallbackChanges, deadline: number): Promise<CallbackRow>;
  /** The row with this id; undefined when it was deleted. */
  find(id: string, deadline: number): Promise<CallbackRow | undefined>;
  /** The rows with these ids that still exist (one request per 100 ids). */
  findMany(ids: readonly string[], deadline: number): Promise<CallbackRow[]>;
  /** Writes `changes` on one row (retried within the deadline). */
  update(id: string, changes: CallbackChanges, deadline: number): Promise<CallbackRow>;
  /** Writes several rows, ten per request (retried within the deadline). */
  updateMany(updates: readonly { readonly id: string; readonly changes: CallbackChanges }[], deadline: number): Promise<CallbackRow[]>;
  /** Marks rows `Dialing` for `token` until `leaseUntil` (see dispatch-callbacks for the protocol). */
  claim(ids: readonly string[], token: string, leaseUntil: Date, deadline: number): Promise<CallbackRow[]>;
  /** Up to `limit` rows due at `now` (see dueFormula), in the table's order. */
  listDue(now: Date, limit: number, deadline: number): Promise<CallbackRow[]>;
  /**
   * What a voicemail's callback row depends on: the Voicemail rows the call `originCallSid` left (any
   * status) and the number's open callbacks on the line, with their createdTime (up to 10).
   */
  voicemailPeers(originCallSid: string, phone: string, line: string, deadline: number): Promise<CallbackRow[]>;
  /** Deletes one row (retried within the deadline); a row already gone counts as deleted. */
  remove(id: string, deadline: number): Promise<void>;
}

export function callbacksTableWith(requests: AirtableRequests): CallbacksTable {
  const { withRetry, select, once } = requests;
  const table = 'Callbacks';

  async function updateMany(updates: readonly { readonly id: string; readonly changes: CallbackChanges }[], deadline: number): Promise<CallbackRow[]> {
    const rows: CallbackRow[] = [];
    for (let i = 0; i < updates.length; i += MAX_BATCH) {
      const batch = updates.slice(i, i + MAX_BATCH).map((u) => ({ id: u.id, fields: callbackFields(u.changes) }));
      const records = await withRetry(deadline, (base) => base(table).update(batch as never, { typecast: true }));
      rows.push(...(records as unknown as AirtableRecordLike[]).map(callbackFromRecord));
    }
    return rows;
  }

  return {
    async findOpen(phone, line, deadline) {
      const [record] = await select(table, openFormula(phone, line), 1, deadline);
      return record && callbackFromRecord(record);
    },
    async create(row, deadline) {
      const record = await once(deadline, (base) => base(table).create(callbackFields(row) as never, { typecast: true }));
      return callbackFromRecord(record as unknown as AirtableRecordLike);
    },
    async find(id, deadline) {
      const [row] = await this.findMany([id], deadline);
      return row;
    },
    async findMany(ids, deadline) {
      const rows: CallbackRow[] = [];
      for (let i = 0; i < ids.length; i += 100) {
        const chunk = ids.slice(i, i + 100);
        const formula = `OR(${chunk.map((id) => `RECORD_ID() = ${formulaString(id)}`).join(', ')})`;
        rows.push(...(await select(table, formula, chunk.length, deadline)).map(callbackFromRecord));
      }
      return rows;
    },
    async update(id, changes, deadline) {
      const [row] = await updateMany([{ id, changes }], deadline);
      return row;
    },
    updateMany,
    claim(ids, token, leaseUntil, deadline) {
      const changes: CallbackChanges = { status: 'Dialing', callbackCallSid: claimMark(token), nextAttemptAt: leaseUntil.toISOString() };
      return updateMany(ids.map((id) => ({ id, changes })), deadline);
    },
    async listDue(now, limit, deadline) {
      const records = await select(table, dueFormula(now), limit, deadline);
      return records.map(callbackFromRecord).filter((row) => isDue(row, now));
    },
    async voicemailPeers(originCallSid, phone, line, deadline) {
      const formula = `OR(AND({Origin Call SID} = ${formulaString(originCallSid)}, {Kind} = ${formulaString('Voicemail')}), ${openFormula(phone, line)})`;
      return (await select(table, formula, 10, deadline)).map(callbackFromRecord);
    },
    async remove(id, deadline) {
      try {
        await withRetry(deadline, (base) => base(table).destroy(id));
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      }
    },
  };
}

/** The Callbacks table for this request's config; undefined when Airtable is not configured. */
export function callbacksTable(config: Config, clock?: () => number): CallbacksTable | undefined {
  const requests = airtableRequests(config, clock);
  return requests && callbacksTableWith(requests);
}
