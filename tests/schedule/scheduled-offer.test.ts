// Whether the menu offers a scheduled callback: the policy's reasons for the path, and the slot check
// the menu passes it (hasSlotsAhead).
import type { Line } from '../../src/assets/core/model.private';
import { decideOffers, featuresFromEnv } from '../../src/assets/core/policy.private';
import { hasSlotsAhead, scheduleOf } from '../../src/assets/core/slots.private';
import { testLine } from '../helpers/line';

const LINE: Line = testLine({
  name: 'Support',
  phoneNumber: '+12025550120',
  timezone: 'America/Chicago',
  businessHours: 'Mon-Fri 08:00-18:00',
  fallbackTransferNumber: '+12025550100',
  scheduledCallback: true,
});
const NOW = new Date('2026-11-27T15:00:00Z'); // Friday 9 AM in Chicago
const ALL_ON = featuresFromEnv({ FEATURE_SMART_CALLBACK_SCHEDULING: 'true' });

describe('the policy for scheduled callbacks', () => {
  test.each<[string, Partial<Line>, { hasOpenSlots?: boolean; doNotContact?: boolean }, string[]]>([
    ['available', {}, { hasOpenSlots: true }, []],
    ['no open slots', {}, { hasOpenSlots: false }, ['no-open-slots']],
    ['no agent number to ring first', { fallbackTransferNumber: undefined }, {}, ['no-agent-number']],
    ['Do Not Contact', {}, { doNotContact: true }, ['do-not-contact']],
    ['line switch off', { scheduledCallback: false }, {}, ['line-switch-off']],
  ])('%s', (_name, line, facts, reasons) => {
    const offers = decideOffers({
      features: ALL_ON,
      line: { ...LINE, ...line },
      caller: { callerId: '+14155550142', contact: facts.doNotContact ? { id: 'rec1', doNotContact: true } : undefined },
      now: NOW,
      hasOpenSlots: facts.hasOpenSlots,
    });
    expect(offers.find((o) => o.path === 'callback-scheduled')?.reasons).toEqual(reasons);
  });
});

describe('hasSlotsAhead', () => {
  const settings = { slotMinutes: 30, capacity: 2, daysAhead: 7 };
  const FRIDAY_EVENING = new Date('2026-11-28T00:30:00Z'); // 6:30 PM in Chicago
  const EIGHT_DAYS = ['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04'];
  test.each<[string, Partial<Line>, number, Date, boolean]>([
    ['weekday hours', {}, 7, NOW, true],
    ['Friday evening, days ahead 0: nothing left today', {}, 0, FRIDAY_EVENING, false],
    ['Friday evening, days ahead 3: Monday', {}, 3, FRIDAY_EVENING, true],
    ['every day ahead a holiday', { holidays: EIGHT_DAYS }, 7, NOW, false],
    ['always open', { businessHours: undefined }, 0, FRIDAY_EVENING, true],
  ])('%s', (_name, line, daysAhead, now, expected) => {
    expect(hasSlotsAhead(scheduleOf({ ...LINE, ...line }), { ...settings, daysAhead }, now)).toBe(expected);
  });
});
