// `npm run airtable:doctor`: reads the base (its tables through the Metadata API, the Lines rows
// through airtable.js) and the settings, and prints a checklist where every finding says how to fix
// it. Exit 1 when there are errors, 0 when there are only warnings (or nothing).
import { parseArgs } from 'node:util';
import { airtableBase, runCommand, stdoutLine, type CommandContext } from './lib/cli';
import { loadSettings, requireAirtable } from './lib/settings';
import { countBySeverity, diagnose, formatChecklist, type Area, type Finding, type LineRow } from './airtable/doctor-checks';
import { createMetaClient, explainAirtableError, type MetaTable } from './airtable/meta-client';

const HELP = `Usage: npm run airtable:doctor

Checks the base AIRTABLE_BASE_ID (tables, field types, every line's settings) and the settings in your
shell and .env against what the Functions need. Needs a token with schema.bases:read and data.records:read.
Exit code 1 when something must be fixed, 0 when there are only warnings.`;

export async function main(argv: readonly string[], context: CommandContext = {}): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { help: { type: 'boolean', default: false } } });
  const write = context.write ?? stdoutLine;
  if (values.help) {
    write(HELP);
    return 0;
  }
  const settings = loadSettings(context.projectDir, context.shell ?? process.env);
  const airtable = requireAirtable(settings.config);
  const unreadable: Finding[] = [];
  const skipped = new Set<Area>();

  let tables: MetaTable[] | undefined;
  try {
    tables = await createMetaClient(airtable).listTables();
  } catch (error) {
    skipped.add('Tables and fields');
    unreadable.push({ severity: 'error', area: 'Tables and fields', subject: 'the base\'s schema', problem: 'could not be read', fix: explainAirtableError(error as never) });
  }

  let lines: LineRow[] | undefined;
  if (!tables || tables.some((t) => t.name === 'Lines')) {
    try {
      const records = await airtableBase(airtable)('Lines').select().all();
      lines = records.map((r) => ({ id: r.id, fields: r.fields }));
    } catch (error) {
      skipped.add('Lines');
      unreadable.push({ severity: 'error', area: 'Lines', subject: 'the Lines table', problem: 'could not be read', fix: explainAirtableError(error as never) });
    }
  } else {
    skipped.add('Lines');
  }

  let contacts: LineRow[] | undefined;
  if (!tables || tables.some((t) => t.name === 'Contacts' && ['Name', 'Phone', 'Callback Number'].every((name) => t.fields.some((f) => f.name === name)))) {
    try {
      const records = await airtableBase(airtable)('Contacts').select({ fields: ['Name', 'Phone', 'Callback Number'] }).all();
      contacts = records.map((r) => ({ id: r.id, fields: r.fields }));
    } catch (error) {
      skipped.add('Contacts');
      unreadable.push({ severity: 'error', area: 'Contacts', subject: 'the Contacts table', problem: 'could not be read', fix: explainAirtableError(error as never) });
    }
  } else {
    skipped.add('Contacts');
  }

  const findings = [...unreadable, ...diagnose({ tables, lines, contacts, vars: settings.vars })];
  write(`Airtable base ${airtable.baseId}${airtable.endpointUrl ? ` at ${airtable.endpointUrl}` : ''}${lines ? `, ${lines.length} line(s)` : ''}`);
  formatChecklist(findings, skipped).forEach((line) => write(line));
  return countBySeverity(findings).errors > 0 ? 1 : 0;
}

if (require.main === module) runCommand('airtable:doctor', () => main(process.argv.slice(2)));
