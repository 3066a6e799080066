// Business hours and holidays of a line, evaluated in the line's IANA time zone (SPEC §3, §5).
// Pure: `now` is always an argument (a JS Date, i.e. an instant); nothing here reads the clock.
//
// Semantics, so the policy and the slot scheduler agree to the minute:
// - A window "09:00-17:00" on a local date runs from the first instant the line's wall clock reads
//   09:00 that date to the first instant it reads 17:00. "24:00" (or "00:00" as an end) is the next midnight.
// - A wall time skipped by a spring-forward change (02:30 in New York on the second Sunday of
//   March) starts when the clock jumps past it (03:00 EDT); a repeated one (01:30 on the fall-back
//   day) is its first occurrence.
// - A holiday (a local date) closes the whole day.
// - Blank hours mean always open; malformed hours are reported and also treated as always open,
//   so a typo never locks callers out of a human.

import { DateTime, IANAZone } from 'luxon';
import { isIsoDate, MINUTES_PER_DAY, parseBusinessHours, parseHolidays, type BusinessHours, type TimeWindow, type Weekday } from './business-hours-text.private';

/** Everything needed to answer "open now?" and "open when?" for one line. */
export interface Schedule {
  readonly hours: BusinessHours;
  readonly holidays: readonly string[];
  /** A valid IANA zone (the line's, else the default, else UTC). */
  readonly zone: string;
}

export interface ScheduleProblem {
  readonly field: 'Business Hours' | 'Holidays' | 'Timezone';
  readonly message: string;
}

export type OpenState = 'open' | 'outside-hours' | 'holiday';

