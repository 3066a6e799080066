// When an immediate callback comes, said the way a caller understands it, and what a caller asking
// again for a callback already queued hears. Pure: `now` is always an argument. Shared by the
// immediate and the scheduled callback (one open callback per number and line, SPEC §1).
import { DateTime } from 'luxon';
import { isOpenAt, nextOpening, scheduleForLine, type Schedule } from './business-hours.private';
import type { Language, Line } from './model.private';
import { lastFour } from './phone.private';
import { prompt, utter, type PromptId } from './prompts.private';
import type { CallbackRow } from './rows.private';
import type { Step } from './steps.private';

/** A callback due within this is "in the next few minutes" for a caller asking again. */
const SOON_MS = 10 * 60_000;

export function lineSchedule(line: Line, defaultTimezone?: string): Schedule {
  return scheduleForLine(line, defaultTimezone).schedule;
}

/** Call now (open), at the next opening, or never (closed for longer than we look ahead). */
export type CallbackTiming = { readonly kind: 'now' } | { readonly kind: 'at'; readonly at: Date } | { readonly kind: 'none' };

export function decideCallbackTiming(schedule: Schedule, now: Date): CallbackTiming {
  if (isOpenAt(schedule, now)) return { kind: 'now' };
  const at = nextOpening(schedule, now);
  return at ? { kind: 'at', at } : { kind: 'none' };
}

function spokenClock(local: DateTime, language: Language): string {
  const hour12 = local.hour % 12 || 12;
  const minutes = local.minute ? `:${String(local.minute).padStart(2, '0')}` : '';
  if (language === 'es-US') {
    const part = local.hour < 12 ? 'de la mañana' : local.hour < 19 ? 'de la tarde' : 'de la noche';
    return `${hour12 === 1 ? 'a la' : 'a las'} ${hour12}${minutes} ${part}`;
  }
  return `${hour12}${minutes} ${local.hour < 12 ? 'AM' : 'PM'}`;
}

/** "today at 9 AM", "tomorrow at 9 AM", "Monday at 9 AM", "Monday, December 28, at 9 AM", in the zone. */
export function spokenWhen(at: Date, now: Date, zone: string, language: Language): string {
  const locale = language === 'es-US' ? 'es' : 'en-US';
  const local = DateTime.fromJSDate(at, { zone }).setLocale(locale);
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const days = Math.round(local.startOf('day').diff(today, 'days').days);
  const time = spokenClock(local, language);
  const vars = { time, day: local.toFormat('cccc'), date: local.toFormat(language === 'es-US' ? "d 'de' LLLL" : 'LLLL d') };
  const id: PromptId = days <= 0 ? 'callback.when.today' : days === 1 ? 'callback.when.tomorrow' : days < 7 ? 'callback.when.weekday' : 'callback.when.date';
  return prompt(language, id, vars);
}

/** For the menu: when an immediate callback would come, spoken ("Monday at 9 AM"); undefined while open. */
export function callbackOpeningWhen(line: Line, now: Date, defaultTimezone?: string): string | undefined {
  const schedule = lineSchedule(line, defaultTimezone);
  const timing = decideCallbackTiming(schedule, now);
  return timing.kind === 'at' ? spokenWhen(timing.at, now, schedule.zone, line.language) : undefined;
}

/** When an open callback will be tried next: Scheduled For for a booking, else Next Attempt At. */
export function nextCallOf(row: CallbackRow): Date | undefined {
  const iso = row.status === 'Booked' ? row.scheduledFor : row.nextAttemptAt;
  const at = iso ? new Date(iso) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : undefined;
}

/** A second request for the same number on the same line: it is already queued, and when. */
export function decideAlreadyQueuedStep(line: Line, row: CallbackRow, now: Date, zone: string): Step {
  const last4 = lastFour(row.phone);
  const at = nextCallOf(row);
  if (row.status === 'Dialing' || !at || at.getTime() - now.getTime() < SOON_MS) {
    return { kind: 'say-and-hangup', say: [utter(line, 'callback.already-queued-soon', { last4 })] };
  }
  return { kind: 'say-and-hangup', say: [utter(line, 'callback.already-queued-at', { when: spokenWhen(at, now, zone, line.language), last4 })] };
}

