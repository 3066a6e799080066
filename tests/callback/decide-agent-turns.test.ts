// A callback attempt rings the line's agents in order, one call at a time: who comes next, how long each
// rings, what each agent call's URLs carry, and which events may still settle the row. Pure decisions.
import { agentRingSeconds, attemptOf, attemptQuery, isUnsettledAttempt, nextAgentAfter } from '../../src/assets/core/callback-attempts.private';
import type { CallbackRow } from '../../src/assets/core/rows.private';
import { testLine } from '../helpers/line';

const GROUP = ['+12025550100', '+12025550105', '+12025550106'];
const SID = 'CA' + 'a'.repeat(32);
const PREVIOUS = 'CA' + 'b'.repeat(32);
const ROW_ID = 'recAAAAAAAAAAAAAA';

describe('the next agent of the group', () => {
  test.each([
    ['the first did not take it: the second', GROUP, 0, { agent: 1, number: GROUP[1] }],
    ['the second did not: the third', GROUP, 1, { agent: 2, number: GROUP[2] }],
    ['the last did not: nobody, the attempt is missed', GROUP, 2, undefined],
    ['a line with one agent: nobody after it, as before groups', [GROUP[0]!], 0, undefined],
    ['the group shrank since the call was placed: nobody', [GROUP[0]!], 1, undefined],
  ])('%s', (_name, agents, agent, expected) => {
    expect(nextAgentAfter(agents, agent)).toEqual(expected);
  });
});

describe('how long each agent rings', () => {
  test.each([
    ['one agent: 25 s, as before groups', 1, 40, 25],
    ['a group: the line\'s Ring Seconds each', 3, 20, 20],
    ['a group with a long Ring Seconds', 3, 45, 45],
    ['under Twilio\'s 5 s floor', 2, 2, 5],
    ['over Twilio\'s 600 s cap', 2, 900, 600],
  ])('%s', (_name, agents, ringSeconds, expected) => {
    expect(agentRingSeconds(testLine({ ringSeconds }), agents)).toBe(expected);
  });
});

describe('what an agent call\'s URLs carry', () => {
  test('the first agent\'s query is what it was before groups', () => {
    expect(attemptQuery(ROW_ID, 2)).toBe(`callback=${ROW_ID}&attempt=2`);
    expect(attemptQuery(ROW_ID, { attempt: 2, agent: 0 })).toBe(`callback=${ROW_ID}&attempt=2`);
  });

  test('a later agent\'s query names its place and the call before it, and reads back the same', () => {
    const query = attemptQuery(ROW_ID, { attempt: 1, agent: 2, previous: PREVIOUS }, { silence: '1' });
    expect(query).toBe(`callback=${ROW_ID}&attempt=1&agent=2&previous=${PREVIOUS}&silence=1`);
    expect(attemptOf(Object.fromEntries(new URLSearchParams(query)))).toEqual({ rowId: ROW_ID, attempt: 1, agent: 2, previous: PREVIOUS });
  });

  test.each([
    ['no agent: the first', { callback: ROW_ID, attempt: '1' }, { rowId: ROW_ID, attempt: 1, agent: 0 }],
    ['a later agent after refused ones (no call before it)', { callback: ROW_ID, attempt: '1', agent: '1' }, { rowId: ROW_ID, attempt: 1, agent: 1 }],
    ['an agent that is not a number', { callback: ROW_ID, attempt: '1', agent: 'x', previous: PREVIOUS }, undefined],
    ['a negative agent', { callback: ROW_ID, attempt: '1', agent: '-1', previous: PREVIOUS }, undefined],
    ['an agent past a group\'s ten', { callback: ROW_ID, attempt: '1', agent: '10', previous: PREVIOUS }, undefined],
    ['a previous call that is not a call SID', { callback: ROW_ID, attempt: '1', agent: '1', previous: 'CA123' }, undefined],
    ['the first agent naming a previous call', { callback: ROW_ID, attempt: '1', previous: PREVIOUS }, undefined],
  ])('%s', (_name, params, expected) => {
    expect(attemptOf(params)).toEqual(expected);
  });
});

describe('which events of a later agent\'s call may still settle the row', () => {
  const row = (overrides: Partial<CallbackRow>): CallbackRow => ({ id: ROW_ID, line: '+12025550160', phone: '+14155550142', kind: 'Now', status: 'Dialing', attempts: 1, ...overrides });
  test.each([
    ['the row names this call', row({ callbackCallSid: SID }), true],
    ['the row still names the call before it (its SID not written yet)', row({ callbackCallSid: PREVIOUS }), true],
    ['the call before it, but of another attempt', row({ callbackCallSid: PREVIOUS, attempts: 2 }), false],
    ['the attempt already missed after the call before it', row({ callbackCallSid: PREVIOUS, status: 'Retry' }), false],
    ['the row names a later agent\'s call', row({ callbackCallSid: 'CA' + 'c'.repeat(32) }), false],
    ['a row with no call written yet (that is the first placed call\'s case)', row({ callbackCallSid: undefined, attempts: 0 }), false],
  ])('%s → %s', (_name, r, expected) => {
    expect(isUnsettledAttempt(r, SID, 1, PREVIOUS)).toBe(expected);
  });
});
