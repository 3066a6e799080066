// /sms/incoming: replies by text to a booked callback, over signed webhooks against the emulators.
import { DateTime } from 'luxon';
import { DEMO_CALLERS, DEMO_LINES, demoBaseWithHours, type DemoBase } from '../../sandbox/demo-data';
import { signatureFor } from '../../sandbox/webhook-client';
import { useSandbox } from '../helpers/sandbox';
import { parseTwiml } from '../helpers/twiml';
import { readSmsCommand } from '../../src/assets/schedule/decisions.private';

const CHICAGO = 'America/Chicago';
const SMS_SID = 'SM0123456789abcdef0123456789abcdef';

const sandbox = useSandbox(() => demoBaseWithHours('open'));

const tomorrowAt = (hour: number, minute = 0): DateTime =>
  DateTime.now().setZone(CHICAGO).plus({ days: 1 }).set({ hour, minute, second: 0, millisecond: 0 });
const written = (t: DateTime): string => `${t.setLocale('en-US').toFormat("cccc, LLLL d 'at' h:mm a")} ${t.toFormat('ZZZZ')}`;

const DANA_AT_TWO = tomorrowAt(14);
let reminderSid: string;

beforeEach(async () => {
  // Dana's booking tomorrow at 2 PM, with a reminder scheduled on the Messaging Service.
  const reminder = await fetch(`${sandbox.twilio.url}/2010-04-01/Accounts/${sandbox.accountSid}/Messages.json`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${sandbox.accountSid}:${sandbox.authToken}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      To: DEMO_CALLERS.dana,
      MessagingServiceSid: sandbox.env.MESSAGING_SERVICE_SID,
      Body: 'reminder',
      ScheduleType: 'fixed',
      SendAt: DANA_AT_TWO.minus({ hours: 1 }).toUTC().toISO() ?? '',
    }),
  });
  reminderSid = ((await reminder.json()) as { sid: string }).sid;
  seedBase();
});

/** The Support line with capacity 1 and Dana's booking; `edit` may change it. */
function seedBase(edit: (base: DemoBase) => void = () => undefined): void {
  const base: DemoBase = demoBaseWithHours('open');
  base.Lines[1]['Callback Slot Capacity'] = 1;
  base.Callbacks.push({
    Line: DEMO_LINES.support,
    Phone: DEMO_CALLERS.dana,
    Contact: 'Dana Whitfield',
    Kind: 'Scheduled',
    'Scheduled For': DANA_AT_TWO.toUTC().toISO() ?? '',
    Status: 'Booked',
    'Reminder SID': reminderSid,
  });
  edit(base);
  sandbox.airtable.reset(base);
}

function text(body: string, from: string = DEMO_CALLERS.dana, to: string = DEMO_LINES.support) {
  return sandbox.post('/sms/incoming', {
    MessageSid: SMS_SID,
    SmsMessageSid: SMS_SID,
    SmsSid: SMS_SID,
    AccountSid: sandbox.accountSid,
    From: from,
    To: to,
    Body: body,
    NumMedia: '0',
    NumSegments: '1',
    SmsStatus: 'received',
    ApiVersion: '2010-04-01',
  });
}

/** The text of the one <Message> of a Messaging TwiML answer ('' for an empty <Response/>). */
function replyOf(answer: { status: number; body: string; headers?: unknown }): string {
  expect(answer.status).toBe(200);
  const verbs = parseTwiml(answer.body);
  expect(verbs.every((v) => v.name === 'Message')).toBe(true);
  return verbs.map((v) => v.text).join('\n');
}

/** A signed text carrying `cookie` (as Twilio sends a conversation's cookies back); the answer's Set-Cookie too. */
async function textWithCookies(body: string, cookie?: string): Promise<{ body: string; setCookie: string }> {
  const url = `${sandbox.baseUrl}/sms/incoming`;
  const params = { MessageSid: SMS_SID, AccountSid: sandbox.accountSid, From: DEMO_CALLERS.dana, To: DEMO_LINES.support, Body: body, NumMedia: '0' };
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signatureFor(sandbox.authToken, url, params),
      ...(cookie ? { cookie } : {}),
    },
    body: new URLSearchParams(params).toString(),
  });
  return { body: await response.text(), setCookie: response.headers.get('set-cookie') ?? '' };
}

