// The Airtable adapter against the emulator, through the real airtable.js client.
import { DEMO_BASE_ID, DEMO_CALLERS, DEMO_LINES, demoBase } from '../../sandbox/demo-data';
import { startAirtableEmulator, type AirtableEmulator } from '../../sandbox/emulators/airtable';
import { formulaString } from '../../src/assets/adapters/airtable-requests.private';
import { createAirtableStore, type AirtableStore } from '../../src/assets/adapters/airtable-store.private';
import { callMemory } from '../../src/assets/call/memory.private';
import { readConfig } from '../../src/assets/shell/config.private';

const API_KEY = 'patTest00000000001.secret';
let emulator: AirtableEmulator;

function storeWith(env: Record<string, string> = {}, clock: () => number = Date.now): AirtableStore {
  const config = readConfig({ AIRTABLE_API_KEY: API_KEY, AIRTABLE_BASE_ID: DEMO_BASE_ID, AIRTABLE_ENDPOINT_URL: emulator.url, ...env });
  return createAirtableStore(config, callMemory.lines, clock)!;
}
const soon = () => Date.now() + 2000;

beforeAll(async () => {
  emulator = await startAirtableEmulator({ apiKey: API_KEY });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  emulator.faults.clear();
  emulator.stats.reset();
  callMemory.reset();
});

test('reads a line with SPEC defaults for the cells left empty', async () => {
  const line = await storeWith().findLine(DEMO_LINES.afterHours, soon());
  expect(line).toMatchObject({
    name: 'After-hours',
    language: 'es-US',
    timezone: 'America/Los_Angeles',
    liveTransfer: false,
    phoneCallback: true,
    textLink: false,
    callbackSlotMinutes: 30,
    callbackSlotCapacity: 2,
    callbackDaysAhead: 7,
    callbackMaxAttempts: 3,
  });
});

test('FALLBACK_TRANSFER_NUMBER serves a line that has none', async () => {
  const base = demoBase();
  delete base.Lines[0]['Fallback Transfer Number'];
  emulator.reset(base);
  expect((await storeWith().findLine(DEMO_LINES.sales, soon()))?.fallbackTransferNumber).toBeUndefined();
  callMemory.reset();
  expect((await storeWith({ FALLBACK_TRANSFER_NUMBER: '+12025550177' }).findLine(DEMO_LINES.sales, soon()))?.fallbackTransferNumber).toBe('+12025550177');
});

test('finds a contact by Phone or by Callback Number; a Phone match wins', async () => {
  const store = storeWith();
  expect((await store.findContact(DEMO_CALLERS.dana, soon()))?.name).toBe('Dana Whitfield');
  expect((await store.findContact(DEMO_CALLERS.luisCallback, soon()))?.name).toBe('Luis Ortega');
  expect(await store.findContact(DEMO_CALLERS.stranger, soon())).toBeUndefined();
});

test.each([
  ["a quote", "+1415' OR 1=1 OR '"],
  ['a double quote', '+1415" OR "1"="1'],
  ['a backslash', "+1415\\' , {Phone} != '"],
  ['a parenthesis', "') , TRUE()) OR ('"],
  ['OR(1,1)', "x', OR(1,1), '"],
])('formula injection with %s matches no contact', async (_name, hostile) => {
  await expect(storeWith().findContact(hostile, soon())).resolves.toBeUndefined();
});

test.each([
  ["it's", "'it\\'s'"],
  ['back\\slash', "'back\\\\slash'"],
  ['two\nlines', "'two lines'"],
])('formulaString(%j)', (value, quoted) => {
  expect(formulaString(value)).toBe(quoted);
});

