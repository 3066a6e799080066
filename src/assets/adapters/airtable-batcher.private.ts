// Requests that wait for the same turn of the pace travel together: Airtable takes up to 10 records in
// one write, and a formula can ask for several callers' contacts at once. When the instance is idle a
// request goes alone at once; when requests queue behind Airtable's 5 a second, the ones of the same
// kind (a group: the Calls upserts, the contact lookups) that arrive while the first waits for its turn
// join it, and one request carries them all.
//
// An item only joins a batch whose deadline is no later than its own, so it never waits longer than it
// would alone. Two writes of one record (the same key) become one, the later fields winning. When
// Airtable refuses a batch of writes for a record's values (422), each write is sent again alone, so
// one bad record cannot keep the others out of the log.

type Fields = Record<string, unknown>;

/** Airtable's limit of records per create or update request; lookups are batched by as many. */
export const MAX_RECORDS_PER_REQUEST = 10;

/** Thrown to the writes of a batch Airtable refused for something in it: each is sent again alone. */
export class RefusedTogether extends Error {
  constructor(cause: unknown) {
    super('Airtable refused a batch of writes; each is sent again alone', { cause });
  }
}

export interface RequestBatcher {
  /**
   * Adds `item` to the batch of `group` that waits for its turn, or starts one. The first item's `send`
   * sends the batch, by its `deadline`, with `take()`: the items that joined by the time the request
   * goes (fixed at its first call). Every item of the batch gets the request's result.
   */
  join<T, R>(group: string, item: T, deadline: number, send: (take: () => readonly T[]) => Promise<R>): Promise<R>;
}

interface Batch {
  readonly deadline: number;
  readonly items: unknown[];
  taken?: readonly unknown[];
  readonly done: Promise<unknown>;
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

export function requestBatcher(): RequestBatcher {
  /** The batch of each group still taking items: its request has not gone yet. */
  const open = new Map<string, Batch>();

  return {
    join<T, R>(group: string, item: T, deadline: number, send: (take: () => readonly T[]) => Promise<R>): Promise<R> {
      const joinable = open.get(group);
      if (joinable && joinable.deadline <= deadline && joinable.items.length < MAX_RECORDS_PER_REQUEST) {
        joinable.items.push(item);
        return joinable.done as Promise<R>;
      }
      let sent!: (result: R) => void;
      let failed!: (error: unknown) => void;
      const batch: Batch = {
        deadline,
        items: [item],
        done: new Promise<R>((resolve, reject) => {
          sent = resolve;
          failed = reject;
        }),
      };
      const close = () => {
        if (open.get(group) === batch) open.delete(group);
      };
      open.set(group, batch);
      send(() => {
        close();
        batch.taken ??= [...batch.items];
        return batch.taken as readonly T[];
      })
        .then(sent, failed)
        .finally(close);
      return batch.done as Promise<R>;
    },
  };
}
