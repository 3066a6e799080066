// ISO 8601 dates and date-times as Airtable's API accepts them in dateTime cells and formulas.
// Deliberately narrower than Date.parse, which takes "Tuesday" or "1/2/3" and guesses.

const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The instant an ISO date or date-time names; a time without an offset is UTC, as in Airtable's API. */
export function parseIsoDateTime(text: string): Date | undefined {
  const match = ISO_DATE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, date, time, zone] = match;
  if (!time) {
    const midnight = new Date(`${date}T00:00:00.000Z`);
    return isValidCalendarDate(midnight, date) ? midnight : undefined;
  }
  // Date.parse takes milliseconds at most and wants "+hh:mm".
  const clock = time.replace(/(\.\d{3})\d+$/, '$1');
  const offset = !zone || zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const parsed = new Date(`${date}T${clock}${offset}`);
  return isValidCalendarDate(parsed, date, offset) ? parsed : undefined;
}

/** Rejects 2026-02-30, which Date would quietly roll over into March. */
function isValidCalendarDate(parsed: Date, date: string, offset = 'Z'): boolean {
  if (Number.isNaN(parsed.getTime())) return false;
  if (offset !== 'Z') return true;
  return parsed.toISOString().slice(0, 10) === date;
}

export function isIsoDateTimeText(text: string): boolean {
  return parseIsoDateTime(text) !== undefined;
}
