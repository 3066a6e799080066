// SPEC §5 "Callbacks" (scheduled), through the menu: the first open time by keys, read back in the
// line's zone and confirmed by text; a stored booking that texts failing in time do not undo; a Do Not
// Contact number keyed in. Times said, full and raced slots, failed writes, reminders, Spanish and the
// replies on /sms/incoming are played in tests/schedule (each scenario is tested once).
import { DateTime } from 'luxon';
import { DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import { useSandbox } from '../helpers/sandbox';
import { call } from '../../sandbox/simulator';
import { airtableApi, expectCallerNeverStranded, heardText, openBase } from './acceptance-kit';

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
