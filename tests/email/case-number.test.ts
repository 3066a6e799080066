// Case numbers: unambiguous characters, said one at a time, and only ours accepted back from a URL.
import { randomInt } from 'node:crypto';
import { CASE_ALPHABET, CASE_NUMBER, newCaseNumber, readCaseNumber } from '../../src/assets/core/sent-ledger.private';
import { speakableCaseNumber } from '../../src/assets/email/decisions.private';

test('never 0, O, 1 or I, always the XXX-XXX shape', () => {
  expect(CASE_ALPHABET).not.toMatch(/[0O1I]/);
  for (let i = 0; i < 500; i++) expect(newCaseNumber(randomInt)).toMatch(CASE_NUMBER);
});

test('a fixed random source gives a fixed number', () => {
  let i = 0;
  expect(newCaseNumber(() => i++)).toBe('234-567');
});

test('said one character at a time, with a pause between the halves', () => {
  expect(speakableCaseNumber('K7F-49X')).toBe('K, 7, F. 4, 9, X');
});

test.each<[string | undefined, string | undefined]>([
  ['k7f-49x', 'K7F-49X'],
  ['K7F-49X', 'K7F-49X'],
  ['K7F-40X', undefined],
  ['<b>', undefined],
  [undefined, undefined],
])('readCaseNumber(%s)', (raw, expected) => expect(readCaseNumber(raw)).toBe(expected));
