import { bookingText, choicesText, decideReminder, isReminderDueByDispatcher, writtenSlot } from '../../src/assets/schedule/decisions.private';

const NOW = new Date('2026-11-27T15:00:00Z');
const minutesFromNow = (m: number) => new Date(NOW.getTime() + m * 60_000);

describe('decideReminder: an hour before the slot, through Twilio when it can schedule it', () => {
  test.each<[string, number, boolean, { kind: string; sendAt?: string }]>([
    ['tomorrow, with a Messaging Service: Twilio schedules it', 24 * 60, true, { kind: 'twilio-schedule', sendAt: minutesFromNow(23 * 60).toISOString() }],
    ['tomorrow, without one: the dispatcher sends it', 24 * 60, false, { kind: 'dispatcher', sendAt: minutesFromNow(23 * 60).toISOString() }],
    ['the reminder would be 16 minutes ahead: still inside Twilio\'s window', 76, true, { kind: 'twilio-schedule', sendAt: minutesFromNow(16).toISOString() }],
    ['the reminder would be 10 minutes ahead: the confirmation is reminder enough', 70, true, { kind: 'none' }],
    ['a slot in 30 minutes: no reminder', 30, false, { kind: 'none' }],
    ['over 35 days ahead: Twilio cannot, the dispatcher will', 40 * 24 * 60, true, { kind: 'dispatcher', sendAt: minutesFromNow(40 * 24 * 60 - 60).toISOString() }],
  ])('%s', (_name, slotInMinutes, hasService, expected) => {
    const plan = decideReminder(minutesFromNow(slotInMinutes), NOW, hasService);
    expect(plan.kind === 'none' ? plan : { kind: plan.kind, sendAt: plan.sendAt.toISOString() }).toEqual(expected);
  });
});

describe('booking texts name the line and the slot in the line\'s zone and language', () => {
  const support = { name: 'Support', language: 'en-US' as const, timezone: 'America/Chicago' };
  const spanish = { name: 'Acme', language: 'es-US' as const, timezone: 'America/Los_Angeles' };
  const slot = new Date('2026-12-01T20:00:00Z');

  test('the slot as written, with the zone', () => {
    expect(writtenSlot(slot, 'America/Chicago', 'en-US')).toBe('Tuesday, December 1 at 2:00 PM CST');
    expect(writtenSlot(new Date('2026-07-01T19:00:00Z'), 'America/Chicago', 'en-US')).toBe('Wednesday, July 1 at 2:00 PM CDT');
    expect(writtenSlot(slot, 'Not/AZone', 'en-US')).toBe('Tuesday, December 1 at 8:00 PM UTC');
  });

  test.each<[string, string]>([
    ['confirmation', 'Support: your call back is booked for Tuesday, December 1 at 2:00 PM CST. Reply CANCEL CALL to cancel or CHANGE to pick another time.'],
    ['reminder', 'Support: reminder, we will call you Tuesday, December 1 at 2:00 PM CST. Reply CANCEL CALL to cancel or CHANGE to pick another time.'],
    ['cancelled', 'Support: your call back for Tuesday, December 1 at 2:00 PM CST is cancelled.'],
  ])('English %s', (kind, expected) => {
    expect(bookingText(kind as 'confirmation', support, slot)).toBe(expected);
  });

  test('Spanish confirmation', () => {
    expect(bookingText('confirmation', spanish, slot)).toBe(
      'Acme: su llamada quedó programada para el martes 1 de diciembre a las 12:00 de la tarde PST. Responda CANCELAR para cancelarla o CAMBIAR para elegir otra hora.',
    );
  });

  test('numbered choices', () => {
    expect(choicesText(support, [slot, new Date('2026-12-01T20:30:00Z')])).toBe(
      'Support: reply with a number to move your call back: 1) Tuesday, December 1 at 2:00 PM CST; 2) Tuesday, December 1 at 2:30 PM CST.',
    );
  });
});

describe('isReminderDueByDispatcher', () => {
  const slot = new Date('2026-11-28T20:00:00Z');
  const booking = { scheduledFor: slot, createdTime: '2026-11-27T15:00:00.000Z' };
  test.each<[string, Partial<typeof booking> & { reminderSid?: string }, string, boolean]>([
    ['an hour before the slot, nothing scheduled with Twilio: due', {}, '2026-11-28T19:00:00Z', true],
    ['half an hour before: still due (a missed run catches up)', {}, '2026-11-28T19:30:00Z', true],
    ['two hours before: not yet', {}, '2026-11-28T18:00:00Z', false],
    ['the slot has started: too late', {}, '2026-11-28T20:00:00Z', false],
    ['Twilio already holds it (Reminder SID)', { reminderSid: 'SM123' }, '2026-11-28T19:10:00Z', false],
    ['booked 70 minutes ahead: the confirmation was the reminder', { createdTime: '2026-11-28T18:50:00.000Z' }, '2026-11-28T19:10:00Z', false],
  ])('%s', (_name, overrides, now, expected) => {
    expect(isReminderDueByDispatcher({ ...booking, ...overrides }, new Date(now))).toBe(expected);
  });
});
