import { demoBase } from '../../sandbox/demo-data';
import { lineFromFields } from '../../src/assets/adapters/airtable-store.private';
import { decideMenu, readMenuAnswer, speakableNumber } from '../../src/assets/core/menu.private';
import type { Line, Path } from '../../src/assets/core/model.private';
import type { Step } from '../../src/assets/core/steps.private';

const config = { defaultTimezone: 'America/New_York', fallbackTransferNumber: undefined };
const [sales, support, afterHours] = demoBase().Lines.map((fields, i) => lineFromFields(`rec${i}`, fields, config));
const all: Path[] = ['live-transfer', 'callback-now', 'callback-scheduled', 'text-link', 'email'];

function said(step: Step): string[] {
  if (step.kind === 'gather') return step.prompt.map((u) => u.text);
  if (step.kind === 'dial') return step.say.map((u) => u.text);
  return step.say.map((u) => u.text);
}

describe('readMenuAnswer', () => {
  test.each<[string, readonly Path[], string | undefined, string | undefined, ReturnType<typeof readMenuAnswer>]>([
    ['key 1 picks the first path', all, '1', undefined, { kind: 'chosen', path: 'live-transfer' }],
    ['key 5 picks the fifth', all, '5', undefined, { kind: 'chosen', path: 'email' }],
    ['a key past the list matches nothing', ['live-transfer', 'email'], '3', undefined, { kind: 'no-match' }],
    ['9 repeats', all, '9', undefined, { kind: 'repeat' }],
    ['* matches nothing', all, '*', undefined, { kind: 'no-match' }],
    ['"agent" picks live transfer', all, undefined, 'Agent, please.', { kind: 'chosen', path: 'live-transfer' }],
    ['"call me back later" is a scheduled callback', all, undefined, 'call me back later', { kind: 'chosen', path: 'callback-scheduled' }],
    ['"call me back" is an immediate callback', all, undefined, 'just call me back', { kind: 'chosen', path: 'callback-now' }],
    ['"send me a text" picks text', all, undefined, 'send me a text', { kind: 'chosen', path: 'text-link' }],
    ['"email" picks email', all, undefined, 'e-mail me', { kind: 'chosen', path: 'email' }],
    ['"option two" picks the second', all, undefined, 'option two', { kind: 'chosen', path: 'callback-now' }],
    ['a word for a path not offered matches nothing', ['live-transfer', 'callback-now'], undefined, 'email', { kind: 'no-match' }],
    ['nonsense matches nothing', all, undefined, 'purple monkey dishwasher', { kind: 'no-match' }],
    ['nothing is silence', all, '', '', { kind: 'silence' }],
    ['"repeat" repeats', all, undefined, 'can you repeat that', { kind: 'repeat' }],
    ['one offer: yes chooses it', ['callback-now'], undefined, 'yes please', { kind: 'chosen', path: 'callback-now' }],
    ['one offer: key 1 chooses it', ['callback-now'], '1', undefined, { kind: 'chosen', path: 'callback-now' }],
    ['one offer: no declines', ['live-transfer'], undefined, 'no thanks', { kind: 'declined' }],
    ['one offer: key 2 declines', ['live-transfer'], '2', undefined, { kind: 'declined' }],
  ])('%s', (_name, offered, digits, speech, expected) => {
    expect(readMenuAnswer(offered, digits, speech, 'en-US')).toEqual(expected);
  });

  test.each<[string, string, Path]>([
    ['agente', 'quiero hablar con un agente', 'live-transfer'],
    ['llámenme', 'llámenme por favor', 'callback-now'],
    ['programar', 'programar una llamada para mañana', 'callback-scheduled'],
    ['correo', 'por correo electrónico', 'email'],
    ['dos', 'la opción dos', 'callback-now'],
  ])('Spanish: "%s" is understood', (_name, speech, path) => {
    expect(readMenuAnswer(all, undefined, speech, 'es-US')).toEqual({ kind: 'chosen', path });
  });

  test('Spanish yes/no on a single offer', () => {
    expect(readMenuAnswer(['callback-now'], undefined, 'sí', 'es-US')).toEqual({ kind: 'chosen', path: 'callback-now' });
    expect(readMenuAnswer(['callback-now'], undefined, 'no gracias', 'es-US')).toEqual({ kind: 'declined' });
  });
});

