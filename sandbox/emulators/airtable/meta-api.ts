// Airtable's Metadata API, the three routes a base-setup tool needs, in Airtable's request and
// response shapes (airtable.com/developers/web/api: list tables, create table, create field):
//
//   GET  /v0/meta/bases/{baseId}/tables                      → { tables: [Table model] }
//   POST /v0/meta/bases/{baseId}/tables                      { name, description?, fields: [Field config] } → Table model
//   POST /v0/meta/bases/{baseId}/tables/{tableId}/fields     { name, type, description?, options? } → Field model
//
// Field configs use Airtable's write format: checkbox needs options { color, icon }, number { precision },
// singleSelect { choices: [{ name, color? }] }, dateTime { timeZone, dateFormat: { name }, timeFormat: { name } };
// text-like types take no options. A bad config is Airtable's generic 422. Field types this emulator
// cannot store (date, multipleSelects, currency...) are refused explicitly rather than half-modelled.
// Create field takes the table's id only, as Airtable documents it.
import { IANAZone } from 'luxon';
import { AirtableApiError, invalidRequest } from './api-error';
import type { MutableField, NewField, RecordStore, TableState } from './record-store';
import type { FieldType } from './schema';

const EMULATED_TYPES: readonly FieldType[] = ['singleLineText', 'multilineText', 'phoneNumber', 'email', 'url', 'number', 'checkbox', 'dateTime', 'singleSelect'];
/** Of the emulated types, those Airtable accepts as a table's primary (first) field. */
const PRIMARY_TYPES: readonly FieldType[] = ['singleLineText', 'multilineText', 'phoneNumber', 'email', 'url', 'number', 'dateTime'];
const CHECKBOX_COLORS = ['greenBright', 'tealBright', 'cyanBright', 'blueBright', 'purpleBright', 'pinkBright', 'redBright', 'orangeBright', 'yellowBright', 'grayBright'];
const CHECKBOX_ICONS = ['check', 'xCheckbox', 'star', 'heart', 'thumbsUp', 'flag', 'dot'];
const DATE_FORMATS: Readonly<Record<string, string>> = { local: 'l', friendly: 'LL', us: 'M/D/YYYY', european: 'D/M/YYYY', iso: 'YYYY-MM-DD' };
const TIME_FORMATS: Readonly<Record<string, string>> = { '12hour': 'h:mma', '24hour': 'HH:mm' };

export interface MetaRequest {
  readonly method: string;
  /** Path segments after /v0/meta. */
  readonly path: readonly string[];
  readonly body: unknown;
}

/** The answer to a Metadata API request, or a thrown AirtableApiError. */
export function handleMetaRequest(store: RecordStore, request: MetaRequest): unknown {
  const [bases, baseId, tables, tableId, fields, ...extra] = request.path;
  const route = `${request.method} ${[bases, tables, fields].filter(Boolean).join('/')}`;
  if (bases !== 'bases' || tables !== 'tables' || extra.length > 0 || (tableId !== undefined && fields !== 'fields')) throw notFound();
  if (baseId !== store.baseId) throw notFound();
  switch (route) {
    case 'GET bases/tables':
      if (tableId !== undefined) throw notFound();
      return describeTables(store);
    case 'POST bases/tables':
      if (tableId !== undefined) throw notFound();
      return createTable(store, request.body);
    case 'POST bases/tables/fields': {
      const table = store.tableNames().map((name) => store.table(name)).find((t) => t.id === tableId);
      if (!table) throw notFound();
      return describeField(store.addField(table, fieldConfig(request.body)));
    }
  }
  throw notFound();
}

export function describeTables(store: RecordStore): unknown {
  return { tables: store.tableNames().map((name) => describeTable(store.table(name))) };
}

function describeTable(table: TableState): unknown {
  return {
    id: table.id,
    name: table.name,
    primaryFieldId: table.fields[0]?.id,
    fields: table.fields.map(describeField),
    // Airtable creates one grid view with every table; the emulator has no others.
    views: [{ id: `viw${table.id.slice(3)}`, name: 'Grid view', type: 'grid' }],
  };
}

/** A field in the Metadata API's read format. */
function describeField(field: MutableField): unknown {
  const { id, name, type } = field;
  switch (type) {
    case 'singleSelect':
      return { id, name, type, options: { choices: (field.choices ?? []).map((choice, index) => ({ id: choiceId(field, index), name: choice })) } };
    case 'number':
      return { id, name, type, options: { precision: field.precision ?? 0 } };
    case 'checkbox':
      return { id, name, type, options: field.options ?? { icon: 'check', color: 'greenBright' } };
    case 'dateTime':
      return { id, name, type, options: field.options ?? dateTimeOptions('utc', 'iso', '24hour') };
    default:
      return { id, name, type };
  }
}

