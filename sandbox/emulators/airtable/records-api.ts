// The records endpoints under /v0/{baseId}/{table}: request shapes and answers as airtable.js
// sends and expects them (see node_modules/airtable/lib/table.js and record.js).
import { AirtableApiError, invalidRequest } from './api-error';
import { readListParams, toApiRecord, type RecordLister } from './list-records';
import { MAX_BATCH, type RecordStore, type TableState, type WriteItem, type WriteResult } from './record-store';

export interface RecordsRequest {
  readonly method: string;
  /** Table name or id, decoded. */
  readonly table: string;
  /** What follows the table in the path: a record id, `listRecords`, or nothing. */
  readonly rest?: string;
  /** The query string, parsed into nested objects and arrays the way `qs` builds them. */
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
}

type Json = Record<string, unknown>;

export function handleRecordsRequest(store: RecordStore, lister: RecordLister, req: RecordsRequest): unknown {
  const table = store.table(req.table);
  const { method, rest } = req;
  if (rest === undefined) {
    switch (method) {
      case 'GET':
        return lister.list(table, readListParams(req.query));
      case 'POST':
        return create(store, table, req.body);
      case 'PATCH':
      case 'PUT':
        return updateMany(store, table, req.body, method === 'PUT');
      case 'DELETE':
        return destroyMany(store, table, req.query.records);
    }
  } else if (rest === 'listRecords') {
    if (method === 'POST') return lister.list(table, readListParams(bodyObject(req.body)));
  } else {
    switch (method) {
      case 'GET':
        return toApiRecord(store.find(table, rest), undefined, false);
      case 'PATCH':
      case 'PUT':
        return updateOne(store, table, rest, req.body, method === 'PUT');
      case 'DELETE':
        store.destroy(table, [rest], true);
        return { id: rest, deleted: true };
    }
  }
  throw new AirtableApiError(404, 'NOT_FOUND', 'Could not find what you are looking for', true);
}

function create(store: RecordStore, table: TableState, body: unknown): unknown {
  const json = bodyObject(body);
  allowOnly(json, ['fields', 'records', 'typecast', 'returnFieldsByFieldId']);
  const typecast = readTypecast(json);
  if (json.records !== undefined) {
    const items = readRecords(json.records, 'created', false);
    return { records: store.write(table, items, { typecast, replace: false }).map(output) };
  }
  const [result] = store.write(table, [{ fields: readFields(json) }], { typecast, replace: false });
  return output(result);
}

function updateOne(store: RecordStore, table: TableState, id: string, body: unknown, replace: boolean): unknown {
  const json = bodyObject(body);
  allowOnly(json, ['fields', 'typecast', 'returnFieldsByFieldId']);
  store.find(table, id);
  const [result] = store.write(table, [{ id, fields: readFields(json) }], { typecast: readTypecast(json), replace });
  return output(result);
}

function updateMany(store: RecordStore, table: TableState, body: unknown, replace: boolean): unknown {
  const json = bodyObject(body);
  allowOnly(json, ['records', 'performUpsert', 'typecast', 'returnFieldsByFieldId']);
  const mergeOn = readMergeOn(json.performUpsert);
  const items = readRecords(json.records, 'updated', mergeOn === undefined);
  const results = store.write(table, items, { typecast: readTypecast(json), replace, mergeOn });
  const records = results.map(output);
  if (mergeOn === undefined) return { records };
  return {
    records,
    createdRecords: results.filter((r) => r.created).map((r) => r.record.id),
    updatedRecords: results.filter((r) => !r.created).map((r) => r.record.id),
  };
}

function destroyMany(store: RecordStore, table: TableState, ids: unknown): unknown {
  const list = ids === undefined ? [] : Array.isArray(ids) ? ids : [ids];
  if (list.length === 0) throw invalidRequest('give the ids to delete as records[]');
  checkBatchSize(list.length, 'deleted');
  if (!list.every((id): id is string => typeof id === 'string')) throw invalidRequest('records[] must be record ids');
  return { records: store.destroy(table, list, false).map((id) => ({ id, deleted: true })) };
}

const output = (result: WriteResult) => toApiRecord(result.record, undefined, false);

function bodyObject(body: unknown): Json {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AirtableApiError(422, 'INVALID_REQUEST_BODY', 'Could not parse request body');
  }
  return body as Json;
}

function allowOnly(json: Json, keys: readonly string[]): void {
  const unknown = Object.keys(json).filter((k) => !keys.includes(k));
  if (unknown.length) throw invalidRequest(`unknown parameter ${JSON.stringify(unknown[0])}`);
  if (json.returnFieldsByFieldId === true) throw invalidRequest('the emulator does not support returnFieldsByFieldId');
}

function readTypecast(json: Json): boolean {
  if (json.typecast !== undefined && typeof json.typecast !== 'boolean') throw invalidRequest('typecast must be true or false');
  return json.typecast === true;
}

function readFields(json: Json): Readonly<Record<string, unknown>> {
  const { fields } = json;
  if (fields === undefined) throw new AirtableApiError(422, 'INVALID_REQUEST_MISSING_FIELDS', 'Could not find field "fields" in the request body');
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw invalidRequest('fields must be an object');
  return fields as Record<string, unknown>;
}

function checkBatchSize(count: number, verb: string): void {
  if (count > MAX_BATCH) {
    throw new AirtableApiError(422, 'INVALID_RECORDS', `A maximum of ${MAX_BATCH} records can be ${verb} per request but you have provided ${count}.`);
  }
}

function readRecords(records: unknown, verb: string, idRequired: boolean): WriteItem[] {
  if (!Array.isArray(records) || records.length === 0) {
    throw new AirtableApiError(422, 'INVALID_RECORDS', 'records must be a non-empty list of {fields}');
  }
  checkBatchSize(records.length, verb);
  return records.map((entry: unknown): WriteItem => {
    const json = bodyObject(entry);
    allowOnly(json, verb === 'created' ? ['fields'] : ['id', 'fields']);
    const { id } = json;
    if (id !== undefined && typeof id !== 'string') throw invalidRequest('a record id must be a string');
    if (id === undefined && idRequired) throw new AirtableApiError(422, 'INVALID_RECORDS', 'Each record to update needs an id (or set performUpsert)');
    return { id, fields: readFields(json) };
  });
}

function readMergeOn(performUpsert: unknown): string[] | undefined {
  if (performUpsert === undefined) return undefined;
  const fieldsToMergeOn = (bodyObject(performUpsert) as { fieldsToMergeOn?: unknown }).fieldsToMergeOn;
  if (
    !Array.isArray(fieldsToMergeOn) ||
    fieldsToMergeOn.length < 1 ||
    fieldsToMergeOn.length > 3 ||
    !fieldsToMergeOn.every((f) => typeof f === 'string')
  ) {
    throw invalidRequest('performUpsert.fieldsToMergeOn must list 1 to 3 field names');
  }
  return fieldsToMergeOn as string[];
}
