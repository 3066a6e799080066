// The base description the sandbox's Airtable emulator serves (and airtable:setup creates) must name
// exactly SPEC §3's tables, fields and select options: the emulator answers 422 UNKNOWN_FIELD_NAME for
// any other field, so our tests catch a write to a field a user's base does not have only while this
// list is SPEC's own. The names below are copied from SPEC §3, not from the code.
import { BASE_SCHEMA } from '../../src/assets/core/base-schema.private';

const SPEC_FIELDS: Record<string, string[]> = {
  Lines: [
    'Name', 'Phone Number', 'Greeting', 'Language', 'Voice', 'Timezone', 'Business Hours', 'Holidays',
    'Fallback Transfer Number', 'More Agent Numbers', 'Ring Strategy', 'Ring Seconds', 'Transfer Method', 'SIP URI', 'Live Transfer', 'Phone Callback', 'Scheduled Callback',
    'Text Link', 'Email Contact', 'Record Agent Leg', 'Recording Notice', 'Agent Must Accept', 'Support Link',
    'Support Number', 'Callback Slot Minutes', 'Callback Slot Capacity', 'Callback Days Ahead', 'Callback Max Attempts',
    'Voicemail', 'Voicemail Max Seconds', 'Voicemail Email',
  ],
  Contacts: ['Name', 'Phone', 'Callback Number', 'Email', 'Do Not Contact', 'Last Interaction'],
  Callbacks: [
    'Line', 'Contact', 'Phone', 'Kind', 'Scheduled For', 'Status', 'Attempts', 'Next Attempt At', 'Origin Call SID',
    'Callback Call SID', 'Reminder SID', 'Reason', 'Voicemail URL',
  ],
  Calls: [
    'Call SID', 'Line', 'From', 'Contact', 'Started At', 'Reason', 'Offered', 'Chosen', 'Bot Log', 'Outcome',
    'Transfer Method', 'Agent Call SID', 'Agent Number', 'Voicemail URL', 'Voicemail Transcript', 'Recording SID', 'Recording URL', 'Transcript', 'Wrap-up Notes', 'Case Number',
    'Sent', 'Duration',
  ],
};

const SPEC_CHOICES: [table: string, field: string, choices: string[]][] = [
  ['Lines', 'Language', ['en-US', 'es-US']],
  ['Lines', 'Transfer Method', ['Bridge', 'SIP REFER']],
  ['Lines', 'Ring Strategy', ['In Order', 'Simultaneous']],
  ['Callbacks', 'Kind', ['Now', 'Scheduled', 'Voicemail']],
  ['Callbacks', 'Status', ['Queued', 'Booked', 'Dialing', 'Connected', 'Retry', 'Failed', 'Cancelled']],
  ['Calls', 'Transfer Method', ['Bridge', 'SIP REFER']],
];

test('describes exactly the tables and fields SPEC §3 names', () => {
  const described = Object.fromEntries(BASE_SCHEMA.map((t) => [t.name, t.fields.map((f) => f.name).sort()]));
  const spec = Object.fromEntries(Object.entries(SPEC_FIELDS).map(([table, fields]) => [table, [...fields].sort()]));
  expect(described).toEqual(spec);
});

test.each(SPEC_CHOICES)('offers only SPEC\'s options for %s.%s', (table, field, choices) => {
  const described = BASE_SCHEMA.find((t) => t.name === table)?.fields.find((f) => f.name === field);
  expect(described).toMatchObject({ type: 'singleSelect' });
  expect([...(described?.choices ?? [])].sort()).toEqual([...choices].sort());
});
