// The number conversation as pure decisions: what the caller hears at each stage and where it leads.
import { demoBase, DEMO_CALLERS } from '../../sandbox/demo-data';
import { contactFromFields, lineFromFields } from '../../src/assets/adapters/airtable-store.private';
import type { Step } from '../../src/assets/core/steps.private';
import { decideNumberAnswer, decideNumberStart, readNumberTurn, type NumberAnswer, type NumberTurn } from '../../src/assets/number-entry/decisions.private';

const config = { defaultTimezone: 'America/New_York', fallbackTransferNumber: undefined };
const [, support, afterHours] = demoBase().Lines.map((fields, i) => lineFromFields(`rec${i}`, fields, config));
const [dana, luis] = demoBase().Contacts.map((fields, i) => contactFromFields(`recC${i}`, fields));
const stranger = { callerId: DEMO_CALLERS.stranger };
const anonymous = {};

function said(step: Step): string {
  if (step.kind !== 'gather') throw new Error(`expected a question, got ${step.kind}`);
  return step.prompt.map((u) => u.text).join(' ');
}

function answer(turn: NumberTurn, input: Partial<NumberAnswer> = {}): ReturnType<typeof decideNumberAnswer> {
  return decideNumberAnswer({ line: support, turn, caller: { callerId: DEMO_CALLERS.luis, contact: luis }, silence: false, carry: 'Reason=billing', ...input });
}

describe('the first question', () => {
  test.each([
    ['a callback uses the Callback Number on file before the caller ID', 'callback-now', { callerId: DEMO_CALLERS.luis, contact: luis }, 'Shall we call you at the number ending in 0123?'],
    ['a text goes to the phone they are calling from', 'text-link', { callerId: DEMO_CALLERS.luis, contact: luis }, 'Shall I text it to the number ending in 0199?'],
    ['a stranger is offered their caller ID', 'callback-scheduled', stranger, 'Shall we call you at the number ending in 0111?'],
    ['an anonymous caller is asked to key a number in', 'callback-now', anonymous, 'Please enter the number we should call, including the area code, then press pound.'],
    ['an anonymous caller wanting a text is asked for a mobile number', 'text-link', anonymous, 'Please enter the mobile number to text'],
  ] as const)('%s', (_name, purpose, caller, expected) => {
    expect(said(decideNumberStart(support, purpose, caller, ''))).toContain(expected);
  });

  test('the number is never spoken in full, only its last four digits', () => {
    const text = said(decideNumberStart(support, 'callback-now', { callerId: DEMO_CALLERS.dana, contact: dana }, ''));
    expect(text).not.toContain('555');
    expect(text).toContain('0142');
  });

  test('the keypad question listens to keys only, ends on #, and carries the state in its action', () => {
    const step = decideNumberStart(support, 'text-link', anonymous, 'Reason=billing');
    expect(step).toMatchObject({ kind: 'gather', keysOnly: true });
    if (step.kind !== 'gather') throw new Error('gather expected');
    expect(step.action).toBe('/number/answer?purpose=text-link&stage=enter&tries=0&Reason=billing');
    expect(step.onSilence).toBe('/number/answer?purpose=text-link&stage=enter&tries=0&Reason=billing&silence=1');
  });

  test('a Spanish line asks in Spanish', () => {
    expect(said(decideNumberStart(afterHours, 'callback-now', stranger, ''))).toBe(
      '¿Le llamamos al número que termina en 0111? Diga sí o marque 1. Para usar otro número, diga no o marque 2.',
    );
  });
});