describe('the line cache', () => {
  test('a warm instance reads a line once within the TTL', async () => {
    const store = storeWith({ LINE_CACHE_SECONDS: '30' });
    await store.findLine(DEMO_LINES.sales, soon());
    await store.findLine(DEMO_LINES.sales, soon());
    expect(emulator.stats.counts().Lines).toEqual({ GET: 1 });
  });

  test('calls arriving together on a cold instance share one read of their line', async () => {
    const lines = await Promise.all(Array.from({ length: 10 }, () => storeWith({ LINE_CACHE_SECONDS: '30' }).findLine(DEMO_LINES.sales, soon())));
    expect(lines.map((line) => line?.name)).toEqual(Array(10).fill('Sales'));
    expect(emulator.stats.counts().Lines).toEqual({ GET: 1 });
    // Shared only while in flight: once answered and expired, the next call reads again.
    await storeWith({ LINE_CACHE_SECONDS: '0' }).findLine(DEMO_LINES.sales, soon());
    expect(emulator.stats.counts().Lines).toEqual({ GET: 2 });
  });

  test('a shared read that fails fails each call that joined it, and the next call reads again', async () => {
    emulator.faults.set({ status: 500, times: 3 }); // the shared read's three tries
    const reads = await Promise.allSettled([1, 2, 3].map(() => storeWith().findLine(DEMO_LINES.sales, soon())));
    expect(reads.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((await storeWith().findLine(DEMO_LINES.sales, soon()))?.name).toBe('Sales');
    expect(emulator.stats.counts().Lines).toEqual({ GET: 4 });
  });

  test('after the TTL the line is read again, so edits in Airtable take effect', async () => {
    let skew = 0;
    const store = storeWith({ LINE_CACHE_SECONDS: '30' }, () => Date.now() + skew);
    await store.findLine(DEMO_LINES.sales, soon());
    skew = 31_000;
    await store.findLine(DEMO_LINES.sales, soon() + skew);
    expect(emulator.stats.counts().Lines).toEqual({ GET: 2 });
  });

  test('a stale line is served when Airtable fails', async () => {
    const store = storeWith({ LINE_CACHE_SECONDS: '0' });
    await store.findLine(DEMO_LINES.sales, soon());
    emulator.faults.set({ status: 503 });
    await expect(store.findLine(DEMO_LINES.sales, soon())).resolves.toMatchObject({ name: 'Sales' });
  });

  test('an unknown number is not cached: a line added a moment later answers', async () => {
    const store = storeWith({ LINE_CACHE_SECONDS: '30' });
    expect(await store.findLine('+12025550140', soon())).toBeUndefined();
    const base = demoBase();
    base.Lines.push({ Name: 'New', 'Phone Number': '+12025550140', Language: 'en-US' });
    emulator.reset(base);
    expect((await store.findLine('+12025550140', soon()))?.name).toBe('New');
  });
});

describe('bounded retries', () => {
  test('a 503 is retried and the read succeeds', async () => {
    emulator.faults.set({ status: 503, times: 1 });
    expect((await storeWith().findLine(DEMO_LINES.sales, soon()))?.name).toBe('Sales');
    expect(emulator.stats.counts().Lines).toEqual({ GET: 2 });
  });

  test('a 429 is not retried: Airtable refuses the base for 30 seconds, so it surfaces at once', async () => {
    emulator.faults.set({ status: 429, times: 1 });
    const started = Date.now();
    await expect(storeWith().findLine(DEMO_LINES.sales, soon())).rejects.toMatchObject({ statusCode: 429 });
    expect(Date.now() - started).toBeLessThan(500);
    expect(emulator.stats.counts().Lines).toEqual({ GET: 1 });
  });

  test('a 429 on a cached line serves the cached copy', async () => {
    const store = storeWith({ LINE_CACHE_SECONDS: '0' });
    await store.findLine(DEMO_LINES.sales, soon());
    emulator.faults.set({ status: 429, times: 1 });
    expect((await store.findLine(DEMO_LINES.sales, soon()))?.name).toBe('Sales');
  });

  test('Airtable failing forever: the store gives up by its deadline, after at most three tries', async () => {
    emulator.faults.set({ status: 500 });
    const started = Date.now();
    await expect(storeWith().findLine(DEMO_LINES.sales, started + 1500)).rejects.toMatchObject({ statusCode: 500 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(emulator.stats.counts().Lines.GET).toBeLessThanOrEqual(3);
  });

  test('a hanging Airtable is abandoned at the deadline', async () => {
    emulator.faults.set({ hang: true });
    const started = Date.now();
    await expect(storeWith().findContact(DEMO_CALLERS.dana, started + 400)).rejects.toBeDefined();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('a request the API refuses (422) is not retried', async () => {
    await expect(storeWith().upsertCall({ 'Call SID': 'CA1', 'No Such Field': 'x' }, soon())).rejects.toMatchObject({ statusCode: 422 });
    expect(emulator.stats.counts().Calls).toEqual({ PATCH: 1 });
  });
});

test('upsertCall creates the row once and then updates it on Call SID', async () => {
  const store = storeWith();
  await store.upsertCall({ 'Call SID': 'CA0001', Offered: 'Live Transfer' }, soon());
  await store.upsertCall({ 'Call SID': 'CA0001', Chosen: 'Live Transfer' }, soon());
  const rows = emulator.records('Calls');
  expect(rows).toHaveLength(1);
  expect(rows[0].fields).toMatchObject({ 'Call SID': 'CA0001', Offered: 'Live Transfer', Chosen: 'Live Transfer' });
});
