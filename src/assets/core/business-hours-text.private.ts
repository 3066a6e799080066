// The text of a line's `Business Hours` and `Holidays` cells, read into data (SPEC §3). Pure. What the
// data means at an instant (open now? next opening?) is core/business-hours.
import { DateTime } from 'luxon';

/** ISO weekday: Monday = 1 ... Sunday = 7 (luxon's numbering). */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Minutes after local midnight; `end` may be 1440 (24:00). Always start < end. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

export type BusinessHours =
  | { readonly kind: 'always-open' }
  /** `days[weekday - 1]` holds that day's windows, sorted and non-overlapping. */
  | { readonly kind: 'weekly'; readonly days: readonly (readonly TimeWindow[])[] };

export const ALWAYS_OPEN: BusinessHours = { kind: 'always-open' };

export type BusinessHoursParse =
  | { readonly ok: true; readonly hours: BusinessHours }
  /** Callers use `hours` (always open) and show `reason` to the operator. */
  | { readonly ok: false; readonly reason: string; readonly hours: BusinessHours };

export interface HolidaysParse {
  /** Valid ISO dates (YYYY-MM-DD), sorted, without duplicates. */
  readonly dates: readonly string[];
  /** Entries that are not real ISO dates, as written. */
  readonly invalid: readonly string[];
}

/** Minutes in a day: a window may end at 24:00. */
export const MINUTES_PER_DAY = 1440;

// Maps, not object literals: an operator's "constructor" must not find Object.prototype.
const DAY_NAMES: ReadonlyMap<string, Weekday> = new Map<string, Weekday>([
  ['mon', 1], ['monday', 1],
  ['tue', 2], ['tues', 2], ['tuesday', 2],
  ['wed', 3], ['weds', 3], ['wednesday', 3],
  ['thu', 4], ['thur', 4], ['thurs', 4], ['thursday', 4],
  ['fri', 5], ['friday', 5],
  ['sat', 6], ['saturday', 6],
  ['sun', 7], ['sunday', 7],
]);

const ALL_WEEK: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];
const DAY_GROUPS: ReadonlyMap<string, readonly Weekday[]> = new Map([
  ['weekdays', ALL_WEEK.slice(0, 5)],
  ['weekends', ALL_WEEK.slice(5)],
  ['weekend', ALL_WEEK.slice(5)],
  ['daily', ALL_WEEK],
  ['everyday', ALL_WEEK],
]);

/**
 * Parses `Business Hours`, e.g. "Mon-Fri 09:00-17:00; Sat 10:00-14:00".
 * Segments are separated by ";" or new lines. Each names days (Mon, Monday, Tue, Thurs...,
 * ranges such as Mon-Sun or the wrap-around Fri-Mon, lists such as "Mon, Wed", or
 * weekdays/weekends/daily) and then one or more windows ("09:00-12:00, 13:00-17:00"; "9am-5pm";
 * "09:00 to 17:00"), or "closed", which closes those days whatever other segments say.
 * Overnight windows are rejected rather than guessed: write "Fri 22:00-24:00; Sat 00:00-02:00".
 */
export function parseBusinessHours(raw: string | undefined): BusinessHoursParse {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: true, hours: ALWAYS_OPEN };

  const days: TimeWindow[][] = [[], [], [], [], [], [], []];
  const closed = new Set<Weekday>();
  for (const segment of text.split(/[;\n\r]+/).map((s) => s.trim()).filter(Boolean)) {
    const parsed = parseSegment(segment);
    if (typeof parsed === 'string') return { ok: false, reason: parsed, hours: ALWAYS_OPEN };
    for (const day of parsed.days) {
      if (parsed.windows === 'closed') closed.add(day);
      else days[day - 1].push(...parsed.windows);
    }
  }
  for (const day of closed) days[day - 1] = [];
  return { ok: true, hours: { kind: 'weekly', days: days.map(mergeWindows) } };
}

/** Parses `Holidays`: ISO dates separated by commas (spaces, semicolons and new lines tolerated). */
export function parseHolidays(raw: string | readonly string[] | undefined): HolidaysParse {
  const entries = (typeof raw === 'string' ? [raw] : (raw ?? []))
    .flatMap((cell) => cell.split(/[,;\s]+/))
    .filter(Boolean);
  const dates = new Set<string>();
  const invalid: string[] = [];
  for (const entry of entries) {
    if (isIsoDate(entry)) dates.add(entry);
    else invalid.push(entry);
  }
  return { dates: [...dates].sort(), invalid };
}

