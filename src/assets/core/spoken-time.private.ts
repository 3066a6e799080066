// Times as callers say them ("tomorrow at two", "next Tuesday morning", "el martes a las diez"), read
// with chrono-node's English or Spanish parser in the line's zone, and slots read back the same way.
// Pure: `now` is an argument.
//
// chrono is anchored to the line's wall clock at `now`, and only the calendar fields it found (year,
// month, day, hour, minute) are used: the slot is rebuilt from them in the line's zone, so a time said
// before a clock change is the wall-clock time of that day.
// chrono reads digits, not number words, and neither "de la tarde" nor "pasado mañana"; the
// normalisation below turns what speech recognition writes into what chrono reads.

import type * as Chrono from 'chrono-node';
import { DateTime } from 'luxon';
import { addLocalDays, localDateAt, type Schedule } from './business-hours.private';
import type { Language } from './model.private';

export type DayPart = 'morning' | 'afternoon' | 'evening';

export type SpokenTime =
  /** A time of day on a date ("tomorrow at two" → the local date, 14:00). */
  | { readonly kind: 'at'; readonly localDate: string; readonly minuteOfDay: number }
  /** A date, perhaps a part of it ("next Tuesday morning"). */
  | { readonly kind: 'day'; readonly localDate: string; readonly part?: DayPart };

/** Wall-clock minutes each part of the day covers, [from, to). */
export const DAY_PARTS: Readonly<Record<DayPart, { readonly from: number; readonly to: number }>> = {
  morning: { from: 0, to: 12 * 60 },
  afternoon: { from: 12 * 60, to: 17 * 60 },
  evening: { from: 17 * 60, to: 24 * 60 },
};

