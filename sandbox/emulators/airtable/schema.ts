// The emulator's base: the project's one schema (src/assets/core/base-schema) with fixed fake ids in
// Airtable's shape (prefix + 14 characters), so tests see stable table and field ids.
import { BASE_SCHEMA, type FieldSpec, type FieldType, type TableSpec } from '../../../src/assets/core/base-schema.private';

export {
  CALLBACK_KIND_CHOICES,
  CALLBACK_STATUS_CHOICES,
  LANGUAGE_CHOICES,
  TRANSFER_METHOD_CHOICES,
  isTextFieldType,
} from '../../../src/assets/core/base-schema.private';
export type { FieldType } from '../../../src/assets/core/base-schema.private';

export interface FieldSchema extends FieldSpec {
  readonly id: string;
  readonly type: FieldType;
}

export interface TableSchema {
  readonly id: string;
  readonly name: string;
  /** The first field is the primary field, as in Airtable. */
  readonly fields: readonly FieldSchema[];
}

const TABLE_IDS: Readonly<Record<string, string>> = {
  Lines: 'tblLinesIvrEsc001',
  Contacts: 'tblContactsIvrE02',
  Callbacks: 'tblCallbacksIvr03',
  Calls: 'tblCallsIvrEsc004',
};

/** `spec` with ids: "fld" + the table id's 11-character tail + a 3-digit index (17 characters, unique in the base). */
export function withIds(id: string, spec: TableSpec): TableSchema {
  return { id, name: spec.name, fields: spec.fields.map((field, index) => ({ ...field, id: `fld${id.slice(6)}${String(index).padStart(3, '0')}` })) };
}

export const AIRTABLE_SCHEMA: readonly TableSchema[] = BASE_SCHEMA.map((spec) => withIds(TABLE_IDS[spec.name], spec));

/** A table by name or by id, as the Airtable URL path accepts both. */
export function findTableSchema(schema: readonly TableSchema[], nameOrId: string): TableSchema | undefined {
  return schema.find((t) => t.name === nameOrId || t.id === nameOrId);
}
