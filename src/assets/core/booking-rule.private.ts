// Booking without overbooking (SPEC §5 "A full slot is never overbooked, even when two callers take
// the last place at once"), and one callback row per voicemail when two instances store it at once
// (voicemail/decisions). Airtable has no transactions, so a booking is written first, then the
// slot is counted again, and the bookings keep their places in record-creation order: the ones past
// the slot's capacity withdraw. Pure.
//
// Why this is safe: everyone ranks the same rows the same way, by (createdTime, record id). A row
// created after my recount has a later createdTime than mine, so it can never take my place. But
// Airtable's createdTime has whole seconds: a row created in the same second as mine, after my
// recount, could tie and outrank me on its id. So the recount waits until the second of my createdTime
// is over (SETTLE_MS after the create answered): every row that can tie with mine exists by then.

/** Airtable's createdTime has whole seconds: wait this long after a create before counting. */
export const SETTLE_MS = 1000;

export interface RankedBooking {
  readonly id: string;
  /** Airtable's createdTime of the record (ISO). */
  readonly createdTime: string;
}

/** Record-creation order: createdTime, then record id (an unknown createdTime ranks with nobody). */
export function byCreation(a: RankedBooking, b: RankedBooking): number {
  const t = Date.parse(a.createdTime) - Date.parse(b.createdTime);
  if (t !== 0) return t;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Whether booking `mine` keeps its place among the Booked rows of its slot (`inSlot`, mine included or
 * not), given the slot's capacity: true when fewer than `capacity` of them were created before it.
 */
export function keepsItsPlace(mine: RankedBooking, inSlot: readonly RankedBooking[], capacity: number): boolean {
  const ahead = inSlot.filter((other) => other.id !== mine.id && byCreation(other, mine) < 0);
  return ahead.length < capacity;
}

/** How long to wait, from `now`, before the recount of a booking whose create answered at `createdAt`. */
export function settleDelayMs(createdAt: number, now: number): number {
  return Math.max(0, Math.min(SETTLE_MS, createdAt + SETTLE_MS - now));
}