describe('answers', () => {
  const onFile: NumberTurn = { purpose: 'callback-now', stage: 'on-file', tries: 0 };
  const enter: NumberTurn = { purpose: 'callback-now', stage: 'enter', tries: 0 };

  test('yes to the number on file confirms it, not keyed', () => {
    expect(answer(onFile, { speech: 'yes please' })).toEqual({ kind: 'confirmed', number: DEMO_CALLERS.luisCallback, keyed: false });
  });

  test('no to the number on file asks for another on the keypad', () => {
    const next = answer(onFile, { digits: '2' });
    expect(next.kind === 'ask' && said(next.step)).toMatch(/^Please enter the number we should call/);
  });

  test('an unclear answer is asked again, at most twice, then the caller is offered the other paths', () => {
    const first = answer(onFile, { speech: 'purple' });
    expect(first.kind === 'ask' && said(first.step)).toMatch(/^Sorry, I did not understand that\. Shall we call you/);
    expect(first.kind === 'ask' && first.step.kind === 'gather' && first.step.action).toContain('tries=1');
    expect(answer({ ...onFile, tries: 1 }, { silence: true }).kind).toBe('ask');
    expect(answer({ ...onFile, tries: 2 }, { silence: true })).toEqual({
      kind: 'give-up',
      apology: [expect.objectContaining({ text: 'Sorry, I could not get a number I can use.' })],
    });
  });

  test('a valid keyed number is read back digit by digit and carried to the confirmation', () => {
    const next = answer(enter, { digits: '(415) 555-0199#' });
    expect(next.kind === 'ask' && said(next.step)).toBe('You entered 4 1 5, 5 5 5, 0 1 9 9. Is that right? Say yes or press 1, or say no or press 2.');
    expect(next.kind === 'ask' && next.step.kind === 'gather' && next.step.action).toContain('stage=keyed&tries=0&candidate=%2B14155550199');
  });

  test.each([
    ['too short', '555'],
    ['not a number of the line\'s country', '442079460123'],
    ['a premium-rate number', '9005550123'],
    ['an unassigned area code', '1115550123'],
  ])('an invalid entry (%s) is asked again, then again, then the other paths', (_name, digits) => {
    const first = answer(enter, { digits });
    expect(first.kind === 'ask' && said(first.step)).toBe('Sorry, that is not a number I can use. Please enter the number we should call, including the area code, then press pound.');
    expect(answer({ ...enter, tries: 1 }, { digits }).kind).toBe('ask');
    expect(answer({ ...enter, tries: 2 }, { digits }).kind).toBe('give-up');
  });

  test('no digits before the timeout is asked again', () => {
    const next = answer(enter, { silence: true });
    expect(next.kind === 'ask' && said(next.step)).toMatch(/^Sorry, I did not get any digits\./);
  });

  test('yes to the read-back confirms the keyed number; no asks for it again', () => {
    const keyed: NumberTurn = { purpose: 'text-link', stage: 'keyed', tries: 0, candidate: '+14155550199' };
    expect(answer(keyed, { digits: '1' })).toEqual({ kind: 'confirmed', number: '+14155550199', keyed: true });
    const no = answer(keyed, { speech: 'no' });
    expect(no.kind === 'ask' && said(no.step)).toMatch(/^Please enter the mobile number to text/);
  });

  test('a tampered candidate is never confirmed: the caller is asked to key the number again', () => {
    const keyed: NumberTurn = { purpose: 'callback-now', stage: 'keyed', tries: 0, candidate: '+19005550123' };
    const next = answer(keyed, { digits: '1' });
    expect(next.kind).toBe('ask');
  });
});

describe('readNumberTurn', () => {
  test.each([
    [{ purpose: 'text-link', stage: 'enter', tries: '1' }, { purpose: 'text-link', stage: 'enter', tries: 1, candidate: undefined }],
    [{ purpose: 'callback-now', stage: 'keyed', tries: '99', candidate: '+14155550199' }, { purpose: 'callback-now', stage: 'keyed', tries: 2, candidate: '+14155550199' }],
    [{ purpose: 'email', stage: 'enter' }, undefined],
    [{ purpose: 'text-link', stage: 'hack' }, undefined],
    [{ purpose: 'text-link', stage: 'on-file', tries: '-3' }, { purpose: 'text-link', stage: 'on-file', tries: 0, candidate: undefined }],
  ])('%j', (params, expected) => {
    expect(readNumberTurn(params)).toEqual(expected);
  });
});
