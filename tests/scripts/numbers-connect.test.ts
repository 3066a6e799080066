// numbers:connect against the Airtable and Twilio emulators with the real clients: a dry run changes
// nothing, --apply changes exactly the lines' numbers, with parameters of Twilio's update.
import { DEMO_BASE_ID, DEMO_LINES, demoBase } from '../../sandbox/demo-data';
import { startAirtableEmulator, type AirtableEmulator } from '../../sandbox/emulators/airtable';
import { startTwilioEmulator, type TwilioEmulator } from '../../sandbox/emulators/twilio';
import { main } from '../../scripts/numbers-connect';

const ACCOUNT_SID = 'AC22222222222222222222222222222222';
const AUTH_TOKEN = 'numbers-connect-test-token';
const SERVICE = 'https://ivr-escalation-1234-dev.twil.io';
const NOT_A_LINE = '+12025550177';
const STUDIO_FLOW = `https://webhooks.twilio.com/v1/Accounts/${ACCOUNT_SID}/Flows/FW00000000000000000000000000000001`;
/** The IncomingPhoneNumber update parameters of the official API definition (api v2010). */
const UPDATE_PARAMETERS = ['AccountSid', 'ApiVersion', 'FriendlyName', 'SmsApplicationSid', 'SmsFallbackMethod', 'SmsFallbackUrl', 'SmsMethod', 'SmsUrl', 'StatusCallback', 'StatusCallbackMethod', 'VoiceApplicationSid', 'VoiceCallerIdLookup', 'VoiceFallbackMethod', 'VoiceFallbackUrl', 'VoiceMethod', 'VoiceUrl', 'EmergencyStatus', 'EmergencyAddressSid', 'TrunkSid', 'VoiceReceiveMode', 'IdentitySid', 'AddressSid', 'BundleSid'];

let airtable: AirtableEmulator;
let twilio: TwilioEmulator;

beforeAll(async () => {
  const base = demoBase();
  base.Lines.push({ Name: 'Elsewhere', 'Phone Number': '+12025550166' }, { Name: 'Typo', 'Phone Number': '202 555 0155' });
  airtable = await startAirtableEmulator({ seed: base });
  twilio = await startTwilioEmulator({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    incomingNumbers: [{ phoneNumber: DEMO_LINES.sales, voiceUrl: 'https://demo.twilio.com/welcome/voice/' }, DEMO_LINES.support, { phoneNumber: DEMO_LINES.afterHours, voiceUrl: STUDIO_FLOW }, { phoneNumber: NOT_A_LINE, voiceUrl: 'https://other-app.example.com/voice' }],
  });
});
beforeEach(() => twilio.reset());
afterAll(async () => {
  await airtable.close();
  await twilio.close();
});

async function connect(...argv: string[]) {
  const output: string[] = [];
  const shell = { AIRTABLE_API_KEY: 'patTest', AIRTABLE_BASE_ID: DEMO_BASE_ID, AIRTABLE_ENDPOINT_URL: airtable.url, ACCOUNT_SID, AUTH_TOKEN, TWILIO_API_BASE_URL: twilio.url };
  const code = await main(['--url', SERVICE, ...argv], { shell, projectDir: __dirname, write: (line) => output.push(line) });
  return { code, text: output.join('\n') };
}

const updatesOf = (phoneNumber: string) => twilio.incomingNumbers().find((n) => n.resource.phone_number === phoneNumber)!.updates;

test('the dry run prints the plan and changes nothing', async () => {
  const { code, text } = await connect();
  expect(code).toBe(0);
  expect(text).toContain(`Dry run (add --apply to change): 5 line number(s) to ${SERVICE}`);
  expect(text).toContain(`~ would update ${DEMO_LINES.sales}`);
  expect(text).toContain(`voiceUrl: https://demo.twilio.com/welcome/voice/ → ${SERVICE}/voice/incoming`);
  expect(text).toContain('! line Typo: Phone Number "202 555 0155" is not E.164, skipped');
  expect(text).toContain('! +12025550166 is a line but not a number of this account: left alone');
  expect(text).toContain('· 1 other number(s) of this account are not lines: not touched');
  expect(twilio.incomingNumbers().flatMap((n) => n.updates)).toEqual([]);
  expect(twilio.requests().filter((r) => r.method !== 'GET')).toEqual([]);
});

test('--apply updates exactly the lines\' numbers, once, with parameters the API definition accepts', async () => {
  const { code, text } = await connect('--apply');
  expect(code).toBe(0);
  expect(text).toContain(`+ updated ${DEMO_LINES.support}`);
  const wired = { StatusCallback: `${SERVICE}/events/call-status`, StatusCallbackMethod: 'POST', SmsUrl: `${SERVICE}/sms/incoming`, SmsMethod: 'POST' };
  expect(updatesOf(DEMO_LINES.sales)).toEqual([{ VoiceUrl: `${SERVICE}/voice/incoming`, VoiceMethod: 'POST', ...wired }]);
  expect(updatesOf(DEMO_LINES.support)).toEqual([{ VoiceUrl: `${SERVICE}/voice/incoming`, VoiceMethod: 'POST', ...wired }]);
  // The Studio-flow number keeps its flow.
  expect(updatesOf(DEMO_LINES.afterHours)).toEqual([wired]);
  expect(text).toContain('note: voice stays with its Studio flow');
  expect(updatesOf(NOT_A_LINE)).toEqual([]);

  const posts = twilio.requests().filter((r) => r.method === 'POST');
  expect(posts).toHaveLength(3);
  for (const post of posts) {
    expect(post.status).toBe(200);
    for (const [name, value] of Object.entries(post.params)) {
      expect(UPDATE_PARAMETERS).toContain(name);
      const text = Array.isArray(value) ? value.join() : String(value);
      if (name.endsWith('Method')) expect(['GET', 'POST']).toContain(text);
      else expect(new URL(text).protocol).toBe('https:');
    }
  }

  const again = await connect('--apply');
  expect(again.text).toContain(`✓ ${DEMO_LINES.sales} already connected`);
  expect(twilio.requests().filter((r) => r.method === 'POST')).toHaveLength(3);
});

test('without --url it says what to pass; without Twilio credentials it names them', async () => {
  await expect(main([], { shell: {}, projectDir: __dirname, write: () => undefined })).rejects.toThrow('--url is required');
  await expect(
    main(['--url', SERVICE], { shell: { AIRTABLE_API_KEY: 'patTest', AIRTABLE_BASE_ID: DEMO_BASE_ID, AIRTABLE_ENDPOINT_URL: airtable.url }, projectDir: __dirname, write: () => undefined }),
  ).rejects.toThrow('ACCOUNT_SID and AUTH_TOKEN not set');
});

test('with a Messaging Service, it checks that incoming texts reach the numbers\' own webhook', async () => {
  const output: string[] = [];
  const shell = {
    AIRTABLE_API_KEY: 'patTest',
    AIRTABLE_BASE_ID: DEMO_BASE_ID,
    AIRTABLE_ENDPOINT_URL: airtable.url,
    ACCOUNT_SID,
    AUTH_TOKEN,
    TWILIO_API_BASE_URL: twilio.url,
    MESSAGING_SERVICE_SID: 'MG00000000000000000000000000000001',
  };
  await main(['--url', SERVICE], { shell, projectDir: __dirname, write: (line) => output.push(line) });
  expect(output).toContain("✓ Messaging Service MG00000000000000000000000000000001 hands incoming texts to each number's own webhook");
});
