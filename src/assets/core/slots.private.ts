// Scheduled-callback slots of a line (SPEC §5 "Callbacks"). Pure: `now` and the booked times are
// arguments; nothing here reads the clock or Airtable.
//
// Semantics:
// - Slots step through each open window of a local date in wall-clock time: with 30-minute slots and
//   hours 09:00-17:00 they start at 09:00, 09:30 ... 16:30, whatever the UTC offset that day. A slot
//   is the instant the line's clock first reads its start, so "Tuesday at 2:00 PM" after a clock change
//   is still 2:00 PM on that Tuesday's clock. A wall time skipped by a spring-forward change is no slot;
//   a repeated one (fall back) is one slot, its first occurrence.
// - A slot must fit its window, start at least 15 minutes after `now` (MIN_LEAD_MINUTES), and fall on a
//   local date at most `Callback Days Ahead` days after today's (0 = today only). Counting calendar
//   dates, not hours, keeps the ceiling where the caller expects it across a clock change.
// - A slot is open while fewer than `Callback Slot Capacity` Booked callbacks fall inside it.

import { IANAZone } from 'luxon';
import {
  addLocalDays,
  instantAtLocalTime,
  localDateAt,
  openWallWindowsOn,
  scheduleForLine,
  type LineHours,
  type Schedule,
} from './business-hours.private';

/** Twilio and callers alike need some notice: no slot starts sooner than this. */
export const MIN_LEAD_MINUTES = 15;
const MINUTE = 60_000;

export interface SlotSettings {
  /** `Callback Slot Minutes` (default 30). */
  readonly slotMinutes: number;
  /** `Callback Slot Capacity` (default 2): callbacks an agent team can take in one slot. */
  readonly capacity: number;
  /** `Callback Days Ahead` (default 7). */
  readonly daysAhead: number;
}

export interface Slot {
  /** First instant of the slot (UTC), what `Scheduled For` holds. */
  readonly start: Date;
  /** First instant after the slot. */
  readonly end: Date;
  /** The line's local date of the slot, YYYY-MM-DD. */
  readonly localDate: string;
  /** Wall-clock minutes after local midnight at which the slot starts. */
  readonly minuteOfDay: number;
}

export interface OpenSlot extends Slot {
  /** Places left: capacity minus the Booked callbacks inside the slot (always ≥ 1). */
  readonly placesLeft: number;
}

export interface SlotQuery {
  readonly schedule: Schedule;
  readonly settings: SlotSettings;
  /** `Scheduled For` of every Booked callback of the line (others are ignored if outside every slot). */
  readonly booked: readonly Date[];
  readonly now: Date;
}

/** A line's slot settings, with defaults and sane bounds (a 0 or 2-hour typo must not break booking). */
export function slotSettingsOf(line: {
  readonly callbackSlotMinutes: number;
  readonly callbackSlotCapacity: number;
  readonly callbackDaysAhead: number;
}): SlotSettings {
  const whole = (value: number, fallback: number, min: number, max: number): number =>
    Number.isFinite(value) && value >= min ? Math.min(Math.floor(value), max) : fallback;
  return {
    slotMinutes: whole(line.callbackSlotMinutes, 30, 5, 24 * 60),
    capacity: whole(line.callbackSlotCapacity, 2, 1, 1000),
    daysAhead: whole(line.callbackDaysAhead, 7, 0, 60),
  };
}

/** A line's schedule (hours, holidays, zone) as the slot scheduler needs it. */
export function scheduleOf(line: LineHours, defaultTimezone?: string): Schedule {
  return scheduleForLine(line, defaultTimezone).schedule;
}

/** The last local date (YYYY-MM-DD) a slot may fall on: today's date in the line's zone plus `daysAhead`. */
export function lastSlotDate(schedule: Schedule, now: Date, daysAhead: number): string {
  return addLocalDays(localDateAt(schedule, now), daysAhead);
}

