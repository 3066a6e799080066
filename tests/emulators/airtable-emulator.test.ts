// The Airtable emulator as the project sees it: through the real airtable.js client over loopback.
import Airtable from 'airtable';
import { DEMO_BASE_ID, DEMO_CALLERS, DEMO_LINES, demoBase, type DemoBase } from '../../sandbox/demo-data';
import { startAirtableEmulator, type AirtableEmulator } from '../../sandbox/emulators/airtable';

let emulator: AirtableEmulator;

beforeAll(async () => {
  emulator = await startAirtableEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

function connect(options: { apiKey?: string; baseId?: string } = {}) {
  return new Airtable({
    apiKey: options.apiKey ?? 'patTestToken',
    endpointUrl: emulator.url,
    noRetryIfRateLimited: true,
    requestTimeout: 3000,
  }).base(options.baseId ?? DEMO_BASE_ID);
}

/** The AirtableError a call rejects with. */
async function failure(promise: Promise<unknown>): Promise<{ error: string; message: string; statusCode: number }> {
  try {
    await promise;
  } catch (error) {
    return error as { error: string; message: string; statusCode: number };
  }
  throw new Error('expected the call to fail');
}

/** Airtable's own formula escaping for a text value. */
const quoted = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function manyContacts(count: number): DemoBase {
  return {
    ...demoBase(),
    Contacts: Array.from({ length: count }, (_, i) => ({ Name: `Contact ${String(i).padStart(3, '0')}`, Phone: `+1202555${String(i).padStart(4, '0')}` })),
  };
}

describe('listing', () => {
  test('serves the demo base, leaving empty fields out of every record', async () => {
    const lines = await connect()('Lines').select().all();
    expect(lines.map((r) => r.get('Name'))).toEqual(['Sales', 'Support', 'After-hours', 'Service Desk']);
    const sales = lines[0];
    expect(sales.id).toMatch(/^rec[A-Za-z0-9]{14}$/);
    expect(new Date(sales._rawJson.createdTime).toISOString()).toBe(sales._rawJson.createdTime);
    expect(sales.fields).toMatchObject({ 'Phone Number': DEMO_LINES.sales, 'Live Transfer': true, Language: 'en-US' });
    expect(sales.fields).not.toHaveProperty('Phone Callback');
    expect(sales.fields).not.toHaveProperty('Support Link');
    expect(Object.values(sales.fields)).not.toContain(false);
    expect(Object.values(sales.fields)).not.toContain('');
  });

  test('pages through 250 records 100 at a time with an opaque offset', async () => {
    emulator.reset(manyContacts(250));
    emulator.stats.reset();
    const pages: number[] = [];
    await connect()('Contacts')
      .select({ pageSize: 100 })
      .eachPage((records, next) => {
        pages.push(records.length);
        next();
      });
    expect(pages).toEqual([100, 100, 50]);
    expect(emulator.stats.counts()).toEqual({ Contacts: { GET: 3 } });

    const all = await connect()('Contacts').select({ pageSize: 100 }).all();
    expect(new Set(all.map((r) => r.id)).size).toBe(250);
    expect(all[249].get('Name')).toBe('Contact 249');

    const firstPage = await connect().makeRequest({ path: '/Contacts', qs: { pageSize: 100 } });
    expect(firstPage.body.offset).toMatch(/^itr[A-Za-z0-9]{14}\/rec[A-Za-z0-9]{14}$/);
  });

  test('maxRecords caps the total across pages', async () => {
    emulator.reset(manyContacts(250));
    const pages: number[] = [];
    await connect()('Contacts')
      .select({ pageSize: 100, maxRecords: 120 })
      .eachPage((records, next) => {
        pages.push(records.length);
        next();
      });
    expect(pages).toEqual([100, 20]);
    expect(await connect()('Contacts').select({ maxRecords: 3 }).firstPage()).toHaveLength(3);
  });

  test('a made-up or stale offset is 422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE', async () => {
    const error = await failure(connect().makeRequest({ path: '/Contacts', qs: { offset: 'itrAAAAAAAAAAAAAA/recAAAAAAAAAAAAAA' } }));
    expect(error).toMatchObject({ statusCode: 422, error: 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE' });
  });

  test('pageSize above 100 is a 422', async () => {
    const error = await failure(connect()('Contacts').select({ pageSize: 101 }).firstPage());
    expect(error.statusCode).toBe(422);
  });

  test('sorts on several fields, single selects in option order', async () => {
    const base = connect();
    await base('Callbacks').create([
      { fields: { Phone: '+12025550001', Status: 'Queued', Attempts: 1 } },
      { fields: { Phone: '+12025550002', Status: 'Failed', Attempts: 3 } },
      { fields: { Phone: '+12025550003', Status: 'Booked', Attempts: 2 } },
      { fields: { Phone: '+12025550004', Status: 'Queued', Attempts: 5 } },
    ]);
    const byStatus = await base('Callbacks')
      .select({ sort: [{ field: 'Status' }, { field: 'Attempts', direction: 'desc' }] })
      .all();
    expect(byStatus.map((r) => r.get('Phone'))).toEqual(['+12025550004', '+12025550001', '+12025550003', '+12025550002']);
    const byName = await base('Lines').select({ sort: [{ field: 'Name', direction: 'desc' }] }).all();
    expect(byName.map((r) => r.get('Name'))).toEqual(['Support', 'Service Desk', 'Sales', 'After-hours']);
  });

  test('fields[] returns only the fields asked for', async () => {
    const lines = await connect()('Lines').select({ fields: ['Name', 'Phone Callback'] }).all();
    expect(lines.map((r) => r.fields)).toEqual([{ Name: 'Sales' }, { Name: 'Support', 'Phone Callback': true }, { Name: 'After-hours', 'Phone Callback': true }, { Name: 'Service Desk', 'Phone Callback': true }]);
  });

  test('accepts view and cellFormat=json, and the same query as POST /listRecords', async () => {
    emulator.stats.reset();
    const query = {
      filterByFormula: `OR({Phone} = ${quoted(DEMO_CALLERS.luisCallback)}, {Callback Number} = ${quoted(DEMO_CALLERS.luisCallback)})`,
      fields: ['Name', 'Email'],
      view: 'Grid view',
      cellFormat: 'json' as const,
    };
    const viaGet = await connect()('Contacts').select(query).all();
    const viaPost = await connect()('Contacts').select({ ...query, method: 'post' }).all();
    expect(viaGet.map((r) => r.fields)).toEqual([{ Name: 'Luis Ortega', Email: 'luis.ortega@example.org' }]);
    expect(viaPost.map((r) => r.fields)).toEqual(viaGet.map((r) => r.fields));
    expect(emulator.stats.counts()).toEqual({ Contacts: { GET: 1, POST: 1 } });
  });

  test('POST /listRecords pages with the offset in the body', async () => {
    emulator.reset(manyContacts(150));
    const all = await connect()('Contacts').select({ method: 'post', pageSize: 100, sort: [{ field: 'Name', direction: 'desc' }] }).all();
    expect(all).toHaveLength(150);
    expect(all[0].get('Name')).toBe('Contact 149');
  });

  test('filters on dates and selects the way the project asks for due callbacks', async () => {
    const base = connect();
    await base('Callbacks').create([
      { fields: { Phone: '+12025550001', Status: 'Booked', 'Scheduled For': '2026-11-24T09:00:00Z' } },
      { fields: { Phone: '+12025550002', Status: 'Booked', 'Scheduled For': '2026-11-24T11:00:00.000Z' } },
      { fields: { Phone: '+12025550003', Status: 'Cancelled', 'Scheduled For': '2026-11-24T08:00:00Z' } },
      { fields: { Phone: '+12025550004', Status: 'Booked' } },
    ]);
    const due = await base('Callbacks')
      .select({ filterByFormula: "AND({Status} = 'Booked', IS_BEFORE({Scheduled For}, '2026-11-24T10:00:00.000Z'))" })
      .all();
    expect(due.map((r) => [r.get('Phone'), r.get('Scheduled For')])).toEqual([['+12025550001', '2026-11-24T09:00:00.000Z']]);
  });

  test('finds a contact on the demo numbers and nobody for a stranger', async () => {
    const lookup = (phone: string) =>
      connect()('Contacts')
        .select({ filterByFormula: `OR({Phone} = ${quoted(phone)}, {Callback Number} = ${quoted(phone)})` })
        .all();
    expect((await lookup(DEMO_CALLERS.luisCallback)).map((r) => r.get('Name'))).toEqual(['Luis Ortega']);
    expect((await lookup(DEMO_CALLERS.morgan))[0].get('Do Not Contact')).toBe(true);
    expect(await lookup(DEMO_CALLERS.stranger)).toEqual([]);
  });

  test.each(["+1' , OR(1,1), '", 'a"b', 'back\\slash\\', "') OR(1,1) OR ('", 'OR(1,1)'])(
    'a caller id %j in an escaped literal matches only itself',
    async (phone) => {
      const base = connect();
      await base('Contacts').create({ Name: 'Probe', Phone: phone });
      const found = await base('Contacts').select({ filterByFormula: `{Phone} = ${quoted(phone)}` }).all();
      expect(found.map((r) => r.get('Name'))).toEqual(['Probe']);
      const doubleQuoted = `{Phone} = "${phone.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
      expect((await base('Contacts').select({ filterByFormula: doubleQuoted }).all()).map((r) => r.get('Name'))).toEqual(['Probe']);
    },
  );

  test.each([
    ["{Phone} = '+1", 'Invalid formula'],
    ["SEARCH('a', {Name})", 'Invalid formula'],
    ["{Nickname} = 'x'", 'Unknown field names: Nickname'],
  ])('a bad formula %s is 422 INVALID_FILTER_BY_FORMULA', async (formula, message) => {
    const error = await failure(connect()('Contacts').select({ filterByFormula: formula }).all());
    expect(error).toMatchObject({ statusCode: 422, error: 'INVALID_FILTER_BY_FORMULA' });
    expect(error.message).toContain(message);
  });

  test('unknown fields in fields[] or sort are 422 UNKNOWN_FIELD_NAME', async () => {
    const inFields = await failure(connect()('Lines').select({ fields: ['Name', 'Colour'] }).all());
    expect(inFields).toMatchObject({ statusCode: 422, error: 'UNKNOWN_FIELD_NAME' });
    const inSort = await failure(connect()('Lines').select({ sort: [{ field: 'Colour' }] }).all());
    expect(inSort).toMatchObject({ statusCode: 422, error: 'UNKNOWN_FIELD_NAME' });
  });
});

describe('tables, bases and tokens', () => {
  test('an unknown table is 404 naming it; a table id works like its name', async () => {
    const error = await failure(connect()('Agents').select().all());
    expect(error.statusCode).toBe(404);
    expect(error.message).toContain('Agents');
    expect(await connect()('tblLinesIvrEsc001').select().all()).toHaveLength(4);
  });

  test('an unknown base is 404', async () => {
    const error = await failure(connect({ baseId: 'appSomeoneElse01' })('Lines').select().all());
    expect(error.statusCode).toBe(404);
  });

  test('only the configured token is accepted', async () => {
    const locked = await startAirtableEmulator({ apiKey: 'patRightToken' });
    try {
      const base = (apiKey: string) =>
        new Airtable({ apiKey, endpointUrl: locked.url, noRetryIfRateLimited: true, requestTimeout: 3000 }).base(DEMO_BASE_ID);
      expect(await failure(base('patWrongToken')('Lines').select().all())).toMatchObject({ statusCode: 401, error: 'AUTHENTICATION_REQUIRED' });
      expect(await base('patRightToken')('Lines').select().all()).toHaveLength(4);
      const noToken = await fetch(`${locked.url}/v0/${DEMO_BASE_ID}/Lines`);
      expect(noToken.status).toBe(401);
      expect(await noToken.json()).toEqual({ error: { type: 'AUTHENTICATION_REQUIRED', message: 'Authentication required' } });
    } finally {
      await locked.close();
    }
  });

  test('the schema is readable in the shape of the metadata API', async () => {
    const response = await fetch(`${emulator.url}/v0/meta/bases/${DEMO_BASE_ID}/tables`, { headers: { authorization: 'Bearer patTestToken' } });
    const meta = (await response.json()) as { tables: { name: string; fields: { name: string; type: string; options?: { choices?: { name: string }[] } }[] }[] };
    expect(meta.tables.map((t) => t.name)).toEqual(['Lines', 'Contacts', 'Callbacks', 'Calls']);
    const status = meta.tables[2].fields.find((f) => f.name === 'Status');
    expect(status?.options?.choices?.map((c) => c.name)).toEqual(['Queued', 'Booked', 'Dialing', 'Connected', 'Retry', 'Failed', 'Cancelled']);
  });
});

describe('writing', () => {
  test('creates one record or a batch', async () => {
    const base = connect();
    const one = await base('Calls').create({ 'Call SID': 'CA0001', Line: DEMO_LINES.support, Duration: 42 });
    expect(one.id).toMatch(/^rec[A-Za-z0-9]{14}$/);
    expect(one.fields).toEqual({ 'Call SID': 'CA0001', Line: DEMO_LINES.support, Duration: 42 });
    const two = await base('Calls').create([{ fields: { 'Call SID': 'CA0002' } }, { fields: { 'Call SID': 'CA0003' } }]);
    expect(two.map((r) => r.get('Call SID'))).toEqual(['CA0002', 'CA0003']);
    expect((await base('Calls').find(one.id)).fields).toEqual(one.fields);
    expect(emulator.records('Calls')).toHaveLength(3);
  });

  test('more than 10 records in one request is a 422 and writes nothing', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({ fields: { 'Call SID': `CA${i}` } }));
    const error = await failure(connect()('Calls').create(eleven));
    expect(error).toMatchObject({ statusCode: 422, error: 'INVALID_RECORDS' });
    expect(emulator.records('Calls')).toEqual([]);
    const ids = emulator.records('Lines').map((r) => r.id);
    const tooMany = await failure(connect()('Lines').destroy([...ids, ...ids, ...ids, ...ids]));
    expect(tooMany.statusCode).toBe(422);
    expect(emulator.records('Lines')).toHaveLength(4);
  });

  test('update merges, replace clears what it leaves out, and null, empty text or false clear a field', async () => {
    const base = connect();
    const [sales] = await base('Lines').select({ filterByFormula: `{Phone Number} = '${DEMO_LINES.sales}'` }).all();
    const updated = await base('Lines').update(sales.id, { 'Support Link': 'https://example.com/sales' });
    expect(updated.fields).toMatchObject({ Name: 'Sales', Greeting: sales.get('Greeting'), 'Support Link': 'https://example.com/sales' });

    const cleared = await base('Lines').update(sales.id, { Greeting: '', 'Live Transfer': false, Voice: null } as never);
    expect(cleared.fields).not.toHaveProperty('Greeting');
    expect(cleared.fields).not.toHaveProperty('Live Transfer');
    expect(cleared.fields).not.toHaveProperty('Voice');
    expect((await base('Lines').find(sales.id)).fields).toEqual(cleared.fields);

    const replaced = await base('Lines').replace(sales.id, { Name: 'Sales', 'Phone Number': DEMO_LINES.sales });
    expect(replaced.fields).toEqual({ Name: 'Sales', 'Phone Number': DEMO_LINES.sales });

    const batch = await base('Lines').update([{ id: sales.id, fields: { 'Text Link': true } }]);
    expect(batch[0].fields).toEqual({ Name: 'Sales', 'Phone Number': DEMO_LINES.sales, 'Text Link': true });
  });

  test('upserts on fieldsToMergeOn: creates, then updates, and lists which', async () => {
    const base = connect();
    const upsert = (fields: Record<string, unknown>) =>
      base.makeRequest({ method: 'PATCH', path: '/Calls', body: { records: [{ fields }], performUpsert: { fieldsToMergeOn: ['Call SID'] }, typecast: true } });

    const first = await upsert({ 'Call SID': 'CA100', Outcome: 'bridged' });
    const id = first.body.records[0].id;
    expect(first.body).toMatchObject({ createdRecords: [id], updatedRecords: [] });

    const second = await upsert({ 'Call SID': 'CA100', Duration: '61' });
    expect(second.body).toMatchObject({ createdRecords: [], updatedRecords: [id] });
    expect(second.body.records[0].fields).toEqual({ 'Call SID': 'CA100', Outcome: 'bridged', Duration: 61 });

    // What the project does through airtable.js: the option rides along with the records.
    const viaClient = await base('Calls').update([{ fields: { 'Call SID': 'CA100', Chosen: 'callback' } }] as never, {
      performUpsert: { fieldsToMergeOn: ['Call SID'] },
    } as never);
    expect((viaClient as unknown as { id: string }[])[0].id).toBe(id);
    expect(emulator.records('Calls')).toHaveLength(1);
  });

  test('an upsert matching two records is a 422', async () => {
    const base = connect();
    await base('Calls').create([{ fields: { 'Call SID': 'CA7' } }, { fields: { 'Call SID': 'CA7' } }]);
    const error = await failure(
      base.makeRequest({ method: 'PUT', path: '/Calls', body: { records: [{ fields: { 'Call SID': 'CA7', Outcome: 'x' } }], performUpsert: { fieldsToMergeOn: ['Call SID'] } } }),
    );
    expect(error.statusCode).toBe(422);
    expect(emulator.records('Calls').map((r) => r.fields)).toEqual([{ 'Call SID': 'CA7' }, { 'Call SID': 'CA7' }]);
  });

  test('destroys one record or a batch', async () => {
    const base = connect();
    const [a, b, c, d] = emulator.records('Lines').map((r) => r.id);
    const gone = await base('Lines').destroy(a);
    expect(gone.id).toBe(a);
    const batch = await base('Lines').destroy([b, c, d]);
    expect(batch.map((r) => r.id)).toEqual([b, c, d]);
    expect(emulator.records('Lines')).toEqual([]);
    expect(await failure(base('Lines').find(a))).toMatchObject({ statusCode: 404, error: 'NOT_FOUND' });
    expect((await failure(base('Lines').destroy(a))).statusCode).toBe(404);
  });

  test('an unknown field in a write is 422 UNKNOWN_FIELD_NAME', async () => {
    const error = await failure(connect()('Calls').create({ 'Call SID': 'CA1', Colour: 'blue' }));
    expect(error).toMatchObject({ statusCode: 422, error: 'UNKNOWN_FIELD_NAME' });
    expect(error.message).toContain('Colour');
  });

  test('a wrong type is a 422 unless typecast converts it', async () => {
    const base = connect();
    expect(await failure(base('Callbacks').create({ Attempts: '3' }))).toMatchObject({ statusCode: 422, error: 'INVALID_VALUE_FOR_COLUMN' });
    expect(await failure(base('Callbacks').create({ 'Scheduled For': 'tomorrow at two' }))).toMatchObject({ statusCode: 422 });
    expect(await failure(base('Contacts').create({ 'Do Not Contact': 'yes' } as never))).toMatchObject({ statusCode: 422 });
    expect(await failure(base('Callbacks').create({ Status: 'Snoozed' }))).toMatchObject({ statusCode: 422 });

    const cast = await base('Callbacks').create({ Attempts: '3', Status: 'Snoozed', 'Scheduled For': '2026-11-24T10:00:00+01:00' }, { typecast: true });
    expect(cast.fields).toEqual({ Attempts: 3, Status: 'Snoozed', 'Scheduled For': '2026-11-24T09:00:00.000Z' });
    // The new option now exists, so it is accepted without typecast too.
    expect((await base('Callbacks').create({ Status: 'Snoozed' })).get('Status')).toBe('Snoozed');
  });

  test('typecast adds no select option where the token may not (as for an editor), and writes nothing', async () => {
    const strict = await startAirtableEmulator({ newSelectOptionsByTypecast: false });
    try {
      const base = new Airtable({ apiKey: 'patTestToken', endpointUrl: strict.url, noRetryIfRateLimited: true }).base(DEMO_BASE_ID);
      const error = await failure(base('Callbacks').create({ Phone: '+12025550001', Status: 'Snoozed' }, { typecast: true }));
      expect(error).toMatchObject({ statusCode: 422, error: 'INVALID_MULTIPLE_CHOICE_OPTIONS' });
      expect(error.message).toContain('Snoozed');
      expect(strict.records('Callbacks')).toEqual([]);
      // An existing option still goes through, and typecast still converts types.
      const row = await base('Callbacks').create({ Status: 'Queued', Attempts: '1' }, { typecast: true });
      expect(row.fields).toEqual({ Status: 'Queued', Attempts: 1 });
    } finally {
      await strict.close();
    }
  });

  test('updating a record that does not exist is a 404', async () => {
    const error = await failure(connect()('Lines').update('recAAAAAAAAAAAAAA', { Name: 'x' }));
    expect(error.statusCode).toBe(404);
    const batch = await failure(connect()('Lines').update([{ id: 'recAAAAAAAAAAAAAA', fields: { Name: 'x' } }]));
    expect(batch.statusCode).toBe(422);
  });
});
