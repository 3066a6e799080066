// The pure decisions of immediate callbacks; `now` passed in.
import { nextOpening, scheduleForLine } from '../../src/assets/core/business-hours.private';
import type { Line } from '../../src/assets/core/model.private';
import { dueFormula, isDue } from '../../src/assets/adapters/callbacks-table.private';
import { type CallbackRow } from '../../src/assets/core/rows.private';
import { isUnsettledAttempt } from '../../src/assets/core/callback-attempts.private';
import { callableNumber } from '../../src/assets/callback/decisions.private';
import { decideAgentWhisper } from '../../src/assets/callback/decisions.private';
import { decideAlreadyQueuedStep, decideCallbackTiming, spokenWhen } from '../../src/assets/core/callback-timing.private';
import { decideMissedAttempt } from '../../src/assets/core/callback-attempts.private';
import { testLine } from '../helpers/line';

const NY = 'America/New_York';
const weekdays = (hours: string, holidays: string[] = []) => scheduleForLine({ businessHours: hours, holidays, timezone: NY }).schedule;
const officeHours = weekdays('Mon-Fri 09:00-17:00');
// 2026-11-20 is a Friday; New York is on EST (UTC-5).
const FRIDAY_NOON = new Date('2026-11-20T17:00:00Z');
const FRIDAY_EVENING = new Date('2026-11-20T23:30:00Z');
const MONDAY_9AM = new Date('2026-11-23T14:00:00Z');

const line: Line = testLine({
  name: 'Acme',
  phoneNumber: '+12025550120',
  timezone: NY,
  fallbackTransferNumber: '+12025550100',
  phoneCallback: true,
  agentMustAccept: true,
});

const row = (overrides: Partial<CallbackRow> = {}): CallbackRow => ({
  id: 'recAAAAAAAAAAAAAA',
  line: line.phoneNumber,
  phone: '+14155550142',
  kind: 'Now',
  status: 'Queued',
  attempts: 0,
  ...overrides,
});

describe('nextOpening', () => {
  test.each([
    ['open now: now', FRIDAY_NOON, officeHours, FRIDAY_NOON],
    ['Friday evening: Monday 9 AM', FRIDAY_EVENING, officeHours, MONDAY_9AM],
    ['before opening the same day', new Date('2026-11-23T12:00:00Z'), officeHours, MONDAY_9AM],
    ['Monday a holiday: Tuesday 9 AM', FRIDAY_EVENING, weekdays('Mon-Fri 09:00-17:00', ['2026-11-23']), new Date('2026-11-24T14:00:00Z')],
    ['blank hours: always open', FRIDAY_EVENING, weekdays(''), FRIDAY_EVENING],
  ])('%s', (_name, now, schedule, expected) => {
    expect(nextOpening(schedule, now)).toEqual(expected);
  });

  test('a line closed for more than a month has no opening to promise', () => {
    expect(nextOpening(weekdays('Mon closed; Tue closed; Wed closed; Thu closed; Fri closed; Sat closed; Sun closed'), FRIDAY_NOON)).toBeUndefined();
  });
});

describe('when we will call', () => {
  test.each([
    ['en-US', MONDAY_9AM, FRIDAY_EVENING, 'Monday at 9 AM'],
    ['en-US', new Date('2026-11-21T14:30:00Z'), FRIDAY_EVENING, 'tomorrow at 9:30 AM'],
    ['en-US', new Date('2026-11-21T03:00:00Z'), FRIDAY_EVENING, 'today at 10 PM'],
    ['en-US', new Date('2026-12-01T14:00:00Z'), FRIDAY_EVENING, 'Tuesday, December 1, at 9 AM'],
    ['es-US', MONDAY_9AM, FRIDAY_EVENING, 'el lunes a las 9 de la mañana'],
    ['es-US', new Date('2026-11-21T18:00:00Z'), FRIDAY_EVENING, 'mañana a la 1 de la tarde'],
  ] as const)('%s: %s → %s', (language, at, now, expected) => {
    expect(spokenWhen(at, now, NY, language)).toBe(expected);
  });

  test('in the line\'s zone: 9 AM in Los Angeles is said as 9 AM', () => {
    expect(spokenWhen(new Date('2026-11-23T17:00:00Z'), FRIDAY_EVENING, 'America/Los_Angeles', 'en-US')).toBe('Monday at 9 AM');
  });

  test('open: call now; closed: at the opening; never opening: none', () => {
    expect(decideCallbackTiming(officeHours, FRIDAY_NOON)).toEqual({ kind: 'now' });
    expect(decideCallbackTiming(officeHours, FRIDAY_EVENING)).toEqual({ kind: 'at', at: MONDAY_9AM });
    expect(decideCallbackTiming(weekdays('Mon-Sun closed'), FRIDAY_NOON)).toEqual({ kind: 'none' });
  });

  test('asked again: "in the next few minutes" when it is soon, else when', () => {
    const soon = decideAlreadyQueuedStep(line, row({ nextAttemptAt: FRIDAY_NOON.toISOString() }), FRIDAY_NOON, NY);
    expect(soon).toMatchObject({ say: [{ text: expect.stringContaining('in the next few minutes') }] });
    const later = decideAlreadyQueuedStep(line, row({ nextAttemptAt: MONDAY_9AM.toISOString() }), FRIDAY_EVENING, NY);
    expect(later).toMatchObject({ say: [{ text: expect.stringContaining('We will call you Monday at 9 AM.') }] });
    const booked = decideAlreadyQueuedStep(line, row({ status: 'Booked', scheduledFor: MONDAY_9AM.toISOString() }), FRIDAY_EVENING, NY);
    expect(booked).toMatchObject({ say: [{ text: expect.stringContaining('Monday at 9 AM') }] });
  });
});