describe('decideMenu', () => {
  const base = { attempt: 0, carry: '' };

  test('several paths: "press N or say" for each, in order, then 9 to repeat', () => {
    const step = decideMenu({ ...base, line: support, offered: ['live-transfer', 'callback-now', 'text-link'] });
    expect(step.kind).toBe('gather');
    expect(said(step)).toEqual([
      'To talk to a person now, press 1 or say agent.',
      'To get a call back right away, press 2 or say call me back.',
      'To get a text with our support details, press 3 or say text.',
      'To hear these options again, press 9.',
    ]);
  });

  test('one path: a yes/no question', () => {
    const step = decideMenu({ ...base, line: sales, offered: ['live-transfer'] });
    expect(said(step)).toEqual(['Would you like me to connect you to a person now? Say yes or press 1, or say no or press 2.']);
  });

  test('every menu listens for one key and speech, and has a next verb for silence', () => {
    const step = decideMenu({ ...base, line: support, offered: ['live-transfer', 'email'], carry: 'Reason=billing' });
    if (step.kind !== 'gather') throw new Error('expected a gather');
    expect(step.numDigits).toBe(1);
    expect(step.action).toBe('/escalate/choice?offered=live-transfer,email&attempt=0&Reason=billing');
    expect(step.onSilence).toBe('/escalate/choice?offered=live-transfer,email&attempt=0&Reason=billing&silence=1');
  });

  test('a known caller is greeted by first name', () => {
    const contact = { id: 'rec1', name: 'Dana Whitfield', doNotContact: false };
    const step = decideMenu({ ...base, line: support, offered: ['live-transfer', 'email'], contact });
    expect(said(step)[0]).toBe('Hi Dana.');
  });

  test('nothing available: says so kindly, gives the support number digit by digit, and hangs up', () => {
    const step = decideMenu({ ...base, line: sales, offered: [] });
    expect(step.kind).toBe('say-and-hangup');
    expect(said(step).join(' ')).toMatch(/none of our ways to reach a person are available.*2 0 2, 5 5 5, 0 1 0 1/);
  });

  test('nothing available and no support number: still a kind goodbye', () => {
    const line: Line = { ...sales, supportNumber: undefined };
    expect(said(decideMenu({ ...base, line, offered: [] }))).toEqual([
      'I am sorry, none of our ways to reach a person are available right now.',
      'Thank you for calling. Goodbye.',
    ]);
  });

  test('Spanish lines get the Spanish menu in their voice', () => {
    const step = decideMenu({ ...base, line: afterHours, offered: ['callback-now', 'callback-scheduled'] });
    if (step.kind !== 'gather') throw new Error('expected a gather');
    expect(step.prompt[0]).toEqual({ text: 'Para que le llamemos de inmediato, marque 1 o diga llámenme.', language: 'es-US', voice: 'Polly.Lupe' });
    expect(step.language).toBe('es-US');
  });

  test('after silence the re-prompt says so before the options', () => {
    const step = decideMenu({ ...base, line: support, offered: ['live-transfer', 'email'], attempt: 1, after: 'silence' });
    expect(said(step)[0]).toBe('Sorry, I did not hear anything.');
    if (step.kind === 'gather') expect(step.action).toContain('attempt=1');
  });
});

test.each([
  ['+12025550101', '2 0 2, 5 5 5, 0 1 0 1'],
  ['+442079460123', '4 4 2 0 7 9 4 6 0 1 2 3'],
])('speakableNumber(%s)', (e164, spoken) => {
  expect(speakableNumber(e164)).toBe(spoken);
});
