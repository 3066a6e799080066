import { lastSlotDate, nearestOpenSlots, openSlots, scheduleOf, slotAt, slotProblem, slotSettingsOf, slotsOn, slotStartingAt, type SlotSettings } from '../../src/assets/core/slots.private';

const WEEKDAYS = 'Mon-Fri 09:00-17:00';
const SETTINGS: SlotSettings = { slotMinutes: 30, capacity: 2, daysAhead: 7 };
const at = (iso: string): Date => new Date(iso);
const starts = (slots: readonly { start: Date }[]): string[] => slots.map((s) => s.start.toISOString());

function open(opts: { hours?: string; zone: string; holidays?: string[]; now: string; booked?: string[]; settings?: Partial<SlotSettings> }) {
  return openSlots({
    schedule: scheduleOf({ businessHours: opts.hours, holidays: opts.holidays ?? [], timezone: opts.zone }),
    settings: { ...SETTINGS, ...opts.settings },
    booked: (opts.booked ?? []).map(at),
    now: at(opts.now),
  });
}

describe('openSlots: the next open slots', () => {
  test.each<[string, Parameters<typeof open>[0], string[]]>([
    [
      'New York, Friday before the fall-back weekend: Monday 9 AM is 14:00Z (EST), not 13:00Z',
      { hours: WEEKDAYS, zone: 'America/New_York', now: '2026-10-30T20:00:00Z' },
      ['2026-10-30T20:30:00.000Z', '2026-11-02T14:00:00.000Z', '2026-11-02T14:30:00.000Z'],
    ],
    [
      'New York, Friday before the spring-forward weekend: Monday 9 AM is 13:00Z (EDT)',
      { hours: WEEKDAYS, zone: 'America/New_York', now: '2026-03-06T21:00:00Z' },
      ['2026-03-06T21:30:00.000Z', '2026-03-09T13:00:00.000Z', '2026-03-09T13:30:00.000Z'],
    ],
    [
      'London, Friday before BST starts: Monday 9 AM is 08:00Z',
      { hours: WEEKDAYS, zone: 'Europe/London', now: '2026-03-27T16:00:00Z' },
      ['2026-03-27T16:30:00.000Z', '2026-03-30T08:00:00.000Z', '2026-03-30T08:30:00.000Z'],
    ],
    [
      'London, Friday before BST ends: Monday 9 AM is 09:00Z',
      { hours: WEEKDAYS, zone: 'Europe/London', now: '2026-10-23T15:00:00Z' },
      ['2026-10-23T15:30:00.000Z', '2026-10-26T09:00:00.000Z', '2026-10-26T09:30:00.000Z'],
    ],
    [
      'the 15-minute floor: a slot exactly 15 minutes ahead is open',
      { hours: WEEKDAYS, zone: 'America/New_York', now: '2026-10-30T20:15:00Z' },
      ['2026-10-30T20:30:00.000Z', '2026-11-02T14:00:00.000Z', '2026-11-02T14:30:00.000Z'],
    ],
    [
      'the 15-minute floor: a slot 10 minutes ahead is not',
      { hours: WEEKDAYS, zone: 'America/New_York', now: '2026-10-30T20:20:00Z' },
      ['2026-11-02T14:00:00.000Z', '2026-11-02T14:30:00.000Z', '2026-11-02T15:00:00.000Z'],
    ],
    [
      'a holiday closes the whole day: Monday skipped, Tuesday 9 AM next',
      { hours: WEEKDAYS, zone: 'America/New_York', holidays: ['2026-11-02'], now: '2026-10-30T20:40:00Z' },
      ['2026-11-03T14:00:00.000Z', '2026-11-03T14:30:00.000Z', '2026-11-03T15:00:00.000Z'],
    ],
    [
      'a full slot is skipped; a slot with one place left is open',
      {
        hours: WEEKDAYS,
        zone: 'America/New_York',
        now: '2026-10-30T20:40:00Z',
        booked: ['2026-11-02T14:00:00Z', '2026-11-02T14:10:00Z', '2026-11-02T14:30:00Z'],
      },
      ['2026-11-02T14:30:00.000Z', '2026-11-02T15:00:00.000Z', '2026-11-02T15:30:00.000Z'],
    ],
    [
      'capacity 1: one booking fills a slot',
      { hours: WEEKDAYS, zone: 'America/New_York', now: '2026-10-30T20:40:00Z', booked: ['2026-11-02T14:00:00Z'], settings: { capacity: 1 } },
      ['2026-11-02T14:30:00.000Z', '2026-11-02T15:00:00.000Z', '2026-11-02T15:30:00.000Z'],
    ],
    [
      'cancelled or other-line times outside every slot change nothing',
      { hours: WEEKDAYS, zone: 'America/New_York', now: '2026-10-30T20:40:00Z', booked: ['2026-11-01T14:00:00Z', '2026-11-02T13:59:59Z'] },
      ['2026-11-02T14:00:00.000Z', '2026-11-02T14:30:00.000Z', '2026-11-02T15:00:00.000Z'],
    ],
    [
      'hour-long slots that must fit the window: 16:30-17:30 is not a slot',
      { hours: 'Mon-Fri 09:00-17:30', zone: 'America/New_York', now: '2026-10-30T20:10:00Z', settings: { slotMinutes: 60 } },
      ['2026-11-02T14:00:00.000Z', '2026-11-02T15:00:00.000Z', '2026-11-02T16:00:00.000Z'],
    ],
    [
      'several windows a day and Saturday hours',
      { hours: 'Mon-Fri 09:00-12:00, 13:00-17:00; Sat 10:00-11:00', zone: 'America/New_York', now: '2026-10-30T20:40:00Z' },
      ['2026-10-31T14:00:00.000Z', '2026-10-31T14:30:00.000Z', '2026-11-02T14:00:00.000Z'],
    ],
  ])('%s', (_name, input, firstThree) => {
    expect(starts(open(input).slice(0, 3))).toEqual(firstThree);
  });

  test('a slot told as "Tuesday at 2 PM" before a clock change is 2 PM on that Tuesday\'s clock', () => {
    const slots = open({ hours: WEEKDAYS, zone: 'America/New_York', now: '2026-10-30T13:00:00Z' });
    const tuesdayTwo = slots.find((s) => s.localDate === '2026-11-03' && s.minuteOfDay === 14 * 60);
    expect(tuesdayTwo?.start.toISOString()).toBe('2026-11-03T19:00:00.000Z'); // EST; 18:00Z would be 1 PM
  });

  test('the days-ahead ceiling counts calendar days on the line\'s clock, across a clock change', () => {
    // Friday + 3 days = Monday, whose last slot is 4:30 PM EST (21:30Z).
    const slots = open({ hours: WEEKDAYS, zone: 'America/New_York', now: '2026-10-30T20:00:00Z', settings: { daysAhead: 3 } });
    expect(starts(slots.slice(-2))).toEqual(['2026-11-02T21:00:00.000Z', '2026-11-02T21:30:00.000Z']);
  });

  test('late in the evening, "today" is still the line\'s date, not UTC\'s', () => {
    // Friday 9 PM in New York is already Saturday in UTC: 1 day ahead still reaches Saturday only.
    const slots = open({ hours: 'Mon-Sun 09:00-17:00', zone: 'America/New_York', now: '2026-10-31T01:00:00Z', settings: { daysAhead: 1 } });
    expect([...new Set(slots.map((s) => s.localDate))]).toEqual(['2026-10-31']);
  });

  test('days ahead 0 leaves only what is left of today', () => {
    const slots = open({ hours: WEEKDAYS, zone: 'America/New_York', now: '2026-10-30T19:40:00Z', settings: { daysAhead: 0 } });
    expect(starts(slots)).toEqual(['2026-10-30T20:00:00.000Z', '2026-10-30T20:30:00.000Z']);
  });

  test('every slot full, or every day a holiday, leaves none', () => {
    const days = ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06', '2026-10-30', '2026-11-09'];
    expect(open({ hours: WEEKDAYS, zone: 'America/New_York', holidays: days, now: '2026-10-30T13:00:00Z' })).toEqual([]);
    expect(open({ hours: 'Mon 09:00-09:30', zone: 'America/New_York', now: '2026-10-30T13:00:00Z', booked: ['2026-11-02T14:00:00Z', '2026-11-02T14:05:00Z'], settings: { daysAhead: 7 } })).toEqual([]);
  });

  test('places left count down with bookings', () => {
    const [first] = open({ hours: WEEKDAYS, zone: 'America/New_York', now: '2026-10-30T20:40:00Z', booked: ['2026-11-02T14:00:00Z'], settings: { capacity: 3 } });
    expect(first.placesLeft).toBe(2);
  });
});

