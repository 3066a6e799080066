// What `airtable:setup` must add to a base so it holds the project's schema, and what it leaves
// alone. Pure: it compares the expected schema with the base's (as the Metadata API lists it).
// Setup only ever adds: a user's tables, fields and rows are never changed or deleted.
import { isTextFieldType, type FieldSpec, type TableSpec } from '../../src/assets/core/base-schema.private';
import type { FieldConfig, MetaField, MetaTable } from './meta-client';

export interface FieldToAdd {
  readonly table: MetaTable;
  readonly field: FieldSpec;
}

/** A field that exists but not as the project expects it; setup leaves it, the doctor reports it. */
export interface FieldMismatch {
  readonly table: string;
  readonly field: string;
  readonly problem: 'wrong-type' | 'compatible-type' | 'missing-choices' | 'name-case';
  readonly expected: string;
  readonly actual: string;
}

export interface SchemaPlan {
  readonly tablesToCreate: readonly TableSpec[];
  readonly fieldsToAdd: readonly FieldToAdd[];
  /** Tables already complete, by name. */
  readonly complete: readonly string[];
  readonly mismatches: readonly FieldMismatch[];
}

const lower = (s: string) => s.toLowerCase();

export function planSchema(expected: readonly TableSpec[], actual: readonly MetaTable[]): SchemaPlan {
  const tablesToCreate: TableSpec[] = [];
  const fieldsToAdd: FieldToAdd[] = [];
  const complete: string[] = [];
  const mismatches: FieldMismatch[] = [];
  for (const spec of expected) {
    const table = actual.find((t) => t.name === spec.name);
    if (!table) {
      const otherCase = actual.find((t) => lower(t.name) === lower(spec.name));
      if (otherCase) mismatches.push({ table: spec.name, field: '', problem: 'name-case', expected: spec.name, actual: otherCase.name });
      else tablesToCreate.push(spec);
      continue;
    }
    let missing = 0;
    for (const field of spec.fields) {
      const existing = table.fields.find((f) => f.name === field.name);
      if (existing) {
        mismatches.push(...compareField(spec.name, field, existing));
        continue;
      }
      const otherCase = table.fields.find((f) => lower(f.name) === lower(field.name));
      if (otherCase) {
        mismatches.push({ table: spec.name, field: field.name, problem: 'name-case', expected: field.name, actual: otherCase.name });
        continue;
      }
      fieldsToAdd.push({ table, field });
      missing++;
    }
    if (missing === 0) complete.push(spec.name);
  }
  return { tablesToCreate, fieldsToAdd, complete, mismatches };
}

function compareField(table: string, expected: FieldSpec, actual: MetaField): FieldMismatch[] {
  if (actual.type !== expected.type) {
    // Text-like types hold the same strings; the Functions read them alike.
    const problem = isTextFieldType(expected.type) && isTextFieldType(actual.type) ? 'compatible-type' : 'wrong-type';
    return [{ table, field: expected.name, problem, expected: expected.type, actual: actual.type }];
  }
  if (expected.type === 'singleSelect') {
    const have = new Set(((actual.options?.choices ?? []) as { name?: string }[]).map((c) => c.name));
    const lacking = (expected.choices ?? []).filter((c) => !have.has(c));
    if (lacking.length) return [{ table, field: expected.name, problem: 'missing-choices', expected: lacking.join(', '), actual: [...have].join(', ') }];
  }
  return [];
}

/** The Metadata API write format for a field of the schema. */
export function fieldConfig(field: FieldSpec): FieldConfig {
  switch (field.type) {
    case 'checkbox':
      return { name: field.name, type: field.type, options: { color: 'greenBright', icon: 'check' } };
    case 'number':
      return { name: field.name, type: field.type, options: { precision: field.precision ?? 0 } };
    case 'singleSelect':
      return { name: field.name, type: field.type, options: { choices: (field.choices ?? []).map((name) => ({ name })) } };
    case 'dateTime':
      // Stored as UTC instants; shown in ISO so a glance at the base matches the logs.
      return {
        name: field.name,
        type: field.type,
        options: {
          timeZone: 'utc',
          // Both name and format, which must agree: valid whether Airtable reads one or the other.
          dateFormat: { name: 'iso', format: 'YYYY-MM-DD' },
          timeFormat: { name: '24hour', format: 'HH:mm' },
        },
      };
    default:
      return { name: field.name, type: field.type };
  }
}
