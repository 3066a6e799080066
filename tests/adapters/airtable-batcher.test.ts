// Requests that wait for the same turn travel together: first the batcher's rules with a send the test
// holds back, then through airtable.js against the emulator on a paced instance (one request for the
// writes that queued, a batch Airtable refuses sent again write by write, and the contact lookups of
// several callers in one request, each caller getting its own contact).
import { DEMO_BASE_ID, DEMO_CALLERS, demoBase } from '../../sandbox/demo-data';
import { startAirtableEmulator, type AirtableEmulator } from '../../sandbox/emulators/airtable';
import { mergedByKey, requestBatcher } from '../../src/assets/adapters/airtable-batcher.private';
import { airtablePacer } from '../../src/assets/adapters/airtable-pacer.private';
import { airtableRequests, type AirtableRequests } from '../../src/assets/adapters/airtable-requests.private';
import { airtableStoreWith } from '../../src/assets/adapters/airtable-store.private';
import { readConfig } from '../../src/assets/shell/config.private';

type Fields = Record<string, unknown>;

/** A send the test releases: what each request carried (its result: how many), and a way to let the waiting one go. */
function heldSends() {
  const sent: Fields[][] = [];
  const waiting: { take: () => readonly Fields[]; release: (error?: Error) => void }[] = [];
  const send = (take: () => readonly Fields[]) =>
    new Promise<number>((resolve, reject) => {
      waiting.push({ take, release: (error) => (error ? reject(error) : (sent.push([...take()]), resolve(take().length))) });
    });
  return { sent, send, next: () => waiting.shift()! };
}

describe('the batcher', () => {
  test('a request alone goes alone', async () => {
    const batcher = requestBatcher();
    const held = heldSends();
    const write = batcher.join('upsert Calls', { 'Call SID': 'CA1', Outcome: 'Connected' }, 1000, held.send);
    held.next().release();
    await write;
    expect(held.sent).toEqual([[{ 'Call SID': 'CA1', Outcome: 'Connected' }]]);
  });

  test('items that arrive while the first waits for its turn go with it, and all get its result', async () => {
    const batcher = requestBatcher();
    const held = heldSends();
    const items = [
      batcher.join('upsert Calls', { 'Call SID': 'CA1', Chosen: 'Text Link' }, 1000, held.send),
      batcher.join('upsert Calls', { 'Call SID': 'CA2', Duration: 30 }, 2000, held.send),
      batcher.join('upsert Calls', { 'Call SID': 'CA1', Outcome: 'Text sent' }, 1500, held.send),
    ];
    held.next().release();
    expect(await Promise.all(items)).toEqual([3, 3, 3]);
    expect(held.sent).toEqual([[{ 'Call SID': 'CA1', Chosen: 'Text Link' }, { 'Call SID': 'CA2', Duration: 30 }, { 'Call SID': 'CA1', Outcome: 'Text sent' }]]);
  });

  test('two writes of one record become one, the later fields winning; records without the key are kept as they are', () => {
    expect(mergedByKey([{ 'Call SID': 'CA1', Chosen: 'Text Link' }, { 'Call SID': 'CA2', Duration: 30 }, { 'Call SID': 'CA1', Outcome: 'Text sent' }], 'Call SID')).toEqual([
      { 'Call SID': 'CA1', Chosen: 'Text Link', Outcome: 'Text sent' },
      { 'Call SID': 'CA2', Duration: 30 },
    ]);
    expect(mergedByKey([{ Outcome: 'x' }, { 'Call SID': 'CA1' }, { Outcome: 'y' }], 'Call SID')).toEqual([{ 'Call SID': 'CA1' }, { Outcome: 'x' }, { Outcome: 'y' }]);
  });

  test('an item never waits on a batch with a later deadline than its own, nor in another group', async () => {
    const batcher = requestBatcher();
    const held = heldSends();
    const items = [
      batcher.join('upsert Calls', { 'Call SID': 'CA1' }, 2000, held.send),
      batcher.join('upsert Calls', { 'Call SID': 'CA2' }, 1000, held.send),
      batcher.join('select contacts by number', { Phone: '+14155550142' }, 3000, held.send),
    ];
    held.next().release();
    held.next().release();
    held.next().release();
    await Promise.all(items);
    expect(held.sent).toEqual([[{ 'Call SID': 'CA1' }], [{ 'Call SID': 'CA2' }], [{ Phone: '+14155550142' }]]);
  });

  test('at most 10 items a request: the 11th starts the next batch, which an item arriving after the first request went joins', async () => {
    const batcher = requestBatcher();
    const held = heldSends();
    const items = Array.from({ length: 11 }, (_, i) => batcher.join('upsert Calls', { 'Call SID': `CA${i}` }, 1000, held.send));
    const first = held.next();
    first.take();
    items.push(batcher.join('upsert Calls', { 'Call SID': 'CAlate' }, 1000, held.send));
    first.release();
    held.next().release();
    await Promise.all(items);
    expect(held.sent.map((records) => records.map((r) => r['Call SID']))).toEqual([Array.from({ length: 10 }, (_, i) => `CA${i}`), ['CA10', 'CAlate']]);
  });

  test("an item arriving after its batch's request went starts the next one", async () => {
    const batcher = requestBatcher();
    const held = heldSends();
    const first = batcher.join('upsert Calls', { 'Call SID': 'CA1' }, 1000, held.send);
    const going = held.next();
    going.take();
    const late = batcher.join('upsert Calls', { 'Call SID': 'CA2' }, 1000, held.send);
    going.release();
    held.next().release();
    await Promise.all([first, late]);
    expect(held.sent).toEqual([[{ 'Call SID': 'CA1' }], [{ 'Call SID': 'CA2' }]]);
  });

  test('a batch that fails fails every item in it, and the next item starts afresh', async () => {
    const batcher = requestBatcher();
    const held = heldSends();
    const items = [1, 2].map((i) => batcher.join('upsert Calls', { 'Call SID': `CA${i}` }, 1000, held.send));
    held.next().release(new Error('Airtable 503'));
    await expect(items[0]).rejects.toThrow('Airtable 503');
    await expect(items[1]).rejects.toThrow('Airtable 503');
    const after = batcher.join('upsert Calls', { 'Call SID': 'CA3' }, 1000, held.send);
    held.next().release();
    await after;
    expect(held.sent).toEqual([[{ 'Call SID': 'CA3' }]]);
  });
});