/** An open period as UTC instants, `start` inclusive, `end` exclusive. */
export interface OpenWindow {
  readonly start: Date;
  readonly end: Date;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The line's zone when valid, else `defaultTimezone` when valid, else UTC. Never throws. */
export function resolveZone(timezone: string | undefined, defaultTimezone?: string): string {
  for (const zone of [timezone, defaultTimezone]) {
    const name = zone?.trim();
    if (name && IANAZone.isValidZone(name)) return name;
  }
  return 'UTC';
}

/**
 * Builds a line's schedule, reporting (not throwing on) malformed settings: bad hours count as
 * always open, bad holiday entries are skipped, a bad zone falls back to `defaultTimezone`.
 */
type LineSchedule = { readonly schedule: Schedule; readonly problems: readonly ScheduleProblem[] };

// Parsing a line's hours costs more than the rest of a menu decision; a warm instance sees the same
// few lines again and again. Results are immutable, so sharing them is safe.
const scheduleMemo = new Map<string, LineSchedule>();
const SCHEDULE_MEMO_SIZE = 256;

/** The parts of a line that say when it is open. */
export interface LineHours {
  readonly businessHours?: string;
  readonly holidays?: string | readonly string[];
  readonly timezone?: string;
}

export function scheduleForLine(line: LineHours, defaultTimezone?: string): LineSchedule {
  const key = JSON.stringify([line.businessHours, line.holidays, line.timezone, defaultTimezone]);
  const known = scheduleMemo.get(key);
  if (known) return known;
  const parsed = parseSchedule(line, defaultTimezone);
  if (scheduleMemo.size >= SCHEDULE_MEMO_SIZE) scheduleMemo.clear();
  scheduleMemo.set(key, parsed);
  return parsed;
}

function parseSchedule(line: LineHours, defaultTimezone?: string): LineSchedule {
  const problems: ScheduleProblem[] = [];
  const hours = parseBusinessHours(line.businessHours);
  if (!hours.ok) problems.push({ field: 'Business Hours', message: `${hours.reason}; treated as always open` });
  const holidays = parseHolidays(line.holidays);
  for (const entry of holidays.invalid) {
    problems.push({ field: 'Holidays', message: `"${entry}" is not an ISO date (YYYY-MM-DD); ignored` });
  }
  const zone = resolveZone(line.timezone, defaultTimezone);
  if (zone !== line.timezone?.trim()) {
    const message = line.timezone?.trim() ? `"${line.timezone}" is not an IANA time zone` : 'not set';
    problems.push({ field: 'Timezone', message: `${message}; using ${zone}` });
  }
  return { schedule: { hours: hours.hours, holidays: holidays.dates, zone }, problems };
}

/** The local date (YYYY-MM-DD) in the schedule's zone at `now`. */
export function localDateAt(schedule: Schedule, now: Date): string {
  return DateTime.fromJSDate(now, { zone: schedule.zone }).toISODate() ?? '';
}

/** The local date `days` after `localDate` (calendar arithmetic, no time zone involved). */
export function addLocalDays(localDate: string, days: number): string {
  return DateTime.fromISO(localDate, { zone: 'utc' }).plus({ days }).toISODate() ?? '';
}

export function isHoliday(schedule: Schedule, localDate: string): boolean {
  return schedule.holidays.includes(localDate);
}

/**
 * The open windows of one local date as UTC instants, for the slot scheduler.
 * Empty on a holiday, on a closed day, or for a malformed date.
 */
export function openWindowsOn(schedule: Schedule, localDate: string): readonly OpenWindow[] {
  const zone = IANAZone.create(schedule.zone);
  return openWallWindowsOn(schedule, localDate)
    .map((w) => ({ start: instantAtWallTime(localDate, w.start, zone), end: instantAtWallTime(localDate, w.end, zone) }))
    .filter((w) => w.start < w.end) // a window lying wholly in a spring-forward gap never happens
    .map((w) => ({ start: new Date(w.start), end: new Date(w.end) }));
}

/**
 * The open windows of one local date in wall-clock minutes (what the line's clock reads), for the
 * slot scheduler, which steps through them in wall-clock time. Empty on a holiday, a closed day or
 * a malformed date.
 */
export function openWallWindowsOn(schedule: Schedule, localDate: string): readonly TimeWindow[] {
  if (!isIsoDate(localDate) || isHoliday(schedule, localDate)) return [];
  return schedule.hours.kind === 'always-open'
    ? [{ start: 0, end: MINUTES_PER_DAY }]
    : schedule.hours.days[weekdayOf(localDate) - 1];
}

/**
 * The instant the schedule's wall clock first reads `minuteOfDay` on `localDate` (see the semantics at
 * the top: a skipped wall time gives the instant the clock jumps past it).
 */
export function instantAtLocalTime(schedule: Schedule, localDate: string, minuteOfDay: number): Date {
  return new Date(instantAtWallTime(localDate, minuteOfDay, IANAZone.create(schedule.zone)));
}

export function openStateAt(schedule: Schedule, now: Date): OpenState {
  const today = localDateAt(schedule, now);
  if (isHoliday(schedule, today)) return 'holiday';
  const t = now.getTime();
  return openWindowsOn(schedule, today).some((w) => w.start.getTime() <= t && t < w.end.getTime())
    ? 'open'
    : 'outside-hours';
}

export function isOpenAt(schedule: Schedule, now: Date): boolean {
  return openStateAt(schedule, now) === 'open';
}


function weekdayOf(localDate: string): Weekday {
  return DateTime.fromISO(localDate, { zone: 'utc' }).weekday as Weekday;
}

// --- wall time → instant ---

/**
 * The first instant at which the zone's wall clock reads `minuteOfDay` on `localDate`
 * (1440 = the next midnight). In a spring-forward gap that wall time never shows, so the
 * answer is the instant the clock jumps past it.
 */
function instantAtWallTime(localDate: string, minuteOfDay: number, zone: IANAZone): number {
  const [y, m, d] = localDate.split('-').map(Number);
  // The wall time written as if it were UTC; subtracting the zone's offset gives the instant.
  const wall = Date.UTC(y, m - 1, d) + minuteOfDay * MINUTE;
  const wallOf = (t: number): number => t + zone.offset(t) * MINUTE;
  // Offsets a day either side cover both sides of any DST change near this wall time.
  const candidates = [...new Set([zone.offset(wall - DAY), zone.offset(wall), zone.offset(wall + DAY)])].map(
    (offset) => wall - offset * MINUTE,
  );
  const exact = candidates.filter((t) => wallOf(t) === wall);
  if (exact.length > 0) return Math.min(...exact);

  // Gap: the clock reads earlier at `lo` and later at `hi`; find the jump, to the minute.
  let lo = Math.min(...candidates);
  let hi = Math.max(...candidates);
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (wallOf(mid) > wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** How far ahead `nextOpening` looks: a line closed for longer than this has no opening to promise. */
export const OPENING_SEARCH_DAYS = 31;

/**
 * The first instant at or after `now` when the line is open: `now` itself when open, else the start
 * of the next open window (holidays skipped). Undefined when nothing opens within OPENING_SEARCH_DAYS.
 */
export function nextOpening(schedule: Schedule, now: Date): Date | undefined {
  const today = localDateAt(schedule, now);
  const t = now.getTime();
  for (let day = 0; day <= OPENING_SEARCH_DAYS; day++) {
    for (const window of openWindowsOn(schedule, addLocalDays(today, day))) {
      if (window.end.getTime() > t) return window.start.getTime() <= t ? now : window.start;
    }
  }
  return undefined;
}
