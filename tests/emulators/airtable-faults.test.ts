// Trouble on demand and the emulator's own controls: what the project's Airtable adapter will meet
// when Airtable is slow, rate-limited, failing or silent, seen through the real airtable.js client.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Airtable from 'airtable';
import { DEMO_BASE_ID } from '../../sandbox/demo-data';
import { startAirtableEmulator, type AirtableEmulator } from '../../sandbox/emulators/airtable';

let emulator: AirtableEmulator;

beforeAll(async () => {
  emulator = await startAirtableEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.faults.clear();
  emulator.setRateLimit(false);
  emulator.stats.reset();
});

function connect(target: AirtableEmulator = emulator, requestTimeout = 3000) {
  return new Airtable({ apiKey: 'patTestToken', endpointUrl: target.url, noRetryIfRateLimited: true, requestTimeout }).base(DEMO_BASE_ID);
}

async function failure(promise: Promise<unknown>): Promise<{ error?: string; name?: string; statusCode?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as { error?: string; name?: string; statusCode?: number };
  }
  throw new Error('expected the call to fail');
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const result = await work();
  return [result, Date.now() - started];
}

const readLines = (target?: AirtableEmulator) => connect(target)('Lines').select().all();

describe('injected failures', () => {
  test('a 429 surfaces at once as statusCode 429 when airtable.js is told not to retry', async () => {
    emulator.faults.set({ status: 429, times: 1 });
    const [error, elapsed] = await timed(() => failure(readLines()));
    expect(error).toMatchObject({ statusCode: 429, error: 'TOO_MANY_REQUESTS' });
    expect(elapsed).toBeLessThan(1000);
  });

  test('lateAnswerMs: a create the client gave up on is written all the same, as after a real timeout', async () => {
    emulator.faults.set({ lateAnswerMs: 1500, table: 'Contacts', method: 'POST', times: 1 });
    const error = await failure(connect(emulator, 300)('Contacts').create({ Name: 'Late Answer' }));
    // airtable.js (runAction) rejects a timed-out request with the fetch AbortError: no statusCode.
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(error.statusCode).toBeUndefined();
    const rows = await connect()('Contacts').select({ filterByFormula: "{Name} = 'Late Answer'" }).all();
    expect(rows).toHaveLength(1);
  });

  test('after a 429 the base refuses every request for 30 seconds, as Airtable does', async () => {
    emulator.faults.set({ status: 429, times: 1 });
    await failure(readLines());
    expect(await failure(readLines())).toMatchObject({ statusCode: 429 });
    expect(await failure(connect()('Contacts').select().firstPage())).toMatchObject({ statusCode: 429 });
    emulator.faults.clear(); // lifts the penalty
    expect(await readLines()).toHaveLength(4);
  });

  test('the penalty ends after its time', async () => {
    const short = await startAirtableEmulator({ rateLimitPenaltyMs: 200 });
    try {
      short.faults.set({ status: 429, times: 1 });
      await failure(readLines(short));
      expect(await failure(readLines(short))).toMatchObject({ statusCode: 429 });
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await readLines(short)).toHaveLength(4);
    } finally {
      await short.close();
    }
  });

  test.each([
    [500, 'SERVER_ERROR'],
    [503, 'SERVICE_UNAVAILABLE'],
  ] as const)('answers %i for as many requests as asked', async (status, type) => {
    emulator.faults.set({ status, times: 2 });
    expect(await failure(readLines())).toMatchObject({ statusCode: status, error: type });
    expect(await failure(readLines())).toMatchObject({ statusCode: status });
    expect(await readLines()).toHaveLength(4);
  });

  test('targets one table and method, leaving the rest alone', async () => {
    emulator.faults.set({ status: 503, table: 'Calls', method: 'POST' });
    expect(await connect()('Calls').select().all()).toEqual([]);
    expect(await readLines()).toHaveLength(4);
    expect(await failure(connect()('Calls').create({ 'Call SID': 'CA1' }))).toMatchObject({ statusCode: 503 });
    expect(await failure(connect()('Calls').create({ 'Call SID': 'CA2' }))).toMatchObject({ statusCode: 503 });
    emulator.faults.clear();
    expect((await connect()('Calls').create({ 'Call SID': 'CA3' })).get('Call SID')).toBe('CA3');
    emulator.reset();
  });

  test('adds latency to one table only', async () => {
    emulator.faults.set({ latencyMs: 300, table: 'Lines' });
    const [, slow] = await timed(() => readLines());
    const [, fast] = await timed(() => connect()('Contacts').select().all());
    expect(slow).toBeGreaterThanOrEqual(290);
    expect(fast).toBeLessThan(290);
  });

  test('a hanging request is cut off by the client requestTimeout, and answers again once cleared', async () => {
    emulator.faults.set({ hang: true, table: 'Lines' });
    const [error, elapsed] = await timed(() => failure(connect(emulator, 200)('Lines').select().all()));
    expect(error.name).toBe('AbortError');
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2000);

    const pending = readLines();
    await new Promise((resolve) => setTimeout(resolve, 50));
    emulator.faults.clear();
    expect(await pending).toHaveLength(4);
  });

  test('closing the emulator releases a hanging request', async () => {
    const other = await startAirtableEmulator();
    other.faults.set({ hang: true });
    const pending = failure(connect(other, 10_000)('Lines').select().all());
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [, closing] = await timed(() => other.close());
    const [error, settled] = await timed(() => pending);
    expect(closing).toBeLessThan(1000);
    expect(settled).toBeLessThan(1000);
    expect(error).toBeDefined();
  });

  test('the optional rate limit answers 429 past 5 requests a second, then holds the penalty', async () => {
    emulator.setRateLimit(true);
    const results = await Promise.allSettled(Array.from({ length: 7 }, () => readLines()));
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(rejected.map((r) => (r.reason as { statusCode: number }).statusCode)).toEqual([429, 429]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await failure(readLines())).toMatchObject({ statusCode: 429 }); // a second later: still penalised
    emulator.setRateLimit(false);
    expect(await readLines()).toHaveLength(4);
  });
});

