// What Airtable stores when a client writes a value into a field: the type check (422 without
// `typecast`), the string conversions `typecast: true` performs, and which values clear the cell.
import { AirtableApiError } from './api-error';
import { parseIsoDateTime } from './iso-date-time';
import { isTextFieldType, type FieldSchema } from './schema';

/** A non-empty cell. Empty cells are not stored at all, so they never appear in an answer. */
export type CellValue = string | number | boolean;

export interface WrittenCell {
  /** undefined: the cell is cleared. */
  readonly value: CellValue | undefined;
  /** A select option `typecast` adds to the field. */
  readonly newChoice?: string;
}

const CLEARED: WrittenCell = { value: undefined };
const TRUE_TEXT = new Set(['true', '1', 'yes', 'y', 'on', 'checked']);
const FALSE_TEXT = new Set(['false', '0', 'no', 'n', 'off', 'unchecked']);

/** Airtable's answer to a select value that is not an option, when it may not add one (its own wording, doubled quotes included). */
export function insufficientPermissionsForChoice(name: string): AirtableApiError {
  return new AirtableApiError(422, 'INVALID_MULTIPLE_CHOICE_OPTIONS', `Insufficient permissions to create new select option ""${name}""`);
}

export function writeCell(field: FieldSchema, raw: unknown, typecast: boolean): WrittenCell {
  // null, '' and [] clear any field; false clears a checkbox (below).
  if (raw === null || raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0)) return CLEARED;
  const rejected = () => new AirtableApiError(422, 'INVALID_VALUE_FOR_COLUMN', `Field ${JSON.stringify(field.name)} cannot accept the provided value`);

  if (isTextFieldType(field.type)) {
    if (typeof raw === 'string') return { value: raw };
    if (typecast && (typeof raw === 'number' || typeof raw === 'boolean')) return { value: String(raw) };
    throw rejected();
  }
  switch (field.type) {
    case 'number': {
      if (typeof raw === 'number' && Number.isFinite(raw)) return { value: raw };
      const text = typecast && typeof raw === 'string' ? raw.trim().replace(/,/g, '') : undefined;
      if (text === '') return CLEARED;
      if (text !== undefined && /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return { value: Number(text) };
      throw rejected();
    }
    case 'checkbox': {
      if (typeof raw === 'boolean') return raw ? { value: true } : CLEARED;
      if (typecast && typeof raw === 'string') {
        const text = raw.trim().toLowerCase();
        if (TRUE_TEXT.has(text)) return { value: true };
        if (FALSE_TEXT.has(text) || text === '') return CLEARED;
      }
      if (typecast && typeof raw === 'number') return raw !== 0 ? { value: true } : CLEARED;
      throw rejected();
    }
    case 'dateTime': {
      const date = typeof raw === 'string' ? parseIsoDateTime(raw) : undefined;
      if (date) return { value: date.toISOString() };
      throw rejected();
    }
    case 'singleSelect': {
      if (typeof raw !== 'string' && !(typecast && typeof raw === 'number')) throw rejected();
      const name = typecast ? String(raw).trim() : (raw as string);
      if (name === '') return CLEARED;
      if (field.choices?.includes(name)) return { value: name };
      if (typecast) return { value: name, newChoice: name };
      throw insufficientPermissionsForChoice(name);
    }
  }
  throw rejected();
}
