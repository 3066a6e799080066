// airtable:setup against the Airtable emulator's Metadata API, with the real airtable.js for rows.
import Airtable from 'airtable';
import { BASE_SCHEMA } from '../../src/assets/core/base-schema.private';
import { DEMO_BASE_ID, DEMO_CALLERS, DEMO_LINES, demoBase } from '../../sandbox/demo-data';
import { AIRTABLE_SCHEMA, startAirtableEmulator, type AirtableEmulator, type TableSchema } from '../../sandbox/emulators/airtable';
import { startSandbox } from '../../sandbox/sandbox';
import { SANDBOX_AIRTABLE_API_KEY } from '../../sandbox/sandbox-env';
import { call } from '../../sandbox/simulator/call-script';
import { main, setupBase } from '../../scripts/airtable-setup';
import { createMetaClient, explainAirtableError, type MetaTable } from '../../scripts/airtable/meta-client';

const API_KEY = 'patSetupTest.not_a_secret';
let emulator: AirtableEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(schema: readonly TableSchema[], seed = {}) {
  emulator = await startAirtableEmulator({ apiKey: API_KEY, schema, seed });
  return emulator;
}

const shellFor = (url: string, apiKey = API_KEY) => ({ AIRTABLE_API_KEY: apiKey, AIRTABLE_BASE_ID: DEMO_BASE_ID, AIRTABLE_ENDPOINT_URL: url });

/** Runs the CLI's main in-process; .env is read from a directory that has none. */
async function runSetup(url: string, argv: string[] = []) {
  const output: string[] = [];
  const code = await main(argv, { shell: shellFor(url), projectDir: __dirname, write: (line) => output.push(line) });
  return { code, output };
}

const meta = (url: string) => createMetaClient({ apiKey: API_KEY, baseId: DEMO_BASE_ID, endpointUrl: url, writeGapMs: 0 });

/** Tables as name → field name → type. */
const shape = (tables: readonly MetaTable[]) => Object.fromEntries(tables.map((t) => [t.name, Object.fromEntries(t.fields.map((f) => [f.name, f.type]))]));
const expectedShape = Object.fromEntries(BASE_SCHEMA.map((t) => [t.name, Object.fromEntries(t.fields.map((f) => [f.name, f.type]))]));

test('on an empty base it creates the four tables with every field, typed as SPEC §3 says', async () => {
  const { url } = await start([]);
  const { code, output } = await runSetup(url);
  expect(code).toBe(0);
  expect(output).toEqual(expect.arrayContaining(['+ created table Lines with 31 fields', '+ created table Calls with 22 fields']));
  const tables = await meta(url).listTables();
  expect(shape(tables)).toEqual(expectedShape);
  const lines = tables.find((t) => t.name === 'Lines')!;
  expect(lines.primaryFieldId).toBe(lines.fields[0].id);
  expect(lines.fields.find((f) => f.name === 'Transfer Method')!.options).toEqual({
    choices: [expect.objectContaining({ name: 'Bridge' }), expect.objectContaining({ name: 'SIP REFER' })],
  });
  expect(lines.fields.find((f) => f.name === 'Live Transfer')!.options).toEqual({ color: 'greenBright', icon: 'check' });
});

test('run twice, the second run changes nothing and says so', async () => {
  const { url } = await start([]);
  await runSetup(url, ['--demo']);
  const before = JSON.stringify({ tables: await meta(url).listTables(), lines: emulator!.records('Lines') });
  const second = await runSetup(url, ['--demo']);
  expect(second.output.filter((line) => line.startsWith('+'))).toEqual([]);
  expect(second.output).toContain('Nothing to change: the base already has what the Functions need.');
  expect(JSON.stringify({ tables: await meta(url).listTables(), lines: emulator!.records('Lines') })).toBe(before);
});

test('on a base missing one field it adds just that field and keeps the rows and the other tables', async () => {
  const withoutGreeting = AIRTABLE_SCHEMA.map((t) => (t.name === 'Lines' ? { ...t, fields: t.fields.filter((f) => f.name !== 'Greeting') } : t));
  const seed = demoBase();
  for (const line of seed.Lines) delete line.Greeting;
  const { url } = await start(withoutGreeting, seed);
  const rowsBefore = emulator!.records('Lines');

  const result = await setupBase(meta(url), () => undefined);
  expect(result).toMatchObject({ tablesCreated: [], fieldsAdded: ['Lines.Greeting'], rowsAdded: 0 });
  expect(shape(await meta(url).listTables())).toEqual(expectedShape);
  expect(emulator!.records('Lines')).toEqual(rowsBefore);
});

test('--demo adds only the demo rows that are missing, leaving the user\'s own rows alone', async () => {
  const { url } = await start(AIRTABLE_SCHEMA, { Lines: [{ Name: 'Support', 'Phone Number': '+12025550999' }, { Name: 'Billing', 'Phone Number': '+12025550998' }] });
  const { output } = await runSetup(url, ['--demo']);
  expect(output).toContain('+ added 3 demo row(s) to Lines');
  expect(output).toContain('+ added 4 demo row(s) to Contacts');
  const lines = emulator!.records('Lines').map((r) => [r.fields.Name, r.fields['Phone Number']]);
  expect(lines).toEqual([
    ['Support', '+12025550999'],
    ['Billing', '+12025550998'],
    ['Sales', DEMO_LINES.sales],
    ['After-hours', DEMO_LINES.afterHours],
    ['Service Desk', DEMO_LINES.serviceDesk],
  ]);
});

