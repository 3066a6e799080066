// The demo base with business hours pinned, so a simulated call behaves the same at any hour.
import { DateTime } from 'luxon';
import { demoBase, type DemoBase } from '../demo-data';

export type DemoHours = 'as-is' | 'open' | 'closed';

/** open: no hours and no holidays on any line; closed: today and tomorrow are holidays on every line. */
export function demoBaseWithHours(hours: DemoHours, now: Date = new Date()): DemoBase {
  const base = demoBase();
  if (hours === 'as-is') return base;
  for (const line of base.Lines) {
    delete line['Business Hours'];
    delete line.Holidays;
    if (hours === 'closed') {
      const today = DateTime.fromJSDate(now).setZone(String(line.Timezone ?? 'UTC'));
      line.Holidays = [today.toISODate(), today.plus({ days: 1 }).toISODate()].join(', ');
    }
  }
  return base;
}
