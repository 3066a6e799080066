// `npm run sandbox:reset`: restores the demo base. A running sandbox is reset in place; otherwise
// the saved data is removed and the next `npm start` seeds the demo again.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_DIR } from './sandbox';

async function main(): Promise<void> {
  const dir = path.join(PROJECT_DIR, '.sandbox');
  const endpointsFile = path.join(dir, 'endpoints.json');
  if (existsSync(endpointsFile)) {
    const { airtable } = JSON.parse(readFileSync(endpointsFile, 'utf8')) as { airtable: string };
    try {
      const response = await fetch(`${airtable}/__emulator/reset`, { method: 'POST', signal: AbortSignal.timeout(2000) });
      if (response.ok) {
        console.log(`Reset the running Airtable emulator at ${airtable} to the demo data.`);
        return;
      }
    } catch {
      // Not running: fall through to removing the saved data.
    }
  }
  rmSync(path.join(dir, 'airtable.json'), { force: true });
  console.log('Removed .sandbox/airtable.json: the next `npm start` seeds the demo data.');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
