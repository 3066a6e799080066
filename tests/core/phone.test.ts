import { callerIdOf, countryOf, isAnonymousCaller, lastFour, maskEmailForLog, maskForLog, normalizeE164, parseDialableNumber, sipHostOf, sipUserOf, toE164Shape, type CountryCode, type DialableNumber } from '../../src/assets/core/phone.private';

describe('toE164Shape (matching lines and caller IDs)', () => {
  test.each<[string | undefined, string | undefined]>([
    ['+14155550142', '+14155550142'],
    ['+1 (415) 555-0142', '+14155550142'],
    ['+1.415.555.0142', '+14155550142'],
    ['  +44 20 7183 8750 ', '+442071838750'],
    ['+15551230000', '+15551230000'], // the SPEC's example: not a real number, still a line
    ['sip:+15551230000@pbx.example.com', '+15551230000'],
    ['sips:+15551230000@pbx.example.com:5061;transport=tls', '+15551230000'],
    ['sip:%2B15551230000@pbx.example.com', '+15551230000'],
    ['tel:+1-415-555-0142', '+14155550142'],
    ['tel:+14155550142;ext=12', '+14155550142'],
    ['4155550142', undefined], // national numbers need a country: see normalizeE164
    ['+0123456789', undefined],
    ['+12345', undefined],
    ['+1234567890123456', undefined],
    ['client:alice', undefined],
    ['sip:alice@pbx.example.com', undefined],
    ['anonymous', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (raw, expected) => {
    expect(toE164Shape(raw)).toBe(expected);
  });
});

describe('normalizeE164 (formatting numbers from settings and contacts)', () => {
  test.each<[string | undefined, CountryCode | undefined, string | undefined]>([
    ['+1 (415) 555-0142', undefined, '+14155550142'],
    ['4155550142', 'US', '+14155550142'],
    ['(415) 555-0142', 'US', '+14155550142'],
    ['1-415-555-0142', 'US', '+14155550142'],
    ['020 7183 8750', 'GB', '+442071838750'],
    ['+15551230000', undefined, '+15551230000'],
    ['sip:+15551230000@pbx.example.com', undefined, '+15551230000'],
    ['tel:+14155550142', undefined, '+14155550142'],
    ['4155550142', undefined, undefined], // no country to read it in
    ['12345', 'US', undefined],
    ['client:alice', 'US', undefined],
    ['call me maybe', 'US', undefined],
    ['', 'US', undefined],
    [undefined, 'US', undefined],
  ])('%j in %s → %j', (raw, country, expected) => {
    expect(normalizeE164(raw, country)).toBe(expected);
  });
});

describe('parseDialableNumber (numbers a caller keys in)', () => {
  test.each<[string, string | undefined, DialableNumber]>([
    ['ten digits', '4155550142', { ok: true, e164: '+14155550142', country: 'US' }],
    ['a leading 1', '14155550142', { ok: true, e164: '+14155550142', country: 'US' }],
    ['a trailing #', '4155550142#', { ok: true, e164: '+14155550142', country: 'US' }],
    ['formatting', '(415) 555-0142', { ok: true, e164: '+14155550142', country: 'US' }],
    ['a toll-free number', '8005550199', { ok: true, e164: '+18005550199', country: 'US' }],
    ['the SPEC example (no such area code)', '5551230000', { ok: false, reason: 'invalid' }],
    ['too few digits', '415555', { ok: false, reason: 'invalid' }],
    ['too many digits', '415555014299', { ok: false, reason: 'invalid' }],
    ['nothing', '', { ok: false, reason: 'empty' }],
    ['only #', '#', { ok: false, reason: 'empty' }],
    ['missing', undefined, { ok: false, reason: 'empty' }],
    ['a premium-rate 900 number', '9005551234', { ok: false, reason: 'premium-rate' }],
    ['a +1 Caribbean number (Jamaica)', '8765551234', { ok: false, reason: 'other-country' }],
    ['an international number dialled with 011', '011442071838750', { ok: false, reason: 'other-country' }],
  ])('%s (%j)', (_name, raw, expected) => {
    expect(parseDialableNumber(raw, 'US')).toEqual(expected);
  });

  test('other countries can be allowed explicitly', () => {
    expect(parseDialableNumber('011442071838750', 'US', ['US', 'GB'])).toEqual({ ok: true, e164: '+442071838750', country: 'GB' });
  });
});

describe('isAnonymousCaller and callerIdOf', () => {
  test.each<[string | undefined]>([
    ['anonymous'],
    ['Anonymous'],
    ['RESTRICTED'],
    ['unknown'],
    ['private'],
    ['Unavailable'],
    ['blocked'],
    ['+266696687'],
    ['266696687'],
    ['+7378742833'],
    ['+2562533'],
    ['+8656696'],
    ['+86282452253'],
    [''],
    ['   '],
    [undefined],
    ['client:alice'],
    ['CLIENT:support-widget'],
    ['sip:anonymous@anonymous.invalid'],
    ['sip:restricted@pbx.example.com'],
    ['sip:+266696687@pbx.example.com'],
  ])('%j is anonymous and matches nobody', (from) => {
    expect(isAnonymousCaller(from)).toBe(true);
    expect(callerIdOf(from)).toBeUndefined();
  });

  test.each<[string, string | undefined]>([
    ['+14155550142', '+14155550142'],
    ['+15551230000', '+15551230000'],
    ['sip:+14155550142@pbx.example.com', '+14155550142'],
    ['sip:alice@pbx.example.com', undefined], // a named SIP user: not anonymous, but no number to match
    ['12345', undefined], // a short code
  ])('%j is not anonymous; its caller ID is %j', (from, callerId) => {
    expect(isAnonymousCaller(from)).toBe(false);
    expect(callerIdOf(from)).toBe(callerId);
  });
});

describe('saying and logging numbers', () => {
  test.each<[string, string]>([
    ['+14155554567', '4567'],
    ['+442071838750', '8750'],
  ])('the number %s is read as "ending in %s"', (e164, four) => {
    expect(lastFour(e164)).toBe(four);
  });

  test.each<[string | undefined, string]>([
    ['+14155550142', '+1******0142'],
    ['+442071838750', '+44******8750'],
    ['+15551230000', '+1******0000'],
    ['sip:+14155550142@pbx.example.com', '+1******0142'],
    ['+1234567', '+1****67'],
    ['anonymous', 'anonymous'],
    ['+266696687', 'anonymous'],
    ['client:alice', 'client:***'],
    ['sip:alice@pbx.example.com', 'sip:***@pbx.example.com'],
    ['call 415 555 0142 please', '***'],
    ['', '(none)'],
    [undefined, '(none)'],
  ])('%j is logged as %j', (value, masked) => {
    expect(maskForLog(value)).toBe(masked);
  });

  test.each<[string]>([['+14155550142'], ['+442071838750'], ['sip:+14155550142@pbx.example.com'], ['call 415 555 0142 please']])(
    'the log form of %j never holds the full national number',
    (value) => {
      const digits = (toE164Shape(value) ?? value).replace(/\D/g, '').slice(-8);
      expect(maskForLog(value).replace(/\D/g, '')).not.toContain(digits);
    },
  );

  test.each<[string | undefined, string]>([
    ['dana@example.com', 'd***@example.com'],
    [' Luis.Ortega@Example.ORG ', 'L***@example.org'],
    ['not an email', '***'],
    ['', '(none)'],
    [undefined, '(none)'],
  ])('email %j is logged as %j', (email, masked) => {
    expect(maskEmailForLog(email)).toBe(masked);
  });
});

describe('SIP URIs', () => {
  test.each<[string | undefined, string | undefined, string | undefined]>([
    ['sip:+15551230000@pbx.example.com', '+15551230000', 'pbx.example.com'],
    ['sips:alice@PBX.Example.com:5061;transport=tls', 'alice', 'pbx.example.com'],
    ['<sip:alice:secret@pbx.example.com>', 'alice', 'pbx.example.com'],
    ['sip:+15551230000;npdi@pbx.example.com', '+15551230000', 'pbx.example.com'],
    ['sip:bob@[2001:db8::1]:5060', 'bob', '[2001:db8::1]'],
    ['sip:pbx.example.com', undefined, 'pbx.example.com'],
    ['tel:+14155550142', undefined, undefined],
    ['+14155550142', undefined, undefined],
    ['', undefined, undefined],
    [undefined, undefined, undefined],
  ])('%j has user %j and host %j', (uri, user, host) => {
    expect(sipUserOf(uri)).toBe(user);
    expect(sipHostOf(uri)).toBe(host);
  });
});

describe('countryOf', () => {
  test.each<[string | undefined, CountryCode | undefined]>([
    ['+14155550142', 'US'],
    ['+442071838750', 'GB'],
    ['+15551230000', undefined],
    ['anonymous', undefined],
    [undefined, undefined],
  ])('%j is in %j', (e164, country) => {
    expect(countryOf(e164)).toBe(country);
  });
});

describe('callerIdOf with a country hint', () => {
  test.each([
    ['sip:4155550142@trunk.example.net', 'US', '+14155550142'],
    ['4155550142', 'us', '+14155550142'],
    ['+14155550142', 'GB', '+14155550142'],
    ['4155550142', undefined, undefined],
    ['4155550142', 'XX', undefined],
    ['anonymous', 'US', undefined],
  ])('callerIdOf(%j, %j) is %j', (from, hint, expected) => {
    expect(callerIdOf(from, hint)).toBe(expected);
  });
});