describe('on a paced instance, through airtable.js', () => {
  const API_KEY = 'patTest00000000001.secret';
  let emulator: AirtableEmulator;
  let requests: AirtableRequests;
  const soon = () => Date.now() + 2500;

  beforeAll(async () => {
    emulator = await startAirtableEmulator({ apiKey: API_KEY });
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    emulator.reset(demoBase());
    emulator.stats.reset();
    const config = readConfig({ AIRTABLE_API_KEY: API_KEY, AIRTABLE_BASE_ID: DEMO_BASE_ID, AIRTABLE_ENDPOINT_URL: emulator.url });
    // One request per 300 ms: what queues behind the first read waits for the next turn.
    requests = airtableRequests(config, Date.now, { pacer: airtablePacer(1, 300), batcher: requestBatcher() })!;
  });
  const calls = () => emulator.records('Calls').map((r) => r.fields);

  test('the writes that queued behind a read go in one request', async () => {
    await requests.select('Lines', 'TRUE()', 1, soon());
    await Promise.all(['CA1', 'CA2', 'CA3'].map((sid) => requests.upsert('Calls', 'Call SID', { 'Call SID': sid, Outcome: 'Connected' }, soon())));
    expect(emulator.stats.counts().Calls).toEqual({ PATCH: 1 });
    expect(calls().map((f) => f['Call SID']).sort()).toEqual(['CA1', 'CA2', 'CA3']);
  });

  test('a batch Airtable refuses for one bad record is sent again write by write: the good ones land, the bad one fails alone', async () => {
    await requests.select('Lines', 'TRUE()', 1, soon());
    const writes = [
      requests.upsert('Calls', 'Call SID', { 'Call SID': 'CA1', Outcome: 'Connected' }, soon()),
      requests.upsert('Calls', 'Call SID', { 'Call SID': 'CA2', 'No Such Field': 'x' }, soon()),
      requests.upsert('Calls', 'Call SID', { 'Call SID': 'CA3', Outcome: 'Connected' }, soon()),
    ];
    const results = await Promise.allSettled(writes);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(calls().map((f) => f['Call SID']).sort()).toEqual(['CA1', 'CA3']);
  });

  test("the contact lookups of several callers that queued go in one request, and each caller gets its own contact", async () => {
    const store = airtableStoreWith(requests, readConfig({}));
    await requests.select('Lines', 'TRUE()', 1, soon());
    const [dana, luis, stranger] = await Promise.all([
      store.findContact(DEMO_CALLERS.dana, soon()),
      store.findContact(DEMO_CALLERS.luisCallback, soon()),
      store.findContact(DEMO_CALLERS.stranger, soon()),
    ]);
    expect(emulator.stats.counts().Contacts).toEqual({ GET: 1 });
    expect([dana?.name, luis?.name, stranger]).toEqual(['Dana Whitfield', 'Luis Ortega', undefined]);
  });
});
