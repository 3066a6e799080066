// Documents the schema cannot tell apart share one verdict and one xmllint run; anything that could
// change a verdict (a value that is not free text, the shape, a character XML forbids, a document that
// is not well-formed) keeps its own.
import twilio from 'twilio';
import { twimlXmllintRuns, validateTwimlHere } from '../../sandbox/simulator/twiml-validator';
import { freeTextAttributes, verdictKey } from '../../sandbox/simulator/twiml-verdict-key';
import { loadTwimlXsd } from '../../sandbox/simulator/twiml-xsd-cache';

let free: ReadonlySet<string>;
beforeAll(async () => {
  free = freeTextAttributes(await loadTwimlXsd());
});

function menu(said: string, action: string, timeout: number | string = 5): string {
  const response = new twilio.twiml.VoiceResponse();
  const gather = response.gather({ input: ['speech', 'dtmf'], action, timeout: timeout as number, language: 'en-US' });
  gather.say({ language: 'en-US' }, said);
  response.redirect({ method: 'POST' }, action);
  return response.toString();
}

describe('the free text attributes', () => {
  test('are those the schema types only as xs:string', () => {
    expect(free.has('action')).toBe(true);
    expect(free.has('statusCallback')).toBe(true);
    // integers, booleans and enumerations are not free
    expect(free.has('timeout')).toBe(false);
    expect(free.has('record')).toBe(false);
    expect(free.has('input')).toBe(false);
  });
});

describe('verdictKey', () => {
  test('two menus that differ in what is said and where the next webhook is have one key', () => {
    const one = menu('Press 1 for a call back, Dana.', '/escalate/choose?CallSid=CA1&o=a');
    const other = menu('Pulse 1 para que le llamemos.', '/callback/now?CallSid=CA2');
    expect(verdictKey(one, free)).toBe(verdictKey(other, free));
    expect(verdictKey(one, free)).toContain('action="x"');
    expect(verdictKey(one, free)).toContain('timeout="5"');
  });

  test('a value that is not free text keeps its own key', () => {
    expect(verdictKey(menu('Hello', '/a', 5), free)).not.toBe(verdictKey(menu('Hello', '/a', 'soon'), free));
  });

  test('whitespace-only text stays whitespace, and line breaks stay where they were', () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <Say>Hello\nthere</Say>\n</Response>';
    expect(verdictKey(xml, free)).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <Say>x\n</Say>\n</Response>');
  });

  test.each([
    ['a character XML forbids', '<?xml version="1.0" encoding="UTF-8"?><Response><Say>bell \u0007</Say></Response>'],
    ['a document that is not well-formed', '<Response><Say>Hello</Response>'],
    ['an unknown entity', '<Response><Say>&nope;</Say></Response>'],
  ])('%s is kept as it is', (_what, xml) => {
    expect(verdictKey(xml, free)).toBe(xml);
  });
});

describe('validating through the key', () => {
  test('menus of one shape cost one xmllint run, and each gets the verdict', async () => {
    const before = twimlXmllintRuns();
    const verdicts = await Promise.all(['Dana', 'Riley', 'Sam', 'Ana'].map((name, i) => validateTwimlHere(menu(`Hello ${name}`, `/x?i=${i}`))));
    expect(verdicts.every((v) => v.valid)).toBe(true);
    expect(twimlXmllintRuns() - before).toBe(1);
  });

  test.each([
    ['an integer attribute that is not one', menu('Hello', '/a', 'soon'), /timeout/],
    ['text where the schema allows none', '<?xml version="1.0" encoding="UTF-8"?><Response>Hello<Hangup/></Response>', /Response/],
    ['a character XML forbids', '<?xml version="1.0" encoding="UTF-8"?><Response><Say>bell \u0007</Say></Response>', /Char/i],
  ])('%s is still refused', async (_what, xml, message) => {
    const verdict = await validateTwimlHere(xml);
    expect(verdict.valid).toBe(false);
    expect(verdict.errors.join('\n')).toMatch(message);
  });
});
