// The Callbacks table through airtable.js against the emulator: the rows a voicemail's one-row rule
// depends on come with their createdTime, a delete is safe to repeat, and the bookings of a busy line
// are read every page, each page a paced request of its own.
import { DEMO_BASE_ID, demoBase } from '../../sandbox/demo-data';
import { startAirtableEmulator, type AirtableEmulator } from '../../sandbox/emulators/airtable';
import { requestBatcher } from '../../src/assets/adapters/airtable-batcher.private';
import { airtablePacer, NoTurnInTime } from '../../src/assets/adapters/airtable-pacer.private';
import { airtableRequests } from '../../src/assets/adapters/airtable-requests.private';
import { bookingsTableWith } from '../../src/assets/adapters/bookings-table.private';
import { callbacksTable, type CallbacksTable } from '../../src/assets/adapters/callbacks-table.private';
import { readConfig } from '../../src/assets/shell/config.private';

const API_KEY = 'patTest00000000001.secret';
const LINE = '+12025550120';
const PHONE = '+14155550142';
const CALL = `CA${'1'.repeat(32)}`;
let emulator: AirtableEmulator;
let table: CallbacksTable;
const soon = () => Date.now() + 2000;
const config = () => readConfig({ AIRTABLE_API_KEY: API_KEY, AIRTABLE_BASE_ID: DEMO_BASE_ID, AIRTABLE_ENDPOINT_URL: emulator.url });

beforeAll(async () => {
  emulator = await startAirtableEmulator({ apiKey: API_KEY });
  table = callbacksTable(config())!;
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset(demoBase()));

test("a voicemail's peers: the call's Voicemail rows whatever their status, and the number's open callbacks on the line, each with its createdTime", async () => {
  const voicemail = await table.create({ line: LINE, phone: PHONE, kind: 'Voicemail', status: 'Connected', originCallSid: CALL }, soon());
  const booked = await table.create({ line: LINE, phone: PHONE, kind: 'Scheduled', status: 'Booked', scheduledFor: new Date(Date.now() + 86_400_000).toISOString() }, soon());
  await table.create({ line: LINE, phone: PHONE, kind: 'Now', status: 'Failed' }, soon());
  await table.create({ line: '+12025550199', phone: PHONE, kind: 'Now', status: 'Queued' }, soon());
  await table.create({ line: LINE, phone: '+14155550199', kind: 'Now', status: 'Queued' }, soon());
  const peers = await table.voicemailPeers(CALL, PHONE, LINE, soon());
  expect(peers.map((p) => p.id).sort()).toEqual([voicemail.id, booked.id].sort());
  for (const peer of peers) expect(peer.createdTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
});

test('values in the formula are escaped: a quote in a number matches nothing and breaks nothing', async () => {
  await table.create({ line: LINE, phone: PHONE, kind: 'Now', status: 'Queued' }, soon());
  await expect(table.voicemailPeers(CALL, `${PHONE}', TRUE()) & '`, LINE, soon())).resolves.toEqual([]);
});

test('remove deletes the row; removing it again (a retry whose answer was lost) is not an error', async () => {
  const row = await table.create({ line: LINE, phone: PHONE, kind: 'Voicemail', status: 'Queued', originCallSid: CALL }, soon());
  await table.remove(row.id, soon());
  expect(await table.find(row.id, soon())).toBeUndefined();
  await expect(table.remove(row.id, soon())).resolves.toBeUndefined();
});

test("a busy line's bookings span three pages: all are read, and each page waits for a turn of the pace", async () => {
  const base = demoBase();
  const from = Date.now() + 3_600_000;
  base.Callbacks = Array.from({ length: 250 }, (_, i) => ({ Line: LINE, Phone: PHONE, Kind: 'Scheduled', Status: 'Booked', 'Scheduled For': new Date(from + i * 60_000).toISOString() }));
  emulator.reset(base);
  const paced = (turnsAMinute: number) => bookingsTableWith(airtableRequests(config(), Date.now, { pacer: airtablePacer(turnsAMinute, 60_000), batcher: requestBatcher() })!);
  expect(await paced(3).bookedOnLine(LINE, new Date(), soon())).toHaveLength(250);
  await expect(paced(2).bookedOnLine(LINE, new Date(), soon())).rejects.toBeInstanceOf(NoTurnInTime);
});