describe('slotsOn: wall-clock slots across clock changes', () => {
  const ny = scheduleOf({ timezone: 'America/New_York', holidays: [] }); // blank hours = always open
  const london = scheduleOf({ timezone: 'Europe/London', holidays: [] });

  test('spring forward in New York: 2 AM never shows, so 23 hourly slots', () => {
    const slots = slotsOn(ny, '2026-03-08', 60);
    expect(slots).toHaveLength(23);
    expect(starts(slots.slice(0, 4))).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-08T06:00:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-08T08:00:00.000Z']);
    expect(slots.map((s) => s.minuteOfDay / 60).slice(0, 4)).toEqual([0, 1, 3, 4]);
  });

  test('fall back in New York: 1:30 AM is one slot (its first occurrence), 48 half-hour slots', () => {
    const slots = slotsOn(ny, '2026-11-01', 30);
    expect(slots).toHaveLength(48);
    const oneThirty = slots.find((s) => s.minuteOfDay === 90);
    expect([oneThirty?.start.toISOString(), oneThirty?.end.toISOString()]).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-01T07:00:00.000Z']);
  });

  test('London: 1 AM is skipped when BST starts and 1:00 is told once when it ends', () => {
    expect(slotsOn(london, '2026-03-29', 60).map((s) => s.minuteOfDay / 60).slice(0, 3)).toEqual([0, 2, 3]);
    const autumn = slotsOn(london, '2026-10-25', 60);
    expect(autumn).toHaveLength(24);
    expect(starts(autumn.slice(1, 3))).toEqual(['2026-10-25T00:00:00.000Z', '2026-10-25T02:00:00.000Z']);
  });

  test('a window ending at midnight gives a last slot ending at the next midnight', () => {
    const late = scheduleOf({ businessHours: 'Sat 23:00-24:00', timezone: 'Europe/London', holidays: [] });
    const slots = slotsOn(late, '2026-10-24', 30);
    expect(slots.map((s) => [s.start.toISOString(), s.end.toISOString()])).toEqual([
      ['2026-10-24T22:00:00.000Z', '2026-10-24T22:30:00.000Z'],
      ['2026-10-24T22:30:00.000Z', '2026-10-24T23:00:00.000Z'],
    ]);
  });
});

