// The local sandbox: the three emulators with the demo base, and the built Functions served with
// signature checks, all on loopback. `npm start` runs one; tests start one per file, in-process.
import path from 'node:path';
import { DEMO_CALLERS, DEMO_LINES, demoBase, type DemoBase } from './demo-data';
import { startAirtableEmulator, type AirtableEmulator, type TableSchema } from './emulators/airtable';
import { startSendGridEmulator, type SendGridEmulator } from './emulators/sendgrid';
import type { ServerlessEmulator, ServerlessEmulatorOptions } from './emulators/serverless';
import { startTwilioEmulator, type TwilioEmulator, type TwilioEmulatorOptions } from './emulators/twilio';
import { startFunctionsServer, type ExtraFunction } from './functions-server';
import {
  SANDBOX_ACCOUNT_SID,
  SANDBOX_AIRTABLE_API_KEY,
  SANDBOX_AUTH_TOKEN,
  SANDBOX_EMAIL_FROM,
  SANDBOX_SENDGRID_API_KEY,
  sandboxEnv,
  type Vars,
} from './sandbox-env';
import { postJsonWebhook, postWebhook, type PostWebhookOptions, type WebhookAnswer } from './webhook-client';

export const PROJECT_DIR = path.resolve(__dirname, '..');

/** Where `npm start` puts the emulated Serverless platform, from its PORT: the proxy, then the deployed builds' domains. */
export const SERVERLESS_PORT_OFFSETS = { proxy: 4, firstDomain: 10 } as const;

/** A number the sandbox's Twilio account owns that is no line (numbers:connect must leave it alone). */
export const SANDBOX_SPARE_NUMBER = '+12025550199';

export interface SandboxOptions {
  /** Variables as if set in the shell: they win over .env and the sandbox defaults. */
  readonly env?: Vars;
  /** Variables as if read from a .env file. */
  readonly fileEnv?: Vars;
  readonly port?: number;
  /** Emulator ports; 0 or absent = any free port. */
  readonly emulatorPorts?: { readonly airtable?: number; readonly twilio?: number; readonly sendgrid?: number };
  readonly seed?: DemoBase;
  /** The Airtable base's tables and fields (default: the project's schema; `[]`: an empty base). */
  readonly airtableSchema?: readonly TableSchema[];
  /** Keep the Airtable emulator's data in this file across restarts. */
  readonly airtableDataFile?: string;
  readonly onRequestLog?: (line: string) => void;
  /** Functions served beside the project's own (the benchmark's static baseline). */
  readonly extraFunctions?: readonly ExtraFunction[];
  /**
   * Whether the Twilio emulator announces completed transcripts to the Functions' /events/transcript
   * (the Intelligence service's webhook), as Twilio does once the service is configured. `npm start`
   * and `npm run call` turn it on; tests opt in (then `await sandbox.twilio.callbacksSettled()`), so
   * that a webhook in flight never writes into the next test's base. Default false.
   */
  readonly transcriptWebhook?: boolean;
  /** `autoCompleteTranscripts: false`: transcripts wait for `sandbox.twilio.completeTranscript` (event-order tests). */
  readonly twilioOptions?: Pick<TwilioEmulatorOptions, 'autoCompleteTranscripts' | 'transcriptContent'>;
  /**
   * Also emulate Twilio's Serverless platform (what `npm run deploy -- --sandbox` deploys to), for the
   * sandbox's account. Off unless given: it makes a certificate authority and may install dependencies.
   */
  readonly serverless?: Omit<ServerlessEmulatorOptions, 'accountSid' | 'authToken' | 'host' | 'lockFrom'>;
}

