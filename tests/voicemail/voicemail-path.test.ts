// Voicemail, as calls: a message left after a transfer nobody took (Calls row with the recording and
// its transcript, one Voicemail callback, one team email, then the dispatcher's agent-first call back
// whose whisper says it is about a voicemail), an empty message, a Do Not Contact caller, Twilio
// repeating the recording callback, Airtable, SendGrid and Twilio failing, and the Spanish line.
import { DEMO_AGENT_NUMBER, DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import { answer, call } from '../../sandbox/simulator/call-script';
import { watchPlacedCalls, type PlacedCallWatch } from '../../sandbox/simulator/placed-calls';
import { addCallbacks, callbackRows, runDispatch } from '../helpers/callbacks';
import { functionsMemory } from '../helpers/functions-memory';
import { useSandbox } from '../helpers/sandbox';
import { SPANISH_CALLER, spanishLineBase } from '../helpers/seeds';

const TEAM = 'team@example.com';
const MESSAGE = [
  { channel: 1, text: 'Hi, my order never came.' },
  { channel: 1, text: 'Please call me back this afternoon.' },
];

/** The demo base, always open, with Voicemail on the Support line (team email set) and on the Spanish line. */
function base() {
  const seed = spanishLineBase({ Voicemail: true });
  Object.assign(seed.Lines.find((l) => l['Phone Number'] === DEMO_LINES.afterHours)!, { 'Voicemail Email': TEAM });
  Object.assign(seed.Lines.find((l) => l['Phone Number'] === DEMO_LINES.support)!, { Voicemail: true, 'Voicemail Email': TEAM });
  return seed;
}

const sandbox = useSandbox(base, { transcriptWebhook: true });
let watch: PlacedCallWatch;
beforeEach(() => {
  watch = watchPlacedCalls(sandbox.twilio);
  sandbox.twilio.setTranscriptContent({ sentences: MESSAGE });
});
afterEach(() => watch.stop());

const callsRow = () => {
  const rows = sandbox.airtable.records('Calls');
  expect(rows).toHaveLength(1);
  return rows[0]!.fields as Record<string, unknown>;
};
/** The recording callback answers 500 when part of its work failed, so Twilio's debugger shows it and a redelivery finishes it. */
const RECORDING_EVENT_FAILED = /voicemail\/recording.* answered HTTP 500: voicemail not fully stored/;
const teamMails = () => sandbox.sendgrid.mails().filter((m) => m.to.includes(TEAM));

/** Dana on Support at the full menu: 6 is voicemail. */
const danaAtMenu = (callbacks?: { readonly duplicate: readonly 'recording'[] }) =>
  call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana, callbacks })
    .say('agent')
    .expectSay('To leave a message, press 6 or say message.');

async function settled(): Promise<void> {
  await sandbox.twilio.callbacksSettled();
  await sandbox.twilio.messagesSettled();
}

