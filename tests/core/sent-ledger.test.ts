// The Calls row's `Sent` field as data: parse, format, once-only, status callbacks in any order.
import { afterMessageStatus, formatSent, mergeSent, parseSent, sentOn, UNCONFIRMED, withEntry, type SentEntry } from '../../src/assets/core/sent-ledger.private';

const SID = `SM${'a'.repeat(32)}`;
const text = (status: string): SentEntry => ({ channel: 'Text', id: SID, status });

test('parse and format round-trip; lines that are not entries are ignored', () => {
  const raw = `Text ${SID}: queued\nEmail abc_DEF-123: accepted\nsomething typed by hand`;
  const entries = parseSent(raw);
  expect(entries).toEqual([text('queued'), { channel: 'Email', id: 'abc_DEF-123', status: 'accepted' }]);
  expect(formatSent(entries)).toBe(`Text ${SID}: queued\nEmail abc_DEF-123: accepted`);
  expect(parseSent(undefined)).toEqual([]);
});

test('a channel counts as sent once it has any entry, an unconfirmed text included', () => {
  expect(sentOn([], 'Text')).toBeUndefined();
  expect(sentOn([{ channel: 'Text', id: UNCONFIRMED, status: 'timeout' }], 'Text')?.id).toBe(UNCONFIRMED);
  expect(sentOn([text('queued')], 'Email')).toBeUndefined();
});

test('the real message replaces the unconfirmed placeholder', () => {
  expect(withEntry([{ channel: 'Text', id: UNCONFIRMED, status: 'timeout' }], text('queued'))).toEqual([text('queued')]);
});

describe('afterMessageStatus', () => {
  test.each<[string, SentEntry[], string, string | undefined, string | undefined]>([
    ['queued → sent', [text('queued')], 'sent', undefined, 'sent'],
    ['sent → delivered', [text('sent')], 'delivered', undefined, 'delivered'],
    ['sent → undelivered keeps the error code', [text('sent')], 'undelivered', '30006', 'undelivered 30006'],
    ['a late "sent" after delivered changes nothing', [text('delivered')], 'sent', undefined, undefined],
    ['a repeated callback changes nothing', [text('delivered')], 'delivered', undefined, undefined],
    ['an unknown status changes nothing', [text('queued')], 'exploded', undefined, undefined],
    ['a callback before the send was recorded adds the entry', [], 'sent', undefined, 'sent'],
    ['an error code that is not a code is dropped', [text('sent')], 'failed', '<script>', 'failed'],
  ])('%s', (_name, entries, status, code, expected) => {
    const next = afterMessageStatus(entries, SID, status, code);
    expect(next === undefined ? undefined : sentOn(next, 'Text')?.status).toBe(expected);
  });
});

describe('mergeSent', () => {
  const email: SentEntry = { channel: 'Email', id: 'abc', status: 'accepted' };
  const placeholder: SentEntry = { channel: 'Text', id: UNCONFIRMED, status: 'timeout' };
  test.each<[string, SentEntry[], SentEntry[], SentEntry[]]>([
    ['the row wins for the same message', [text('delivered')], [text('queued')], [text('delivered')]],
    ['what only this instance knows is added', [text('delivered')], [email], [text('delivered'), email]],
    ['a local placeholder never hides a real text', [text('delivered')], [placeholder], [text('delivered')]],
    ['a local real text replaces the row\'s placeholder', [placeholder], [text('queued')], [text('queued')]],
  ])('%s', (_name, durable, local, merged) => expect(mergeSent(durable, local)).toEqual(merged));
});
