// `npm run sandbox:reset`: restores the demo base. A running sandbox is reset in place; otherwise
// the saved data is removed and the next `npm start` seeds the demo again.
// `npm run sandbox:reset -- --hours open|closed` then pins the demo lines' business hours of the running
// sandbox (as `npm run call -- --hours` does for a sandbox of its own), through the Airtable Web API with the
// sandbox's public token: calls to it, or to a build deployed to it, then get the same menu at any time of day.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_BASE_ID, demoBaseWithHours, type DemoHours } from './demo-data';
import { PROJECT_DIR } from './sandbox';
import { SANDBOX_AIRTABLE_API_KEY } from './sandbox-env';

/** Sets each demo line's Business Hours and Holidays as `demoBaseWithHours(hours)` has them. */
async function pinHours(airtable: string, hours: DemoHours): Promise<void> {
  const lines = `${airtable}/v0/${DEMO_BASE_ID}/Lines`;
  const headers = { Authorization: `Bearer ${SANDBOX_AIRTABLE_API_KEY}`, 'Content-Type': 'application/json' };
  const { records } = (await (await fetch(lines, { headers })).json()) as { records: { id: string; fields: Record<string, unknown> }[] };
  for (const demo of demoBaseWithHours(hours).Lines) {
    const record = records.find((r) => r.fields['Phone Number'] === demo['Phone Number']);
    if (!record) continue;
    const fields = { 'Business Hours': demo['Business Hours'] ?? null, Holidays: demo.Holidays ?? null };
    const response = await fetch(`${lines}/${record.id}`, { method: 'PATCH', headers, body: JSON.stringify({ fields }) });
    if (!response.ok) throw new Error(`Airtable answered ${response.status} to the hours of ${demo.Name}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { hours: { type: 'string' } } });
  if (values.hours !== undefined && !['open', 'closed'].includes(values.hours)) throw new Error('--hours is open or closed');
  const dir = path.join(PROJECT_DIR, '.sandbox');
  const endpointsFile = path.join(dir, 'endpoints.json');
  if (existsSync(endpointsFile)) {
    const { airtable } = JSON.parse(readFileSync(endpointsFile, 'utf8')) as { airtable: string };
    // Not running: fall through to removing the saved data.
    const reset = await fetch(`${airtable}/__emulator/reset`, { method: 'POST', signal: AbortSignal.timeout(2000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (reset) {
      console.log(`Reset the running Airtable emulator at ${airtable} to the demo data.`);
      if (values.hours) {
        await pinHours(airtable, values.hours as DemoHours);
        console.log(`The demo lines are ${values.hours} at any time of day until the next reset.`);
      }
      return;
    }
  }
  if (values.hours) throw new Error('--hours pins the hours of a running sandbox: start it with `npm start` first');
  rmSync(path.join(dir, 'airtable.json'), { force: true });
  console.log('Removed .sandbox/airtable.json: the next `npm start` seeds the demo data.');
}

main().catch((error) => {
  console.error(`npm run sandbox:reset: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