test('after a transfer nobody took: the message is kept, transcribed, emailed once, and called back agent first with a voicemail whisper', async () => {
  const inbound = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
    .say('agent')
    .press('1')
    .agent({ answer: 'busy' })
    .expectSay(/busy right now/)
    .expectSay('To leave a message, press 5 or say message.')
    .say('message')
    .expectSay('Please leave your message after the beep, and press the pound key when you are done.')
    .leaveMessage('Hi, my order never came. Please call me back this afternoon.')
    .expectSay('Thank you. We got your message and will call you back at the number ending in 0142. Goodbye.')
    .expectHangup();
  await settled();

  const row = callsRow();
  expect(row).toMatchObject({ 'Call SID': inbound.callSid, Chosen: 'Voicemail', Outcome: 'Voicemail left' });
  expect(String(row['Voicemail URL'])).toMatch(/^https:\/\/api\.twilio\.com\/2010-04-01\/Accounts\/AC\w{32}\/Recordings\/RE\w{32}$/);
  expect(row['Voicemail Transcript']).toBe('Hi, my order never came. Please call me back this afternoon.');
  expect(row.Transcript).toBeUndefined();
  expect(String(row.Sent)).toMatch(/^Voicemail \S+: accepted$/);

  const [callback] = callbackRows(sandbox);
  expect(callbackRows(sandbox)).toHaveLength(1);
  expect(callback!.fields).toMatchObject({
    Line: DEMO_LINES.support,
    Phone: DEMO_CALLERS.dana,
    Contact: 'Dana Whitfield',
    Kind: 'Voicemail',
    Status: 'Queued',
    Attempts: 0,
    'Origin Call SID': inbound.callSid,
    'Voicemail URL': row['Voicemail URL'],
  });

  const mails = teamMails();
  expect(mails).toHaveLength(1);
  expect(mails[0]!.subject).toBe('Support: new voicemail from Dana');
  expect(mails[0]!.subject).not.toContain('4155550142');
  expect(mails[0]!.text).toContain('Caller: Dana Whitfield');
  expect(mails[0]!.text).toMatch(/Length: \d+ seconds/);
  expect(mails[0]!.text).toContain(`recording-logs%2F${String(row['Voicemail URL']).split('/').pop()}`);
  expect(mails[0]!.text).toContain('The transcript will follow');

  // The dispatcher takes the Voicemail row like an immediate callback: the agent first.
  const run = await runDispatch(sandbox);
  expect(run.json.dialled).toEqual([{ id: callback!.id, callSid: expect.stringMatching(/^CA/) }]);
  const placed = await watch.next();
  expect(placed).toMatchObject({ to: DEMO_AGENT_NUMBER, from: DEMO_LINES.support });
  await answer(sandbox, placed)
    .expectSay('Call back for Support, about a voicemail Dana Whitfield left.')
    .expectSay('They said: Hi, my order never came.')
    .expectSay('Press 1 to call them now.')
    .press('1')
    .expectSay('Calling the customer now.')
    .dialed({ answer: 'accept', hungUpBy: 'agent' })
    .expectWhisper('Hello, this is Support returning your call. Press 1 to be connected.')
    .expectHangup();
  expect(callbackRows(sandbox)[0]!.fields).toMatchObject({ Status: 'Connected', Attempts: 1 });
  expect(teamMails()).toHaveLength(1);
});

test('an empty message, then a too-short one: nothing is kept, and the menu comes back without voicemail', async () => {
  await danaAtMenu()
    .press('6')
    .expectSay('Please leave your message after the beep')
    .silence()
    .expectSay('Sorry, I did not get a message. Please try once more after the beep.')
    .leaveMessage('um', { seconds: 1 })
    .expectSay('Sorry, I still did not get a message.')
    .expectSay('Here is what else I can do.')
    .expectNotSay(/leave a message, press/)
    .expectSay('To get our contact information by email, press 5 or say email.')
    .hangup();
  await settled();
  expect(callsRow()).toMatchObject({ Chosen: 'Voicemail', Outcome: 'No voicemail left' });
  expect(callsRow()['Voicemail URL']).toBeUndefined();
  expect(callbackRows(sandbox)).toHaveLength(0);
  expect(teamMails()).toHaveLength(0);
});

test('Do Not Contact: told before the beep that nobody can call back; the message is emailed, no callback is created', async () => {
  await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.morgan })
    .say('agent')
    .expectSay('To leave a message, press 2 or say message.')
    .press('2')
    .expectSay('We will pass your message on to the team, but we will not be able to call you back.')
    .expectSay('Please leave your message after the beep')
    .leaveMessage('This is Morgan, just letting you know the parcel arrived damaged.')
    .expectSay('Thank you. We got your message and will pass it on to the team. Goodbye.')
    .expectHangup();
  await settled();
  expect(callbackRows(sandbox)).toHaveLength(0);
  const [mail] = teamMails();
  expect(teamMails()).toHaveLength(1);
  expect(mail!.subject).toBe('Support: new voicemail from Morgan');
  expect(mail!.text).toContain('Call back: No call back');
  expect(callsRow()['Voicemail URL']).toBeTruthy();
});

