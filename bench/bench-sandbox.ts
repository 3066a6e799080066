// The sandbox as `npm start` runs it (the three emulators with the demo base, the built Functions
// with signature checks), plus the static-TwiML baseline served by the same server, and the line
// cache on as on a warm production instance. Nothing is read from .env or the shell: always local.
import path from 'node:path';
import { demoBase } from '../sandbox/demo-data';
import { startAirtableEmulator, type AirtableEmulator } from '../sandbox/emulators/airtable';
import { startSendGridEmulator } from '../sandbox/emulators/sendgrid';
import { startTwilioEmulator } from '../sandbox/emulators/twilio';
import { startFunctionsServer } from '../sandbox/functions-server';
import { PROJECT_DIR } from '../sandbox/sandbox';
import { SANDBOX_ACCOUNT_SID, SANDBOX_AIRTABLE_API_KEY, SANDBOX_AUTH_TOKEN, SANDBOX_SENDGRID_API_KEY, sandboxEnv } from '../sandbox/sandbox-env';
import { postWebhook, type WebhookAnswer } from '../sandbox/webhook-client';

export const STATIC_TWIML_PATH = '/bench/static-twiml';

export interface BenchSandbox {
  readonly accountSid: string;
  readonly env: Readonly<Record<string, string>>;
  readonly airtable: AirtableEmulator;
  /** A signed webhook to the Functions server. */
  post(pathAndQuery: string, params: Readonly<Record<string, string>>): Promise<WebhookAnswer>;
  close(): Promise<void>;
}

export async function startBenchSandbox(lineCacheSeconds: number): Promise<BenchSandbox> {
  const host = '127.0.0.1';
  const [airtable, twilio, sendgrid] = await Promise.all([
    startAirtableEmulator({ host, apiKey: SANDBOX_AIRTABLE_API_KEY, seed: demoBase() }),
    startTwilioEmulator({ host, accountSid: SANDBOX_ACCOUNT_SID, authToken: SANDBOX_AUTH_TOKEN }),
    startSendGridEmulator({ host, apiKey: SANDBOX_SENDGRID_API_KEY }),
  ]);
  const closeEmulators = () => Promise.all([airtable.close(), twilio.close(), sendgrid.close()]);
  const env = sandboxEnv(
    { airtable: airtable.url, twilio: twilio.url, sendgrid: sendgrid.url },
    {},
    { LINE_CACHE_SECONDS: String(lineCacheSeconds) },
  );
  try {
    const functions = await startFunctionsServer({
      baseDir: PROJECT_DIR,
      env,
      host,
      // Protected like our webhooks, so both pay the same signature check.
      extraFunctions: [{ path: STATIC_TWIML_PATH, filePath: path.join(__dirname, 'static-twiml.js'), access: 'protected' }],
    });
    return {
      accountSid: env.ACCOUNT_SID,
      env,
      airtable,
      post: (pathAndQuery, params) => postWebhook(`${functions.url}${pathAndQuery}`, params, { authToken: env.AUTH_TOKEN }),
      async close() {
        await functions.close();
        await closeEmulators();
      },
    };
  } catch (error) {
    await closeEmulators();
    throw error;
  }
}
