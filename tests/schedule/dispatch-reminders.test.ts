// The dispatcher's reminder pass: Booked callbacks whose reminder Twilio does not hold get one text,
// an hour before the slot, once however many runs overlap. Driven with a `now` an hour and a half ahead,
// since rows cannot be created in the past.
import { DEMO_CALLERS, DEMO_LINES, demoBaseWithHours } from '../../sandbox/demo-data';
import { sendDueReminders } from '../../src/assets/jobs/dispatch-reminders.private';
import { readConfig } from '../../src/assets/shell/config.private';
import type { EventRequest } from '../../src/assets/call/request.private';
import { openCallSession, type CallSession } from '../../src/assets/call/session.private';
import { createLogger } from '../../src/assets/shell/log.private';
import { addCallbacks, callbackRows, runDispatch } from '../helpers/callbacks';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox(() => demoBaseWithHours('open'));

const MINUTE = 60_000;
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

function dispatcherAt(now: Date, config = readConfig(sandbox.env)): CallSession<EventRequest> {
  return openCallSession({
    params: {},
    config,
    log: createLogger('test', quiet),
    now,
    deadline: Date.now() + 6000,
    headers: {},
    raw: {},
    cookies: {},
  });
}

const booking = (slot: Date, fields: Record<string, unknown> = {}) => ({
  Line: DEMO_LINES.support,
  Phone: DEMO_CALLERS.dana,
  Kind: 'Scheduled',
  Status: 'Booked',
  'Scheduled For': slot.toISOString(),
  ...fields,
});

describe('reminders sent by the dispatcher', () => {
  const slot = new Date(Date.now() + 150 * MINUTE);
  const inTheHourBefore = new Date(slot.getTime() - 45 * MINUTE);

  test('a booking without a Reminder SID gets its reminder from the line\'s number, once', async () => {
    const [id] = await addCallbacks(sandbox, [booking(slot)]);
    const first = await sendDueReminders(dispatcherAt(inTheHourBefore));
    const second = await sendDueReminders(dispatcherAt(inTheHourBefore));

    expect(first.sent).toHaveLength(1);
    expect(second).toEqual({ sent: [], errors: [] });
    const [text] = sandbox.twilio.messages();
    expect(text.params).toMatchObject({ From: DEMO_LINES.support, To: DEMO_CALLERS.dana });
    expect(String(text.params.Body)).toMatch(/^Support: reminder, we will call you .+\. Reply CANCEL CALL to cancel/);
    expect(callbackRows(sandbox).find((r) => r.id === id)?.fields['Reminder SID']).toBe(text.sid);
  });

  test('its delivery is reported to /events/message-status for the call that booked it', async () => {
    const originCallSid = `CA${'6'.repeat(32)}`;
    await addCallbacks(sandbox, [booking(slot, { 'Origin Call SID': originCallSid })]);
    // DOMAIN_NAME comes with the Functions context, not the .env the tests read.
    await sendDueReminders(dispatcherAt(inTheHourBefore, { ...readConfig(sandbox.env), domainName: new URL(sandbox.baseUrl).host }));
    const [text] = sandbox.twilio.messages();
    expect(text.params.StatusCallback).toBe(`${sandbox.baseUrl}/events/message-status?CallSid=${originCallSid}`);
  });

  test('three runs at once: one reminder', async () => {
    await addCallbacks(sandbox, [booking(slot)]);
    const runs = await Promise.all([1, 2, 3].map(() => sendDueReminders(dispatcherAt(inTheHourBefore))));
    expect(runs.flatMap((r) => r.sent)).toHaveLength(1);
    expect(sandbox.twilio.messages()).toHaveLength(1);
  });

  test.each<[string, Record<string, unknown>, Date]>([
    ['a reminder Twilio holds (Reminder SID)', { 'Reminder SID': 'SM0123456789abcdef0123456789abcdef' }, inTheHourBefore],
    ['a cancelled booking', { Status: 'Cancelled' }, inTheHourBefore],
    ['too early: two hours before', {}, new Date(slot.getTime() - 120 * MINUTE)],
    ['too late: the slot has started', {}, new Date(slot.getTime() + MINUTE)],
  ])('no reminder for %s', async (_name, fields, now) => {
    await addCallbacks(sandbox, [booking(slot, fields)]);
    expect((await sendDueReminders(dispatcherAt(now))).sent).toEqual([]);
    expect(sandbox.twilio.messages()).toHaveLength(0);
  });

  test('a dispatcher run with nothing to remind answers as before', async () => {
    await addCallbacks(sandbox, [booking(slot)]);
    const run = await runDispatch(sandbox);
    expect(run).toEqual({ status: 200, json: { dialled: [], skipped: [], left: 0, errors: [] } });
  });
});