test('Twilio delivers the recording callback twice, and once more later: one callback row, one email, one transcript', async () => {
  const before = sandbox.twilio.transcripts().length;
  await danaAtMenu({ duplicate: ['recording'] }).press('6').leaveMessage('Please call me about my refund.').expectHangup();
  await settled();
  expect((await sandbox.twilio.redeliverCallback('recording')).status).toBe(200);
  await settled();
  expect(callbackRows(sandbox)).toHaveLength(1);
  expect(teamMails()).toHaveLength(1);
  expect(sandbox.twilio.transcripts().length - before).toBe(1);
});

/** Dana leaves a message while the Callbacks table refuses writes: the recording callback stores no callback row. */
async function messageWhoseCallbackWasNotStored(): Promise<void> {
  sandbox.airtable.faults.set({ status: 503, table: 'Callbacks' });
  await danaAtMenu().allowError(RECORDING_EVENT_FAILED).press('6').leaveMessage('Please call me about my refund.').expectHangup();
  await settled();
  expect(callbackRows(sandbox)).toHaveLength(0);
  sandbox.airtable.faults.clear();
}

test('the recording callback, not stored the first time, is delivered twice at the same moment: one callback row', async () => {
  await messageWhoseCallbackWasNotStored();
  // Each Callbacks request takes a while, as Airtable's do: both deliveries look before either writes.
  sandbox.airtable.faults.set({ latencyMs: 150, table: 'Callbacks' });
  const answers = await Promise.all([sandbox.twilio.redeliverCallback('recording'), sandbox.twilio.redeliverCallback('recording')]);
  expect(answers.map((a) => a.status)).toEqual([200, 200]);
  await settled();
  expect(callbackRows(sandbox)).toHaveLength(1);
  expect(teamMails()).toHaveLength(1);
});

test('the recording callback, not stored the first time, reaches two instances at the same moment: one callback row, one email', async () => {
  await messageWhoseCallbackWasNotStored();
  // Airtable's pace: both deliveries look before either writes. The second lands on an instance that
  // knows nothing of the first (its memory is dropped once the first has asked Airtable).
  sandbox.airtable.faults.set({ latencyMs: 300, table: 'Callbacks' });
  sandbox.airtable.faults.set({ latencyMs: 300, table: 'Calls' });
  sandbox.airtable.stats.reset();
  const first = sandbox.twilio.redeliverCallback('recording');
  while (!sandbox.airtable.stats.counts().Callbacks) await new Promise((resolve) => setTimeout(resolve, 5));
  functionsMemory().reset();
  const second = sandbox.twilio.redeliverCallback('recording');
  expect((await Promise.all([first, second])).map((a) => a.status)).toEqual([200, 200]);
  await settled();
  expect(callbackRows(sandbox)).toEqual([expect.objectContaining({ fields: expect.objectContaining({ Kind: 'Voicemail', Status: 'Queued' }) })]);
  expect(teamMails()).toHaveLength(1);
});

test('the recount after the callback row is created cannot read Airtable: the row stays (a second call back beats none) and the report is answered', async () => {
  await messageWhoseCallbackWasNotStored();
  sandbox.airtable.stats.reset();
  const delivered = sandbox.twilio.redeliverCallback('recording');
  // Once the row is written, every further read of the Callbacks table fails.
  while (!sandbox.airtable.stats.counts().Callbacks?.POST) await new Promise((resolve) => setTimeout(resolve, 5));
  sandbox.airtable.faults.set({ status: 503, table: 'Callbacks', method: 'GET' });
  expect((await delivered).status).toBe(200);
  sandbox.airtable.faults.clear();
  expect(callbackRows(sandbox)).toEqual([expect.objectContaining({ fields: expect.objectContaining({ Kind: 'Voicemail', Status: 'Queued' }) })]);
  expect(sandbox.airtable.stats.counts().Callbacks?.GET).toBeGreaterThanOrEqual(2);
});

test('a caller already waiting for a callback: the message is added to it, not a second call back', async () => {
  const [open] = await addCallbacks(sandbox, [{ Line: DEMO_LINES.support, Phone: DEMO_CALLERS.dana, Kind: 'Scheduled', Status: 'Booked', 'Scheduled For': new Date(Date.now() + 86_400_000).toISOString() }]);
  await danaAtMenu().press('6').leaveMessage('About tomorrow, please call my mobile instead.').expectHangup();
  await settled();
  const rows = callbackRows(sandbox);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ id: open, fields: { Kind: 'Scheduled', Status: 'Booked', 'Voicemail URL': expect.stringMatching(/Recordings\/RE/) } });
  expect(teamMails()).toHaveLength(1);
});

