// Reads the Functions context (the deployed environment variables, SPEC §4) into one typed object
// (core/model's Config). Every other module receives a Config; nothing else reads the environment.
import { AIRTABLE_REQUESTS_PER_SECOND } from '../adapters/airtable-pacer.private';
import type { Config } from '../core/model.private';


/** Twilio waits up to 15 s, but SPEC §5 promises TwiML within 4 s: keep a margin for the network. */
export const DEFAULT_WEBHOOK_BUDGET_MS = 3000;
export const MAX_WEBHOOK_BUDGET_MS = 3500;
/** The dispatcher's claim settle: an Airtable read and write must fit in it. Lower only where Airtable answers fast (the tests' emulator). */
export const DEFAULT_DISPATCH_SETTLE_MS = 2000;

export type Env = Readonly<Record<string, unknown>>;

/** A trimmed, non-empty string value, or undefined: unset and blank variables mean the same. */
function text(env: Env, key: string): string | undefined {
  const value = env[key];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function seconds(env: Env, key: string, fallback: number): number {
  const value = Number(text(env, key));
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

export function readConfig(env: Env): Config {
  const featureFlags: Record<string, string | undefined> = {};
  for (const key of Object.keys(env)) {
    if (key.startsWith('FEATURE_')) featureFlags[key] = text(env, key);
  }
  return {
    accountSid: text(env, 'ACCOUNT_SID'),
    authToken: text(env, 'AUTH_TOKEN'),
    airtable: {
      apiKey: text(env, 'AIRTABLE_API_KEY'),
      baseId: text(env, 'AIRTABLE_BASE_ID'),
      endpointUrl: text(env, 'AIRTABLE_ENDPOINT_URL'),
      // Airtable's own limit; a base whose rate is not enforced (the sandbox's emulator) may go unpaced with 0.
      requestsPerSecond: Math.min(seconds(env, 'AIRTABLE_REQUESTS_PER_SECOND', AIRTABLE_REQUESTS_PER_SECOND), AIRTABLE_REQUESTS_PER_SECOND),
    },
    sendgrid: {
      apiKey: text(env, 'SENDGRID_API_KEY'),
      apiBaseUrl: text(env, 'SENDGRID_API_BASE_URL'),
      emailFrom: text(env, 'EMAIL_FROM'),
      templateId: text(env, 'SENDGRID_TEMPLATE_ID'),
    },
    domainName: text(env, 'DOMAIN_NAME'),
    twilioApiBaseUrl: text(env, 'TWILIO_API_BASE_URL'),
    messagingServiceSid: text(env, 'MESSAGING_SERVICE_SID'),
    intelligenceServiceSid: text(env, 'INTELLIGENCE_SERVICE_SID'),
    sipDomain: text(env, 'SIP_DOMAIN'),
    dispatchSecret: text(env, 'DISPATCH_SECRET'),
    fallbackTransferNumber: text(env, 'FALLBACK_TRANSFER_NUMBER'),
    defaultTimezone: text(env, 'DEFAULT_TIMEZONE') ?? 'America/New_York',
    lineCacheMs: seconds(env, 'LINE_CACHE_SECONDS', 30) * 1000,
    webhookBudgetMs: Math.min(seconds(env, 'WEBHOOK_BUDGET_SECONDS', DEFAULT_WEBHOOK_BUDGET_MS / 1000) * 1000, MAX_WEBHOOK_BUDGET_MS),
    // Never longer than the default: a run's rounds (ROUND_MIN_MS) are sized for it.
    dispatchSettleMs: Math.min(seconds(env, 'DISPATCH_SETTLE_SECONDS', DEFAULT_DISPATCH_SETTLE_MS / 1000) * 1000, DEFAULT_DISPATCH_SETTLE_MS),
    featureFlags,
  };
}