const EN_NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
const ES_NUMBERS = ['cero', 'una', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve', 'diez', 'once', 'doce'];
const EN_MINUTES: Readonly<Record<string, string>> = { 'oh five': '05', fifteen: '15', thirty: '30', 'forty five': '45', 'forty-five': '45' };

const PARTS: Readonly<Record<Language, readonly (readonly [DayPart, RegExp])[]>> = {
  'en-US': [
    ['morning', /\b(morning|a\.?m\.?)\b/],
    ['afternoon', /\bafternoon\b/],
    ['evening', /\b(evening|tonight|night)\b/],
  ],
  'es-US': [
    ['morning', /\b(por|en|de) la mañana\b|\bmadrugada\b/],
    ['afternoon', /\b(por|en|de) la tarde\b|\btarde\b/],
    ['evening', /\b(por|en|de) la noche\b|\besta noche\b/],
  ],
};

/**
 * chrono-node is required on first use, not imported at the top: npm packages stay outside the asset
 * bundle, so a top-level import would load it (about 160 ms) in every Function's cold start, while only
 * the scheduling steps read spoken times.
 */
function loadChrono(): typeof Chrono {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded by the scheduling steps only (see above)
  return require('chrono-node') as typeof Chrono;
}

/** What speech recognition writes, rewritten into what chrono reads. */
export function normaliseSpeech(speech: string, language: Language): string {
  let text = ` ${speech.toLowerCase().replace(/[¿?¡!,]/g, ' ').replace(/\s+/g, ' ').trim()} `;
  if (language === 'en-US') {
    text = text.replace(/\bnoon\b/g, '12 pm').replace(/\bmidday\b/g, '12 pm');
    EN_NUMBERS.forEach((word, n) => (text = text.replace(new RegExp(`\\b${word}\\b`, 'g'), String(n))));
    for (const [word, mm] of Object.entries(EN_MINUTES)) text = text.replace(new RegExp(`\\b(\\d{1,2}) ${word}\\b`, 'g'), `$1:${mm}`);
    text = text
      .replace(/\bhalf past (\d{1,2})\b/g, '$1:30')
      .replace(/\bquarter past (\d{1,2})\b/g, '$1:15')
      .replace(/\b(\d{1,2}) o'?clock\b/g, '$1:00')
      .replace(/\b(\d{1,2})(?::(\d\d))? in the (morning)\b/g, (_m, h: string, mm = '00') => `${h}:${mm} am`)
      .replace(/\b(\d{1,2})(?::(\d\d))? in the (afternoon|evening)\b/g, (_m, h: string, mm = '00') => `${h}:${mm} pm`)
      .replace(/\b(\d{1,2})(?::(\d\d))? at night\b/g, (_m, h: string, mm = '00') => `${h}:${mm} pm`);
  } else {
    text = text.replace(/\bmediod[ií]a\b/g, '12 pm').replace(/\bmanana\b/g, 'mañana');
    ES_NUMBERS.forEach((word, n) => (text = text.replace(new RegExp(`(?<![\\p{L}])${word}(?![\\p{L}])`, 'gu'), String(n))));
    text = text
      .replace(/\buno\b/g, '1')
      .replace(/\ba la 1\b/g, 'a las 1')
      .replace(/\b(\d{1,2}) y media\b/g, '$1:30')
      .replace(/\b(\d{1,2}) y cuarto\b/g, '$1:15')
      .replace(/\b(\d{1,2}) y (\d\d)\b/g, '$1:$2')
      .replace(/\b(\d{1,2})(?::(\d\d))? de la mañana\b/g, (_m, h: string, mm = '00') => `${h}:${mm} am`)
      .replace(/\b(\d{1,2})(?::(\d\d))? de la (tarde|noche)\b/g, (_m, h: string, mm = '00') => `${h}:${mm} pm`)
      .replace(/\ben punto\b/g, '');
  }
  return text.replace(/\s+/g, ' ').trim();
}

/** Spoken words for the day after tomorrow that chrono's Spanish parser does not know. */
const DAY_AFTER_TOMORROW = /\bpasado mañana\b/;

/**
 * What the caller asked for, in the line's zone, or undefined when nothing in it is a day or a time.
 * A time with no "am/pm" from 1 to 6 is taken as afternoon (nobody books a 3 AM callback), 7 to 11
 * as morning, unless the caller named the part of the day.
 */
export function parseSpokenTime(speech: string | undefined, language: Language, schedule: Schedule, now: Date): SpokenTime | undefined {
  if (!speech?.trim()) return undefined;
  const text = normaliseSpeech(speech, language);
  const part = PARTS[language].find(([, pattern]) => pattern.test(text))?.[0];
  const zoneNow = DateTime.fromJSDate(now, { zone: schedule.zone });
  // Some of chrono's relative parsers ("the day after tomorrow") work in the process's own zone
  // whatever the reference says, so chrono is handed the line's wall clock as a process-local time.
  const reference = { instant: zoneNow.setZone('system', { keepLocalTime: true }).toJSDate() };
  const chrono = loadChrono();
  const parser = language === 'es-US' ? chrono.es : chrono.en;

  let dayAfterTomorrow = false;
  let chronoText = text;
  if (language === 'es-US' && DAY_AFTER_TOMORROW.test(text)) {
    dayAfterTomorrow = true;
    chronoText = text.replace(DAY_AFTER_TOMORROW, ' ');
  }
  const results = parser.parse(chronoText, reference, { forwardDate: true });
  const dated = results.find((r) => r.start.isCertain('day') || r.start.isCertain('weekday'));
  const timed = results.find((r) => r.start.isCertain('hour'));
  const today = localDateAt(schedule, now);

  let localDate: string | undefined;
  if (dayAfterTomorrow) localDate = addLocalDays(today, 2);
  else if (dated) localDate = dateOf(dated.start);
  else if (timed) localDate = dateOf(timed.start);
  else if (part && /\b(this|today|tonight|hoy|esta)\b/.test(text)) localDate = today;
  if (!localDate) return undefined;

  if (!timed) return { kind: 'day', localDate, ...(part ? { part } : {}) };
  const hour = resolveHour(timed.start.get('hour') ?? 0, timed.start.isCertain('meridiem'), part);
  const minuteOfDay = hour * 60 + (timed.start.get('minute') ?? 0);
  // "at 11" said at 3 PM means tomorrow's 11 once the hour is read as morning.
  if (!dated && !dayAfterTomorrow && localDate === today && minuteOfDay <= zoneNow.hour * 60 + zoneNow.minute) {
    localDate = addLocalDays(today, 1);
  }
  return { kind: 'at', localDate, minuteOfDay };
}

function dateOf(components: Chrono.ParsedComponents): string {
  const pad = (n: number | null, width = 2) => String(n ?? 0).padStart(width, '0');
  return `${pad(components.get('year'), 4)}-${pad(components.get('month'))}-${pad(components.get('day'))}`;
}

function resolveHour(hour: number, meridiemSaid: boolean, part: DayPart | undefined): number {
  if (meridiemSaid || hour === 0 || hour >= 12) return hour;
  if (part === 'afternoon' || part === 'evening') return hour + 12;
  if (part === 'morning') return hour;
  return hour <= 6 ? hour + 12 : hour;
}

/**
 * A slot start read back in the line's zone and language:
 * "Tuesday, December 1 at 2:00 PM" / "el martes 1 de diciembre a las 2:00 de la tarde".
 */
export function speakSlot(start: Date, zone: string, language: Language): string {
  const local = DateTime.fromJSDate(start, { zone });
  if (language === 'en-US') return local.setLocale('en-US').toFormat("cccc, LLLL d 'at' h:mm a");
  const day = local.setLocale('es').toFormat("cccc d 'de' LLLL");
  const hour12 = local.hour % 12 === 0 ? 12 : local.hour % 12;
  const time = `${hour12}:${String(local.minute).padStart(2, '0')}`;
  const part = local.hour < 12 ? 'de la mañana' : local.hour < 20 ? 'de la tarde' : 'de la noche';
  return `el ${day} ${hour12 === 1 ? 'a la' : 'a las'} ${time} ${part}`;
}