// --- parsing helpers ---

type Segment = { readonly days: readonly Weekday[]; readonly windows: readonly TimeWindow[] | 'closed' };

function parseSegment(segment: string): Segment | string {
  const text = segment
    .toLowerCase()
    .replace(/[\u2010-\u2015]/g, '-') // en/em dashes pasted from documents
    .replace(/\s*-\s*/g, '-')
    .replace(/\s+to\s+/g, '-')
    .replace(/\b([ap])\.m\.?/g, '$1m')
    .replace(/(\d)\s+([ap]m)\b/g, '$1$2');
  const split = /(\d|\bclosed\b)/.exec(text);
  if (!split) return `"${segment}" has no hours (e.g. "Mon-Fri 09:00-17:00")`;
  const dayText = text.slice(0, split.index).replace(/:\s*$/, '').trim();
  const timeText = text.slice(split.index).trim();
  if (dayText === '') return `"${segment}" does not say which days (e.g. "Mon-Fri 09:00-17:00")`;

  const days = parseDays(dayText);
  if (typeof days === 'string') return `${days} in "${segment}"`;
  if (timeText === 'closed') return { days, windows: 'closed' };

  const windows: TimeWindow[] = [];
  for (const token of timeText.split(/[,\s]+|\band\b/).filter(Boolean)) {
    const window = parseWindow(token);
    if (typeof window === 'string') return `${window} in "${segment}"`;
    windows.push(window);
  }
  return { days, windows };
}

function parseDays(text: string): Weekday[] | string {
  const days = new Set<Weekday>();
  for (const token of text.split(/[\s,&/]+/).filter((t) => t !== '' && t !== 'and')) {
    const group = DAY_GROUPS.get(token);
    if (group) {
      group.forEach((d) => days.add(d));
      continue;
    }
    const [from, to, ...rest] = token.split('-');
    const first = DAY_NAMES.get(from);
    const last = to === undefined ? first : DAY_NAMES.get(to);
    if (!first || !last || rest.length > 0) return `"${token}" is not a day or day range`;
    // Walk forward so "Fri-Mon" wraps through the weekend.
    for (let d = first; ; d = ((d % 7) + 1) as Weekday) {
      days.add(d);
      if (d === last) break;
    }
  }
  return days.size > 0 ? [...days] : `no days`;
}

function parseWindow(token: string): TimeWindow | string {
  const [from, to, ...rest] = token.split('-');
  if (to === undefined || rest.length > 0) return `"${token}" is not a time range like 09:00-17:00`;
  const start = parseTime(from);
  const end = parseTime(to);
  if (start === undefined || start >= MINUTES_PER_DAY) return `"${from}" is not a start time`;
  if (end === undefined) return `"${to}" is not an end time`;
  const endOfDay = end === 0 ? MINUTES_PER_DAY : end; // "22:00-00:00" means until midnight
  if (endOfDay <= start) {
    return `"${token}" ends before it starts (split overnight hours at midnight: "Fri 22:00-24:00; Sat 00:00-02:00")`;
  }
  return { start, end: endOfDay };
}

/** "09:00", "9:00", "9", "17", "24:00", "9am", "5:30pm", "12am" → minutes after midnight. */
function parseTime(text: string): number | undefined {
  const m = /^(\d{1,2})(?::(\d{2}))?(am|pm)?$/.exec(text);
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  if (minute > 59) return undefined;
  if (m[3]) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (m[3] === 'pm' ? 12 : 0);
  }
  if (hour > 24 || (hour === 24 && minute > 0)) return undefined;
  return hour * 60 + minute;
}

function mergeWindows(windows: readonly TimeWindow[]): TimeWindow[] {
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  const merged: TimeWindow[] = [];
  for (const w of sorted) {
    const last = merged[merged.length - 1];
    if (last && w.start <= last.end) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, w.end) };
    else merged.push(w);
  }
  return merged;
}

export function isIsoDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text, { zone: 'utc' }).isValid;
}
