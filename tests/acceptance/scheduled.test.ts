// SPEC §5 "Callbacks" (scheduled): slots from the line's settings, a time said or keyed, read back
// in the line's zone, booked only when stored, never overbooked, confirmation and reminder texts,
// and the booking texts' replies on /sms/incoming.
import { DateTime } from 'luxon';
import twilio from 'twilio';
import { DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import { useSandbox } from '../helpers/sandbox';
import { SANDBOX_MESSAGING_SERVICE_SID } from '../../sandbox/sandbox-env';
import { call, type ScenarioError } from '../../sandbox/simulator';
import { airtableApi, eventually, expectCallerNeverStranded, heardText, openBase } from './acceptance-kit';

const ZONE = 'America/Chicago';
const sandbox = useSandbox(openBase);
let airtable: ReturnType<typeof airtableApi>;
beforeAll(() => {
  airtable = airtableApi(sandbox);
});

const booked = async () => (await airtable.list('Callbacks', "{Status}='Booked'")).map((row) => row.fields);

test('by keys: the first open time, read back in the line\'s zone, booked on yes; confirmation text at once', async () => {
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
    .press('0')
    .press('3')
    .expectSay(/ending in 0142/)
    .press('1')
    .expectSay(/press 1/)
    .press('1')
    .expectSay(/AM|PM/)
    .press('1')
    .expectSay(/all set/i)
    .expectHangup();
  expectCallerNeverStranded(record);
  const [row, ...others] = await booked();
  expect(others).toHaveLength(0);
  expect(row).toMatchObject({ Line: DEMO_LINES.support, Phone: DEMO_CALLERS.dana, Kind: 'Scheduled' });
  const slot = DateTime.fromISO(String(row!['Scheduled For'])).setZone(ZONE);
  expect(slot.toMillis()).toBeGreaterThanOrEqual(Date.now() + 15 * 60_000 - 1_000);
  // What the caller heard is the stored slot, in the line's time zone.
  expect(heardText(record)).toContain(slot.toFormat('h:mm a'));

  const messages = sandbox.twilio.messages().map((message) => message.params);
  const confirmation = messages.find((params) => params.From === DEMO_LINES.support && params.To === DEMO_CALLERS.dana);
  expect(confirmation?.Body).toContain(slot.toFormat('h:mm a'));
});

test('by speech: "tomorrow at two" is read back as 2:00 PM tomorrow in the line\'s zone; its reminder is scheduled with Twilio', async () => {
  const tomorrow = DateTime.now().setZone(ZONE).plus({ days: 1 });
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
    .press('0')
    .press('3')
    .press('1')
    .say('tomorrow at two')
    .expectSay(/2:00 PM/)
    .say('yes')
    .expectSay(/all set/i)
    .expectHangup();
  expectCallerNeverStranded(record);
  const [row] = await booked();
  const slot = DateTime.fromISO(String(row!['Scheduled For'])).setZone(ZONE);
  expect(slot.toFormat('yyyy-MM-dd HH:mm')).toBe(`${tomorrow.toISODate()} 14:00`);
  // A slot more than 15 minutes away: the reminder is scheduled with Twilio (MESSAGING_SERVICE_SID is set).
  const reminder = sandbox.twilio.messages().map((message) => message.params).find((params) => params.MessagingServiceSid === SANDBOX_MESSAGING_SERVICE_SID);
  expect(reminder).toMatchObject({ ScheduleType: 'fixed', To: DEMO_CALLERS.dana });
  expect(new Date(String(reminder!.SendAt)).getTime()).toBeLessThan(slot.toMillis());
  expect(row!['Reminder SID']).toMatch(/^SM/);

  // CANCEL by text cancels the booking and its scheduled reminder.
  const cancel = await sandbox.post('/sms/incoming', {
    AccountSid: sandbox.accountSid,
    MessageSid: 'SM0000000000000000000000000000c0de',
    From: DEMO_CALLERS.dana,
    To: DEMO_LINES.support,
    Body: 'CANCEL CALL',
    NumMedia: '0',
  });
  expect(cancel.status).toBe(200);
  expect(await booked()).toHaveLength(0);
  const scheduled = sandbox.twilio.messages().find((message) => message.sid === row!['Reminder SID']);
  expect(scheduled?.resource.status).toBe('canceled');
});

test('a full slot is never offered: with capacity 1 and the first time taken, the caller is offered a later one', async () => {
  await airtable.editLine(DEMO_LINES.support, { 'Callback Slot Capacity': 1 });
  const tomorrowTwo = DateTime.now().setZone(ZONE).plus({ days: 1 }).set({ hour: 14, minute: 0, second: 0, millisecond: 0 });
  await airtable.create('Callbacks', {
    Line: DEMO_LINES.support,
    Phone: DEMO_CALLERS.luisCallback,
    Kind: 'Scheduled',
    Status: 'Booked',
    'Scheduled For': tomorrowTwo.toUTC().toISO(),
    Attempts: 0,
  });
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
    .press('0')
    .press('3')
    .press('1')
    .say('tomorrow at two')
    .expectNotSay(/^[^.]*\b2:00 PM[^.]*\?/)
    .hangup();
  expectCallerNeverStranded(record);
  expect(heardText(record)).toMatch(/1:30 PM|2:30 PM/);
});

test('two callers taking the last place of a slot at once: exactly one booking, the other is offered another time', async () => {
  await airtable.editLine(DEMO_LINES.support, { 'Callback Slot Capacity': 1 });
  const booking = (from: string) =>
    call(sandbox, { to: DEMO_LINES.support, from })
      .press('0')
      .press('3')
      .press('1')
      .say('tomorrow at two')
      .expectSay(/2:00 PM/)
      .say('yes')
      .expectSay(/all set/i)
      .expectHangup()
      .run();
  const results = await Promise.allSettled([booking(DEMO_CALLERS.dana), booking(DEMO_CALLERS.luis)]);
  expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  const loser = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
  // The one who lost the race was not told "all set", and heard another time instead.
  const lost = heardText((loser.reason as ScenarioError).record);
  expect(lost).not.toMatch(/all set/i);
  expect(lost.split(/2:00 PM/).pop()).toMatch(/AM|PM/);
  const tomorrowTwo = DateTime.now().setZone(ZONE).plus({ days: 1 }).set({ hour: 14, minute: 0, second: 0, millisecond: 0 });
  const inSlot = (await booked()).filter((row) => DateTime.fromISO(String(row['Scheduled For'])).toMillis() === tomorrowTwo.toMillis());
  expect(inSlot).toHaveLength(1);
}, 30_000);

test('the booking cannot be stored (Airtable failing on Callbacks writes): the caller is told, nothing is promised', async () => {
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
    .press('0')
    .press('3')
    .press('1')
    .press('1')
    .expectSay(/AM|PM/)
    .check('arm the fault', () => sandbox.airtable.faults.set({ table: 'Callbacks', method: 'POST', status: 503 }))
    .press('1')
    .expectSay(/sorry|could not|cannot/i)
    .hangup();
  sandbox.airtable.faults.clear();
  expectCallerNeverStranded(record);
  expect(heardText(record)).not.toMatch(/all set/i);
  expect(await booked()).toHaveLength(0);
});

test('texts failing (Twilio Messages hanging) do not undo a stored booking: the caller is still told in time', async () => {
  sandbox.twilio.faults.set({ resource: 'messages', hang: true });
  try {
    const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
      .press('0')
      .press('3')
      .press('1')
      .press('1')
      .press('1')
      .expectSay(/all set/i)
      .expectHangup();
    expectCallerNeverStranded(record);
    expect(await booked()).toHaveLength(1);
  } finally {
    sandbox.twilio.faults.clear();
  }
}, 30_000);

test('an anonymous caller keying in a Do Not Contact number cannot book', async () => {
  const record = await call(sandbox, { to: DEMO_LINES.support, from: 'anonymous' })
    .press('0')
    .expectSay(/schedule.*press 3/)
    .press('3')
    .press('6175550188#')
    .press('1')
    .expectNotSay(/press 1 for|AM|PM/)
    .hangup();
  expectCallerNeverStranded(record);
  expect(await booked()).toHaveLength(0);
});

test('Spanish line: "mañana a las diez" is understood and read back in Spanish', async () => {
  const record = await call(sandbox, { to: DEMO_LINES.afterHours, from: DEMO_CALLERS.dana })
    .press('0')
    .press('2')
    .press('1')
    .say('mañana a las diez')
    .expectSay(/10:00|diez/)
    .hangup();
  expectCallerNeverStranded(record);
});

describe('replies by text on /sms/incoming', () => {
  const sms = (from: string, body: string) =>
    sandbox.post('/sms/incoming', {
      AccountSid: sandbox.accountSid,
      MessageSid: `SM${'0'.repeat(24)}${Date.now().toString(16).slice(-8)}`,
      From: from,
      To: DEMO_LINES.support,
      Body: body,
      NumMedia: '0',
    });

  function signedSms(from: string, body: string, cookie?: string): Promise<Response> {
    const url = `${sandbox.baseUrl}/sms/incoming`;
    const params = { AccountSid: sandbox.accountSid, MessageSid: `SM${Date.now().toString(16).padStart(32, '0')}`, From: from, To: DEMO_LINES.support, Body: body, NumMedia: '0' };
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Twilio-Signature': twilio.getExpectedTwilioSignature(sandbox.authToken, url, params),
    };
    if (cookie) headers.Cookie = cookie;
    return fetch(url, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  }

  async function bookFor(phone: string): Promise<void> {
    await airtable.create('Callbacks', {
      Line: DEMO_LINES.support,
      Phone: phone,
      Kind: 'Scheduled',
      Status: 'Booked',
      'Scheduled For': DateTime.now().plus({ days: 1 }).toUTC().toISO(),
      Attempts: 0,
    });
  }

  test('CANCEL cancels the sender\'s next booked callback and answers with a <Message>', async () => {
    await bookFor(DEMO_CALLERS.dana);
    const answer = await sms(DEMO_CALLERS.dana, 'CANCEL CALL');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/<Message>[^<]+<\/Message>/);
    const [row] = await airtable.list('Callbacks', `{Phone}='${DEMO_CALLERS.dana}'`);
    expect(row?.fields.Status).toBe('Cancelled');
  });

  test('CHANGE texts back numbered open times, and a number moves the booking', async () => {
    await bookFor(DEMO_CALLERS.dana);
    const before = (await booked())[0]!['Scheduled For'];
    // Twilio keeps a Messaging webhook's cookies for four hours and sends them back with the next text.
    const change = await signedSms(DEMO_CALLERS.dana, 'CHANGE');
    expect(await change.text()).toMatch(/1\D/);
    const cookies = change.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
    const moved = await signedSms(DEMO_CALLERS.dana, '2', cookies);
    expect(moved.status).toBe(200);
    const after = await eventually(async () => {
      const rows = await booked();
      return rows.length === 1 && rows[0]!['Scheduled For'] !== before ? rows[0] : undefined;
    }, 'the booking moved');
    expect(after['Scheduled For']).not.toBe(before);
  });

  test('an unknown sender and an unknown word get a polite one-liner, never an error', async () => {
    for (const [from, body] of [
      [DEMO_CALLERS.stranger, 'CANCEL CALL'],
      [DEMO_CALLERS.dana, 'hello?'],
    ] as const) {
      const answer = await sms(from, body);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatch(/<Message>[^<]+<\/Message>/);
    }
  });
});
