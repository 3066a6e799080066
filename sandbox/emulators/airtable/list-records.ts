// Listing records: the parameters of GET /v0/{base}/{table} and POST .../listRecords, the formula
// filter, sorting, `fields` projection and offset paging.
// An offset names a server-side snapshot of the matching ids ("itr…/rec…"), as Airtable's does,
// so pages stay consistent while other requests write, and a stale or made-up offset is a 422.
import { AirtableApiError, invalidFormula, invalidRequest } from './api-error';
import type { CellValue } from './cell-values';
import { FormulaError, parseFormula, type FormulaRecord, type FormulaValue } from './formula';
import { newId, type MutableField, type RecordStore, type StoredRecord, type TableState } from './record-store';

export interface ListParams {
  readonly filterByFormula?: string;
  readonly maxRecords?: number;
  readonly pageSize: number;
  readonly offset?: string;
  readonly sort: readonly { readonly field: string; readonly direction: 'asc' | 'desc' }[];
  readonly fields?: readonly string[];
  readonly commentCount: boolean;
}

export interface ApiRecord {
  readonly id: string;
  readonly createdTime: string;
  readonly fields: Record<string, CellValue>;
  readonly commentCount?: number;
}

export interface ListPage {
  readonly records: ApiRecord[];
  readonly offset?: string;
}

const MAX_PAGE_SIZE = 100;
const KNOWN_PARAMS = new Set([
  'filterByFormula',
  'maxRecords',
  'pageSize',
  'offset',
  'sort',
  'fields',
  'view',
  'cellFormat',
  'timeZone',
  'userLocale',
  // airtable.js copies its own `method: 'post'` option into the POST body.
  'method',
  'returnFieldsByFieldId',
  'recordMetadata',
]);

/**
 * List parameters from a parsed query string (numbers arrive as text) or a JSON body.
 * `view` is accepted and ignored: the emulator has no views, and a user's base may name its own.
 */
export function readListParams(raw: Readonly<Record<string, unknown>>): ListParams {
  for (const key of Object.keys(raw)) if (!KNOWN_PARAMS.has(key)) throw invalidRequest(`unknown parameter ${JSON.stringify(key)}`);
  const { filterByFormula, offset, cellFormat, returnFieldsByFieldId } = raw;
  if (filterByFormula !== undefined && typeof filterByFormula !== 'string') throw invalidRequest('filterByFormula must be a string');
  if (offset !== undefined && typeof offset !== 'string') throw invalidRequest('offset must be a string');
  if (cellFormat !== undefined && cellFormat !== 'json') throw invalidRequest('the emulator answers cellFormat=json only');
  if (returnFieldsByFieldId !== undefined && String(returnFieldsByFieldId) !== 'false') {
    throw invalidRequest('the emulator does not support returnFieldsByFieldId');
  }
  const pageSize = positiveInteger(raw.pageSize, 'pageSize') ?? MAX_PAGE_SIZE;
  if (pageSize > MAX_PAGE_SIZE) throw invalidRequest(`pageSize must be at most ${MAX_PAGE_SIZE}`);
  return {
    filterByFormula: filterByFormula?.trim() ? filterByFormula : undefined,
    maxRecords: positiveInteger(raw.maxRecords, 'maxRecords'),
    pageSize,
    offset: offset || undefined,
    sort: readSort(raw.sort),
    fields: raw.fields === undefined ? undefined : stringList(raw.fields, 'fields'),
    commentCount: raw.recordMetadata !== undefined && stringList(raw.recordMetadata, 'recordMetadata').includes('commentCount'),
  };
}

function positiveInteger(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw invalidRequest(`${name} must be a positive integer`);
  return n;
}

function stringList(value: unknown, name: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v): v is string => typeof v === 'string')) throw invalidRequest(`${name} must be a list of strings`);
  return list;
}

function readSort(value: unknown): ListParams['sort'] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidRequest('sort must be a list of {field, direction}');
  return value.map((entry: unknown) => {
    const { field, direction = 'asc' } = (entry ?? {}) as { field?: unknown; direction?: unknown };
    if (typeof field !== 'string' || (direction !== 'asc' && direction !== 'desc')) {
      throw invalidRequest('each sort entry needs a field and a direction of asc or desc');
    }
    return { field, direction };
  });
}

interface Iterator {
  readonly table: string;
  readonly ids: readonly string[];
  readonly createdAt: number;
}

/** Airtable lets an iterator expire; keep snapshots only as long as a slow pager could need them. */
const ITERATOR_TTL_MS = 10 * 60_000;
const MAX_ITERATORS = 500;

export class RecordLister {
  private iterators = new Map<string, Iterator>();