describe('failures: the caller always hears a next step, and nothing confirmed is lost', () => {
  test('Airtable refuses the Calls and Callbacks tables: the caller is thanked; a redelivery stores the row, the callback and sends one email', async () => {
    sandbox.airtable.faults.set({ status: 503, table: 'Calls' });
    sandbox.airtable.faults.set({ status: 503, table: 'Callbacks' });
    await danaAtMenu()
      .allowError(RECORDING_EVENT_FAILED)
      .press('6')
      .leaveMessage('Hi, my order never came.')
      .expectSay('Thank you. We got your message and will call you back at the number ending in 0142. Goodbye.')
      .expectHangup();
    await settled();
    expect(callbackRows(sandbox)).toHaveLength(0);

    sandbox.airtable.faults.clear();
    expect((await sandbox.twilio.redeliverCallback('recording')).status).toBe(200);
    await settled();
    expect(callbackRows(sandbox)).toHaveLength(1);
    expect(callsRow()).toMatchObject({ Chosen: 'Voicemail', Outcome: 'Voicemail left' });
    expect(callsRow()['Voicemail URL']).toBeTruthy();
    // The email went at the first delivery (SendGrid was well): not again.
    expect(teamMails()).toHaveLength(1);
  });

  test('SendGrid fails: the callback is stored at once; the redelivery sends the one email', async () => {
    sandbox.sendgrid.faults.set({ status: 500 });
    await danaAtMenu().allowError(RECORDING_EVENT_FAILED).press('6').leaveMessage('Hi, my order never came.').expectSay(/Thank you/).expectHangup();
    await settled();
    expect(callbackRows(sandbox)).toHaveLength(1);
    expect(teamMails()).toHaveLength(0);
    sandbox.sendgrid.faults.clear();
    expect((await sandbox.twilio.redeliverCallback('recording')).status).toBe(200);
    await settled();
    expect(teamMails()).toHaveLength(1);
    expect(callbackRows(sandbox)).toHaveLength(1);
  });

  test('Twilio refuses the transcript: everything else is stored; the redelivery asks for the transcript once', async () => {
    sandbox.twilio.faults.set({ resource: 'transcripts', method: 'POST', status: 500, times: 1 });
    const before = sandbox.twilio.transcripts().length;
    await danaAtMenu().allowError(RECORDING_EVENT_FAILED).press('6').leaveMessage('Hi, my order never came.').expectSay(/Thank you/).expectHangup();
    await settled();
    expect(sandbox.twilio.transcripts().length - before).toBe(0);
    expect(callbackRows(sandbox)).toHaveLength(1);
    expect((await sandbox.twilio.redeliverCallback('recording')).status).toBe(200);
    await settled();
    expect(sandbox.twilio.transcripts().length - before).toBe(1);
    expect(teamMails()).toHaveLength(1);
    expect(callbackRows(sandbox)).toHaveLength(1);
  });
});

test('Spanish line: the option, the prompt, the thanks and the team email in Spanish', async () => {
  await call(sandbox, { to: DEMO_LINES.afterHours, from: SPANISH_CALLER })
    .say('agente')
    .expectSay(/Para dejar un recado, marque \d o diga recado\./)
    .say('recado')
    .expectSay('Deje su recado después del tono, y marque la tecla de numeral cuando termine.')
    .leaveMessage('Hola, quiero cambiar mi cita.')
    .expectSay('Gracias. Recibimos su recado y le llamaremos al número que termina en 0177. Adiós.')
    .expectHangup();
  await settled();
  expect(callbackRows(sandbox)[0]!.fields).toMatchObject({ Kind: 'Voicemail', Status: 'Queued', Phone: SPANISH_CALLER, Contact: 'Rosa Díaz' });
  expect(teamMails()[0]!.subject).toBe('After-hours: nuevo recado de Rosa');
});
