// Builds the environment the Functions see in the local sandbox. Precedence, lowest first:
// sandbox defaults < .env file < variables set in the shell. A service whose real credentials are
// given (in .env or the shell) is not pointed at its emulator, so `.env` with real keys talks to the
// real service while the rest stays local.
import { DEMO_BASE_ID } from './demo-data';

/** Fixed, public development credentials (documented in the README): they only open the local emulators. */
export const SANDBOX_ACCOUNT_SID = 'AC00000000000000000000000000000001';
export const SANDBOX_AUTH_TOKEN = 'sandbox_auth_token_not_a_secret';
export const SANDBOX_AIRTABLE_API_KEY = 'patSandbox00000001.not_a_secret';
export const SANDBOX_SENDGRID_API_KEY = 'SG.sandbox_not_a_secret.sandbox_not_a_secret';
export const SANDBOX_MESSAGING_SERVICE_SID = 'MG00000000000000000000000000000001';
export const SANDBOX_INTELLIGENCE_SERVICE_SID = 'GA00000000000000000000000000000001';
export const SANDBOX_DISPATCH_SECRET = 'sandbox-dispatch-secret';
/** The sandbox's sender, a verified Sender Identity in its SendGrid emulator. */
export const SANDBOX_EMAIL_FROM = 'support@example.com';

/** Every account feature flag (SPEC §4); the sandbox turns them all on. */
export const FEATURE_FLAGS = [
  'FEATURE_IVR_BRIDGE_CALL',
  'FEATURE_CLICK_TO_CALL',
  'FEATURE_AVATAR_MODE',
  'FEATURE_SMART_CALLBACK_SCHEDULING',
  'FEATURE_SMS',
  'FEATURE_EMAIL',
  'FEATURE_VOICEMAIL',
] as const;

/** The variables a Function may see (SPEC §4 plus our tuning knobs); nothing else leaks from the shell. */
export const FUNCTION_ENV_KEYS = [
  'ACCOUNT_SID',
  'AUTH_TOKEN',
  'AIRTABLE_API_KEY',
  'AIRTABLE_BASE_ID',
  'SENDGRID_API_KEY',
  'EMAIL_FROM',
  'SENDGRID_TEMPLATE_ID',
  ...FEATURE_FLAGS,
  'MESSAGING_SERVICE_SID',
  'INTELLIGENCE_SERVICE_SID',
  'SIP_DOMAIN',
  'DISPATCH_SECRET',
  'FALLBACK_TRANSFER_NUMBER',
  'DEFAULT_TIMEZONE',
  'LINE_CACHE_SECONDS',
  'WEBHOOK_BUDGET_SECONDS',
  'DISPATCH_SETTLE_SECONDS',
  'AIRTABLE_REQUESTS_PER_SECOND',
  'AIRTABLE_ENDPOINT_URL',
  'TWILIO_API_BASE_URL',
  'SENDGRID_API_BASE_URL',
] as const;

export interface EmulatorUrls {
  readonly airtable: string;
  readonly twilio: string;
  readonly sendgrid: string;
}

export type Vars = Readonly<Record<string, string | undefined>>;

function pick(vars: Vars): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of FUNCTION_ENV_KEYS) {
    const value = vars[key];
    // A blank line copied from .env.example means "not set", not "set to nothing".
    if (value !== undefined && value.trim() !== '') picked[key] = value.trim();
  }
  return picked;
}

export function sandboxEnv(emulators: EmulatorUrls, fileVars: Vars = {}, shellVars: Vars = {}): Record<string, string> {
  const given = { ...pick(fileVars), ...pick(shellVars) };
  const defaults: Record<string, string> = {
    EMAIL_FROM: SANDBOX_EMAIL_FROM,
    MESSAGING_SERVICE_SID: SANDBOX_MESSAGING_SERVICE_SID,
    INTELLIGENCE_SERVICE_SID: SANDBOX_INTELLIGENCE_SERVICE_SID,
    DISPATCH_SECRET: SANDBOX_DISPATCH_SECRET,
    DEFAULT_TIMEZONE: 'America/New_York',
    // Local edits in the Airtable emulator show on the very next call.
    LINE_CACHE_SECONDS: '0',
    ...Object.fromEntries(FEATURE_FLAGS.map((flag) => [flag, 'true'])),
  };
  if (!given.AIRTABLE_API_KEY) {
    Object.assign(defaults, {
      AIRTABLE_API_KEY: SANDBOX_AIRTABLE_API_KEY,
      AIRTABLE_BASE_ID: DEMO_BASE_ID,
      AIRTABLE_ENDPOINT_URL: emulators.airtable,
      // The emulator enforces Airtable's 5 requests a second only when asked (`setRateLimit`, the bench's
      // call mix), so the Functions need not pace their requests to it; a real base keeps the default 5.
      AIRTABLE_REQUESTS_PER_SECOND: '0',
    });
  }
  // The auth token also signs webhooks, so it may be set alone; only a real account SID means real Twilio.
  defaults.AUTH_TOKEN = SANDBOX_AUTH_TOKEN;
  if (!given.ACCOUNT_SID) {
    Object.assign(defaults, { ACCOUNT_SID: SANDBOX_ACCOUNT_SID, TWILIO_API_BASE_URL: emulators.twilio });
  }
  if (!given.SENDGRID_API_KEY) {
    Object.assign(defaults, { SENDGRID_API_KEY: SANDBOX_SENDGRID_API_KEY, SENDGRID_API_BASE_URL: emulators.sendgrid });
  }
  return { ...defaults, ...given };
}
