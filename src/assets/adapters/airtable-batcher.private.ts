// Upserts that wait for the same turn of the pace travel together: Airtable takes up to 10 records in
// one request, and a busy instance's writes are mostly Calls upserts. When the instance is idle a write
// goes alone at once; when requests queue behind Airtable's 5 a second, the writes to the same table
// that arrive while the first waits for its turn join it, and one request carries them all.
//
// A write only joins a batch whose deadline is no later than its own, so it never waits longer than it
// would alone. Two writes of one record (the same key) become one, the later fields winning. When
// Airtable refuses a batch for something in it (a 4xx other than 429), each write is sent again alone,
// so one bad record cannot keep the others out of the log.

type Fields = Record<string, unknown>;

/** Airtable's limit of records per create or update request. */
export const MAX_RECORDS_PER_REQUEST = 10;

/** Thrown to the writes of a batch Airtable refused for something in it: each is sent again alone. */
export class RefusedTogether extends Error {
  constructor(cause: unknown) {
    super('Airtable refused a batch of writes; each is sent again alone', { cause });
  }
}

/** Sends the batch's records (`take()`, fixed at its first call, when the request is about to go). */
export type SendBatch = (take: () => Fields[]) => Promise<void>;

export interface UpsertBatcher {
  /**
   * Writes `fields` (keyed on `key`) to `table`, with the writes to it waiting at the same time. The
   * first write of a batch sends it with `send`, by its `deadline`; the others share the result.
   */
  upsert(table: string, key: string, fields: Fields, deadline: number, send: SendBatch): Promise<void>;
}

interface Batch {
  readonly deadline: number;
  readonly records: Fields[];
  taken?: Fields[];
  readonly done: Promise<void>;
}

/** The records of a batch, one per key (later fields win), in the order their keys first came. */
export function mergedByKey(records: readonly Fields[], key: string): Fields[] {
  const byKey = new Map<unknown, Fields>();
  const unkeyed: Fields[] = [];
  for (const record of records) {
    const value = record[key];
    if (value === undefined) unkeyed.push(record);
    else byKey.set(value, { ...byKey.get(value), ...record });
  }
  return [...byKey.values(), ...unkeyed];
}

export function upsertBatcher(): UpsertBatcher {
  /** The batch of each table still taking writes: its request has not gone yet. */
  const open = new Map<string, Batch>();

  return {
    upsert(table, key, fields, deadline, send) {
      const joinable = open.get(table);
      if (joinable && joinable.deadline <= deadline && joinable.records.length < MAX_RECORDS_PER_REQUEST) {
        joinable.records.push(fields);
        return joinable.done;
      }
      let sent!: () => void;
      let failed!: (error: unknown) => void;
      const batch: Batch = {
        deadline,
        records: [fields],
        done: new Promise<void>((resolve, reject) => {
          sent = resolve;
          failed = reject;
        }),
      };
      const close = () => {
        if (open.get(table) === batch) open.delete(table);
      };
      open.set(table, batch);
      send(() => {
        close();
        batch.taken ??= mergedByKey(batch.records, key);
        return batch.taken;
      })
        .then(sent, failed)
        .finally(close);
      return batch.done;
    },
  };
}