export interface Sandbox {
  readonly baseUrl: string;
  readonly port: number;
  readonly accountSid: string;
  readonly authToken: string;
  /** What the Functions see as their environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly airtable: AirtableEmulator;
  readonly twilio: TwilioEmulator;
  readonly sendgrid: SendGridEmulator;
  /** The emulated Serverless platform, when asked for. */
  readonly serverless?: ServerlessEmulator;
  /** A signed (unless told otherwise) webhook to a path of the Functions server. */
  post(pathAndQuery: string, params: Readonly<Record<string, string>>, options?: Partial<PostWebhookOptions>): Promise<WebhookAnswer>;
  /** A JSON webhook, signed the way Twilio signs one (`bodySHA256` in the URL). */
  postJson(pathAndQuery: string, payload: unknown, options?: Partial<PostWebhookOptions>): Promise<WebhookAnswer>;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const given = { ...options.fileEnv, ...options.env };
  const host = '127.0.0.1';
  const ports = options.emulatorPorts ?? {};
  const [airtable, twilio, sendgrid] = await Promise.all([
    startAirtableEmulator({
      host,
      port: ports.airtable ?? 0,
      apiKey: SANDBOX_AIRTABLE_API_KEY,
      seed: options.seed ?? demoBase(),
      schema: options.airtableSchema,
      dataFile: options.airtableDataFile,
      // A user's token may not add select options: every value we write must already be SPEC's.
      newSelectOptionsByTypecast: false,
    }),
    startTwilioEmulator({
      host,
      port: ports.twilio ?? 0,
      accountSid: given.ACCOUNT_SID ?? SANDBOX_ACCOUNT_SID,
      authToken: given.AUTH_TOKEN ?? SANDBOX_AUTH_TOKEN,
      // The account owns the demo lines' numbers and one more (IncomingPhoneNumbers).
      incomingNumbers: [...Object.values(DEMO_LINES), SANDBOX_SPARE_NUMBER],
      // The demo landline: a text to it is accepted, then `undelivered` with 30006, as Twilio finds out.
      undeliverable: [DEMO_CALLERS.riley],
      ...options.twilioOptions,
    }),
    // Like a real account, the emulator sends only from the verified sender (EMAIL_FROM): another is a 403.
    startSendGridEmulator({ host, port: ports.sendgrid ?? 0, apiKey: SANDBOX_SENDGRID_API_KEY, verifiedSenders: [given.EMAIL_FROM?.trim() || SANDBOX_EMAIL_FROM] }),
  ]);
  const env = sandboxEnv({ airtable: airtable.url, twilio: twilio.url, sendgrid: sendgrid.url }, options.fileEnv, options.env);
  let serverless: ServerlessEmulator | undefined;
  try {
    if (options.serverless) {
      // Loaded only when asked for: its TLS proxy's certificate library is the largest thing the sandbox loads.
      const { startServerlessEmulator } = await import('./emulators/serverless');
      serverless = await startServerlessEmulator({ ...options.serverless, accountSid: twilio.accountSid, authToken: twilio.authToken, host, lockFrom: PROJECT_DIR });
    }
    const functions = await startFunctionsServer({
      baseDir: PROJECT_DIR,
      env,
      port: options.port ?? 0,
      host,
      onRequestLog: options.onRequestLog,
      extraFunctions: options.extraFunctions,
    });
    if (options.transcriptWebhook) twilio.setIntelligenceWebhook({ url: `${functions.url}/events/transcript`, method: 'POST' });
    return {
      baseUrl: functions.url,
      port: functions.port,
      accountSid: env.ACCOUNT_SID,
      authToken: env.AUTH_TOKEN,
      env,
      airtable,
      twilio,
      sendgrid,
      serverless,
      post: (pathAndQuery, params, postOptions = {}) =>
        postWebhook(`${functions.url}${pathAndQuery}`, params, { authToken: env.AUTH_TOKEN, ...postOptions }),
      postJson: (pathAndQuery, payload, postOptions = {}) =>
        postJsonWebhook(`${functions.url}${pathAndQuery}`, payload, { authToken: env.AUTH_TOKEN, ...postOptions }),
      async close() {
        await functions.close();
        await Promise.all([airtable.close(), twilio.close(), sendgrid.close(), serverless?.close()]);
      },
    };
  } catch (error) {
    await Promise.all([airtable.close(), twilio.close(), sendgrid.close(), serverless?.close()]);
    throw error;
  }
}
