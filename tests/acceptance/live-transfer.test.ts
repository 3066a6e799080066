// SPEC §5 "Live transfer": the Bridge with its whisper and recording notice, business hours and
// holidays, FALLBACK_TRANSFER_NUMBER. The agent's other answers, the line's switches, Spanish and SIP
// REFER with its fallbacks are played as calls in tests/transfer/ (each scenario is tested once).
import { DateTime } from 'luxon';
import { DEMO_AGENT_NUMBER, DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import { useSandbox } from '../helpers/sandbox';
import { call } from '../../sandbox/simulator';
import { airtableApi, eventually, expectCallerNeverStranded, heardText, newCallSid, openBase } from './acceptance-kit';

const ENV_FALLBACK = '+12025550177';
const sandbox = useSandbox(openBase, { env: { FALLBACK_TRANSFER_NUMBER: ENV_FALLBACK } });
let airtable: ReturnType<typeof airtableApi>;
beforeAll(() => {
  airtable = airtableApi(sandbox);
});

test('bridge: recording notice, <Dial> of the fallback number, whisper with line, first name and Reason; the log says Connected', async () => {
  const callSid = newCallSid();
  const record = await call(sandbox, {
    to: DEMO_LINES.support,
    from: DEMO_CALLERS.dana,
    callSid,
    path: `/escalate?Reason=${encodeURIComponent('Refund for order 1234')}`,
  })
    .expectSay('Hi Dana')
    .press('1')
    .expectSay('This call may be recorded for quality and training.')
    .expectDial(DEMO_AGENT_NUMBER)
    .agent({ answer: 'accept' })
    .expectWhisper('Support')
    .expectWhisper('Dana')
    .expectWhisper('Refund for order 1234')
    .expectEnd('party');
  expectCallerNeverStranded(record);
  expect(heardText(record, 'dialed')).not.toMatch(/4155550142|415\D?555\D?0142/);
  const dial = record.events.find((event) => event.kind === 'dial');
  expect(dial).toMatchObject({ callerId: DEMO_LINES.support });
  const row = await eventually(async () => {
    const fields = await airtable.callRow(callSid);
    return fields?.Outcome === 'Connected' ? fields : undefined;
  }, 'the Connected row');
  expect(row).toMatchObject({ 'Transfer Method': 'Bridge', Chosen: 'Live Transfer', Line: DEMO_LINES.support });
  expect(row['Agent Call SID']).toMatch(/^CA/);
  expect(row['Agent Number']).toBe(DEMO_AGENT_NUMBER);
});

test('on a holiday (in the line\'s time zone) no live transfer is offered', async () => {
  const today = DateTime.now().setZone('America/New_York').toISODate();
  await airtable.editLine(DEMO_LINES.support, { Holidays: today, Timezone: 'America/New_York' });
  const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana }).press('0').expectSay(/press 1/).hangup();
  expect(heardText(record)).not.toMatch(/connect you to a person/i);
});

test('a line with no Fallback Transfer Number rings FALLBACK_TRANSFER_NUMBER', async () => {
  await airtable.editLine(DEMO_LINES.sales, { 'Fallback Transfer Number': null });
  await call(sandbox, { to: DEMO_LINES.sales, from: DEMO_CALLERS.stranger })
    .press('0')
    .press('1')
    .expectDial(ENV_FALLBACK)
    .agent({ answer: 'accept' })
    .expectEnd('party');
});
