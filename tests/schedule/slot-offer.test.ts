import { decideSlotOffer, type SlotOffer } from '../../src/assets/core/slot-offer.private';
import { openSlots, scheduleOf, type SlotQuery } from '../../src/assets/core/slots.private';
import { parseSpokenTime } from '../../src/assets/core/spoken-time.private';

// Friday, November 27 2026, 10:00 AM in New York; Monday Nov 30 is a holiday; Tuesday 2 PM is full.
const QUERY: SlotQuery = {
  schedule: scheduleOf({ businessHours: 'Mon-Fri 09:00-17:00', holidays: ['2026-11-30'], timezone: 'America/New_York' }),
  settings: { slotMinutes: 30, capacity: 2, daysAhead: 7 },
  booked: [new Date('2026-12-01T19:00:00Z'), new Date('2026-12-01T19:20:00Z')],
  now: new Date('2026-11-27T15:00:00Z'),
};

function offerFor(speech: string): { kind: string; reason?: string; starts: string[] } {
  const spoken = parseSpokenTime(speech, 'en-US', QUERY.schedule, QUERY.now);
  if (!spoken) throw new Error(`"${speech}" did not parse`);
  const offer: SlotOffer = decideSlotOffer(spoken, QUERY, openSlots(QUERY));
  if (offer.kind === 'none') return { kind: 'none', starts: [] };
  if (offer.kind === 'slot') return { kind: 'slot', starts: [offer.slot.start.toISOString()] };
  return { kind: 'alternatives', reason: offer.reason, starts: offer.slots.map((s) => s.start.toISOString()) };
}

describe('decideSlotOffer: the nearest open slot to what was said, or the reason and alternatives', () => {
  test.each<[string, string, ReturnType<typeof offerFor>]>([
    ['an open time is offered as is', 'Tuesday at 3 pm', { kind: 'slot', starts: ['2026-12-01T20:00:00.000Z'] }],
    ['a time inside a slot offers that slot', 'Tuesday at 3:10 pm', { kind: 'slot', starts: ['2026-12-01T20:00:00.000Z'] }],
    ['a part of the day offers its first open slot', 'next Tuesday morning', { kind: 'slot', starts: ['2026-12-01T14:00:00.000Z'] }],
    ['a day offers its first open slot', 'Wednesday', { kind: 'slot', starts: ['2026-12-02T14:00:00.000Z'] }],
    ['this afternoon offers the first afternoon slot today', 'this afternoon', { kind: 'slot', starts: ['2026-11-27T17:00:00.000Z'] }],
    [
      'a full slot: the nearest open ones around it',
      'Tuesday at 2 pm',
      { kind: 'alternatives', reason: 'full', starts: ['2026-12-01T18:00:00.000Z', '2026-12-01T18:30:00.000Z', '2026-12-01T19:30:00.000Z'] },
    ],
    [
      'outside hours: the nearest open ones, not a silent shift',
      'Tuesday at 7 at night',
      { kind: 'alternatives', reason: 'closed', starts: ['2026-12-01T20:30:00.000Z', '2026-12-01T21:00:00.000Z', '2026-12-01T21:30:00.000Z'] },
    ],
    [
      'a holiday: the nearest open days',
      'Monday at 10 am',
      { kind: 'alternatives', reason: 'holiday', starts: ['2026-12-01T14:00:00.000Z', '2026-12-01T14:30:00.000Z', '2026-12-01T15:00:00.000Z'] },
    ],
    [
      'a weekend day: closed',
      'tomorrow',
      { kind: 'alternatives', reason: 'closed', starts: ['2026-11-27T20:30:00.000Z', '2026-11-27T21:00:00.000Z', '2026-11-27T21:30:00.000Z'] },
    ],
    [
      'too soon: in five minutes',
      'today at 10:05 am',
      { kind: 'alternatives', reason: 'too-soon', starts: ['2026-11-27T15:30:00.000Z', '2026-11-27T16:00:00.000Z', '2026-11-27T16:30:00.000Z'] },
    ],
    [
      'too far: beyond the days-ahead ceiling',
      'December 10 at 10 am',
      { kind: 'alternatives', reason: 'too-far', starts: ['2026-12-04T20:30:00.000Z', '2026-12-04T21:00:00.000Z', '2026-12-04T21:30:00.000Z'] },
    ],
  ])('%s ("%s")', (_name, speech, expected) => {
    expect(offerFor(speech)).toEqual(expected);
  });

  test('nothing open at all', () => {
    const spoken = parseSpokenTime('Tuesday at 3 pm', 'en-US', QUERY.schedule, QUERY.now);
    expect(spoken && decideSlotOffer(spoken, QUERY, [])).toEqual({ kind: 'none' });
  });

  test('a Spanish request is judged the same way', () => {
    const spoken = parseSpokenTime('el martes a las dos', 'es-US', QUERY.schedule, QUERY.now);
    const offer = spoken && decideSlotOffer(spoken, QUERY, openSlots(QUERY));
    expect(offer && offer.kind === 'alternatives' && offer.reason).toBe('full');
  });
});
