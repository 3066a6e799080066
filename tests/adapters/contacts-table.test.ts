// Contacts writes against the emulator, through the real airtable.js client.
import { DEMO_BASE_ID, DEMO_CALLERS } from '../../sandbox/demo-data';
import { startAirtableEmulator, type AirtableEmulator } from '../../sandbox/emulators/airtable';
import { createAirtableStore } from '../../src/assets/adapters/airtable-store.private';
import { contactNumberWrite, contactsTable } from '../../src/assets/adapters/contacts-table.private';
import { readConfig } from '../../src/assets/shell/config.private';

const API_KEY = 'patTest00000000001.secret';
const NOW = new Date('2026-11-24T15:00:00.000Z');
const KEYED = '+14155550177';
let emulator: AirtableEmulator;

const config = () => readConfig({ AIRTABLE_API_KEY: API_KEY, AIRTABLE_BASE_ID: DEMO_BASE_ID, AIRTABLE_ENDPOINT_URL: emulator.url });
const soon = () => Date.now() + 2000;

beforeAll(async () => {
  emulator = await startAirtableEmulator({ apiKey: API_KEY });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  emulator.faults.clear();
});

test.each([
  ['a known contact gets the keyed number as Callback Number', { contact: { id: 'rec1', phone: DEMO_CALLERS.dana, doNotContact: false } }, { id: 'rec1', fields: { 'Callback Number': KEYED } }],
  ['a number already on file only stamps Last Interaction', { contact: { id: 'rec1', phone: KEYED, doNotContact: false } }, { id: 'rec1', fields: {} }],
  ['an unknown caller with a caller ID: Phone is the caller ID, Callback Number the keyed one', { callerId: DEMO_CALLERS.stranger }, { fields: { Phone: DEMO_CALLERS.stranger, 'Callback Number': KEYED } }],
  ['an anonymous caller: Phone is the keyed number', {}, { fields: { Phone: KEYED } }],
])('%s', (_name, input, expected) => {
  const write = contactNumberWrite({ number: KEYED, now: NOW, ...input });
  expect(write).toEqual({ ...expected, fields: { ...expected.fields, 'Last Interaction': NOW.toISOString() } });
});

test('saving on a known contact updates that row, and the number then finds them', async () => {
  const store = createAirtableStore(config())!;
  const dana = (await store.findContact(DEMO_CALLERS.dana, soon()))!;
  const saved = await contactsTable(config())!.saveContactNumber({ contact: dana, number: KEYED, now: NOW }, soon());
  expect(saved).toMatchObject({ id: dana.id, callbackNumber: KEYED, lastInteraction: NOW.toISOString() });
  expect((await store.findContact(KEYED, soon()))?.name).toBe('Dana Whitfield');
});

test('an unknown caller becomes a contact', async () => {
  const saved = await contactsTable(config())!.saveContactNumber({ callerId: DEMO_CALLERS.stranger, number: KEYED, now: NOW }, soon());
  expect(saved).toMatchObject({ phone: DEMO_CALLERS.stranger, callbackNumber: KEYED, doNotContact: false });
  expect(emulator.records('Contacts')).toHaveLength(4);
});

test('a create is sent once: a failure is not retried (it could duplicate the contact)', async () => {
  emulator.faults.set({ status: 503, times: 1, table: 'Contacts' });
  await expect(contactsTable(config())!.saveContactNumber({ number: KEYED, now: NOW }, soon())).rejects.toMatchObject({ statusCode: 503 });
  expect(emulator.records('Contacts')).toHaveLength(3);
});

test('an update is retried within the deadline', async () => {
  emulator.faults.set({ status: 503, times: 1, table: 'Contacts', method: 'PATCH' });
  const [dana] = emulator.records('Contacts');
  await contactsTable(config())!.touchContact(dana!.id, NOW, soon());
  expect(emulator.records('Contacts')[0]!.fields['Last Interaction']).toBe(NOW.toISOString());
});