describe('counters', () => {
  test('count requests per table and method', async () => {
    await readLines();
    await readLines();
    await connect()('Contacts').select({ method: 'post' }).all();
    await connect()('Calls').create({ 'Call SID': 'CA9' });
    expect(emulator.stats.counts()).toEqual({ Lines: { GET: 2 }, Contacts: { POST: 1 }, Calls: { POST: 1 } });
    emulator.stats.reset();
    expect(emulator.stats.counts()).toEqual({});
    emulator.reset();
  });

  test('peakInFlight tells parallel lookups from sequential ones', async () => {
    emulator.faults.set({ latencyMs: 100 });
    await readLines();
    await connect()('Contacts').select().all();
    expect(emulator.stats.peakInFlight()).toBe(1);

    emulator.stats.reset();
    await Promise.all([readLines(), connect()('Contacts').select().all()]);
    expect(emulator.stats.peakInFlight()).toBe(2);
  });
});

describe('control endpoints over HTTP', () => {
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}/__emulator${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  test('set and clear faults', async () => {
    expect(await control('POST', '/faults', { status: 503, times: 1, table: 'Lines' })).toMatchObject({ status: 200 });
    expect((await control('GET', '/faults')).body).toEqual({ faults: [{ status: 503, times: 1, table: 'Lines' }] });
    expect(await failure(readLines())).toMatchObject({ statusCode: 503 });
    expect(await readLines()).toHaveLength(4);

    await control('POST', '/faults', { status: 500 });
    expect(await failure(readLines())).toMatchObject({ statusCode: 500 });
    expect((await control('DELETE', '/faults')).body).toEqual({ faults: [] });
    expect(await readLines()).toHaveLength(4);
  });

  test('reject a fault they cannot apply', async () => {
    expect(await control('POST', '/faults', { status: 418 })).toMatchObject({ status: 400 });
    expect(await control('POST', '/faults', { table: 'Lines' })).toMatchObject({ status: 400 });
    expect(await control('POST', '/faults', { latencyMs: 10, colour: 'red' })).toMatchObject({ status: 400 });
  });

  test('read and reset the counters', async () => {
    await readLines();
    expect((await control('GET', '/stats')).body).toEqual({ counts: { Lines: { GET: 1 } }, peakInFlight: 1, inFlight: 0 });
    expect((await control('DELETE', '/stats')).body).toEqual({ counts: {}, peakInFlight: 0, inFlight: 0 });
  });

  test('dump a table and restore the seed', async () => {
    const [first] = emulator.records('Lines');
    await connect()('Lines').destroy(first.id);
    const dump = await control('GET', '/tables/Lines');
    expect((dump.body.records as unknown[]).length).toBe(3);
    expect(await control('GET', '/tables/Agents')).toMatchObject({ status: 404 });

    await control('POST', '/reset');
    expect((await readLines()).map((r) => r.get('Name'))).toEqual(['Sales', 'Support', 'After-hours', 'Service Desk']);
  });

  test('switch the rate limit', async () => {
    expect((await control('PUT', '/rate-limit', { enabled: true })).body).toEqual({ enabled: true });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => readLines()));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect((await control('PUT', '/rate-limit', { enabled: false })).body).toEqual({ enabled: false });
    expect(await control('PUT', '/rate-limit', { enabled: 'yes' })).toMatchObject({ status: 400 });
  });
});

describe('persistence', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'airtable-emulator-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('changes survive a restart through the data file', async () => {
    const dataFile = join(dir, 'nested', 'airtable.json');
    const first = await startAirtableEmulator({ dataFile });
    const created = await connect(first)('Callbacks').create({ Phone: '+12025550001', Status: 'Later' }, { typecast: true });
    await connect(first)('Lines').destroy(first.records('Lines')[0].id);
    await first.close();
    expect(existsSync(dataFile)).toBe(true);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['airtable.json']);

    const second = await startAirtableEmulator({ dataFile });
    try {
      const found = await connect(second)('Callbacks').find(created.id);
      expect(found.fields).toEqual({ Phone: '+12025550001', Status: 'Later' });
      expect(found._rawJson.createdTime).toBe(created._rawJson.createdTime);
      expect(second.records('Lines')).toHaveLength(3);
      // The option typecast added is still there.
      expect((await connect(second)('Callbacks').create({ Status: 'Later' })).get('Status')).toBe('Later');

      second.reset();
      const third = await startAirtableEmulator({ dataFile });
      expect(third.records('Lines')).toHaveLength(4);
      expect(third.records('Callbacks')).toEqual([]);
      await third.close();
    } finally {
      await second.close();
    }
  });

  test('a data file that cannot be read stops the start instead of being overwritten', async () => {
    const dataFile = join(dir, 'airtable.json');
    writeFileSync(dataFile, '{ not json');
    await expect(startAirtableEmulator({ dataFile })).rejects.toThrow(/cannot read data file/);
  });
});
