// GET /v0/meta/bases/{baseId}/tables: the base's schema in the shape of Airtable's metadata API,
// so a setup check can compare a base with the fields the project expects.
import type { MutableField, RecordStore } from './record-store';

export function describeTables(store: RecordStore): unknown {
  return {
    tables: store.tableNames().map((name) => {
      const table = store.table(name);
      return { id: table.id, name: table.name, primaryFieldId: table.fields[0].id, fields: table.fields.map(describeField) };
    }),
  };
}

function describeField(field: MutableField): unknown {
  const { id, name, type } = field;
  switch (type) {
    case 'singleSelect':
      return { id, name, type, options: { choices: (field.choices ?? []).map((choice) => ({ name: choice })) } };
    case 'number':
      return { id, name, type, options: { precision: field.precision ?? 0 } };
    case 'checkbox':
      return { id, name, type, options: { icon: 'check', color: 'greenBright' } };
    case 'dateTime':
      return {
        id,
        name,
        type,
        options: { timeZone: 'utc', dateFormat: { name: 'iso', format: 'YYYY-MM-DD' }, timeFormat: { name: '24hour', format: 'HH:mm' } },
      };
    default:
      return { id, name, type };
  }
}
