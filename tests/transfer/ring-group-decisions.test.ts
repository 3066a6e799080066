// The ring group's pure decisions (core/ring-group): how a line's agents ring, the In Order position a
// URL carries, what a leg's end leads to, the room and legs carried in URLs, and who may join the room.
import { callerOfRoom, decideAccept, decideInOrderEnd, everyLegOver, legsOf, legsQuery, ringGroupOf, ringPositionOf, ringSecondsOf, roomOf } from '../../src/assets/core/ring-group.private';
import { TRANSFER_OUTCOMES } from '../../src/assets/core/rows.private';
import { testLine } from '../helpers/line';

const AGENTS = ['+12025550100', '+12025550105', '+12025550106'];
const SID = `CA${'a'.repeat(32)}`;

test.each([
  ['one number', { fallbackTransferNumber: AGENTS[0], moreAgentNumbers: [] }, 'single'],
  ['the same number twice', { fallbackTransferNumber: AGENTS[0], moreAgentNumbers: [AGENTS[0]!] }, 'single'],
  ['In Order', { fallbackTransferNumber: AGENTS[0], moreAgentNumbers: AGENTS.slice(1), ringStrategy: 'In Order' as const }, 'in-order'],
  ['Simultaneous', { fallbackTransferNumber: AGENTS[0], moreAgentNumbers: AGENTS.slice(1), ringStrategy: 'Simultaneous' as const }, 'simultaneous'],
])('%s rings as %s', (_name, fields, kind) => {
  expect(ringGroupOf(testLine(fields)).kind).toBe(kind);
});

test.each([
  ['0', 3, 0],
  ['2', 3, 2],
  ['3', 3, undefined],
  ['-1', 3, undefined],
  ['1.5', 3, undefined],
  ['', 3, undefined],
  [undefined, 3, undefined],
])('ring position %s of %i agents is %s', (raw, count, position) => {
  expect(ringPositionOf(raw, count)).toBe(position);
});

test.each([
  [TRANSFER_OUTCOMES.notAccepted, '0', { kind: 'next', position: 1, number: AGENTS[1] }],
  [TRANSFER_OUTCOMES.busy, '1', { kind: 'next', position: 2, number: AGENTS[2] }],
  [TRANSFER_OUTCOMES.noAnswer, '2', { kind: 'end', outcome: TRANSFER_OUTCOMES.noAgentAccepted }],
  [TRANSFER_OUTCOMES.connected, '2', { kind: 'end', outcome: TRANSFER_OUTCOMES.connected, agentNumber: AGENTS[2] }],
  [TRANSFER_OUTCOMES.callerHungUp, '0', { kind: 'end', outcome: TRANSFER_OUTCOMES.callerHungUp }],
  // A position that names no agent never rings anyone again.
  [TRANSFER_OUTCOMES.busy, '7', { kind: 'end', outcome: TRANSFER_OUTCOMES.noAgentAccepted }],
  [TRANSFER_OUTCOMES.failed, 'x', { kind: 'end', outcome: TRANSFER_OUTCOMES.noAgentAccepted }],
])('after %s at position %s: %o', (outcome, raw, end) => {
  expect(decideInOrderEnd(AGENTS, raw, outcome)).toEqual(end);
});

test('positions only grow: walking a group rings each number once', () => {
  const rung = [AGENTS[0]];
  let raw = '0';
  for (;;) {
    const end = decideInOrderEnd(AGENTS, raw, TRANSFER_OUTCOMES.notAccepted);
    if (end.kind === 'end') break;
    rung.push(end.number);
    raw = String(end.position);
  }
  expect(rung).toEqual(AGENTS);
});

test('Ring Seconds is kept within what Twilio takes', () => {
  expect([1, 20, 900].map((ringSeconds) => ringSecondsOf({ ringSeconds }))).toEqual([5, 20, 600]);
});

test('the room is named after the caller’s call, and only our rooms name a caller', () => {
  expect(roomOf(SID)).toBe(`ring-${SID}`);
  expect(callerOfRoom(roomOf(SID))).toBe(SID);
  expect(callerOfRoom('ring-+12025550100')).toBeUndefined();
  expect(callerOfRoom(undefined)).toBeUndefined();
});

test('legs carried in a URL: a refused leg stays empty, anything not a CallSid is dropped', () => {
  expect(legsOf(legsQuery([SID, undefined, SID]))).toEqual([SID, undefined, SID]);
  expect(legsOf('CAnope,<script>')).toEqual([undefined, undefined]);
  expect(legsOf(Array(20).fill(SID).join(','))).toHaveLength(10);
});

test.each([
  [['completed', 'busy', 'no-answer', 'canceled', 'failed'], true],
  [['completed', 'ringing'], false],
  [['in-progress'], false],
  [[undefined, 'completed'], true],
])('legs %o over: %s', (statuses, over) => {
  expect(everyLegOver(statuses)).toBe(over);
});

test.each([
  [{ callerStatus: 'in-progress', room: 'waiting' as const }, 'join'],
  [{ callerStatus: 'in-progress', room: 'taken' as const }, 'taken'],
  [{ callerStatus: 'in-progress', room: 'over' as const }, 'caller-gone'],
  [{ callerStatus: 'completed', room: 'waiting' as const }, 'caller-gone'],
  // Twilio could not say: the agent tries, and the room's unique agent label still lets only one in.
  [{}, 'join'],
])('an agent who accepts and finds %o: %s', (check, verdict) => {
  expect(decideAccept(check)).toBe(verdict);
});
