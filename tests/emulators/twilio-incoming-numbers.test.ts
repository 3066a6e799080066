// The Twilio emulator's IncomingPhoneNumbers, through the real twilio client: list (paged, filtered),
// fetch and update, with Twilio's checks on webhook URLs and methods.
import twilio from 'twilio';
import { createTwilioClient } from '../../src/assets/adapters/twilio-client.private';
import { startTwilioEmulator, type TwilioEmulator } from '../../sandbox/emulators/twilio';

const ACCOUNT_SID = 'AC11111111111111111111111111111111';
const AUTH_TOKEN = 'emulator-test-token';
const NUMBERS = Array.from({ length: 60 }, (_, i) => `+120255501${String(i).padStart(2, '0')}`);

let emulator: TwilioEmulator;
let client: twilio.Twilio;

beforeAll(async () => {
  emulator = await startTwilioEmulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, incomingNumbers: [...NUMBERS, { phoneNumber: '+12025550299', voiceUrl: 'https://demo.twilio.com/welcome/voice/' }] });
  client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: emulator.url, timeoutMs: 1500 });
});
afterEach(() => emulator.reset());
afterAll(() => emulator.close());

test('lists every number of the account across pages, bought as voice and SMS capable with no webhooks', async () => {
  const numbers = await client.incomingPhoneNumbers.list();
  expect(numbers).toHaveLength(61);
  expect(numbers[0]).toMatchObject({ phoneNumber: NUMBERS[0], accountSid: ACCOUNT_SID, voiceUrl: '', smsUrl: '', capabilities: { voice: true, sms: true } });
  expect(numbers[0].sid).toMatch(/^PN[0-9a-f]{32}$/);
  expect(numbers[60].voiceUrl).toBe('https://demo.twilio.com/welcome/voice/');
  expect(emulator.requests().filter((r) => r.resource === 'numbers')).toHaveLength(2);
});

test('filters on PhoneNumber', async () => {
  const [number, ...more] = await client.incomingPhoneNumbers.list({ phoneNumber: NUMBERS[7] });
  expect(more).toEqual([]);
  expect(number.phoneNumber).toBe(NUMBERS[7]);
});

test('an update changes the webhooks and is kept; fetch shows it', async () => {
  const [number] = await client.incomingPhoneNumbers.list({ phoneNumber: NUMBERS[1] });
  const updated = await client.incomingPhoneNumbers(number.sid).update({
    voiceUrl: 'https://ivr.example.com/voice/incoming',
    voiceMethod: 'POST',
    statusCallback: 'https://ivr.example.com/events/call-status',
    statusCallbackMethod: 'POST',
    smsUrl: 'https://ivr.example.com/sms/incoming',
    smsMethod: 'POST',
  });
  expect(updated).toMatchObject({ voiceUrl: 'https://ivr.example.com/voice/incoming', statusCallback: 'https://ivr.example.com/events/call-status', smsUrl: 'https://ivr.example.com/sms/incoming' });
  expect((await client.incomingPhoneNumbers(number.sid).fetch()).smsUrl).toBe('https://ivr.example.com/sms/incoming');
  expect(emulator.incomingNumbers().find((n) => n.sid === number.sid)!.updates).toEqual([
    {
      VoiceUrl: 'https://ivr.example.com/voice/incoming',
      VoiceMethod: 'POST',
      StatusCallback: 'https://ivr.example.com/events/call-status',
      StatusCallbackMethod: 'POST',
      SmsUrl: 'https://ivr.example.com/sms/incoming',
      SmsMethod: 'POST',
    },
  ]);
});

test.each([
  [{ voiceUrl: 'not a url' }, 21502],
  [{ smsMethod: 'PUT' }, 20001],
])('refuses %j with Twilio error %i and changes nothing', async (update, code) => {
  const [number] = await client.incomingPhoneNumbers.list({ phoneNumber: NUMBERS[2] });
  await expect(client.incomingPhoneNumbers(number.sid).update(update as never)).rejects.toMatchObject({ status: 400, code });
  expect(emulator.incomingNumbers().find((n) => n.sid === number.sid)!.updates).toEqual([]);
});

test('an unknown number is a 404', async () => {
  await expect(client.incomingPhoneNumbers(`PN${'0'.repeat(32)}`).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
});

test('the control API lists the numbers with their updates, for another terminal', async () => {
  const answer = (await (await fetch(`${emulator.url}/__emulator/incoming-numbers`)).json()) as { resource: { phone_number: string } }[];
  expect(answer.map((n) => n.resource.phone_number)).toEqual([...NUMBERS, '+12025550299']);
});
