// Which slot to offer for what the caller said. Pure.
// The nearest open slot to the request is offered and read back for a yes; a request the line cannot
// take (closed then, a holiday, full, too soon, too far) gets the nearest open slots to choose from,
// with the reason said first: never a silent shift to another time.
import { instantAtLocalTime, isHoliday, type Schedule } from './business-hours.private';
import { bookedIn, nearestOpenSlots, slotProblem, slotsOn, type OpenSlot, type SlotQuery, type SlotProblem } from './slots.private';
import { DAY_PARTS, type SpokenTime } from './spoken-time.private';

/** How many alternatives a caller hears at once (keys 1–3). */
export const ALTERNATIVES = 3;

export type UnavailableReason = SlotProblem | 'closed' | 'holiday' | 'no-slot-that-day';

export type SlotOffer =
  /** The slot that holds (or best matches) what was asked: read it back and ask for a yes. */
  | { readonly kind: 'slot'; readonly slot: OpenSlot }
  /** What was asked cannot be booked: say why, then offer these (1–3, nearest first in time order). */
  | { readonly kind: 'alternatives'; readonly reason: UnavailableReason; readonly slots: readonly OpenSlot[] }
  /** Nothing at all is open. */
  | { readonly kind: 'none' };

export function decideSlotOffer(spoken: SpokenTime, query: SlotQuery, open: readonly OpenSlot[]): SlotOffer {
  if (open.length === 0) return { kind: 'none' };
  const { schedule, settings } = query;
  const alternatives = (reason: UnavailableReason, target: Date): SlotOffer => ({
    kind: 'alternatives',
    reason,
    slots: nearestOpenSlots(open, target, ALTERNATIVES),
  });

  if (spoken.kind === 'at') {
    const target = instantAtLocalTime(schedule, spoken.localDate, spoken.minuteOfDay);
    const slot = slotsOn(schedule, spoken.localDate, settings.slotMinutes).find(
      (s) => s.minuteOfDay <= spoken.minuteOfDay && spoken.minuteOfDay < s.minuteOfDay + settings.slotMinutes,
    );
    if (!slot) return alternatives(closedReason(schedule, spoken.localDate), target);
    const problem = slotProblem(query, slot);
    if (problem) return alternatives(problem, target);
    return { kind: 'slot', slot: { ...slot, placesLeft: settings.capacity - bookedIn(slot, query.booked) } };
  }

  const range = spoken.part ? DAY_PARTS[spoken.part] : { from: 0, to: 24 * 60 };
  const sameDay = open.filter((s) => s.localDate === spoken.localDate && range.from <= s.minuteOfDay && s.minuteOfDay < range.to);
  if (sameDay.length > 0) return { kind: 'slot', slot: sameDay[0] };
  const target = instantAtLocalTime(schedule, spoken.localDate, Math.min(range.from, 23 * 60));
  const asked = slotsOn(schedule, spoken.localDate, settings.slotMinutes).filter((s) => range.from <= s.minuteOfDay && s.minuteOfDay < range.to);
  if (asked.length === 0) return alternatives(closedReason(schedule, spoken.localDate), target);
  // Several problems on one day (earlier slots too soon, later ones full): the one that says most.
  const problems = new Set(asked.map((s) => slotProblem(query, s)));
  const reason = (['full', 'too-far', 'too-soon'] as const).find((p) => problems.has(p)) ?? 'no-slot-that-day';
  return alternatives(reason, target);
}

function closedReason(schedule: Schedule, localDate: string): UnavailableReason {
  return isHoliday(schedule, localDate) ? 'holiday' : 'closed';
}