describe('a missed attempt', () => {
  test.each([
    [1, FRIDAY_NOON, { status: 'Retry', nextAttemptAt: new Date('2026-11-20T17:05:00Z') }],
    [2, FRIDAY_NOON, { status: 'Retry', nextAttemptAt: new Date('2026-11-20T17:15:00Z') }],
    [2, new Date('2026-11-20T21:50:00Z'), { status: 'Retry', nextAttemptAt: MONDAY_9AM }], // the backoff runs past closing
    [3, FRIDAY_NOON, { status: 'Failed' }],
    [5, FRIDAY_NOON, { status: 'Failed' }],
  ])('after %i of 3 at %s', (attempts, now, expected) => {
    expect(decideMissedAttempt(attempts, 3, officeHours, now)).toEqual(expected);
  });
});

describe('the agent\'s whisper', () => {
  test('Agent Must Accept: who, why, and the accept key (keys only)', () => {
    const step = decideAgentWhisper(line, row({ contact: 'Dana Whitfield', reason: 'billing question' }), 2);
    expect(step).toMatchObject({
      kind: 'gather',
      keysOnly: true,
      numDigits: 1,
      prompt: [{ text: 'Call back for Acme. Dana Whitfield is waiting, about billing question.' }, { text: 'Press 1 to call them now.' }],
      action: '/callback/agent-answer?callback=recAAAAAAAAAAAAAA&attempt=2',
    });
  });

  test('without Agent Must Accept the customer is dialled straight away, from the line\'s number, with the whisper', () => {
    const step = decideAgentWhisper({ ...line, agentMustAccept: false }, row(), 1);
    expect(step).toMatchObject({
      kind: 'dial',
      number: '+14155550142',
      callerId: line.phoneNumber,
      whisperUrl: '/callback/customer?callback=recAAAAAAAAAAAAAA&attempt=1',
      action: '/callback/dial-ended?callback=recAAAAAAAAAAAAAA&attempt=1',
      say: [{ text: 'Call back for Acme. A caller is waiting.' }, { text: 'Calling the customer now.' }],
    });
  });
});

describe('which events may still settle a row', () => {
  const SID = 'CA' + 'a'.repeat(32);
  const OTHER = 'CA' + 'b'.repeat(32);
  test.each([
    ['the call being dialled', row({ status: 'Dialing', attempts: 1, callbackCallSid: SID }), SID, 1, true],
    ['a repeated callback after the outcome', row({ status: 'Retry', attempts: 1, callbackCallSid: SID }), SID, 1, false],
    ['a late callback of an earlier attempt', row({ status: 'Dialing', attempts: 2, callbackCallSid: OTHER }), SID, 1, false],
    ['a placed call whose SID was never written (claim mark)', row({ status: 'Dialing', attempts: 0, callbackCallSid: 'claim:x' }), SID, 1, true],
    ['a placed call whose SID was never written (held row)', row({ status: 'Queued', attempts: 0 }), SID, 1, true],
    ['a cancelled callback', row({ status: 'Cancelled', attempts: 0 }), SID, 1, false],
  ])('%s → %s', (_name, r, sid, attempt, expected) => {
    expect(isUnsettledAttempt(r, sid, attempt)).toBe(expected);
  });
});

describe('due rows', () => {
  const now = FRIDAY_NOON;
  test.each([
    ['Queued past its time', row({ nextAttemptAt: '2026-11-20T16:59:00.000Z' }), true],
    ['Queued in the future', row({ nextAttemptAt: '2026-11-20T17:01:00.000Z' }), false],
    ['Retry past its time', row({ status: 'Retry', nextAttemptAt: '2026-11-20T16:00:00.000Z' }), true],
    ['Dialing with a lapsed claim', row({ status: 'Dialing', nextAttemptAt: '2026-11-20T16:00:00.000Z' }), true],
    ['Dialing with a live claim', row({ status: 'Dialing', nextAttemptAt: '2026-11-20T17:05:00.000Z' }), false],
    ['Booked past its slot', row({ status: 'Booked', scheduledFor: '2026-11-20T16:30:00.000Z' }), true],
    ['Connected', row({ status: 'Connected', nextAttemptAt: '2026-11-20T16:00:00.000Z' }), false],
  ])('%s → %s', (_name, r, expected) => {
    expect(isDue(r, now)).toBe(expected);
  });

  test('the formula names the instant as an escaped literal', () => {
    expect(dueFormula(now)).toBe(
      "OR(AND(OR({Status} = 'Queued', {Status} = 'Retry', {Status} = 'Dialing'), IS_BEFORE({Next Attempt At}, '2026-11-20T17:00:00.000Z')), AND({Status} = 'Booked', IS_BEFORE({Scheduled For}, '2026-11-20T17:00:00.000Z')))",
    );
  });
});

describe('the number from the query is checked again', () => {
  test.each([
    ['+14155550142', false, '+14155550142'],
    ['+442071838750', false, '+442071838750'], // a UK number on file
    ['+442071838750', true, undefined], // keyed: only the line's country
    ['4155550142', false, undefined],
    ['+19005550142', false, undefined],
    [undefined, false, undefined],
  ])('%s (keyed %s) → %s', (number, keyed, expected) => {
    expect(callableNumber(number, keyed, line)).toBe(expected);
  });
});
