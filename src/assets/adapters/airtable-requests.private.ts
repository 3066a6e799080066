// Requests to the business's Airtable base, through the real airtable.js client. airtable.js would
// retry a 429 without limit and wait five minutes for an answer; a caller cannot. So its own retry is
// off, every request is bounded by the webhook's deadline and paced (airtable-pacer), and reads are
// retried at most a couple of times while time remains. Every table adapter builds on these helpers.
import Airtable from 'airtable';
import type { Config } from '../core/model.private';
import { mergedByKey, RefusedTogether, type RequestBatcher } from './airtable-batcher.private';
import { BaseLockedOut, NoTurnInTime, type AirtablePacer } from './airtable-pacer.private';

type Fields = Record<string, unknown>;
interface AirtableRecordLike {
  readonly id: string;
  readonly fields: Fields;
  /** As airtable.js's records hold it: the record's createdTime (ISO, whole seconds). */
  readonly _rawJson?: { readonly createdTime?: string };
}

/** An airtable.js record as the adapters read it: id, fields and createdTime. */
function recordLike(record: Airtable.Record<Airtable.FieldSet>): AirtableRecordLike {
  return { id: record.id, fields: record.fields as Fields, _rawJson: { createdTime: (record._rawJson as { createdTime?: string } | undefined)?.createdTime } };
}

/** Airtable's largest page. */
const PAGE_SIZE = 100;
/** Below this much time left, another attempt could not finish before the deadline. */
const MIN_ATTEMPT_MS = 250;
const MAX_ATTEMPTS = 3;

/** A value made safe to place inside an Airtable formula as a string literal. */
export function formulaString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/[\r\n]/g, ' ')}'`;
}

/**
 * Worth another try within the deadline: server errors and timeouts. Never a 4xx about the request
 * itself, and never a 429: Airtable then refuses the whole base for 30 seconds, so a quick retry only
 * spends the caller's time (serve the cache or the fallback, or leave the work to the next run).
 */
