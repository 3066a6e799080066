// The text's body and what Twilio's errors mean for the caller: pure, table-driven.
import { classifyTextError, composeTextBody, errorCodeOf, fitsOneSegment, gsm7Length } from '../../src/assets/text/decisions.private';
import type { Line } from '../../src/assets/core/model.private';

type TextLine = Pick<Line, 'name' | 'language' | 'supportLink' | 'supportNumber'>;
const support: TextLine = { name: 'Acme Support', language: 'en-US', supportLink: 'https://support.example.com/help', supportNumber: '+12025550102' };

describe('composeTextBody', () => {
  test.each<[string, TextLine, string]>([
    ['link and number', support, 'Acme Support: get help at https://support.example.com/help or call us at +1 202 555 0102. Thanks for calling.'],
    ['link only', { ...support, supportNumber: undefined }, 'Acme Support: get help at https://support.example.com/help. Thanks for calling.'],
    ['number only', { ...support, supportLink: undefined }, 'Acme Support: call us at +1 202 555 0102. Thanks for calling.'],
    ['Spanish, without accents that would leave GSM-7', { ...support, language: 'es-US' }, 'Acme Support: ayuda en https://support.example.com/help o llamenos al +1 202 555 0102. Gracias por llamar.'],
  ])('%s', (_name, line, body) => {
    expect(composeTextBody(line)).toBe(body);
    expect(fitsOneSegment(body)).toBe(true);
  });

  test('a long link falls back to the short wording to stay in one segment', () => {
    const line = { ...support, supportLink: `https://support.example.com/${'a'.repeat(70)}` };
    const body = composeTextBody(line);
    expect(body).toBe(`Acme Support: ${line.supportLink} or call +1 202 555 0102`);
    expect(gsm7Length(body)).toBeLessThanOrEqual(160);
  });

  test('content that cannot fit is still sent whole (several segments), never cut', () => {
    const line = { ...support, supportLink: `https://support.example.com/${'a'.repeat(200)}` };
    expect(composeTextBody(line)).toContain(line.supportLink);
  });
});

describe('gsm7Length', () => {
  test.each<[string, number | undefined]>([
    ['hello', 5],
    ['€[]', 6], // extension table: two septets each
    ['ñ é à', 5],
    ['información', undefined], // ó is not GSM-7: the message would be UCS-2
  ])('%s', (text, length) => expect(gsm7Length(text)).toBe(length));
});

describe('classifyTextError', () => {
  const rest = (status: number, code: number) => Object.assign(new Error('x'), { status, code });
  test.each<[string, unknown, ReturnType<typeof classifyTextError>, string]>([
    ['21610 opted out', rest(400, 21610), 'opted-out', '21610'],
    ['21614 not a mobile', rest(400, 21614), 'not-mobile', '21614'],
    ['21635 a landline', rest(400, 21635), 'not-mobile', '21635'],
    ['21211 invalid', rest(400, 21211), 'invalid-number', '21211'],
    ['21408 region not enabled', rest(400, 21408), 'unreachable', '21408'],
    ['21612 not reachable', rest(400, 21612), 'unreachable', '21612'],
    ['429 too many requests', rest(429, 20429), 'rate-limited', '20429'],
    ['500', rest(500, 20500), 'other', '20500'],
    ['an unknown 4xx', rest(400, 21606), 'other', '21606'],
    ['axios timeout', Object.assign(new Error('timeout of 1500ms exceeded'), { code: 'ECONNABORTED' }), 'timeout', 'no answer'],
    ['connection reset mid-request', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'timeout', 'no answer'],
    ['connection refused (nothing was sent)', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'other', 'no answer'],
  ])('%s', (_name, error, failure, code) => {
    expect(classifyTextError(error)).toBe(failure);
    expect(errorCodeOf(error)).toBe(code);
  });
});
