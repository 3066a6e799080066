import { addLocalDays, isOpenAt, localDateAt, openStateAt, openWindowsOn, resolveZone, scheduleForLine, type Schedule } from '../../src/assets/core/business-hours.private';
import { parseBusinessHours, parseHolidays, type BusinessHours } from '../../src/assets/core/business-hours-text.private';

const DAY_LABELS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Weekly hours as "Mon 09:00-17:00" lines, closed days left out, for readable expectations. */
function describe_(hours: BusinessHours): string[] | 'always-open' {
  if (hours.kind === 'always-open') return 'always-open';
  return hours.days.flatMap((windows, i) =>
    windows.length === 0 ? [] : [`${DAY_LABELS[i]} ${windows.map((w) => `${hhmm(w.start)}-${hhmm(w.end)}`).join(',')}`],
  );
}

const MON_FRI_9_5 = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'].map((d) => `${d} 09:00-17:00`);

function schedule(businessHours: string | undefined, timezone: string, holidays: string[] = []): Schedule {
  return scheduleForLine({ businessHours, holidays, timezone }).schedule;
}

const iso = (windows: readonly { start: Date; end: Date }[]): string[][] =>
  windows.map((w) => [w.start.toISOString(), w.end.toISOString()]);

describe('parseBusinessHours', () => {
  test.each<[string, string | undefined, string[] | 'always-open']>([
    ['blank means always open', '', 'always-open'],
    ['missing means always open', undefined, 'always-open'],
    ['whitespace means always open', '   ', 'always-open'],
    ['the SPEC example', 'Mon-Fri 09:00-17:00; Sat 10:00-14:00', [...MON_FRI_9_5, 'Sat 10:00-14:00']],
    ['a full-week range', 'Mon-Sun 08:00-20:00', DAY_LABELS.map((d) => `${d} 08:00-20:00`)],
    ['a wrap-around range', 'Fri-Mon 10:00-12:00', ['Mon 10:00-12:00', 'Fri 10:00-12:00', 'Sat 10:00-12:00', 'Sun 10:00-12:00']],
    ['several windows in a day', 'Mon 09:00-12:00, 13:00-17:00', ['Mon 09:00-12:00,13:00-17:00']],
    ['several windows separated by spaces', 'Mon 09:00-12:00 13:00-17:00', ['Mon 09:00-12:00,13:00-17:00']],
    ['full and mixed-case day names', 'MONDAY-friday 09:00-17:00', MON_FRI_9_5],
    ['Tue, Thu and Thurs variants', 'Tue 09:00-10:00; Thurs 11:00-12:00', ['Tue 09:00-10:00', 'Thu 11:00-12:00']],
    ['a list of days', 'Mon, Wed & Fri 09:00-17:00', ['Mon 09:00-17:00', 'Wed 09:00-17:00', 'Fri 09:00-17:00']],
    ['spaces around dashes and a colon after the days', 'Mon - Fri: 09:00 - 17:00', MON_FRI_9_5],
    ['"to" and en dashes', 'Monday to Friday 09:00–17:00', MON_FRI_9_5],
    ['am/pm times', 'Mon-Fri 9am-5pm', MON_FRI_9_5],
    ['am/pm with minutes and dots', 'Sat 9:30 a.m.-1:15 p.m.', ['Sat 09:30-13:15']],
    ['hours without minutes', 'Mon-Fri 9-17', MON_FRI_9_5],
    ['a window ending 24:00', 'Sat 18:00-24:00', ['Sat 18:00-24:00']],
    ['a window ending 00:00 means midnight', 'Sat 18:00-00:00', ['Sat 18:00-24:00']],
    ['a whole day', 'Sun 00:00-24:00', ['Sun 00:00-24:00']],
    ['weekdays and weekends', 'weekdays 09:00-17:00; weekends 10:00-12:00', [...MON_FRI_9_5, 'Sat 10:00-12:00', 'Sun 10:00-12:00']],
    ['overlapping windows are merged', 'Mon 09:00-12:00; Mon 11:00-14:00, 14:00-15:00', ['Mon 09:00-15:00']],
    ['"closed" overrides other segments', 'Mon-Sun 09:00-17:00; Wed closed', ['Mon 09:00-17:00', 'Tue 09:00-17:00', 'Thu 09:00-17:00', 'Fri 09:00-17:00', 'Sat 09:00-17:00', 'Sun 09:00-17:00']],
    ['segments on separate lines', 'Mon 09:00-10:00\nTue 09:00-10:00', ['Mon 09:00-10:00', 'Tue 09:00-10:00']],
    ['closed every day is valid (never open)', 'Mon-Sun closed', []],
  ])('accepts %s', (_name, raw, expected) => {
    const parsed = parseBusinessHours(raw);
    expect(parsed.ok).toBe(true);
    expect(describe_(parsed.hours)).toEqual(expected);
  });

  test.each<[string, string, RegExp]>([
    ['an unknown day', 'Mnday-Fri 09:00-17:00', /"mnday-fri" is not a day/],
    ['a range of three days', 'Mon-Wed-Fri 09:00-17:00', /not a day/],
    ['no days', '09:00-17:00', /does not say which days/],
    ['no hours', 'Mon-Fri', /has no hours/],
    ['an overnight window', 'Fri 22:00-02:00', /ends before it starts/],
    ['an empty window', 'Fri 09:00-09:00', /ends before it starts/],
    ['a start of 24:00', 'Fri 24:00-24:00', /not a start time/],
    ['minutes past 59', 'Fri 09:60-17:00', /not a start time/],
    ['an hour past 24', 'Fri 09:00-25:00', /not an end time/],
    ['13pm', 'Fri 9am-13pm', /not an end time/],
    ['a lone time', 'Fri 09:00', /not a time range/],
    ['an object property name as a day', 'constructor 09:00-17:00', /not a day/],
    ['one bad segment among good ones', 'Mon-Fri 09:00-17:00; Sat ten-two', /"Sat ten-two" has no hours/],
  ])('rejects %s with a reason, as always open', (_name, raw, reason) => {
    const parsed = parseBusinessHours(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
    expect(parsed.hours).toEqual({ kind: 'always-open' });
  });
});

describe('parseHolidays', () => {
  test.each<[string, string | string[] | undefined, string[], string[]]>([
    ['comma separated', '2026-12-25,2027-01-01', ['2026-12-25', '2027-01-01'], []],
    ['with spaces', ' 2026-12-25 , 2027-01-01 ', ['2026-12-25', '2027-01-01'], []],
    ['semicolons and new lines', '2026-12-25;\n2027-01-01', ['2026-12-25', '2027-01-01'], []],
    ['already split cells', ['2027-01-01', ' 2026-12-25 '], ['2026-12-25', '2027-01-01'], []],
    ['duplicates once, sorted', '2027-01-01, 2026-12-25, 2027-01-01', ['2026-12-25', '2027-01-01'], []],
    ['empty entries ignored', '2026-12-25,, ,', ['2026-12-25'], []],
    ['malformed entries reported', '2026-12-25, Christmas, 2026-13-01, 2026-02-30, 12/25/2026', ['2026-12-25'], ['Christmas', '2026-13-01', '2026-02-30', '12/25/2026']],
    ['blank', '', [], []],
    ['missing', undefined, [], []],
  ])('reads %s', (_name, raw, dates, invalid) => {
    expect(parseHolidays(raw)).toEqual({ dates, invalid });
  });
});

describe('time zones', () => {
  test.each<[string, string | undefined, string | undefined, string]>([
    ['keeps a valid zone', 'Europe/London', 'America/New_York', 'Europe/London'],
    ['falls back to the default for an invalid zone', 'Mars/Olympus', 'America/Chicago', 'America/Chicago'],
    ['falls back to the default for a blank zone', ' ', 'America/Chicago', 'America/Chicago'],
    ['falls back to UTC when both are invalid', 'Mars/Olympus', 'Nowhere', 'UTC'],
    ['falls back to UTC with no default', undefined, undefined, 'UTC'],
  ])('%s', (_name, zone, fallback, expected) => {
    expect(resolveZone(zone, fallback)).toBe(expected);
  });

  test('an invalid line zone is reported and evaluated in the default zone, never thrown', () => {
    const { schedule: s, problems } = scheduleForLine(
      { businessHours: 'Mon-Fri 09:00-17:00', holidays: [], timezone: 'Eastern' },
      'America/New_York',
    );
    expect(problems).toEqual([{ field: 'Timezone', message: '"Eastern" is not an IANA time zone; using America/New_York' }]);
    expect(isOpenAt(s, new Date('2026-06-17T13:30:00Z'))).toBe(true); // 09:30 EDT
    expect(isOpenAt(s, new Date('2026-06-17T12:30:00Z'))).toBe(false); // 08:30 EDT, 12:30 UTC
  });

  test('malformed hours and holidays are reported for the doctor', () => {
    const { schedule: s, problems } = scheduleForLine(
      { businessHours: 'Mon-Fri 9-5', holidays: ['2026-12-25', 'Xmas'], timezone: 'America/New_York' },
      'UTC',
    );
    expect(problems.map((p) => p.field)).toEqual(['Business Hours', 'Holidays']);
    expect(problems[0].message).toMatch(/ends before it starts.*treated as always open/);
    expect(problems[1].message).toMatch(/"Xmas" is not an ISO date/);
    expect(s.hours.kind).toBe('always-open');
    expect(s.holidays).toEqual(['2026-12-25']);
  });
});

describe('openStateAt', () => {
  // Support line of the demo: America/Chicago, Mon-Fri 08:00-18:00; Sat 10:00-14:00.
  const support = schedule('Mon-Fri 08:00-18:00; Sat 10:00-14:00', 'America/Chicago', ['2026-07-03']);

  test.each<[string, string, string]>([
    ['open on a weekday morning', '2026-06-17T13:00:00Z', 'open'], // Wed 08:00 CDT, the first minute
    ['closed a minute before opening', '2026-06-17T12:59:00Z', 'outside-hours'],
    ['open the last minute before closing', '2026-06-17T22:59:59Z', 'open'], // 17:59:59 CDT
    ['closed at the closing time', '2026-06-17T23:00:00Z', 'outside-hours'], // 18:00 CDT
    ['open on Saturday late morning', '2026-06-20T16:00:00Z', 'open'], // Sat 11:00 CDT
    ['closed on Saturday afternoon', '2026-06-20T19:00:00Z', 'outside-hours'], // Sat 14:00 CDT
    ['closed on Sunday', '2026-06-21T16:00:00Z', 'outside-hours'],
    ['closed on a holiday during hours', '2026-07-03T15:00:00Z', 'holiday'], // Fri 10:00 CDT
    ['a holiday by the local date, though UTC is the next day', '2026-07-04T02:00:00Z', 'holiday'], // Fri 21:00 CDT
    ['not a holiday the evening before, by the local date', '2026-07-03T02:00:00Z', 'outside-hours'], // Thu 21:00 CDT
  ])('%s', (_name, at, expected) => {
    expect(openStateAt(support, new Date(at))).toBe(expected);
  });

  test('blank hours are always open, except on holidays', () => {
    const s = schedule('', 'Europe/London', ['2026-12-25']);
    expect(openStateAt(s, new Date('2026-12-24T03:00:00Z'))).toBe('open');
    expect(openStateAt(s, new Date('2026-12-25T12:00:00Z'))).toBe('holiday');
  });

  test('malformed hours are treated as always open', () => {
    expect(isOpenAt(schedule('Mon-Fri 17:00-09:00', 'America/New_York'), new Date('2026-06-21T07:00:00Z'))).toBe(true);
  });
});

describe('daylight saving time', () => {
  // 2026: New York springs forward Sun 8 March 02:00 → 03:00 and falls back Sun 1 November 02:00 → 01:00.
  // London springs forward Sun 29 March 01:00 → 02:00 and falls back Sun 25 October 02:00 → 01:00.
  const weekdays = (zone: string) => schedule('Mon-Fri 09:00-17:00', zone);

  test.each<[string, string, string, boolean]>([
    ['New York, Friday before spring-forward, 08:30 EST', 'America/New_York', '2026-03-06T13:30:00Z', false],
    ['New York, Friday before spring-forward, 09:30 EST', 'America/New_York', '2026-03-06T14:30:00Z', true],
    ['New York, Monday after spring-forward, 09:30 EDT', 'America/New_York', '2026-03-09T13:30:00Z', true],
    ['New York, Monday after spring-forward, 17:30 EDT', 'America/New_York', '2026-03-09T21:30:00Z', false],
    ['New York, Friday before fall-back, 09:30 EDT', 'America/New_York', '2026-10-30T13:30:00Z', true],
    ['New York, Monday after fall-back, 08:30 EST', 'America/New_York', '2026-11-02T13:30:00Z', false],
    ['New York, Monday after fall-back, 16:30 EST', 'America/New_York', '2026-11-02T21:30:00Z', true],
    ['London, Friday before spring-forward, 08:30 GMT', 'Europe/London', '2026-03-27T08:30:00Z', false],
    ['London, Monday after spring-forward, 09:30 BST', 'Europe/London', '2026-03-30T08:30:00Z', true],
    ['London, Monday after spring-forward, 17:30 BST', 'Europe/London', '2026-03-30T16:30:00Z', false],
    ['London, Friday before fall-back, 09:30 BST', 'Europe/London', '2026-10-23T08:30:00Z', true],
    ['London, Monday after fall-back, 08:30 GMT', 'Europe/London', '2026-10-26T08:30:00Z', false],
    ['London, Monday after fall-back, 16:30 GMT', 'Europe/London', '2026-10-26T16:30:00Z', true],
  ])('%s', (_name, zone, at, open) => {
    expect(isOpenAt(weekdays(zone), new Date(at))).toBe(open);
  });

  test.each<[string, string, string, string, string[][]]>([
    ['a whole New York day is 23 hours on spring-forward day', 'Sun 00:00-24:00', 'America/New_York', '2026-03-08', [['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']]],
    ['a whole New York day is 25 hours on fall-back day', 'Sun 00:00-24:00', 'America/New_York', '2026-11-01', [['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z']]],
    ['02:30 does not exist in New York on spring-forward day: the window opens at 03:00 EDT', 'Sun 02:30-04:00', 'America/New_York', '2026-03-08', [['2026-03-08T07:00:00.000Z', '2026-03-08T08:00:00.000Z']]],
    ['a window inside the skipped hour never opens', 'Sun 02:00-03:00', 'America/New_York', '2026-03-08', []],
    ['the repeated hour in New York counts twice: 01:00-02:00 lasts two hours', 'Sun 01:00-02:00', 'America/New_York', '2026-11-01', [['2026-11-01T05:00:00.000Z', '2026-11-01T07:00:00.000Z']]],
    ['01:30 does not exist in London on spring-forward day: the window opens at 02:00 BST', 'Sun 01:30-03:00', 'Europe/London', '2026-03-29', [['2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z']]],
    ['a repeated wall time in London means its first occurrence', 'Sun 01:00-01:30', 'Europe/London', '2026-10-25', [['2026-10-25T00:00:00.000Z', '2026-10-25T00:30:00.000Z']]],
    ['a whole London day is 25 hours on fall-back day', 'Sun 00:00-24:00', 'Europe/London', '2026-10-25', [['2026-10-24T23:00:00.000Z', '2026-10-26T00:00:00.000Z']]],
    ['a 30-minute DST change (Lord Howe) makes a 24.5-hour day', 'Sun 00:00-24:00', 'Australia/Lord_Howe', '2026-04-05', [['2026-04-04T13:00:00.000Z', '2026-04-05T13:30:00.000Z']]],
    ['a skipped midnight (Santiago) opens the day at 01:00', 'Sun 00:00-24:00', 'America/Santiago', '2026-09-06', [['2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z']]],
  ])('%s', (_name, hours, zone, date, expected) => {
    expect(iso(openWindowsOn(schedule(hours, zone), date))).toEqual(expected);
  });

  test.each<[string, string, boolean]>([
    ['01:59 EST, just before the jump', '2026-03-08T06:59:00Z', false],
    ['03:00 EDT, the first instant after the jump', '2026-03-08T07:00:00Z', true],
    ['03:59 EDT', '2026-03-08T07:59:00Z', true],
    ['04:00 EDT', '2026-03-08T08:00:00Z', false],
  ])('a New York window 02:30-04:00 on spring-forward day is open at %s: %s', (_name, at, open) => {
    expect(isOpenAt(schedule('Sun 02:30-04:00', 'America/New_York'), new Date(at))).toBe(open);
  });

  test.each<[string, string, boolean]>([
    ['00:29 EDT', '2026-11-01T04:29:00Z', false],
    ['00:30 EDT', '2026-11-01T04:30:00Z', true],
    ['01:29 EDT, the first time', '2026-11-01T05:29:00Z', true],
    ['01:30 EDT, the first time', '2026-11-01T05:30:00Z', false],
    ['01:15 EST, the second time round (the window ended at the first 01:30)', '2026-11-01T06:15:00Z', false],
    ['02:00 EST', '2026-11-01T07:00:00Z', true],
    ['03:00 EST', '2026-11-01T08:00:00Z', false],
  ])('a New York line open 00:30-01:30 and 02:00-03:00 on fall-back day, at %s: %s', (_name, at, open) => {
    expect(isOpenAt(schedule('Sun 00:30-01:30, 02:00-03:00', 'America/New_York'), new Date(at))).toBe(open);
  });
});

describe('openWindowsOn', () => {
  const support = schedule('Mon-Fri 08:00-12:00, 13:00-18:00; Sat 10:00-14:00', 'America/Chicago', ['2026-07-03']);

  test.each<[string, string, string[][]]>([
    ['gives each window of a weekday in UTC', '2026-06-17', [['2026-06-17T13:00:00.000Z', '2026-06-17T17:00:00.000Z'], ['2026-06-17T18:00:00.000Z', '2026-06-17T23:00:00.000Z']]],
    ['gives Saturday its own window', '2026-06-20', [['2026-06-20T15:00:00.000Z', '2026-06-20T19:00:00.000Z']]],
    ['gives nothing on a closed day', '2026-06-21', []],
    ['gives nothing on a holiday', '2026-07-03', []],
    ['gives nothing for a malformed date', '2026-06-31', []],
  ])('%s', (_name, date, expected) => {
    expect(iso(openWindowsOn(support, date))).toEqual(expected);
  });

  test('gives the whole local day when hours are blank', () => {
    expect(iso(openWindowsOn(schedule('', 'America/Chicago'), '2026-06-17'))).toEqual([
      ['2026-06-17T05:00:00.000Z', '2026-06-18T05:00:00.000Z'],
    ]);
  });

  test('local dates follow the line zone, for a scheduler walking the days ahead', () => {
    expect(localDateAt(support, new Date('2026-06-18T03:00:00Z'))).toBe('2026-06-17'); // 22:00 CDT
    expect(addLocalDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addLocalDays('2026-03-07', 1)).toBe('2026-03-08');
  });
});
