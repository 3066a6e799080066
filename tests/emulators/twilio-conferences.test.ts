// Conferences and Conference Participants in the Twilio emulator, driven by the real `twilio` client:
// the Participants API dials an agent into a room (by friendly name), the call driver's side joins and
// leaves, and the conference status callbacks Twilio documents for <Conference statusCallback> arrive
// signed, in SequenceNumber order.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { createTwilioClient } from '../../src/assets/adapters/twilio-client.private';
import { startTwilioEmulator, type CallCreatedEvent, type ConferenceExit, type TwilioEmulator } from '../../sandbox/emulators/twilio';

const ACCOUNT_SID = 'AC11111111111111111111111111111111';
const AUTH_TOKEN = 'conference-test-token';
const LINE = '+12025550140';
const CALLER = '+14155550142';
const AGENTS = ['+12025550100', '+12025550105'];
const ROOM = 'ring-CA0001';

let emulator: TwilioEmulator;
let client: twilio.Twilio;
let receiver: http.Server;
let callbackUrl: string;
const received: { params: Record<string, string>; signed: boolean }[] = [];
const created: CallCreatedEvent[] = [];

beforeAll(async () => {
  emulator = await startTwilioEmulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, numbers: [LINE] });
  client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: emulator.url, timeoutMs: 1500 });
  emulator.onCallCreated((event) => created.push(event));
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const signed = twilio.validateRequest(AUTH_TOKEN, String(req.headers['x-twilio-signature']), callbackUrl, params);
      received.push({ params, signed });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events/conference`;
});
afterEach(async () => {
  await emulator.callbacksSettled();
  emulator.reset();
  received.length = 0;
  created.length = 0;
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => receiver.close(resolve));
});

/** The caller waits in the room from <Dial><Conference>: the first to join sets the statusCallback. */
function callerJoins(events = ['start', 'end', 'join', 'leave', 'hold']) {
  const caller = emulator.addInboundCall({ from: CALLER, to: LINE });
  const joined = emulator.joinConference(caller.sid, ROOM, {
    startConferenceOnEnter: false,
    endConferenceOnExit: true,
    muted: false,
    beep: 'false',
    label: 'caller',
    statusCallback: { url: callbackUrl, method: 'POST', events },
  });
  if (!joined.joined) throw new Error(joined.message);
  return { caller, joined };
}

function dialAgent(to: string, extra: Record<string, unknown> = {}) {
  return client.conferences(ROOM).participants.create({
    from: LINE,
    to,
    label: `agent-${to.slice(-4)}`,
    timeout: 20,
    startConferenceOnEnter: true,
    endConferenceOnExit: false,
    earlyMedia: true,
    beep: 'onEnter',
    statusCallback: 'https://example.com/events/agent-status',
    statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    ...extra,
  } as Parameters<ReturnType<typeof client.conferences>['participants']['create']>[0]);
}

const events = () => received.map((r) => r.params.StatusCallbackEvent);

test('participants.create by friendly name dials the agent into the caller\'s room; answered, the conference starts', async () => {
  const { caller, joined } = callerJoins();
  expect(joined).toMatchObject({ joined: true, started: false });
  const participant = await dialAgent(AGENTS[0]!);
  expect(participant).toMatchObject({ conferenceSid: joined.conferenceSid, label: 'agent-0100', status: 'queued', startConferenceOnEnter: true, endConferenceOnExit: false, hold: false, muted: false });
  expect(participant.callSid).toMatch(/^CA[0-9a-f]{32}$/);

  // Twilio places the agent's call: the driver sees it with its conference and no TwiML of its own.
  expect(created).toHaveLength(1);
  expect(created[0]).toMatchObject({ call: { to: AGENTS[0], from: LINE, sid: participant.callSid }, conference: { sid: joined.conferenceSid, friendlyName: ROOM, label: 'agent-0100' }, statusCallbackEvents: ['initiated', 'ringing', 'answered', 'completed'], timeoutSeconds: 20 });
  expect(created[0]!.url).toBeUndefined();

  const agent = emulator.joinConference(participant.callSid, ROOM, { startConferenceOnEnter: false, endConferenceOnExit: false, muted: false, beep: 'true' });
  expect(agent).toMatchObject({ joined: true, started: true });
  const conference = await client.conferences(joined.conferenceSid).fetch();
  expect(conference).toMatchObject({ friendlyName: ROOM, status: 'in-progress', reasonConferenceEnded: null });
  const participants = await client.conferences(joined.conferenceSid).participants.list();
  expect(participants.map((p) => [p.callSid, p.status])).toEqual([[caller.sid, 'connected'], [participant.callSid, 'connected']]);

  await emulator.callbacksSettled();
  expect(events()).toEqual(['participant-join', 'participant-join', 'conference-start']);
  expect(received.every((r) => r.signed)).toBe(true);
  expect(received.map((r) => r.params.SequenceNumber)).toEqual(['1', '2', '3']);
  expect(received[1]!.params).toMatchObject({
    ConferenceSid: joined.conferenceSid,
    FriendlyName: ROOM,
    AccountSid: ACCOUNT_SID,
    CallSid: participant.callSid,
    ParticipantLabel: 'agent-0100',
    StartConferenceOnEnter: 'true',
    EndConferenceOnExit: 'false',
    Muted: 'false',
    Hold: 'false',
    Coaching: 'false',
  });
  expect(received[1]!.params.Timestamp).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d\d:\d\d:\d\d \+0000$/);
});

test('the caller, with endConferenceOnExit, hangs up: the agent is dropped and the conference ends, saying who ended it', async () => {
  const { caller, joined } = callerJoins();
  const participant = await dialAgent(AGENTS[0]!);
  const agent = emulator.joinConference(participant.callSid, ROOM, { startConferenceOnEnter: true, endConferenceOnExit: false, muted: false, beep: 'true' });
  if (!agent.joined) throw new Error('not joined');
  emulator.leaveConference(caller.sid);
  await expect(agent.exit).resolves.toEqual<ConferenceExit>({ reason: 'conference-ended', ended: 'participant-with-end-conference-on-exit-left' });
  await expect(joined.exit).resolves.toEqual<ConferenceExit>({ reason: 'hung-up', byApi: false });
  await emulator.callbacksSettled();
  expect(events()).toEqual(['participant-join', 'participant-join', 'conference-start', 'participant-leave', 'participant-leave', 'conference-end']);
  expect(received[3]!.params).toMatchObject({ CallSid: caller.sid, ReasonParticipantLeft: 'participant_hung_up', ParticipantCallStatus: 'completed' });
  expect(received[4]!.params).toMatchObject({ CallSid: participant.callSid, ReasonParticipantLeft: 'moderator_ended_conference' });
  expect(received[5]!.params).toMatchObject({ ReasonConferenceEnded: 'participant-with-end-conference-on-exit-left', CallSidEndingConference: caller.sid, ParticipantLabelEndingConference: 'caller' });
  expect(received[5]!.params.CallSid).toBeUndefined();
  expect(await client.conferences(joined.conferenceSid).fetch()).toMatchObject({ status: 'completed', reasonConferenceEnded: 'participant-with-end-conference-on-exit-left', callSidEndingConference: caller.sid });
});

test('an agent who is busy never joins: participant-leave says busy and participant_add_failed, and the caller keeps waiting', async () => {
  const { joined } = callerJoins();
  const participant = await dialAgent(AGENTS[0]!);
  emulator.setCallStatus(participant.callSid, 'busy');
  await emulator.callbacksSettled();
  expect(events()).toEqual(['participant-join', 'participant-leave']);
  expect(received[1]!.params).toMatchObject({ CallSid: participant.callSid, ParticipantCallStatus: 'busy', ReasonParticipantLeft: 'participant_add_failed' });
  expect((await client.conferences(joined.conferenceSid).fetch()).status).toBe('init');
  expect(await client.conferences(joined.conferenceSid).participants.list()).toHaveLength(1);
});

test('hold, mute and kick by label; the conference ends through the API with Status=completed', async () => {
  const { caller, joined } = callerJoins(['start', 'end', 'join', 'leave', 'hold', 'mute']);
  const participant = await dialAgent(AGENTS[1]!);
  emulator.joinConference(participant.callSid, ROOM, { startConferenceOnEnter: true, endConferenceOnExit: false, muted: false, beep: 'true' });
  const held = await client.conferences(joined.conferenceSid).participants('caller').update({ hold: true, muted: true });
  expect(held).toMatchObject({ callSid: caller.sid, hold: true, muted: true });
  expect(await client.conferences(joined.conferenceSid).participants('agent-0105').fetch()).toMatchObject({ callSid: participant.callSid, label: 'agent-0105' });
  await client.conferences(joined.conferenceSid).participants('agent-0105').remove();
  await client.conferences(joined.conferenceSid).update({ status: 'completed' });
  await expect(joined.exit).resolves.toEqual<ConferenceExit>({ reason: 'conference-ended', ended: 'conference-ended-via-api' });
  await emulator.callbacksSettled();
  expect(events()).toEqual([
    'participant-join', 'participant-join', 'conference-start', 'participant-mute', 'participant-hold', 'participant-leave', 'participant-leave', 'conference-end',
  ]);
  expect(received[5]!.params).toMatchObject({ CallSid: participant.callSid, ReasonParticipantLeft: 'participant_updated_via_api' });
  expect(received[6]!.params).toMatchObject({ CallSid: caller.sid, ReasonParticipantLeft: 'conference_ended_via_api' });
  expect(received[7]!.params).toMatchObject({ ReasonConferenceEnded: 'conference-ended-via-api' });
  expect(await client.conferences.list({ friendlyName: ROOM, status: 'completed' })).toHaveLength(1);
});

test('calls.update with Twiml takes a call out of its conference (participant-leave), and its driver learns it was redirected', async () => {
  const { caller, joined } = callerJoins();
  await client.calls(caller.sid).update({ twiml: '<Response><Say>Nobody could take your call.</Say></Response>' });
  const exit = await joined.exit;
  expect(exit).toMatchObject({ reason: 'redirected', params: { Twiml: expect.stringContaining('Nobody could take your call') } });
  await emulator.callbacksSettled();
  expect(events()).toEqual(['participant-join', 'participant-leave', 'conference-end']);
  expect(received[2]!.params).toMatchObject({ ReasonConferenceEnded: 'participant-with-end-conference-on-exit-kicked', CallSidEndingConference: caller.sid });
});

test('a participant label already in the room is Twilio\'s 16025: the second call is not added', async () => {
  const { caller } = callerJoins();
  const second = emulator.addInboundCall({ from: AGENTS[0]!, to: LINE });
  expect(emulator.joinConference(second.sid, ROOM, { label: 'caller', startConferenceOnEnter: true, endConferenceOnExit: false, muted: false, beep: 'true' })).toMatchObject({ joined: false, code: 16025 });
  expect(emulator.conferences()[0]!.participants.map((p) => p.call_sid)).toEqual([caller.sid]);
  const refused = await dialAgent(AGENTS[0]!, { label: 'caller' }).catch((error: unknown) => error);
  expect(refused).toMatchObject({ status: 400, code: 16025 });
});

test.each([
  ['a misspelt parameter', { To: AGENTS[0], From: LINE, StatusCallbackEvents: 'completed' }, 20001],
  ['a Beep outside true, false, onEnter, onExit', { To: AGENTS[0], From: LINE, Beep: 'twice' }, 20001],
  ['a conference event Twilio does not have', { To: AGENTS[0], From: LINE, ConferenceStatusCallback: 'https://example.com/c', ConferenceStatusCallbackEvent: 'ringing' }, 20001],
  ['no To', { From: LINE }, 21201],
  ['a From the account does not own', { To: AGENTS[0], From: '+12025550999' }, 21210],
])('refuses a participant with %s and places nothing', async (_name, form, code) => {
  callerJoins();
  const body = new URLSearchParams(form as Record<string, string>).toString();
  const response = await fetch(`${emulator.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Conferences/${ROOM}/Participants.json`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
  });
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ code });
  expect(created).toHaveLength(0);
});

test('a conference SID that is not there is 404; reading participants needs the SID, not the name', async () => {
  const { joined } = callerJoins();
  const missing = await client.conferences('CF00000000000000000000000000000000').participants.create({ from: LINE, to: AGENTS[0]! }).catch((error: unknown) => error);
  expect(missing).toMatchObject({ status: 404, code: 20404 });
  const byName = await client.conferences(ROOM).participants.list().catch((error: unknown) => error);
  expect(byName).toMatchObject({ status: 404 });
  expect(await client.conferences(joined.conferenceSid).participants.list()).toHaveLength(1);
});
