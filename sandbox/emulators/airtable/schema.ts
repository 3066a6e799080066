// The tables and fields of the business's base (SPEC §3), with Airtable's own field type names so
// the same description can drive the emulator, a base-setup script or a doctor check.
// Table and field ids are fixed fakes in Airtable's shape (prefix + 14 characters).

export type FieldType =
  | 'singleLineText'
  | 'multilineText'
  | 'phoneNumber'
  | 'email'
  | 'url'
  | 'number'
  | 'checkbox'
  | 'dateTime'
  | 'singleSelect';

export interface FieldSchema {
  readonly id: string;
  readonly name: string;
  readonly type: FieldType;
  /** singleSelect only: the options, in the order Airtable sorts by. */
  readonly choices?: readonly string[];
  /** number only: digits after the decimal point. */
  readonly precision?: number;
}

export interface TableSchema {
  readonly id: string;
  readonly name: string;
  /** The first field is the primary field, as in Airtable. */
  readonly fields: readonly FieldSchema[];
}

export const LANGUAGE_CHOICES = ['en-US', 'es-US'] as const;
export const TRANSFER_METHOD_CHOICES = ['Bridge', 'SIP REFER'] as const;
export const CALLBACK_KIND_CHOICES = ['Now', 'Scheduled'] as const;
export const CALLBACK_STATUS_CHOICES = ['Queued', 'Booked', 'Dialing', 'Connected', 'Retry', 'Failed', 'Cancelled'] as const;

type FieldSpec = readonly [name: string, type: FieldType, choices?: readonly string[]];

function table(id: string, name: string, specs: readonly FieldSpec[]): TableSchema {
  const fields = specs.map(([fieldName, type, choices], index): FieldSchema => {
    // "fld" + the table id's 11-character tail + a 3-digit index: 17 characters, unique in the base.
    const fieldId = `fld${id.slice(6)}${String(index).padStart(3, '0')}`;
    if (type === 'singleSelect') return { id: fieldId, name: fieldName, type, choices: choices ?? [] };
    if (type === 'number') return { id: fieldId, name: fieldName, type, precision: 0 };
    return { id: fieldId, name: fieldName, type };
  });
  return { id, name, fields };
}

export const AIRTABLE_SCHEMA: readonly TableSchema[] = [
  table('tblLinesIvrEsc001', 'Lines', [
    ['Name', 'singleLineText'],
    ['Phone Number', 'phoneNumber'],
    ['Greeting', 'multilineText'],
    ['Language', 'singleSelect', LANGUAGE_CHOICES],
    ['Voice', 'singleLineText'],
    ['Timezone', 'singleLineText'],
    ['Business Hours', 'singleLineText'],
    ['Holidays', 'singleLineText'],
    ['Fallback Transfer Number', 'phoneNumber'],
    ['Transfer Method', 'singleSelect', TRANSFER_METHOD_CHOICES],
    ['SIP URI', 'singleLineText'],
    ['Live Transfer', 'checkbox'],
    ['Phone Callback', 'checkbox'],
    ['Scheduled Callback', 'checkbox'],
    ['Text Link', 'checkbox'],
    ['Email Contact', 'checkbox'],
    ['Record Agent Leg', 'checkbox'],
    ['Recording Notice', 'multilineText'],
    ['Agent Must Accept', 'checkbox'],
    ['Support Link', 'url'],
    ['Support Number', 'phoneNumber'],
    ['Callback Slot Minutes', 'number'],
    ['Callback Slot Capacity', 'number'],
    ['Callback Days Ahead', 'number'],
    ['Callback Max Attempts', 'number'],
  ]),
  table('tblContactsIvrE02', 'Contacts', [
    ['Name', 'singleLineText'],
    ['Phone', 'phoneNumber'],
    ['Callback Number', 'phoneNumber'],
    ['Email', 'email'],
    ['Do Not Contact', 'checkbox'],
    ['Last Interaction', 'dateTime'],
  ]),
  table('tblCallbacksIvr03', 'Callbacks', [
    ['Line', 'phoneNumber'],
    ['Contact', 'singleLineText'],
    ['Phone', 'phoneNumber'],
    ['Kind', 'singleSelect', CALLBACK_KIND_CHOICES],
    ['Scheduled For', 'dateTime'],
    ['Status', 'singleSelect', CALLBACK_STATUS_CHOICES],
    ['Attempts', 'number'],
    ['Next Attempt At', 'dateTime'],
    ['Origin Call SID', 'singleLineText'],
    ['Callback Call SID', 'singleLineText'],
    ['Reminder SID', 'singleLineText'],
    ['Reason', 'multilineText'],
  ]),
  table('tblCallsIvrEsc004', 'Calls', [
    ['Call SID', 'singleLineText'],
    ['Line', 'phoneNumber'],
    ['From', 'singleLineText'],
    ['Contact', 'singleLineText'],
    ['Started At', 'dateTime'],
    ['Reason', 'multilineText'],
    ['Offered', 'singleLineText'],
    ['Chosen', 'singleLineText'],
    ['Bot Log', 'multilineText'],
    ['Outcome', 'singleLineText'],
    ['Transfer Method', 'singleSelect', TRANSFER_METHOD_CHOICES],
    ['Agent Call SID', 'singleLineText'],
    ['Recording SID', 'singleLineText'],
    ['Recording URL', 'url'],
    ['Transcript', 'multilineText'],
    ['Wrap-up Notes', 'multilineText'],
    ['Case Number', 'singleLineText'],
    ['Sent', 'multilineText'],
    ['Duration', 'number'],
  ]),
];

/** A table by name or by id, as the Airtable URL path accepts both. */
export function findTableSchema(schema: readonly TableSchema[], nameOrId: string): TableSchema | undefined {
  return schema.find((t) => t.name === nameOrId || t.id === nameOrId);
}

/** Field types whose cell value is a plain string. */
export function isTextFieldType(type: FieldType): boolean {
  return type === 'singleLineText' || type === 'multilineText' || type === 'phoneNumber' || type === 'email' || type === 'url';
}