/** Every slot of one local date, bookable or not (holidays and closed days have none). */
export function slotsOn(schedule: Schedule, localDate: string, slotMinutes: number): Slot[] {
  const windows = openWallWindowsOn(schedule, localDate);
  if (windows.length === 0) return [];
  const zone = IANAZone.create(schedule.zone);
  const [y, m, d] = localDate.split('-').map(Number);
  const midnightAsUtc = Date.UTC(y, m - 1, d);
  // Most days have one UTC offset from midnight to midnight: then a wall time is midnight plus
  // minutes. Only a day with a clock change needs the zone asked about each slot.
  const midnight = instantAtLocalTime(schedule, localDate, 0).getTime();
  const nextMidnight = instantAtLocalTime(schedule, localDate, 1440).getTime();
  const steady = nextMidnight - midnight === 1440 * MINUTE && zone.offset(midnight) === zone.offset(nextMidnight - 1);
  const instantAt = (minute: number): Date =>
    steady ? new Date(midnight + minute * MINUTE) : instantAtLocalTime(schedule, localDate, minute);

  const slots: Slot[] = [];
  for (const window of windows) {
    for (let minute = window.start; minute + slotMinutes <= window.end; minute += slotMinutes) {
      const start = instantAt(minute);
      // A wall time skipped by a spring-forward change never shows on the clock: no slot.
      if (!steady && start.getTime() + zone.offset(start.getTime()) * MINUTE !== midnightAsUtc + minute * MINUTE) continue;
      slots.push({ start, end: instantAt(minute + slotMinutes), localDate, minuteOfDay: minute });
    }
  }
  return slots;
}

/** Booked callbacks whose time falls inside the slot. */
export function bookedIn(slot: Slot, booked: readonly Date[]): number {
  const from = slot.start.getTime();
  const to = slot.end.getTime();
  return booked.filter((t) => t.getTime() >= from && t.getTime() < to).length;
}

/** Why a slot (or a requested time) cannot be booked, or undefined when it can. */
export type SlotProblem = 'too-soon' | 'too-far' | 'full';

export function slotProblem(query: SlotQuery, slot: Slot): SlotProblem | undefined {
  return problemWith(slot, query, earliestStart(query.now), lastSlotDate(query.schedule, query.now, query.settings.daysAhead));
}

const earliestStart = (now: Date): number => now.getTime() + MIN_LEAD_MINUTES * MINUTE;

function problemWith(slot: Slot, query: SlotQuery, earliest: number, lastDate: string): SlotProblem | undefined {
  if (slot.start.getTime() < earliest) return 'too-soon';
  if (slot.localDate > lastDate) return 'too-far';
  if (bookedIn(slot, query.booked) >= query.settings.capacity) return 'full';
  return undefined;
}

/** The open slots from `now` to the days-ahead ceiling, earliest first. */
export function openSlots(query: SlotQuery): OpenSlot[] {
  const { schedule, settings, booked, now } = query;
  const today = localDateAt(schedule, now);
  const earliest = earliestStart(now);
  const lastDate = addLocalDays(today, settings.daysAhead);
  const open: OpenSlot[] = [];
  for (let day = 0; day <= settings.daysAhead; day++) {
    for (const slot of slotsOn(schedule, addLocalDays(today, day), settings.slotMinutes)) {
      if (problemWith(slot, query, earliest, lastDate) === undefined) {
        open.push({ ...slot, placesLeft: settings.capacity - bookedIn(slot, booked) });
      }
    }
  }
  return open;
}

/** The slot (bookable or not) that contains `instant`, if the line is open then. */
export function slotAt(schedule: Schedule, slotMinutes: number, instant: Date): Slot | undefined {
  const t = instant.getTime();
  return slotsOn(schedule, localDateAt(schedule, instant), slotMinutes).find((s) => s.start.getTime() <= t && t < s.end.getTime());
}

/** The slot that starts exactly at `start` (a slot carried in a URL or stored in a row), if it is one. */
export function slotStartingAt(schedule: Schedule, slotMinutes: number, start: Date): Slot | undefined {
  const slot = slotAt(schedule, slotMinutes, start);
  return slot && slot.start.getTime() === start.getTime() ? slot : undefined;
}

/** Up to `count` open slots nearest to `target` (either side), returned in time order. */
export function nearestOpenSlots<S extends Slot>(open: readonly S[], target: Date, count: number): S[] {
  const t = target.getTime();
  return [...open]
    .sort((a, b) => Math.abs(a.start.getTime() - t) - Math.abs(b.start.getTime() - t) || a.start.getTime() - b.start.getTime())
    .slice(0, count)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}

/**
 * Whether the line has any slot ahead at all from its hours, holidays, floor and ceiling, bookings
 * aside: cheap (no I/O, stops at the first slot), so the menu can ask it on every call. A week fully
 * booked is rare and is said kindly by /callback/schedule itself.
 */
export function hasSlotsAhead(schedule: Schedule, settings: SlotSettings, now: Date): boolean {
  const today = localDateAt(schedule, now);
  const earliest = earliestStart(now);
  for (let day = 0; day <= settings.daysAhead; day++) {
    if (slotsOn(schedule, addLocalDays(today, day), settings.slotMinutes).some((slot) => slot.start.getTime() >= earliest)) return true;
  }
  return false;
}