test('on a base from before ring groups and voicemail it adds their fields and the Voicemail kind, keeping the rows', async () => {
  const added: Record<string, string[]> = {
    Lines: ['More Agent Numbers', 'Ring Strategy', 'Ring Seconds', 'Voicemail', 'Voicemail Max Seconds', 'Voicemail Email'],
    Callbacks: ['Voicemail URL'],
    Calls: ['Agent Number', 'Voicemail URL', 'Voicemail Transcript'],
  };
  const before = AIRTABLE_SCHEMA.map((t) => ({ ...t, fields: t.fields.filter((f) => !(added[t.name] ?? []).includes(f.name)) }));
  const seed = demoBase();
  seed.Lines = seed.Lines.filter((line) => line.Name !== 'Service Desk');
  const { url } = await start(before, seed);
  const rowsBefore = emulator!.records('Lines');

  const result = await setupBase(meta(url), () => undefined);
  expect([...result.fieldsAdded].sort()).toEqual(Object.entries(added).flatMap(([table, fields]) => fields.map((f) => `${table}.${f}`)).sort());
  const tables = await meta(url).listTables();
  expect(shape(tables)).toEqual(expectedShape);
  const field = (table: string, name: string) => tables.find((t) => t.name === table)!.fields.find((f) => f.name === name)!;
  expect(field('Lines', 'Ring Strategy').options).toEqual({ choices: [expect.objectContaining({ name: 'In Order' }), expect.objectContaining({ name: 'Simultaneous' })] });
  expect(field('Callbacks', 'Kind').options).toEqual(expect.objectContaining({ choices: expect.arrayContaining([expect.objectContaining({ name: 'Voicemail' })]) }));
  expect(emulator!.records('Lines')).toEqual(rowsBefore);
});

test('a field of the wrong type is left as it is and reported', async () => {
  const retyped = AIRTABLE_SCHEMA.map((t) =>
    t.name === 'Lines' ? { ...t, fields: t.fields.map((f) => (f.name === 'Live Transfer' ? { id: f.id, name: f.name, type: 'singleLineText' as const } : f)) } : t,
  );
  const { url } = await start(retyped, {});
  const { output } = await runSetup(url);
  expect(output).toContain('! left as it is: Lines › Live Transfer is singleLineText, expected checkbox (npm run airtable:doctor says how to fix it)');
  expect((await meta(url).listTables()).find((t) => t.name === 'Lines')!.fields.find((f) => f.name === 'Live Transfer')!.type).toBe('singleLineText');
});

test('a token Airtable refuses stops the command with what to do', async () => {
  const { url } = await start([]);
  const output: string[] = [];
  await expect(main([], { shell: shellFor(url, 'patWrong.token'), projectDir: __dirname, write: (l) => output.push(l) })).rejects.toMatchObject({ status: 401 });
});

test('missing settings are named', async () => {
  await expect(main([], { shell: {}, projectDir: __dirname, write: () => undefined })).rejects.toThrow('AIRTABLE_API_KEY and AIRTABLE_BASE_ID not set');
});

test('the Functions answer calls on a base that setup --demo built from nothing', async () => {
  const sandbox = await startSandbox({ airtableSchema: [], seed: {} });
  try {
    const output: string[] = [];
    const code = await main(['--demo'], {
      shell: { AIRTABLE_API_KEY: SANDBOX_AIRTABLE_API_KEY, AIRTABLE_BASE_ID: DEMO_BASE_ID, AIRTABLE_ENDPOINT_URL: sandbox.airtable.url },
      projectDir: __dirname,
      write: (line) => output.push(line),
    });
    expect(code).toBe(0);
    await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
      .expectSay('Welcome to Acme Support')
      .say('agent')
      .expectSay('Hi Dana')
      .hangup()
      .expectEnd('party');
    const contacts = await new Airtable({ apiKey: SANDBOX_AIRTABLE_API_KEY, endpointUrl: sandbox.airtable.url }).base(DEMO_BASE_ID)('Contacts').select().all();
    expect(contacts.map((c) => c.get('Name'))).toEqual(['Dana Whitfield', 'Luis Ortega', 'Morgan Reyes', 'Riley Chen']);
  } finally {
    await sandbox.close();
  }
});

test('a rate-limited base stops setup with the 30-second advice, before anything is half made', async () => {
  const { url } = await start([]);
  emulator!.faults.set({ table: 'meta', method: 'POST', status: 429 });
  const error = await main([], { shell: shellFor(url), projectDir: __dirname, write: () => undefined }).catch((e: unknown) => e);
  expect(error).toMatchObject({ status: 429, type: 'RATE_LIMITED' });
  expect(explainAirtableError(error as never)).toContain('wait 30 seconds and run the command again');
  expect(await meta(url).listTables()).toEqual([]);
});
