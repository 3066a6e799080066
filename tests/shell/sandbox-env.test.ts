import { sandboxEnv, SANDBOX_AUTH_TOKEN } from '../../sandbox/sandbox-env';

const emulators = { airtable: 'http://127.0.0.1:1', twilio: 'http://127.0.0.1:2', sendgrid: 'http://127.0.0.1:3' };

test('with no .env and no shell variables, every client points at its emulator and all features are on', () => {
  const env = sandboxEnv(emulators);
  expect(env).toMatchObject({
    AIRTABLE_ENDPOINT_URL: emulators.airtable,
    TWILIO_API_BASE_URL: emulators.twilio,
    SENDGRID_API_BASE_URL: emulators.sendgrid,
    AUTH_TOKEN: SANDBOX_AUTH_TOKEN,
    FEATURE_IVR_BRIDGE_CALL: 'true',
    FEATURE_CLICK_TO_CALL: 'true',
    FEATURE_AVATAR_MODE: 'true',
    FEATURE_SMART_CALLBACK_SCHEDULING: 'true',
    FEATURE_SMS: 'true',
    FEATURE_EMAIL: 'true',
    FEATURE_VOICEMAIL: 'true',
  });
  expect(env.FALLBACK_TRANSFER_NUMBER).toBeUndefined();
});

test('shell variables win over .env, which wins over the defaults', () => {
  const env = sandboxEnv(emulators, { FEATURE_SMS: 'false', DEFAULT_TIMEZONE: 'Europe/London' }, { FEATURE_SMS: 'true', FEATURE_EMAIL: 'false' });
  expect(env.FEATURE_SMS).toBe('true');
  expect(env.FEATURE_EMAIL).toBe('false');
  expect(env.DEFAULT_TIMEZONE).toBe('Europe/London');
});

test('real credentials switch that service to the real API and leave the others on their emulators', () => {
  const env = sandboxEnv(emulators, { AIRTABLE_API_KEY: 'patREAL.key', AIRTABLE_BASE_ID: 'appREAL' });
  expect(env.AIRTABLE_ENDPOINT_URL).toBeUndefined();
  expect(env.AIRTABLE_BASE_ID).toBe('appREAL');
  expect(env.TWILIO_API_BASE_URL).toBe(emulators.twilio);
});

test("the emulated base goes unpaced (it enforces Airtable's rate only when asked); a real base keeps the default pace, and the shell can set it", () => {
  expect(sandboxEnv(emulators).AIRTABLE_REQUESTS_PER_SECOND).toBe('0');
  expect(sandboxEnv(emulators, { AIRTABLE_API_KEY: 'patREAL.key', AIRTABLE_BASE_ID: 'appREAL' }).AIRTABLE_REQUESTS_PER_SECOND).toBeUndefined();
  expect(sandboxEnv(emulators, {}, { AIRTABLE_REQUESTS_PER_SECOND: '5' }).AIRTABLE_REQUESTS_PER_SECOND).toBe('5');
});

test('blank values copied from .env.example count as unset', () => {
  const env = sandboxEnv(emulators, { AIRTABLE_API_KEY: '', ACCOUNT_SID: '  ' });
  expect(env.AIRTABLE_ENDPOINT_URL).toBe(emulators.airtable);
  expect(env.TWILIO_API_BASE_URL).toBe(emulators.twilio);
});

test('nothing else from the shell reaches the Functions', () => {
  const env = sandboxEnv(emulators, {}, { PATH: '/usr/bin', HOME: '/root', FEATURE_SMS: 'false' });
  expect(env.PATH).toBeUndefined();
  expect(env.HOME).toBeUndefined();
});