function createTable(store: RecordStore, body: unknown): unknown {
  const request = asObject(body, 'the request body');
  const name = nonEmptyString(request.name, 'name');
  if (!Array.isArray(request.fields) || request.fields.length === 0) throw invalidRequest('a table needs at least one field');
  const fields = request.fields.map((config) => fieldConfig(config));
  if (!PRIMARY_TYPES.includes(fields[0].type)) throw invalidRequest(`${fields[0].type} cannot be a primary field`);
  return describeTable(store.addTable(name, fields));
}

/** A Field config (write format) checked the way Airtable checks it; a duplicate name is the store's 422. */
function fieldConfig(body: unknown): NewField {
  const config = asObject(body, 'a field');
  const name = nonEmptyString(config.name, 'name');
  const type = config.type;
  if (typeof type !== 'string') throw invalidRequest(`field ${JSON.stringify(name)} has no type`);
  if (!EMULATED_TYPES.includes(type as FieldType)) {
    throw new AirtableApiError(422, 'INVALID_REQUEST_UNKNOWN', `The sandbox's Airtable emulator does not model field type ${JSON.stringify(type)}`);
  }
  const options = config.options;
  const bad = (detail: string) => invalidRequest(`field ${JSON.stringify(name)} (${type}): ${detail}`);
  switch (type as FieldType) {
    case 'checkbox': {
      const o = asObject(options, 'checkbox options { color, icon }');
      if (!CHECKBOX_COLORS.includes(o.color as string) || !CHECKBOX_ICONS.includes(o.icon as string)) throw bad('options need a known color and icon');
      return { name, type: 'checkbox', options: { color: o.color, icon: o.icon } };
    }
    case 'number': {
      const precision = asObject(options, 'number options { precision }').precision;
      if (!Number.isInteger(precision) || (precision as number) < 0 || (precision as number) > 8) throw bad('options.precision is an integer from 0 to 8');
      return { name, type: 'number', precision: precision as number };
    }
    case 'singleSelect': {
      const choices = asObject(options, 'singleSelect options { choices }').choices;
      if (!Array.isArray(choices)) throw bad('options.choices is a list');
      const names = choices.map((choice) => nonEmptyString(asObject(choice, 'a choice').name, 'choice name'));
      if (new Set(names).size !== names.length) throw bad('choice names are unique');
      return { name, type: 'singleSelect', choices: names };
    }
    case 'dateTime': {
      const o = asObject(options, 'dateTime options { timeZone, dateFormat, timeFormat }');
      const timeZone = o.timeZone;
      const date = asObject(o.dateFormat, 'options.dateFormat');
      const time = asObject(o.timeFormat, 'options.timeFormat');
      const dateFormat = date.name as string;
      const timeFormat = time.name as string;
      if (typeof timeZone !== 'string' || !(timeZone === 'utc' || timeZone === 'client' || IANAZone.isValidZone(timeZone))) throw bad('options.timeZone is utc, client or an IANA zone');
      if (!(dateFormat in DATE_FORMATS) || !(timeFormat in TIME_FORMATS)) throw bad('unknown dateFormat or timeFormat name');
      // A format, when given too, must be the one its name stands for.
      if ((date.format !== undefined && date.format !== DATE_FORMATS[dateFormat]) || (time.format !== undefined && time.format !== TIME_FORMATS[timeFormat])) {
        throw bad('dateFormat/timeFormat format does not match its name');
      }
      return { name, type: 'dateTime', options: dateTimeOptions(timeZone, dateFormat, timeFormat) };
    }
    default:
      if (options !== undefined) throw bad('this type takes no options');
      return { name, type: type as FieldType };
  }
}

function dateTimeOptions(timeZone: string, dateFormat: string, timeFormat: string) {
  return {
    timeZone,
    dateFormat: { name: dateFormat, format: DATE_FORMATS[dateFormat] },
    timeFormat: { name: timeFormat, format: TIME_FORMATS[timeFormat] },
  };
}

/** "sel" + 14 characters, stable for a field's nth choice. */
function choiceId(field: MutableField, index: number): string {
  return `sel${field.id.slice(3, 14)}${String(index).padStart(3, '0')}`;
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidRequest(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function nonEmptyString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalidRequest(`${what} must be a non-empty string`);
  return value;
}

const notFound = () => new AirtableApiError(404, 'NOT_FOUND', 'Could not find what you are looking for');