  constructor(private readonly store: RecordStore) {}

  clear(): void {
    this.iterators.clear();
  }

  list(table: TableState, params: ListParams): ListPage {
    const projection = params.fields?.map((name) => this.store.field(table, name).name);
    const sortFields = params.sort.map((s) => ({ field: this.store.field(table, s.field), sign: s.direction === 'asc' ? 1 : -1 }));

    let ids: readonly string[];
    let start = 0;
    let iteratorId: string;
    if (params.offset) {
      ({ ids, start, iteratorId } = this.resume(table, params.offset));
    } else {
      const matching = this.matching(table, params.filterByFormula);
      if (sortFields.length) {
        matching.sort((a, b) => {
          for (const { field, sign } of sortFields) {
            const order = compareCells(field, a.fields[field.name], b.fields[field.name]);
            if (order !== 0) return order * sign;
          }
          return 0; // Array.prototype.sort is stable: ties keep creation order.
        });
      }
      ids = matching.slice(0, params.maxRecords ?? matching.length).map((r) => r.id);
      iteratorId = newId('itr');
    }

    const end = start + params.pageSize;
    const records = ids
      .slice(start, end)
      .map((id) => table.records.get(id))
      .filter((r): r is StoredRecord => r !== undefined) // deleted since the first page
      .map((r) => toApiRecord(r, projection, params.commentCount));
    if (end >= ids.length) return { records };
    this.remember(iteratorId, { table: table.name, ids, createdAt: Date.now() });
    return { records, offset: `${iteratorId}/${ids[end]}` };
  }

  private matching(table: TableState, formulaText: string | undefined): StoredRecord[] {
    const all = [...table.records.values()];
    if (formulaText === undefined) return all;
    let formula;
    try {
      formula = parseFormula(formulaText);
    } catch (error) {
      if (error instanceof FormulaError) throw invalidFormula(`Invalid formula. Please check your formula text. (${error.message})`);
      throw error;
    }
    const unknown = formula.fieldNames.filter((name) => !table.fields.some((f) => f.name === name));
    if (unknown.length) throw invalidFormula(`Unknown field names: ${unknown.join(', ')}`);
    return all.filter((record) => formula.matches(formulaRecord(table, record)));
  }

  private resume(table: TableState, offset: string): { ids: readonly string[]; start: number; iteratorId: string } {
    const [iteratorId, recordId] = offset.split('/');
    const iterator = this.iterators.get(iteratorId);
    const start = iterator && iterator.table === table.name ? iterator.ids.indexOf(recordId) : -1;
    if (!iterator || start < 0 || Date.now() - iterator.createdAt > ITERATOR_TTL_MS) {
      throw new AirtableApiError(422, 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE', 'The list records iterator is not available. Start over without an offset.');
    }
    return { ids: iterator.ids, start, iteratorId };
  }

  private remember(id: string, iterator: Iterator): void {
    this.iterators.delete(id);
    this.iterators.set(id, iterator);
    for (const [oldId, old] of this.iterators) {
      if (this.iterators.size <= MAX_ITERATORS && Date.now() - old.createdAt <= ITERATOR_TTL_MS) break;
      this.iterators.delete(oldId);
    }
  }
}

export function toApiRecord(record: StoredRecord, projection: readonly string[] | undefined, commentCount: boolean): ApiRecord {
  const fields = projection
    ? Object.fromEntries(projection.filter((name) => name in record.fields).map((name) => [name, record.fields[name]]))
    : { ...record.fields };
  const base = { id: record.id, createdTime: record.createdTime, fields };
  return commentCount ? { ...base, commentCount: 0 } : base;
}

/** A record as a formula sees it: dates as instants, an unchecked checkbox as FALSE(), other empties as BLANK(). */
export function formulaRecord(table: TableState, record: StoredRecord): FormulaRecord {
  return {
    id: record.id,
    field(name): FormulaValue {
      const field = table.fields.find((f) => f.name === name);
      const value = record.fields[name];
      if (field?.type === 'checkbox') return value === true;
      if (value === undefined) return null;
      return field?.type === 'dateTime' ? new Date(value as string) : value;
    },
  };
}

/** Ascending order of two cells of `field`; empty cells first, single selects in option order. */
function compareCells(field: MutableField, a: CellValue | undefined, b: CellValue | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (field.type === 'singleSelect' && field.choices) return field.choices.indexOf(a as string) - field.choices.indexOf(b as string);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  // dateTime cells are normalised ISO strings (all UTC, all with milliseconds): text order is time order.
  if (field.type === 'dateTime') return a < b ? -1 : a > b ? 1 : 0;
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}
