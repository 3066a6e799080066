// An instance recycled mid-call: Twilio may send a call's next webhook to a fresh instance (a deploy,
// a scale-out, an idle instance dropped), whose memory (callMemory: the caller, the bot log, sends in
// flight, writes kept for retry, the line cache) is empty. Here the Functions' memory is dropped before
// every webhook of the call, which is every "between any two webhooks" at once: each path still runs
// to its end, and what the caller was told is in Airtable, at Twilio or at SendGrid.
import { DEMO_AGENT_NUMBER, DEMO_CALLERS, DEMO_LINES, demoBaseWithHours } from '../../sandbox/demo-data';
import { call, signedTransport, type CallScript } from '../../sandbox/simulator';
import { inboundCallParams } from '../../sandbox/simulator/call-params';
import { functionsMemory } from '../helpers/functions-memory';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox(() => demoBaseWithHours('open'));

let recycles = 0;
/** Webhooks whose call the memory knew just before it was dropped: proof that it is the served Functions' memory. */
let forgotten = 0;
/** A call whose every webhook lands on a fresh instance. */
function callOnFreshInstances(): CallScript {
  const signed = signedTransport(sandbox.authToken);
  const target = {
    baseUrl: sandbox.baseUrl,
    authToken: sandbox.authToken,
    accountSid: sandbox.accountSid,
    twilio: sandbox.twilio,
    transport: (request: Parameters<typeof signed>[0]) => {
      const memory = functionsMemory();
      if (request.params.CallSid && memory.known(request.params.CallSid, Date.now())) forgotten++;
      memory.reset();
      recycles++;
      return signed(request);
    },
  };
  return call(target, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana });
}

const callRows = () => sandbox.airtable.records('Calls').map((r) => r.fields);
const callbacks = () => sandbox.airtable.records('Callbacks').map((r) => r.fields);

beforeEach(() => {
  recycles = 0;
  forgotten = 0;
});

test('live transfer: bridged, and the call is logged as connected', async () => {
  await callOnFreshInstances().press('0').expectSay(/press 1/).press('1').expectDial(DEMO_AGENT_NUMBER).agent({ answer: 'accept' }).expectEnd('party');
  expect(recycles).toBeGreaterThanOrEqual(4);
  expect(forgotten).toBeGreaterThanOrEqual(3);
  expect(callRows()).toEqual([expect.objectContaining({ Chosen: 'Live Transfer' })]);
});

test('immediate callback: stored once, the agent rung, the caller told', async () => {
  await callOnFreshInstances().press('0').press('2').press('1').expectSay(/call you back in a moment/).expectHangup();
  expect(callbacks().filter((f) => f.Phone === DEMO_CALLERS.dana && f.Kind === 'Now')).toHaveLength(1);
  expect(sandbox.twilio.calls().filter((c) => c.resource.direction === 'outbound-api')).toHaveLength(1);
  expect(callRows()).toEqual([expect.objectContaining({ Chosen: 'Phone Callback' })]);
});

test('scheduled callback: booked once, confirmed by text', async () => {
  await callOnFreshInstances().press('0').press('3').press('1').press('1').press('1').expectSay(/You are all set/).expectHangup();
  expect(callbacks().filter((f) => f.Status === 'Booked' && f.Phone === DEMO_CALLERS.dana)).toHaveLength(1);
  expect(sandbox.twilio.messages().filter((m) => m.params.To === DEMO_CALLERS.dana)).toHaveLength(1);
});

test('text: sent once, recorded on the call row', async () => {
  await callOnFreshInstances().press('0').press('4').press('1').expectSay(/I have sent a text/).expectHangup();
  expect(sandbox.twilio.messages().filter((m) => m.params.To === DEMO_CALLERS.dana)).toHaveLength(1);
  expect(String(callRows()[0]?.Sent ?? '')).toMatch(/^Text SM/);
});

test('email: sent once, its case number on the call row', async () => {
  await callOnFreshInstances().press('0').press('5').expectSay(/I have emailed/).press('1').expectSay(/case number/).expectHangup();
  expect(sandbox.sendgrid.mails()).toHaveLength(1);
  expect(callRows()).toEqual([expect.objectContaining({ Sent: expect.stringMatching(/^Email /), 'Case Number': expect.stringMatching(/^[A-Z0-9]{3}-[A-Z0-9]{3}$/) })]);
});

// SPEC: a text is sent at most once per call; the Calls row's `Sent` is the durable record of it.
// When the write of `Sent` fails, the instance keeps it in memory for the call's next webhook, and a
// recycled instance has lost it. What is still durable is at Twilio: the text was created with a
// StatusCallback naming the call, so the carrier's delivery report, which comes after the call has
// ended, records it on the row.
test('text: the Calls writes fail during the call and the instance is recycled: the delivery report records the text', async () => {
  const releaseReports = sandbox.twilio.holdCarrierReports();
  sandbox.airtable.faults.set({ status: 500, table: 'Calls', method: 'PATCH' });
  await callOnFreshInstances().press('0').press('4').press('1').expectSay(/I have sent a text/).expectHangup();
  expect(callRows()).toEqual([]);
  sandbox.airtable.faults.clear();
  // The call's status callback, then the carrier's report, each on yet another fresh instance.
  functionsMemory().reset();
  await sandbox.post('/events/call-status', { ...inboundCallParams({ accountSid: sandbox.accountSid, from: DEMO_CALLERS.dana, to: DEMO_LINES.support }), CallSid: sandbox.twilio.calls()[0]!.resource.sid, CallStatus: 'completed', CallDuration: '40' });
  functionsMemory().reset();
  releaseReports();
  await sandbox.twilio.messagesSettled();
  const texts = sandbox.twilio.messages().filter((m) => m.params.To === DEMO_CALLERS.dana);
  expect(texts).toHaveLength(1);
  expect(callRows()).toEqual([expect.objectContaining({ 'Call SID': sandbox.twilio.calls()[0]!.resource.sid, Sent: `Text ${texts[0]!.sid}: delivered` })]);
});
