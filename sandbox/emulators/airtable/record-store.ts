// The base's records and its (per-emulator) schema, the writes Airtable allows on them, and the
// optional data file that keeps them between `npm start` runs.
// A batch is checked completely before anything changes: Airtable applies all of it or none.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DemoBase } from '../../demo-data';
import { AirtableApiError, invalidRequest, unknownFieldName } from './api-error';
import { insufficientPermissionsForChoice, writeCell, type CellValue } from './cell-values';
import type { FieldType, TableSchema } from './schema';

export interface StoredRecord {
  readonly id: string;
  readonly createdTime: string;
  fields: Record<string, CellValue>;
}

export interface MutableField {
  readonly id: string;
  readonly name: string;
  readonly type: FieldType;
  choices?: string[];
  readonly precision?: number;
  /** Options given at creation through the Metadata API (checkbox icon/colour, date-time formats), in read format. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** A field as the Metadata API creates it: no id yet. */
export type NewField = Omit<MutableField, 'id'>;

export interface TableState {
  readonly id: string;
  readonly name: string;
  readonly fields: MutableField[];
  /** In creation order, which is the default listing order. */
  readonly records: Map<string, StoredRecord>;
}

export interface WriteItem {
  readonly id?: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface WriteOptions {
  readonly typecast: boolean;
  /** PUT: fields the request leaves out are cleared. */
  readonly replace: boolean;
  /** Upsert: match records without an id on these fields. */
  readonly mergeOn?: readonly string[];
}

export interface WriteResult {
  readonly record: StoredRecord;
  readonly created: boolean;
}

interface DataFile {
  readonly tables: Record<string, StoredRecord[]>;
  readonly choices?: Record<string, Record<string, string[]>>;
  /** Tables and fields added through the Metadata API since the emulator's schema (kept across restarts). */
  readonly schema?: readonly { id: string; name: string; fields: MutableField[] }[];
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const MAX_BATCH = 10;

/** Airtable's id shape: a three-letter prefix and 14 alphanumerics. */
export function newId(prefix: string): string {
  return prefix + Array.from(randomBytes(14), (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

/** Airtable's createdTime has whole seconds. */
const nowIso = (): string => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();

export class RecordStore {
  private tables: TableState[] = [];
  /**
   * Whether `typecast` may add an option to a select field, as Airtable lets a base creator's token do.
   * False answers 422 INVALID_MULTIPLE_CHOICE_OPTIONS, as Airtable does for an editor's token.
   */
  newChoicesByTypecast = true;

  constructor(
    private readonly schema: readonly TableSchema[],
    readonly baseId: string,
    private readonly seed: DemoBase,
    private readonly dataFile?: string,
  ) {
    if (dataFile && existsSync(dataFile)) this.load(dataFile);
    else this.reset(seed);
  }

  /** Back to the seed given at start (or to another one, this time only), saved to the data file if any. */
  reset(seed: DemoBase = this.seed): void {
    this.tables = this.emptyTables();
    for (const [tableName, rows] of Object.entries(seed)) {
      if (rows.length === 0) continue; // an empty list needs no table (a base seeded without one)
      const table = this.table(tableName);
      // The seed goes through the same checks as a client's write, so bad demo data fails loudly.
      this.apply(table, rows.map((fields) => ({ fields })), { typecast: false, replace: false });
    }
    this.persist();
  }

  tableNames(): string[] {
    return this.tables.map((t) => t.name);
  }

  /** Metadata API: a new empty table; names are unique in a base, ignoring case. */
  addTable(name: string, fields: readonly NewField[]): TableState {
    if (this.tables.some((t) => t.name.toLowerCase() === name.toLowerCase())) {
      throw new AirtableApiError(422, 'DUPLICATE_TABLE_NAME', `A table named ${JSON.stringify(name)} already exists in this base`);
    }
    const table: TableState = { id: this.unusedSchemaId('tbl'), name, fields: [], records: new Map() };
    for (const field of fields) this.pushField(table, field);
    this.tables.push(table);
    this.persist();
    return table;
  }

  /** Metadata API: a new field at the end of the table; names are unique in a table, ignoring case. */
  addField(table: TableState, field: NewField): MutableField {
    const added = this.pushField(table, field);
    this.persist();
    return added;
  }

  private pushField(table: TableState, field: NewField): MutableField {
    if (field.name.trim() === '' || table.fields.some((f) => f.name.toLowerCase() === field.name.toLowerCase())) {
      throw new AirtableApiError(422, 'DUPLICATE_OR_EMPTY_FIELD_NAME', `Field name ${JSON.stringify(field.name)} is empty or already used in table ${table.name}`);
    }
    const added: MutableField = { ...field, id: this.unusedSchemaId('fld'), choices: field.choices ? [...field.choices] : undefined };
    table.fields.push(added);
    return added;
  }

  private unusedSchemaId(prefix: 'tbl' | 'fld'): string {
    for (;;) {
      const id = newId(prefix);
      if (!this.tables.some((t) => t.id === id || t.fields.some((f) => f.id === id))) return id;
    }
  }

  /** By name or id; 404 TABLE_NOT_FOUND otherwise. */
  table(nameOrId: string): TableState {
    const table = this.tables.find((t) => t.name === nameOrId || t.id === nameOrId);
    if (!table) throw new AirtableApiError(404, 'TABLE_NOT_FOUND', `Could not find table ${nameOrId} in application ${this.baseId}`);
    return table;
  }

  field(table: TableState, name: string): MutableField {
    const field = table.fields.find((f) => f.name === name || f.id === name);
    if (!field) throw unknownFieldName(name);
    return field;
  }

  /** The record, or the bare 404 Airtable answers for a record id it does not know. */
  find(table: TableState, id: string): StoredRecord {
    const record = table.records.get(id);
    if (!record) throw new AirtableApiError(404, 'NOT_FOUND', 'Could not find what you are looking for', true);
    return record;
  }

  write(table: TableState, items: readonly WriteItem[], options: WriteOptions): WriteResult[] {
    const results = this.apply(table, items, options);
    this.persist();
    return results;
  }

  private apply(table: TableState, items: readonly WriteItem[], options: WriteOptions): WriteResult[] {
    const mergeOn = options.mergeOn?.map((name) => this.field(table, name).name);
    const planned = items.map((item) => {
      const { cells, newChoices } = this.checkFields(table, item.fields, options.typecast);
      return { item, cells, newChoices, target: this.target(table, item, cells, mergeOn) };
    });

    return planned.map(({ cells, newChoices, target }): WriteResult => {
      for (const [field, choice] of newChoices) if (!field.choices!.includes(choice)) field.choices!.push(choice);
      const record = target ?? { id: this.unusedId(), createdTime: nowIso(), fields: {} };
      const fields: Record<string, CellValue> = options.replace || !target ? {} : { ...record.fields };
      for (const [name, value] of cells) {
        if (value === undefined) delete fields[name];
        else fields[name] = value;
      }
      record.fields = fields;
      if (!target) table.records.set(record.id, record);
      return { record, created: !target };
    });
  }

  destroy(table: TableState, ids: readonly string[], single: boolean): string[] {
    for (const id of ids) {
      if (table.records.has(id)) continue;
      if (single) this.find(table, id);
      throw new AirtableApiError(422, 'ROW_DOES_NOT_EXIST', `Record ID ${id} does not exist in this table`);
    }
    for (const id of ids) table.records.delete(id);
    this.persist();
    return [...ids];
  }

  /** A deep copy, safe to hand out. */
  snapshot(table: TableState): StoredRecord[] {
    return [...table.records.values()].map((r) => ({ id: r.id, createdTime: r.createdTime, fields: { ...r.fields } }));
  }

  private checkFields(table: TableState, fields: Readonly<Record<string, unknown>>, typecast: boolean) {
    const cells = new Map<string, CellValue | undefined>();
    const newChoices: [MutableField, string][] = [];
    for (const [name, raw] of Object.entries(fields)) {
      const field = this.field(table, name);
      const written = writeCell(field, raw, typecast);
      if (written.newChoice !== undefined && !this.newChoicesByTypecast) throw insufficientPermissionsForChoice(written.newChoice);
      cells.set(field.name, written.value);
      if (written.newChoice !== undefined) newChoices.push([field, written.newChoice]);
    }
    return { cells, newChoices };
  }

  /** The existing record a write goes to; undefined creates one. */
  private target(
    table: TableState,
    item: WriteItem,
    cells: ReadonlyMap<string, CellValue | undefined>,
    mergeOn: readonly string[] | undefined,
  ): StoredRecord | undefined {
    if (item.id !== undefined) {
      const record = table.records.get(item.id);
      if (!record) throw new AirtableApiError(422, 'ROW_DOES_NOT_EXIST', `Record ID ${item.id} does not exist in this table`);
      return record;
    }
    if (!mergeOn) return undefined;
    for (const name of mergeOn) {
      if (cells.get(name) === undefined) throw invalidRequest(`every upserted record needs a value for ${JSON.stringify(name)} (fieldsToMergeOn)`);
    }
    const matches = [...table.records.values()].filter((r) => mergeOn.every((name) => r.fields[name] === cells.get(name)));
    if (matches.length > 1) {
      throw new AirtableApiError(
        422,
        'INVALID_RECORDS',
        `Cannot upsert: ${matches.length} records match the fieldsToMergeOn values (${mergeOn.join(', ')}); at most one may`,
      );
    }
    return matches[0];
  }

  /** Record ids are unique across the base, not just the table. */
  private unusedId(): string {
    for (;;) {
      const id = newId('rec');
      if (!this.tables.some((t) => t.records.has(id))) return id;
    }
  }

  private emptyTables(): TableState[] {
    return this.schema.map((t) => ({
      id: t.id,
      name: t.name,
      fields: t.fields.map((f) => ({ ...f, choices: f.choices ? [...f.choices] : undefined })),
      records: new Map(),
    }));
  }

  private load(file: string): void {
    let data: DataFile;
    try {
      data = JSON.parse(readFileSync(file, 'utf8')) as DataFile;
    } catch (error) {
      // Never overwrite a file we could not read: it may be the user's only copy of their changes.
      throw new Error(`Airtable emulator: cannot read data file ${file}: ${(error as Error).message}`);
    }
    this.tables = this.emptyTables();
    this.addSavedSchema(data.schema ?? []);
    for (const table of this.tables) {
      for (const field of table.fields) {
        const saved = data.choices?.[table.name]?.[field.name];
        if (field.choices && Array.isArray(saved)) field.choices = [...new Set([...field.choices, ...saved])];
      }
      for (const saved of data.tables?.[table.name] ?? []) {
        table.records.set(saved.id, { id: saved.id, createdTime: saved.createdTime, fields: this.readableFields(table, saved.fields) });
      }
    }
  }

  /** Tables and fields a client created through the Metadata API in an earlier run, beside the emulator's own. */
  private addSavedSchema(saved: NonNullable<DataFile['schema']>): void {
    for (const savedTable of saved) {
      let table = this.tables.find((t) => t.name === savedTable.name);
      if (!table) {
        table = { id: savedTable.id, name: savedTable.name, fields: [], records: new Map() };
        this.tables.push(table);
      }
      for (const field of savedTable.fields) {
        if (!table.fields.some((f) => f.name === field.name)) table.fields.push({ ...field });
      }
    }
  }

  /** Saved cells that still fit the schema; a field since removed or retyped is dropped, not fatal. */
  private readableFields(table: TableState, saved: Record<string, unknown> | undefined): Record<string, CellValue> {
    const fields: Record<string, CellValue> = {};
    for (const [name, raw] of Object.entries(saved ?? {})) {
      const field = table.fields.find((f) => f.name === name);
      if (!field) continue;
      try {
        const { value } = writeCell(field, raw, false);
        if (value !== undefined) fields[name] = value;
      } catch {
        // Dropped: see above.
      }
    }
    return fields;
  }

  /** Temp file + rename, so a crash mid-write never leaves half a file. */
  private persist(): void {
    if (!this.dataFile) return;
    const data: DataFile = {
      schema: this.tables.map((t) => ({ id: t.id, name: t.name, fields: t.fields })),
      tables: Object.fromEntries(this.tables.map((t) => [t.name, this.snapshot(t)])),
      choices: Object.fromEntries(
        this.tables.map((t) => [t.name, Object.fromEntries(t.fields.filter((f) => f.choices).map((f) => [f.name, f.choices!]))]),
      ),
    };
    mkdirSync(dirname(this.dataFile), { recursive: true });
    const temp = `${this.dataFile}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(data, null, 2)}\n`);
    renameSync(temp, this.dataFile);
  }
}
