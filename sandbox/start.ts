// `npm start`: the local sandbox with demo data (run after `npm run build`).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { DEMO_CALLERS, demoBase } from './demo-data';
import { PROJECT_DIR, SERVERLESS_PORT_OFFSETS, startSandbox } from './sandbox';
import { SANDBOX_AIRTABLE_API_KEY, SANDBOX_AUTH_TOKEN } from './sandbox-env';

const SANDBOX_DIR = path.join(PROJECT_DIR, '.sandbox');

function readDotEnv(): Record<string, string> {
  const file = path.join(PROJECT_DIR, '.env');
  return existsSync(file) ? (parseEnv(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

/** Only the sandbox's own public development secrets are ever printed. */
function publicOrHidden(value: string | undefined, sandboxValue: string): string {
  return value === sandboxValue ? value : '(yours, from the environment)';
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  mkdirSync(SANDBOX_DIR, { recursive: true });
  const endpointsFile = path.join(SANDBOX_DIR, 'endpoints.json');
  const deployed: string[] = [];
  let endpoints: Record<string, unknown> = {};
  const writeEndpoints = () => writeFileSync(endpointsFile, `${JSON.stringify({ ...endpoints, deployed }, null, 2)}\n`);
  const sandbox = await startSandbox({
    port,
    fileEnv: readDotEnv(),
    env: process.env,
    emulatorPorts: { airtable: port + 1, twilio: port + 2, sendgrid: port + 3 },
    airtableDataFile: path.join(SANDBOX_DIR, 'airtable.json'),
    onRequestLog: (line) => console.log(line),
    transcriptWebhook: true,
    // `npm run deploy -- --sandbox` deploys here; the builds it serves are listed in endpoints.json.
    serverless: {
      dataDir: path.join(SANDBOX_DIR, 'serverless'),
      installCacheDir: path.join(SANDBOX_DIR, 'build-cache'),
      port: port + SERVERLESS_PORT_OFFSETS.proxy,
      firstDomainPort: port + SERVERLESS_PORT_OFFSETS.firstDomain,
      onLog: (line) => console.log(line),
      onDeployed: (url) => {
        if (!deployed.includes(url)) deployed.push(url);
        writeEndpoints();
        console.log(`A build is deployed at ${url}: npm run call -- --url ${url}`);
      },
    },
  });
  const serverless = sandbox.serverless!;
  endpoints = {
    functions: sandbox.baseUrl,
    airtable: sandbox.airtable.url,
    twilio: sandbox.twilio.url,
    sendgrid: sandbox.sendgrid.url,
    serverless: { proxy: serverless.proxyUrl, caFile: serverless.caFile, rehearsalDir: serverless.rehearsalDir },
  };
  writeEndpoints();

  const lines = demoBase().Lines.map((l) => `  ${String(l.Name).padEnd(12)} ${String(l['Phone Number']).padEnd(14)} POST ${sandbox.baseUrl}/voice/incoming  (To=${l['Phone Number']})`);
  console.log(
    [
      '',
      'ivr-escalation sandbox is running (demo data; nothing leaves this machine).',
      '',
      'Demo lines — point "A call comes in" at /voice/incoming:',
      ...lines,
      '',
      'Emulators:',
      `  Airtable  ${sandbox.airtable.url}  (base ${sandbox.env.AIRTABLE_BASE_ID}, token ${publicOrHidden(sandbox.env.AIRTABLE_API_KEY, SANDBOX_AIRTABLE_API_KEY)}; data in .sandbox/airtable.json)`,
      `  Twilio    ${sandbox.twilio.url}`,
      `  SendGrid  ${sandbox.sendgrid.url}`,
      `  Serverless API (twilio-run's deploys, through the proxy ${serverless.proxyUrl}): npm run deploy -- --sandbox`,
      '',
      `Webhooks must be signed (X-Twilio-Signature) with AUTH_TOKEN=${publicOrHidden(sandbox.authToken, SANDBOX_AUTH_TOKEN)}.`,
      `Place a simulated call:  npm run call -- --url ${sandbox.baseUrl} --line support --from ${DEMO_CALLERS.dana}`,
      'Restore the demo data:   npm run sandbox:reset',
      '',
    ].join('\n'),
  );

  const stop = async () => {
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
