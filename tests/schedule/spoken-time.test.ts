import { scheduleOf } from '../../src/assets/core/slots.private';
import { spokenChoice } from '../../src/assets/schedule/decisions.private';
import { parseSpokenTime, speakSlot, type SpokenTime } from '../../src/assets/core/spoken-time.private';

// Friday, November 27 2026, 10:00 AM in New York (EST).
const NOW = new Date('2026-11-27T15:00:00Z');
const NEW_YORK = scheduleOf({ timezone: 'America/New_York', holidays: [] });
const at = (localDate: string, hhmm: string): SpokenTime => {
  const [h, m] = hhmm.split(':').map(Number);
  return { kind: 'at', localDate, minuteOfDay: h * 60 + m };
};
const day = (localDate: string, part?: 'morning' | 'afternoon' | 'evening'): SpokenTime => ({ kind: 'day', localDate, ...(part ? { part } : {}) });

describe('parseSpokenTime in English, on Friday Nov 27 at 10 AM in New York', () => {
  test.each<[string, SpokenTime | undefined]>([
    ['tomorrow at two', at('2026-11-28', '14:00')],
    ['Tomorrow at 2 p.m.', at('2026-11-28', '14:00')],
    ['next Tuesday morning', day('2026-12-01', 'morning')],
    ['Tuesday at 2 PM', at('2026-12-01', '14:00')],
    ['tomorrow', day('2026-11-28')],
    ['Monday at 10:30', at('2026-11-30', '10:30')],
    ['December 1st at 3', at('2026-12-01', '15:00')],
    ['at noon', at('2026-11-27', '12:00')],
    ['this afternoon', day('2026-11-27', 'afternoon')],
    ['tomorrow evening', day('2026-11-28', 'evening')],
    ['the day after tomorrow at 9', at('2026-11-29', '09:00')],
    ['Wednesday at four fifteen', at('2026-12-02', '16:15')],
    ['tomorrow at half past two', at('2026-11-28', '14:30')],
    ['two o\'clock tomorrow', at('2026-11-28', '14:00')],
    ['Monday at three thirty in the afternoon', at('2026-11-30', '15:30')],
    ['next Friday at 9 in the morning', at('2026-12-04', '09:00')],
    ['Tuesday at 7 at night', at('2026-12-01', '19:00')],
    ['I would like Monday at 2 please', at('2026-11-30', '14:00')],
    ['in two hours', at('2026-11-27', '12:00')],
    ['at 9', at('2026-11-28', '09:00')], // 9 AM today has passed: tomorrow's
    ['blah blah', undefined],
    ['', undefined],
  ])('"%s"', (speech, expected) => {
    expect(parseSpokenTime(speech, 'en-US', NEW_YORK, NOW)).toEqual(expected);
  });
});

describe('parseSpokenTime in Spanish, on Friday Nov 27 at 10 AM in New York', () => {
  test.each<[string, SpokenTime | undefined]>([
    ['el martes a las diez', at('2026-12-01', '10:00')],
    ['mañana a las dos', at('2026-11-28', '14:00')],
    ['manana a las 10', at('2026-11-28', '10:00')],
    ['el lunes por la tarde', day('2026-11-30', 'afternoon')],
    ['mañana en la mañana', day('2026-11-28', 'morning')],
    ['el 1 de diciembre a las 3 de la tarde', at('2026-12-01', '15:00')],
    ['pasado mañana a las once', at('2026-11-29', '11:00')],
    ['hoy a las cuatro de la tarde', at('2026-11-27', '16:00')],
    ['el miércoles a las tres y media', at('2026-12-02', '15:30')],
    ['mañana al mediodía', at('2026-11-28', '12:00')],
    ['el próximo jueves a la una', at('2026-12-03', '13:00')],
    ['el lunes a las nueve de la mañana', at('2026-11-30', '09:00')],
    ['esta tarde', day('2026-11-27', 'afternoon')],
    ['el martes a las 2 y cuarto', at('2026-12-01', '14:15')],
    ['¿el lunes a las ocho de la noche?', at('2026-11-30', '20:00')],
    ['no sé', undefined],
  ])('"%s"', (speech, expected) => {
    expect(parseSpokenTime(speech, 'es-US', NEW_YORK, NOW)).toEqual(expected);
  });
});

describe('parseSpokenTime follows the line\'s clock', () => {
  test('late Friday evening in New York (already Saturday in UTC), tomorrow is Saturday', () => {
    expect(parseSpokenTime('tomorrow at 10', 'en-US', NEW_YORK, new Date('2026-11-28T04:30:00Z'))).toEqual(at('2026-11-28', '10:00'));
  });

  test('in London just after midnight BST (still the day before in UTC), "tomorrow" counts from the London date', () => {
    const london = scheduleOf({ timezone: 'Europe/London', holidays: [] });
    expect(parseSpokenTime('tomorrow at 2', 'en-US', london, new Date('2026-10-23T23:30:00Z'))).toEqual(at('2026-10-25', '14:00'));
  });

  test('across the fall-back change, Monday at 9 stays Monday at 9', () => {
    // Friday Oct 30 2026, EDT; Monday Nov 2 is EST: the date and wall time are what was said.
    expect(parseSpokenTime('Monday at 9 am', 'en-US', NEW_YORK, new Date('2026-10-30T14:00:00Z'))).toEqual(at('2026-11-02', '09:00'));
  });
});

describe('speakSlot reads a slot back in the line\'s zone and language', () => {
  test.each<[string, string, string, 'en-US' | 'es-US', string]>([
    ['English afternoon', '2026-12-01T19:00:00Z', 'America/New_York', 'en-US', 'Tuesday, December 1 at 2:00 PM'],
    ['English morning in London', '2026-12-01T09:30:00Z', 'Europe/London', 'en-US', 'Tuesday, December 1 at 9:30 AM'],
    ['English after the clock change', '2026-11-02T14:00:00Z', 'America/New_York', 'en-US', 'Monday, November 2 at 9:00 AM'],
    ['Spanish afternoon', '2026-12-01T19:00:00Z', 'America/New_York', 'es-US', 'el martes 1 de diciembre a las 2:00 de la tarde'],
    ['Spanish one o\'clock', '2026-12-01T18:00:00Z', 'America/New_York', 'es-US', 'el martes 1 de diciembre a la 1:00 de la tarde'],
    ['Spanish morning', '2026-12-02T14:30:00Z', 'America/New_York', 'es-US', 'el miércoles 2 de diciembre a las 9:30 de la mañana'],
  ])('%s', (_name, instant, zone, language, expected) => {
    expect(speakSlot(new Date(instant), zone, language)).toBe(expected);
  });
});

describe('spokenChoice: the key of a time read out, said aloud', () => {
  test.each<[string, number | undefined]>([
    ['two', 2],
    ['Two.', 2],
    ['option 3', 3],
    ['the second one', 2],
    ['number one', 1],
    ['one', 1],
    ['la segunda', 2],
    ['opción tres', 3],
    ['uno', 1],
    ['tomorrow at two', undefined],
    ['four', undefined],
    ['', undefined],
  ])('"%s" → %s', (speech, expected) => {
    expect(spokenChoice(speech)).toBe(expected);
  });
});
