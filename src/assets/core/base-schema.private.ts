// The tables and fields of the business's base (SPEC §3) with Airtable's own field type names: the
// ONE description that `npm run airtable:setup` creates, `npm run airtable:doctor` checks, and the
// sandbox's Airtable emulator serves. Pure data; names are the contract the Functions read and write.
// Fields added after the first release go at the end of their table, so the emulator's field ids stay put.

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

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  /** singleSelect only: the options, in the order Airtable sorts by. */
  readonly choices?: readonly string[];
  /** number only: digits after the decimal point. */
  readonly precision?: number;
}

export interface TableSpec {
  readonly name: string;
  /** The first field is the primary field, as in Airtable. */
  readonly fields: readonly FieldSpec[];
}

export const LANGUAGE_CHOICES = ['en-US', 'es-US'] as const;
export const TRANSFER_METHOD_CHOICES = ['Bridge', 'SIP REFER'] as const;
export const CALLBACK_KIND_CHOICES = ['Now', 'Scheduled', 'Voicemail'] as const;
export const RING_STRATEGY_CHOICES = ['In Order', 'Simultaneous'] as const;
export const CALLBACK_STATUS_CHOICES = ['Queued', 'Booked', 'Dialing', 'Connected', 'Retry', 'Failed', 'Cancelled'] as const;

type Column = readonly [name: string, type: FieldType, choices?: readonly string[]];

function table(name: string, columns: readonly Column[]): TableSpec {
  const fields = columns.map(([fieldName, type, choices]): FieldSpec => {
    if (type === 'singleSelect') return { name: fieldName, type, choices: choices ?? [] };
    if (type === 'number') return { name: fieldName, type, precision: 0 };
    return { name: fieldName, type };
  });
  return { name, fields };
}

export const BASE_SCHEMA: readonly TableSpec[] = [
  table('Lines', [
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
    ['More Agent Numbers', 'singleLineText'],
    ['Ring Strategy', 'singleSelect', RING_STRATEGY_CHOICES],
    ['Ring Seconds', 'number'],
    ['Voicemail', 'checkbox'],
    ['Voicemail Max Seconds', 'number'],
    ['Voicemail Email', 'email'],
  ]),
  table('Contacts', [
    ['Name', 'singleLineText'],
    ['Phone', 'phoneNumber'],
    ['Callback Number', 'phoneNumber'],
    ['Email', 'email'],
    ['Do Not Contact', 'checkbox'],
    ['Last Interaction', 'dateTime'],
  ]),
  table('Callbacks', [
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
    ['Voicemail URL', 'url'],
  ]),
  table('Calls', [
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
    ['Agent Number', 'phoneNumber'],
    ['Voicemail URL', 'url'],
    ['Voicemail Transcript', 'multilineText'],
  ]),
];

/** Field types whose cell value is a plain string: the Functions read any of them the same way. */
export function isTextFieldType(type: string): boolean {
  return type === 'singleLineText' || type === 'multilineText' || type === 'phoneNumber' || type === 'email' || type === 'url';
}
