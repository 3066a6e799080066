// Case numbers: short, and unambiguous when read aloud or copied from an email. Pure: the random
// source is passed in. Uniqueness is checked against the Calls table by the caller of newCaseNumber.
//
// No 0/O or 1/I (they look alike), no letters that rhyme on a phone line (B C D E G P T V Z, M/N,
// J/K, S/F), and no A (text-to-speech may read it as the article "a").
export const CASE_ALPHABET = '23456789FHKLRUWXY';
const HALF = 3;
export const CASE_NUMBER = new RegExp(`^[${CASE_ALPHABET}]{${HALF}}-[${CASE_ALPHABET}]{${HALF}}$`);

/** "K7F-49X". `randomInt(n)` returns an integer in [0, n), e.g. crypto.randomInt. */
export function newCaseNumber(randomInt: (n: number) => number): string {
  const char = () => CASE_ALPHABET[randomInt(CASE_ALPHABET.length)];
  const half = () => Array.from({ length: HALF }, char).join('');
  return `${half()}-${half()}`;
}

/** A case number from a URL or a row, or undefined when it is not one of ours. */
export function readCaseNumber(raw: string | undefined): string | undefined {
  const text = raw?.trim().toUpperCase();
  return text && CASE_NUMBER.test(text) ? text : undefined;
}

/** "K, 7, F. 4, 9, X": one character at a time, with a pause between the halves, so it can be written down. */
export function speakableCaseNumber(caseNumber: string): string {
  return caseNumber
    .split('-')
    .map((half) => half.split('').join(', '))
    .join('. ');
}