async function addBooking(at: DateTime): Promise<void> {
  await fetch(`${sandbox.airtable.url}/v0/appDemoIvrEsc0001/Callbacks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sandbox.env.AIRTABLE_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fields: { Line: DEMO_LINES.support, Phone: '+15005550006', Kind: 'Scheduled', Status: 'Booked', 'Scheduled For': at.toUTC().toISO() } }),
  });
}

const rows = () => sandbox.airtable.records('Callbacks');
const booked = () => rows().filter((r) => r.fields.Status === 'Booked');

describe('/sms/incoming', () => {
  test('CANCEL CALL cancels the next booked callback and its scheduled reminder', async () => {
    expect(replyOf(await text('Cancel call'))).toBe(`Support: your call back for ${written(DANA_AT_TWO)} is cancelled.`);
    expect(rows().map((r) => r.fields.Status)).toEqual(['Cancelled']);
    const reminder = sandbox.twilio.messages().find((m) => m.sid === reminderSid);
    expect(reminder?.resource.status).toBe('canceled');
    expect(reminder?.updates).toEqual([{ Status: 'canceled' }]);
  });

  test('a bare CANCEL (also a Twilio opt-out keyword) still cancels the booking', async () => {
    await text('CANCEL');
    expect(booked()).toHaveLength(0);
  });

  test('CHANGE texts back the next open times, numbered, without the booked one', async () => {
    const reply = replyOf(await text('change'));
    expect(reply).toMatch(/^Support: reply with a number to move your call back: 1\) .+; 2\) .+; 3\) .+\.$/);
    expect(reply).not.toContain(written(DANA_AT_TWO));
  });

  test('CHANGE then a number moves the booking: new slot booked, old one and its reminder cancelled, new reminder scheduled', async () => {
    // Closed today and tomorrow, so the times offered are at least a day ahead, far enough for a scheduled
    // reminder whatever the hour (closing today alone offered 00:30 tomorrow when run at 23:15 in Chicago).
    const today = DateTime.now().setZone(CHICAGO);
    seedBase((base) => {
      base.Lines[1].Holidays = [today.toISODate(), today.plus({ days: 1 }).toISODate()].join(', ');
    });
    const choices = replyOf(await text('CHANGE'));
    const second = /2\) (.+?);/.exec(choices)?.[1];
    const reply = replyOf(await text('2'));
    expect(reply).toBe(`Support: your call back is moved to ${second}. Reply CANCEL CALL to cancel or CHANGE to pick another time.`);
    const [now] = booked();
    expect(booked()).toHaveLength(1);
    expect(now.fields).toMatchObject({ Phone: DEMO_CALLERS.dana, Contact: 'Dana Whitfield', Kind: 'Scheduled' });
    expect(now.fields['Scheduled For']).not.toBe(DANA_AT_TWO.toUTC().toISO());
    expect(sandbox.twilio.messages().find((m) => m.sid === reminderSid)?.resource.status).toBe('canceled');
    const newReminder = sandbox.twilio.messages().find((m) => m.sid !== reminderSid && m.params.ScheduleType === 'fixed');
    expect(newReminder?.resource.status).toBe('scheduled');
    expect(now.fields['Reminder SID']).toBe(newReminder?.sid);
  });

  test('two senders moving to the same last place at once: exactly one moves, the other keeps the old booking', async () => {
    const luisAtThree = tomorrowAt(15);
    seedBase((base) =>
      base.Callbacks.push({ Line: DEMO_LINES.support, Phone: DEMO_CALLERS.luis, Kind: 'Scheduled', 'Scheduled For': luisAtThree.toUTC().toISO() ?? '', Status: 'Booked' }),
    );
    // Both read the open times before either new booking lands: the writes are slowed down.
    sandbox.airtable.faults.set({ latencyMs: 400, table: 'Callbacks', method: 'POST', times: 2 });
    const replies = (await Promise.all([text('1'), text('1', DEMO_CALLERS.luis)])).map(replyOf);
    const moved = replies.filter((r) => r.startsWith('Support: your call back is moved to'));
    const taken = replies.filter((r) => r === 'Support: sorry, that time was just taken. Reply CHANGE to see the open times.');
    expect([moved.length, taken.length]).toEqual([1, 1]);
    // Capacity 1: two Booked rows left, in two different slots; one of the old bookings is untouched.
    const times = booked().map((r) => r.fields['Scheduled For']);
    expect(new Set(times).size).toBe(2);
    expect(times.filter((t) => t === DANA_AT_TWO.toUTC().toISO() || t === luisAtThree.toUTC().toISO())).toHaveLength(1);
  });

  test('a number means the time the sender read (kept as a Messaging cookie), even when the open times moved', async () => {
    const change = await textWithCookies('CHANGE');
    expect(change.setCookie).toMatch(/^bookingChoices=[\d.]+;/);
    const listed = [...change.body.matchAll(/\d\) (.+?)(?:;|\.<)/g)].map((m) => m[1]);
    expect(listed).toHaveLength(3);
    const cookie = change.setCookie.split(';')[0];
    // Someone takes the first listed time (capacity 1): the list as it is now would shift by one.
    const first = DateTime.fromFormat(listed[0].replace(/ C[SD]T$/, ''), "cccc, LLLL d 'at' h:mm a", { zone: CHICAGO, locale: 'en-US' });
    await addBooking(first);

    const gone = await textWithCookies('1', cookie);
    expect(gone.body).toContain('Support: sorry, that time is no longer open.');
    const moved = await textWithCookies('2', cookie);
    expect(moved.body).toContain(`Support: your call back is moved to ${listed[1]}.`);
  });

  test('anything else gets a one-line help with the booked time', async () => {
    expect(replyOf(await text('what time was it again?'))).toBe(
      `Support: your call back is booked for ${written(DANA_AT_TWO)}. Reply CANCEL CALL to cancel or CHANGE to pick another time.`,
    );
  });

  test('a sender with no booking gets a polite one-liner', async () => {
    expect(replyOf(await text('CANCEL CALL', DEMO_CALLERS.stranger))).toBe(
      'Support: we could not find a booked call back for this number. Please call us to book one.',
    );
  });

  test('on the Spanish line, CANCELAR is answered in Spanish with the time in the line\'s zone', async () => {
    const slot = DateTime.now().setZone('America/Los_Angeles').plus({ days: 1 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
    seedBase((base) =>
      base.Callbacks.push({ Line: DEMO_LINES.afterHours, Phone: DEMO_CALLERS.stranger, Kind: 'Scheduled', 'Scheduled For': slot.toUTC().toISO() ?? '', Status: 'Booked' }),
    );
    const reply = replyOf(await text('Cancelar', DEMO_CALLERS.stranger, DEMO_LINES.afterHours));
    expect(reply).toBe(`After-hours: su llamada para el ${slot.setLocale('es').toFormat("cccc d 'de' LLLL")} a las 10:00 de la mañana ${slot.toFormat('ZZZZ')} quedó cancelada.`);
    expect(booked().map((r) => r.fields.Phone)).toEqual([DEMO_CALLERS.dana]);
  });

  test('STOP, START and HELP are left to Twilio: an empty response', async () => {
    for (const keyword of ['STOP', 'start', 'HELP']) expect(replyOf(await text(keyword))).toBe('');
    expect(booked()).toHaveLength(1);
  });

  test('Airtable failing: an apology by text, never an error', async () => {
    sandbox.airtable.faults.set({ status: 503, table: 'Callbacks' });
    expect(replyOf(await text('CANCEL CALL'))).toBe('Support: sorry, we could not do that just now. Please try again in a few minutes.');
  });

  test('an unsigned request is rejected', async () => {
    const answer = await sandbox.post('/sms/incoming', { From: DEMO_CALLERS.dana, To: DEMO_LINES.support, Body: 'CANCEL' }, { signature: 'bad' });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(booked()).toHaveLength(1);
  });
});

describe('readSmsCommand', () => {
  test.each<[string, string]>([
    ['CANCEL', 'cancel'],
    ['cancel call', 'cancel'],
    ['Cancelar', 'cancel'],
    ['CHANGE', 'change'],
    ['cambiar', 'change'],
    ['2', 'choose'],
    [' 3. ', 'choose'],
    ['4', 'other'],
    ['STOP', 'twilio-keyword'],
    ['unstop', 'twilio-keyword'],
    ['INFO', 'twilio-keyword'],
    ['please cancel my appointment tomorrow', 'other'],
    ['', 'other'],
  ])('"%s" → %s', (body, kind) => {
    expect(readSmsCommand(body).kind).toBe(kind);
  });
});
