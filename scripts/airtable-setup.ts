// `npm run airtable:setup [-- --demo]`: creates the four tables of SPEC §3 in an existing base through
// Airtable's Metadata API (a token with schema.bases:write), adding only what is missing: a user's
// tables, fields and rows are never changed or deleted, so running it again changes nothing.
// `--demo` also adds the demo lines and contacts that are not there yet (matched on their Name).
import { parseArgs } from 'node:util';
import type Airtable from 'airtable';
import { BASE_SCHEMA, type TableSpec } from '../src/assets/core/base-schema.private';
import type { DemoBase } from '../sandbox/demo-data';
import { airtableBase, runCommand, stdoutLine, type CommandContext } from './lib/cli';
import { loadSettings, requireAirtable } from './lib/settings';
import { createMetaClient, type MetaClient } from './airtable/meta-client';
import { fieldConfig, planSchema, type FieldMismatch } from './airtable/schema-plan';

export interface SetupResult {
  readonly tablesCreated: readonly string[];
  readonly fieldsAdded: readonly string[];
  readonly rowsAdded: number;
  readonly mismatches: readonly FieldMismatch[];
}

const AIRTABLE_BATCH = 10;

export async function setupBase(
  meta: MetaClient,
  write: (line: string) => void,
  demo?: { readonly base: Airtable.Base; readonly rows: DemoBase },
  schema: readonly TableSpec[] = BASE_SCHEMA,
): Promise<SetupResult> {
  const plan = planSchema(schema, await meta.listTables());
  const tablesCreated: string[] = [];
  const fieldsAdded: string[] = [];
  for (const table of plan.tablesToCreate) {
    await meta.createTable(table.name, table.fields.map(fieldConfig));
    tablesCreated.push(table.name);
    write(`+ created table ${table.name} with ${table.fields.length} fields`);
  }
  for (const { table, field } of plan.fieldsToAdd) {
    await meta.createField(table.id, fieldConfig(field));
    fieldsAdded.push(`${table.name}.${field.name}`);
    write(`+ added field ${table.name} › ${field.name} (${field.type})`);
  }
  for (const name of plan.complete) write(`✓ table ${name} already has every field`);
  for (const m of plan.mismatches) write(`! left as it is: ${describeMismatch(m)} (npm run airtable:doctor says how to fix it)`);

  let rowsAdded = 0;
  if (demo) {
    for (const [tableName, rows] of Object.entries(demo.rows)) {
      if (rows.length === 0) continue;
      const added = await addMissingRows(demo.base, schema, tableName, rows);
      rowsAdded += added;
      write(added ? `+ added ${added} demo row(s) to ${tableName}` : `✓ ${tableName} already has the demo rows`);
    }
  }
  if (!tablesCreated.length && !fieldsAdded.length && !rowsAdded) write('Nothing to change: the base already has what the Functions need.');
  return { tablesCreated, fieldsAdded, rowsAdded, mismatches: plan.mismatches };
}

export function describeMismatch(m: FieldMismatch): string {
  const where = m.field ? `${m.table} › ${m.field}` : `table ${m.table}`;
  switch (m.problem) {
    case 'wrong-type':
    case 'compatible-type':
      return `${where} is ${m.actual}, expected ${m.expected}`;
    case 'missing-choices':
      return `${where} lacks the option(s) ${m.expected}`;
    case 'name-case':
      return `${where} is spelled "${m.actual}", expected "${m.expected}"`;
  }
}

/** Rows whose primary field value is not in the table yet; never touches existing rows. */
async function addMissingRows(base: Airtable.Base, schema: readonly TableSpec[], tableName: string, rows: readonly Record<string, unknown>[]): Promise<number> {
  const primary = schema.find((t) => t.name === tableName)?.fields[0]?.name;
  if (!primary) return 0;
  const existing = await base(tableName).select({ fields: [primary] }).all();
  const present = new Set(existing.map((r) => r.get(primary)));
  const missing = rows.filter((row) => !present.has(row[primary] as never));
  for (let i = 0; i < missing.length; i += AIRTABLE_BATCH) {
    // typecast: a select option the user removed comes back instead of failing the row.
    await base(tableName).create(missing.slice(i, i + AIRTABLE_BATCH).map((fields) => ({ fields })) as never, { typecast: true });
  }
  return missing.length;
}

const HELP = `Usage: npm run airtable:setup [-- --demo]

Creates the Lines, Contacts, Callbacks and Calls tables (SPEC §3) in the base AIRTABLE_BASE_ID, or adds
the fields an existing table lacks. Needs AIRTABLE_API_KEY: a personal access token with
schema.bases:read, schema.bases:write, data.records:read and data.records:write on that base.
Never changes or deletes anything already in the base; safe to run again.

  --demo   also add the demo lines and contacts that are not in the base yet`;

export async function main(argv: readonly string[], context: CommandContext = {}): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { demo: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
  const write = context.write ?? stdoutLine;
  if (values.help) {
    write(HELP);
    return 0;
  }
  const airtable = requireAirtable(loadSettings(context.projectDir, context.shell ?? process.env).config);
  write(`Airtable base ${airtable.baseId}${airtable.endpointUrl ? ` at ${airtable.endpointUrl}` : ''}:`);
  const meta = createMetaClient(airtable);
  // The demo rows are the sandbox's demo base, loaded only when asked for: nothing else here needs sandbox/.
  const demo = values.demo ? { base: airtableBase(airtable), rows: (await import('../sandbox/demo-data')).demoBase() } : undefined;
  await setupBase(meta, write, demo);
  return 0;
}

if (require.main === module) runCommand('airtable:setup', () => main(process.argv.slice(2)));
