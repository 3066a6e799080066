import { keepsItsPlace, settleDelayMs, SETTLE_MS, type RankedBooking } from '../../src/assets/core/booking-rule.private';

const row = (id: string, createdTime: string): RankedBooking => ({ id, createdTime });
const A = row('recAAAAAAAAAAAAAA', '2026-11-27T15:00:00.000Z');
const B = row('recBBBBBBBBBBBBBB', '2026-11-27T15:00:01.000Z');
const C = row('recCCCCCCCCCCCCCC', '2026-11-27T15:00:02.000Z');
const TIED_LOWER_ID = row('rec00000000000000', '2026-11-27T15:00:01.000Z');

describe('keepsItsPlace: bookings keep their places in record-creation order', () => {
  test.each<[string, RankedBooking, RankedBooking[], number, boolean]>([
    ['alone in the slot', A, [A], 1, true],
    ['second of two with capacity 2', B, [A, B], 2, true],
    ['third of three with capacity 2 withdraws', C, [A, B, C], 2, false],
    ['the earliest keeps its place whatever came later', A, [A, B, C], 1, true],
    ['order is by createdTime, not by list order', B, [C, B, A], 1, false],
    ['a tie on the second is broken by record id, the same way for both', B, [A, TIED_LOWER_ID, B], 2, false],
    ['... and the lower id keeps its place', TIED_LOWER_ID, [A, B, TIED_LOWER_ID], 2, true],
    ['its own row may be missing from the list', B, [A], 2, true],
  ])('%s', (_name, mine, inSlot, capacity, expected) => {
    expect(keepsItsPlace(mine, inSlot, capacity)).toBe(expected);
  });

  test('of two racing for the last place, exactly one keeps it, whichever order they count in', () => {
    const racers = [B, TIED_LOWER_ID];
    const kept = racers.filter((mine) => keepsItsPlace(mine, [A, ...racers], 2));
    expect(kept).toEqual([TIED_LOWER_ID]);
  });
});

describe('settleDelayMs: the recount waits until the createdTime second is over', () => {
  test.each<[string, number, number, number]>([
    ['right after the create', 10_000, 10_000, SETTLE_MS],
    ['part-way', 10_000, 10_400, 600],
    ['already over', 10_000, 11_500, 0],
    ['a clock that went backwards waits at most SETTLE_MS', 10_000, 9_000, SETTLE_MS],
  ])('%s', (_name, createdAt, now, expected) => {
    expect(settleDelayMs(createdAt, now)).toBe(expected);
  });
});
