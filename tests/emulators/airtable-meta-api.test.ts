// The Airtable emulator's Metadata API (list tables, create table, create field), in Airtable's
// request and response shapes, with the checks Airtable makes on field configs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_BASE_ID } from '../../sandbox/demo-data';
import { startAirtableEmulator, type AirtableEmulator } from '../../sandbox/emulators/airtable';

let emulator: AirtableEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function meta(method: 'GET' | 'POST', suffix = '', body?: unknown, token = 'patMeta') {
  const response = await fetch(`${emulator!.url}/v0/meta/bases/${DEMO_BASE_ID}/tables${suffix}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const checkbox = (name: string) => ({ name, type: 'checkbox', options: { color: 'greenBright', icon: 'check' } });

test('create table answers the Table model: ids, primary field, read-format options, a grid view', async () => {
  emulator = await startAirtableEmulator({ schema: [], seed: {} });
  const created = await meta('POST', '', {
    name: 'Lines',
    fields: [
      { name: 'Name', type: 'singleLineText' },
      checkbox('Live Transfer'),
      { name: 'Language', type: 'singleSelect', options: { choices: [{ name: 'en-US' }, { name: 'es-US' }] } },
      { name: 'Started At', type: 'dateTime', options: { timeZone: 'utc', dateFormat: { name: 'iso' }, timeFormat: { name: '24hour' } } },
      { name: 'Attempts', type: 'number', options: { precision: 0 } },
    ],
  });
  expect(created.status).toBe(200);
  const table = created.body as { id: string; primaryFieldId: string; fields: { id: string }[]; views: unknown[] };
  expect(table.id).toMatch(/^tbl[A-Za-z0-9]{14}$/);
  expect(table.primaryFieldId).toBe(table.fields[0].id);
  expect(table.fields[0].id).toMatch(/^fld[A-Za-z0-9]{14}$/);
  expect(table.views).toEqual([{ id: expect.stringMatching(/^viw/), name: 'Grid view', type: 'grid' }]);
  expect(table.fields.slice(1)).toEqual([
    { id: expect.any(String), name: 'Live Transfer', type: 'checkbox', options: { color: 'greenBright', icon: 'check' } },
    { id: expect.any(String), name: 'Language', type: 'singleSelect', options: { choices: [{ id: expect.stringMatching(/^sel[A-Za-z0-9]{14}$/), name: 'en-US' }, { id: expect.any(String), name: 'es-US' }] } },
    { id: expect.any(String), name: 'Started At', type: 'dateTime', options: { timeZone: 'utc', dateFormat: { name: 'iso', format: 'YYYY-MM-DD' }, timeFormat: { name: '24hour', format: 'HH:mm' } } },
    { id: expect.any(String), name: 'Attempts', type: 'number', options: { precision: 0 } },
  ]);
  expect((await meta('GET')).body).toEqual({ tables: [created.body] });
});

test.each([
  ['a checkbox without options', { name: 'X', type: 'checkbox' }],
  ['a number without precision', { name: 'X', type: 'number', options: {} }],
  ['a select without choices', { name: 'X', type: 'singleSelect' }],
  ['a date-time with an unknown format', { name: 'X', type: 'dateTime', options: { timeZone: 'utc', dateFormat: { name: 'weird' }, timeFormat: { name: '24hour' } } }],
  ['text with options', { name: 'X', type: 'singleLineText', options: { precision: 1 } }],
  ['a type the emulator does not model', { name: 'X', type: 'multipleSelects', options: { choices: [] } }],
])('create field refuses %s with a 422', async (_what, config) => {
  emulator = await startAirtableEmulator();
  const tableId = ((await meta('GET')).body.tables as { id: string }[])[0].id;
  const answer = await meta('POST', `/${tableId}/fields`, config);
  expect(answer.status).toBe(422);
  expect(answer.body.error).toEqual({ type: 'INVALID_REQUEST_UNKNOWN', message: expect.any(String) });
});

test('names are unique ignoring case; create field takes a table id, not a name', async () => {
  emulator = await startAirtableEmulator();
  const tables = (await meta('GET')).body.tables as { id: string; name: string }[];
  expect((await meta('POST', '', { name: 'lines', fields: [{ name: 'Name', type: 'singleLineText' }] })).body.error).toMatchObject({ type: 'DUPLICATE_TABLE_NAME' });
  expect((await meta('POST', `/${tables[0].id}/fields`, { name: 'phone number', type: 'phoneNumber' })).body.error).toMatchObject({ type: 'DUPLICATE_OR_EMPTY_FIELD_NAME' });
  expect((await meta('POST', '/Lines/fields', checkbox('New'))).status).toBe(404);
  expect((await meta('POST', '', { name: 'Flags', fields: [checkbox('On')] })).status).toBe(422);
});

test('a wrong token is a 401; another base is a 404', async () => {
  emulator = await startAirtableEmulator({ apiKey: 'patRight' });
  expect((await meta('GET', '', undefined, 'patWrong')).status).toBe(401);
  const other = await fetch(`${emulator.url}/v0/meta/bases/appOther000000001/tables`, { headers: { authorization: 'Bearer patRight' } });
  expect(other.status).toBe(404);
});

test('created tables and fields, and their rows, survive a restart with the same data file', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'meta-'));
  const dataFile = path.join(dir, 'airtable.json');
  try {
    emulator = await startAirtableEmulator({ dataFile });
    const lines = ((await meta('GET')).body.tables as { id: string; name: string }[]).find((t) => t.name === 'Lines')!;
    await meta('POST', `/${lines.id}/fields`, { name: 'Region', type: 'singleLineText' });
    await meta('POST', '', { name: 'Agents', fields: [{ name: 'Name', type: 'singleLineText' }] });
    await emulator.close();

    emulator = await startAirtableEmulator({ dataFile });
    const tables = (await meta('GET')).body.tables as { name: string; fields: { name: string }[] }[];
    expect(tables.map((t) => t.name)).toEqual(['Lines', 'Contacts', 'Callbacks', 'Calls', 'Agents']);
    expect(tables[0].fields.at(-1)!.name).toBe('Region');
    expect(emulator.records('Lines')).toHaveLength(4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a date-time format that contradicts its name is refused', async () => {
  emulator = await startAirtableEmulator();
  const tableId = ((await meta('GET')).body.tables as { id: string }[])[0].id;
  const config = { name: 'When', type: 'dateTime', options: { timeZone: 'utc', dateFormat: { name: 'iso', format: 'M/D/YYYY' }, timeFormat: { name: '24hour' } } };
  expect((await meta('POST', `/${tableId}/fields`, config)).status).toBe(422);
});