export function isTransient(error: unknown): boolean {
  const status = (error as { statusCode?: number } | undefined)?.statusCode;
  return status === undefined || status >= 500;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One airtable.js request bounded by a deadline; reads and keyed upserts may be retried while time remains. */
export interface AirtableRequests {
  /**
   * Runs one airtable.js request bounded by what is left of the deadline, and again while time remains
   * when the failure is transient. Only idempotent requests may come here: reads, and upserts on a key.
   */
  withRetry<T>(deadline: number, run: (base: Airtable.Base) => Promise<T>): Promise<T>;
  /** The first page of `table` matching `formula` (values in it escaped with `formulaString`). */
  select(table: string, formula: string, maxRecords: number, deadline: number): Promise<AirtableRecordLike[]>;
  /** One request, never retried (creates): a timeout may still have written, so the caller decides. */
  once<T>(deadline: number, run: (base: Airtable.Base) => Promise<T>): Promise<T>;
  /** Every page of `table` matching `formula`, each page a request of its own (and a turn of the pace). */
  selectAll(table: string, formula: string, deadline: number): Promise<AirtableRecordLike[]>;
  /**
   * Creates or updates the record of `table` whose `key` field is `fields[key]`, retried within the
   * deadline; on a paced instance with the other writes to `table` waiting for the same turn (airtable-batcher).
   */
  upsert(table: string, key: string, fields: Fields, deadline: number): Promise<void>;
  /**
   * The records of `table` that `formulaFor([value])` matches (up to `perValue` of them), retried within
   * the deadline; on a paced instance asked with the other values of `group` waiting for the same turn,
   * in one formula, so the caller picks its own records out of what comes back.
   */
  selectFor(group: string, table: string, value: string, formulaFor: (values: readonly string[]) => string, perValue: number, deadline: number): Promise<AirtableRecordLike[]>;
}

/** An instance's pace of requests to one base, and the requests that travel together in it. */
export interface AirtablePace {
  readonly pacer: AirtablePacer;
  readonly batcher: RequestBatcher;
}

export type { AirtableRecordLike, Fields as AirtableFields };

/** The request helpers every table adapter uses; undefined when Airtable is not configured. */
export function airtableRequests(config: Config, clock: () => number = Date.now, pace?: AirtablePace): AirtableRequests | undefined {
  const pacer = pace?.pacer;
  const { apiKey, baseId, endpointUrl } = config.airtable;
  if (!apiKey || !baseId) return undefined;
  const baseFor = (left: number) => new Airtable({ apiKey, endpointUrl, noRetryIfRateLimited: true, requestTimeout: left }).base(baseId);

  async function withRetry<T>(deadline: number, run: (base: Airtable.Base) => Promise<T>): Promise<T> {
    let lastError: unknown;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (deadline - clock() < MIN_ATTEMPT_MS) break;
      try {
        await pacer?.turn(deadline - MIN_ATTEMPT_MS);
        return await run(baseFor(deadline - clock()));
      } catch (error) {
        if (error instanceof NoTurnInTime) throw error;
        noteLockOut(error);
        lastError = error;
        if (!isTransient(error)) throw error;
        await sleep(Math.min(100 * 2 ** attempt + Math.random() * 100, Math.max(0, deadline - clock() - MIN_ATTEMPT_MS)));
      }
    }
    throw lastError ?? new Error('Airtable deadline reached before the request could be sent');
  }

  async function once<T>(deadline: number, run: (base: Airtable.Base) => Promise<T>): Promise<T> {
    if (deadline - clock() < MIN_ATTEMPT_MS) throw new Error('Airtable deadline reached before the request could be sent');
    await pacer?.turn(deadline - MIN_ATTEMPT_MS);
    try {
      return await run(baseFor(deadline - clock()));
    } catch (error) {
      noteLockOut(error);
      throw error;
    }
  }

  /** Airtable's own 429 locks the base for 30 s: the pacer then sends nothing until it is over. */
  function noteLockOut(error: unknown): void {
    if ((error as { statusCode?: number }).statusCode === 429 && !(error instanceof BaseLockedOut)) pacer?.lockOut();
  }

  function select(table: string, formula: string, maxRecords: number, deadline: number): Promise<AirtableRecordLike[]> {
    return selectWhenSent(table, () => ({ formula, maxRecords }), deadline);
  }

  /** The first page of a select whose formula is made when the request goes (after its turn). */
  function selectWhenSent(table: string, query: () => { formula: string; maxRecords: number }, deadline: number): Promise<AirtableRecordLike[]> {
    return withRetry(deadline, async (base) => {
      const { formula, maxRecords } = query();
      const records = await base(table).select({ filterByFormula: formula, maxRecords, pageSize: Math.min(maxRecords, PAGE_SIZE) }).firstPage();
      return records.map(recordLike);
    });
  }

  function selectFor(group: string, table: string, value: string, formulaFor: (values: readonly string[]) => string, perValue: number, deadline: number): Promise<AirtableRecordLike[]> {
    if (!pace) return select(table, formulaFor([value]), perValue, deadline);
    return pace.batcher.join(`select ${group}`, value, deadline, (take) =>
      selectWhenSent(
        table,
        () => {
          const values = [...new Set(take())];
          return { formula: formulaFor(values), maxRecords: Math.min(perValue * values.length, PAGE_SIZE) };
        },
        deadline,
      ),
    );
  }

  function selectAll(table: string, formula: string, deadline: number): Promise<AirtableRecordLike[]> {
    return withRetry(
      deadline,
      (base) =>
        new Promise<AirtableRecordLike[]>((resolve, reject) => {
          const records: AirtableRecordLike[] = [];
          base(table)
            .select({ filterByFormula: formula, pageSize: PAGE_SIZE })
            .eachPage(
              (page, fetchNextPage) => {
                records.push(...page.map(recordLike));
                // The next page is a request too: it waits for its turn like any other. A short page is the
                // last (airtable.js then asks for nothing more).
                if (!pacer || page.length < PAGE_SIZE) return fetchNextPage();
                pacer.turn(deadline - MIN_ATTEMPT_MS).then(fetchNextPage, reject);
              },
              (error) => (error ? reject(error) : resolve(records)),
            );
        }),
    );
  }

  /** One upsert request of `records()` (read when the request goes: the writes that joined by then). */
  function upsertRecords(table: string, key: string, records: () => readonly Fields[], deadline: number): Promise<void> {
    const options = { performUpsert: { fieldsToMergeOn: [key] }, typecast: true };
    return withRetry(deadline, (base) => base(table).update(records().map((fields) => ({ fields })) as never, options as never)).then(() => undefined);
  }

  async function upsert(table: string, key: string, fields: Fields, deadline: number): Promise<void> {
    if (!pace) return upsertRecords(table, key, () => [fields], deadline);
    try {
      await pace.batcher.join(`upsert ${table}`, fields, deadline, (take) =>
        upsertRecords(table, key, () => mergedByKey(take(), key), deadline).catch((error: unknown) => {
          // 422 is Airtable refusing a record's values (an unknown field, a bad option): each write goes
          // again alone, so a bad record keeps only itself out. Other refusals are the request's own.
          const refusedForARecord = (error as { statusCode?: number }).statusCode === 422 && take().length > 1;
          throw refusedForARecord ? new RefusedTogether(error) : error;
        }),
      );
    } catch (error) {
      if (!(error instanceof RefusedTogether)) throw error;
      await upsertRecords(table, key, () => [fields], deadline);
    }
  }

  return { withRetry, select, once, selectAll, upsert, selectFor };
}
