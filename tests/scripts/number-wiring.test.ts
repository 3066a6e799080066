// Which numbers numbers:connect changes, and to what: only the lines' numbers, never another.
import { planNumberWiring, serviceBaseUrl, type OwnedNumber } from '../../scripts/twilio/number-wiring';

const BASE = 'https://ivr-escalation-1234-dev.twil.io';
const connected = {
  voiceUrl: `${BASE}/voice/incoming`,
  voiceMethod: 'POST',
  statusCallback: `${BASE}/events/call-status`,
  statusCallbackMethod: 'POST',
  smsUrl: `${BASE}/sms/incoming`,
  smsMethod: 'POST',
};
const number = (sid: string, phoneNumber: string, rest: Partial<OwnedNumber> = {}): OwnedNumber => ({ sid, phoneNumber, ...rest });

test('updates every line number the account owns with the three webhooks, POST, and nothing else', () => {
  const plan = planNumberWiring(
    ['+12025550110', '+12025550120'],
    [number('PN1', '+12025550110', { voiceUrl: 'https://demo.twilio.com/welcome/voice/', voiceMethod: 'GET' }), number('PN2', '+12025550120'), number('PN9', '+12025550999', { voiceUrl: 'https://other.example.com/x' })],
    BASE,
  );
  expect(plan.toChange.map((c) => [c.number.sid, c.update])).toEqual([
    ['PN1', connected],
    ['PN2', connected],
  ]);
  expect(plan.toChange[0].changes).toContain('voiceUrl: https://demo.twilio.com/welcome/voice/ → https://ivr-escalation-1234-dev.twil.io/voice/incoming');
  expect(plan.toChange[0].changes).toContain('voiceMethod: GET → POST');
  expect(plan.toChange[1].changes).toContain('smsUrl: (none) → https://ivr-escalation-1234-dev.twil.io/sms/incoming');
  expect(plan.notOwned).toEqual([]);
});

test('a number already connected is left as it is; a line number the account lacks is reported', () => {
  const plan = planNumberWiring(['+12025550110', '+12025550130'], [number('PN1', '+12025550110', connected)], BASE);
  expect(plan.toChange).toEqual([]);
  expect(plan.alreadyConnected.map((n) => n.sid)).toEqual(['PN1']);
  expect(plan.notOwned).toEqual(['+12025550130']);
});

test('a number answered by a Studio flow keeps its flow; status callback and SMS are still connected', () => {
  const flow = 'https://webhooks.twilio.com/v1/Accounts/AC00000000000000000000000000000001/Flows/FW00000000000000000000000000000001';
  const [change] = planNumberWiring(['+12025550110'], [number('PN1', '+12025550110', { voiceUrl: flow, voiceMethod: 'POST' })], BASE).toChange;
  expect(change.update).toEqual({ statusCallback: connected.statusCallback, statusCallbackMethod: 'POST', smsUrl: connected.smsUrl, smsMethod: 'POST' });
  expect(change.notes).toEqual([expect.stringContaining('Studio flow')]);
});

test('a TwiML App or SIP trunk on the number is pointed out: Twilio would ignore the voice URL', () => {
  const [change] = planNumberWiring(['+12025550110'], [number('PN1', '+12025550110', { voiceApplicationSid: 'AP123', trunkSid: 'TK123' })], BASE).toChange;
  expect(change.notes).toEqual([expect.stringContaining('TwiML App AP123'), expect.stringContaining('SIP trunk TK123')]);
});

test.each([
  ['https://ivr-escalation-1234-dev.twil.io/', BASE],
  ['ivr-escalation-1234-dev.twil.io', BASE],
  ['http://localhost:3000', 'http://localhost:3000'],
])('service URL %s → %s', (raw, expected) => expect(serviceBaseUrl(raw)).toBe(expected));

test.each(['ftp://x.example.com', 'https://x.twil.io/?a=1', 'https://user:pw@x.twil.io', 'https://'])('rejects %s', (raw) => {
  expect(() => serviceBaseUrl(raw)).toThrow();
});