describe('slot lookups and problems', () => {
  const schedule = scheduleOf({ businessHours: WEEKDAYS, timezone: 'America/New_York', holidays: ['2026-11-03'] });
  const query = { schedule, settings: SETTINGS, booked: [at('2026-11-02T15:00:00Z'), at('2026-11-02T15:01:00Z')], now: at('2026-10-30T20:00:00Z') };

  test.each<[string, string, string | undefined]>([
    ['a time inside a slot finds the slot', '2026-11-02T14:10:00Z', '2026-11-02T14:00:00.000Z'],
    ['a slot start finds itself', '2026-11-02T14:30:00Z', '2026-11-02T14:30:00.000Z'],
    ['outside hours finds nothing', '2026-11-02T23:00:00Z', undefined],
    ['a holiday finds nothing', '2026-11-03T15:00:00Z', undefined],
  ])('%s', (_name, instant, expected) => {
    expect(slotAt(schedule, 30, at(instant))?.start.toISOString()).toBe(expected);
  });

  test('slotStartingAt accepts only a real slot start', () => {
    expect(slotStartingAt(schedule, 30, at('2026-11-02T14:30:00Z'))?.minuteOfDay).toBe(9 * 60 + 30);
    expect(slotStartingAt(schedule, 30, at('2026-11-02T14:10:00Z'))).toBeUndefined();
  });

  test.each<[string, string, string | undefined]>([
    ['full', '2026-11-02T15:00:00Z', 'full'],
    ['too soon', '2026-10-30T20:00:00Z', 'too-soon'],
    ['too far', '2026-11-09T15:00:00Z', 'too-far'],
    ['bookable', '2026-11-02T14:00:00Z', undefined],
  ])('slotProblem: %s', (_name, start, problem) => {
    const slot = slotAt(schedule, 30, at(start));
    expect(slot && slotProblem(query, slot)).toBe(problem);
  });

  test('lastSlotDate adds calendar days to the line\'s date', () => {
    expect(lastSlotDate(schedule, at('2026-10-31T01:00:00Z'), 7)).toBe('2026-11-06');
  });

  test('nearestOpenSlots picks the closest either side, in time order', () => {
    const slots = open({ hours: WEEKDAYS, zone: 'America/New_York', now: '2026-10-30T20:40:00Z' });
    expect(starts(nearestOpenSlots(slots, at('2026-11-02T23:00:00Z'), 3))).toEqual([
      '2026-11-02T20:30:00.000Z',
      '2026-11-02T21:00:00.000Z',
      '2026-11-02T21:30:00.000Z',
    ]);
    expect(starts(nearestOpenSlots(slots, at('2026-11-03T13:00:00Z'), 2))).toEqual(['2026-11-03T14:00:00.000Z', '2026-11-03T14:30:00.000Z']);
  });
});

describe('slotSettingsOf', () => {
  test.each<[string, [number, number, number], SlotSettings]>([
    ['the line\'s values', [15, 4, 14], { slotMinutes: 15, capacity: 4, daysAhead: 14 }],
    ['a slot under 5 minutes falls back to 30', [1, 2, 7], { slotMinutes: 30, capacity: 2, daysAhead: 7 }],
    ['a capacity of 0 falls back to 2', [30, 0, 7], { slotMinutes: 30, capacity: 2, daysAhead: 7 }],
    ['days ahead 0 means today only', [30, 2, 0], { slotMinutes: 30, capacity: 2, daysAhead: 0 }],
    ['days ahead capped at 60', [30, 2, 400], { slotMinutes: 30, capacity: 2, daysAhead: 60 }],
    ['not numbers fall back to defaults', [Number.NaN, Number.NaN, Number.NaN], { slotMinutes: 30, capacity: 2, daysAhead: 7 }],
  ])('%s', (_name, [callbackSlotMinutes, callbackSlotCapacity, callbackDaysAhead], expected) => {
    expect(slotSettingsOf({ callbackSlotMinutes, callbackSlotCapacity, callbackDaysAhead })).toEqual(expected);
  });
});
