import type { Contact, Features, Line, Path } from '../../src/assets/core/model.private';
import { lineFromFields } from '../../src/assets/adapters/airtable-store.private';
import { agentNumbersOf, availablePaths, decideOffers, emailOnFile, featuresFromEnv, numberToCall, numberToText, type CallerFacts, type OfferReason, type PolicyInput } from '../../src/assets/core/policy.private';
import { DEMO_AGENT_NUMBER, DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import { testLine } from '../helpers/line';

// The guide's three demo lines (sandbox/demo-data.ts), as the Airtable adapter would map them.
const baseLine: Line = testLine();
const sales: Line = {
  ...baseLine,
  name: 'Sales',
  phoneNumber: DEMO_LINES.sales,
  timezone: 'America/New_York',
  businessHours: 'Mon-Fri 09:00-17:00',
  holidays: ['2026-12-25', '2027-01-01'],
  fallbackTransferNumber: DEMO_AGENT_NUMBER,
  liveTransfer: true,
  supportNumber: '+12025550101',
};
const support: Line = {
  ...baseLine,
  name: 'Support',
  phoneNumber: DEMO_LINES.support,
  timezone: 'America/Chicago',
  businessHours: 'Mon-Fri 08:00-18:00; Sat 10:00-14:00',
  fallbackTransferNumber: DEMO_AGENT_NUMBER,
  liveTransfer: true,
  phoneCallback: true,
  scheduledCallback: true,
  textLink: true,
  emailContact: true,
  supportLink: 'https://support.example.com/help',
  supportNumber: '+12025550102',
};
const afterHours: Line = {
  ...baseLine,
  name: 'After-hours',
  phoneNumber: DEMO_LINES.afterHours,
  language: 'es-US',
  timezone: 'America/Los_Angeles',
  businessHours: 'Mon-Fri 09:00-17:00',
  fallbackTransferNumber: DEMO_AGENT_NUMBER,
  phoneCallback: true,
  scheduledCallback: true,
  supportNumber: '+12025550103',
};

const dana: Contact = { id: 'recDana', name: 'Dana Whitfield', phone: DEMO_CALLERS.dana, email: 'dana@example.com', doNotContact: false };
const luis: Contact = {
  id: 'recLuis',
  name: 'Luis Ortega',
  phone: DEMO_CALLERS.luis,
  callbackNumber: DEMO_CALLERS.luisCallback,
  email: 'luis.ortega@example.org',
  doNotContact: false,
};
const morgan: Contact = { id: 'recMorgan', name: 'Morgan Reyes', phone: DEMO_CALLERS.morgan, doNotContact: true };

const callers = {
  dana: { callerId: DEMO_CALLERS.dana, contact: dana },
  luis: { callerId: DEMO_CALLERS.luis, contact: luis },
  morgan: { callerId: DEMO_CALLERS.morgan, contact: morgan },
  stranger: { callerId: DEMO_CALLERS.stranger },
  anonymous: {},
} satisfies Record<string, CallerFacts>;

const allOn: Features = { bridgeCall: true, clickToCall: true, avatarMode: true, smartCallbackScheduling: true, sms: true, email: true, voicemail: true };

// Wednesday 17 June 2026: 11:00 New York, 10:00 Chicago, 08:00 Los Angeles.
const WEEKDAY_MORNING = new Date('2026-06-17T15:00:00Z');
// Wednesday 17 June 2026: 19:30 New York, 18:30 Chicago.
const WEEKDAY_EVENING = new Date('2026-06-17T23:30:00Z');
// Sunday 21 June 2026 at noon in Chicago.
const SUNDAY_NOON = new Date('2026-06-21T17:00:00Z');

function offer(overrides: Partial<PolicyInput>): Path[] {
  return availablePaths(decideOffers({ features: allOn, line: support, caller: callers.luis, now: WEEKDAY_MORNING, ...overrides }));
}

function reasonsFor(path: Path, overrides: Partial<PolicyInput>): readonly OfferReason[] {
  const offers = decideOffers({ features: allOn, line: support, caller: callers.luis, now: WEEKDAY_MORNING, ...overrides });
  const found = offers.find((o) => o.path === path);
  if (!found) throw new Error(`no offer for ${path}`);
  return found.reasons;
}

describe('the guide demo lines', () => {
  test.each<[string, Line, CallerFacts, Date, Path[]]>([
    ['Sales offers only live transfer in hours', sales, callers.dana, WEEKDAY_MORNING, ['live-transfer']],
    ['Sales offers nothing after hours', sales, callers.dana, WEEKDAY_EVENING, []],
    ['Support offers every path to a known caller in hours', support, callers.luis, WEEKDAY_MORNING, ['live-transfer', 'callback-now', 'callback-scheduled', 'text-link', 'email']],
    ['Support offers callbacks, text and email after hours', support, callers.luis, WEEKDAY_EVENING, ['callback-now', 'callback-scheduled', 'text-link', 'email']],
    ['Support offers callbacks, text and email on Sunday', support, callers.dana, SUNDAY_NOON, ['callback-now', 'callback-scheduled', 'text-link', 'email']],
    ['Support offers a stranger everything but email', support, callers.stranger, WEEKDAY_MORNING, ['live-transfer', 'callback-now', 'callback-scheduled', 'text-link']],
    ['After-hours offers only callbacks during the day', afterHours, callers.dana, WEEKDAY_MORNING, ['callback-now', 'callback-scheduled']],
    ['After-hours offers only callbacks at night', afterHours, callers.stranger, WEEKDAY_EVENING, ['callback-now', 'callback-scheduled']],
  ])('%s', (_name, line, caller, now, expected) => {
    expect(availablePaths(decideOffers({ features: allOn, line, caller, now }))).toEqual(expected);
  });

  test('every path is listed in SPEC order with its reasons, available or not', () => {
    expect(decideOffers({ features: allOn, line: sales, caller: callers.stranger, now: WEEKDAY_EVENING })).toEqual([
      { path: 'live-transfer', available: false, reasons: ['outside-hours'] },
      { path: 'callback-now', available: false, reasons: ['line-switch-off'] },
      { path: 'callback-scheduled', available: false, reasons: ['line-switch-off'] },
      { path: 'text-link', available: false, reasons: ['line-switch-off'] },
      { path: 'email', available: false, reasons: ['line-switch-off', 'no-email'] },
      { path: 'voicemail', available: false, reasons: ['line-switch-off'] },
    ]);
  });
});

describe('voicemail (SPEC §1: offered last, to everyone the line and account allow)', () => {
  const withVoicemail = { ...support, voicemail: true };

  test('Voicemail checked: offered after every other path', () => {
    expect(offer({ line: withVoicemail })).toEqual(['live-transfer', 'callback-now', 'callback-scheduled', 'text-link', 'email', 'voicemail']);
  });

  test.each<[string, Partial<Features>, Partial<Line>, OfferReason[]]>([
    ['FEATURE_VOICEMAIL off', { voicemail: false }, { voicemail: true }, ['feature-off']],
    ['the line switch off', {}, { voicemail: false }, ['line-switch-off']],
  ])('not offered with %s', (_name, flags, change, reasons) => {
    expect(reasonsFor('voicemail', { features: { ...allOn, ...flags }, line: { ...support, ...change } })).toEqual(reasons);
  });

  test.each<[string, CallerFacts]>([
    ['a Do Not Contact caller (the message is emailed, no call back)', callers.morgan],
    ['an anonymous caller', callers.anonymous],
  ])('offered to %s', (_name, caller) => {
    expect(reasonsFor('voicemail', { line: withVoicemail, caller })).toEqual([]);
  });

  test('outside business hours it is what remains with the callbacks', () => {
    expect(availablePaths(decideOffers({ features: allOn, line: { ...support, voicemail: true }, caller: callers.dana, now: WEEKDAY_EVENING }))).toContain('voicemail');
  });
});

describe('account features', () => {
  const off = (flags: Partial<Features>): Features => ({ ...allOn, ...flags });

  test.each<[string, Partial<Features>, Path[]]>([
    ['FEATURE_IVR_BRIDGE_CALL off removes live transfer', { bridgeCall: false }, ['callback-now', 'callback-scheduled', 'text-link', 'email']],
    ['FEATURE_CLICK_TO_CALL off keeps callback now through avatar mode', { clickToCall: false }, ['live-transfer', 'callback-now', 'callback-scheduled', 'text-link', 'email']],
    ['FEATURE_AVATAR_MODE off keeps callback now through click-to-call', { avatarMode: false }, ['live-transfer', 'callback-now', 'callback-scheduled', 'text-link', 'email']],
    ['click-to-call and avatar mode both off remove callback now', { clickToCall: false, avatarMode: false }, ['live-transfer', 'callback-scheduled', 'text-link', 'email']],
    ['FEATURE_SMART_CALLBACK_SCHEDULING off removes scheduled callbacks', { smartCallbackScheduling: false }, ['live-transfer', 'callback-now', 'text-link', 'email']],
    ['FEATURE_SMS off removes the text', { sms: false }, ['live-transfer', 'callback-now', 'callback-scheduled', 'email']],
    ['FEATURE_EMAIL off removes email', { email: false }, ['live-transfer', 'callback-now', 'callback-scheduled', 'text-link']],
    ['all features off offer nothing', { bridgeCall: false, clickToCall: false, avatarMode: false, smartCallbackScheduling: false, sms: false, email: false }, []],
  ])('%s', (_name, flags, expected) => {
    expect(offer({ features: off(flags) })).toEqual(expected);
  });

  test('a feature that is off is the reason given', () => {
    expect(reasonsFor('text-link', { features: off({ sms: false }) })).toEqual(['feature-off']);
  });
});

describe('line switches', () => {
  test.each<[string, Partial<Line>, Path, Path[]]>([
    ['Live Transfer unchecked removes live transfer', { liveTransfer: false }, 'live-transfer', ['callback-now', 'callback-scheduled', 'text-link', 'email']],
    ['Phone Callback unchecked removes callback now', { phoneCallback: false }, 'callback-now', ['live-transfer', 'callback-scheduled', 'text-link', 'email']],
    ['Scheduled Callback unchecked removes scheduled callbacks', { scheduledCallback: false }, 'callback-scheduled', ['live-transfer', 'callback-now', 'text-link', 'email']],
    ['Text Link unchecked removes the text', { textLink: false }, 'text-link', ['live-transfer', 'callback-now', 'callback-scheduled', 'email']],
    ['Email Contact unchecked removes email', { emailContact: false }, 'email', ['live-transfer', 'callback-now', 'callback-scheduled', 'text-link']],
  ])('%s', (_name, change, path, expected) => {
    const line = { ...support, ...change };
    expect(offer({ line })).toEqual(expected);
    expect(reasonsFor(path, { line })).toEqual(['line-switch-off']);
  });
});

describe('live transfer', () => {
  test.each<[string, Partial<Line>, Date, OfferReason[]]>([
    ['there is no fallback number', { fallbackTransferNumber: undefined }, WEEKDAY_MORNING, ['no-fallback-number']],
    ['the fallback number is not a phone number', { fallbackTransferNumber: 'ask Bob' }, WEEKDAY_MORNING, ['no-fallback-number']],
    ['it is outside business hours', {}, WEEKDAY_EVENING, ['outside-hours']],
    ['it is a holiday, in hours', { holidays: ['2026-06-17'] }, WEEKDAY_MORNING, ['holiday']],
    ['everything is wrong at once', { liveTransfer: false, fallbackTransferNumber: undefined }, WEEKDAY_EVENING, ['line-switch-off', 'no-fallback-number', 'outside-hours']],
  ])('is not offered when %s', (_name, change, now, reasons) => {
    expect(reasonsFor('live-transfer', { line: { ...support, ...change }, now })).toEqual(reasons);
  });

  test.each<[string, boolean, Line, Date]>([
    ['Sales on Christmas Day during office hours', false, sales, new Date('2026-12-25T15:00:00Z')],
    ['Sales on New Year’s Day', false, sales, new Date('2027-01-01T15:00:00Z')],
    ['Sales the day after Christmas (a Saturday)', false, sales, new Date('2026-12-26T15:00:00Z')],
    ['Sales the Monday after New Year', true, sales, new Date('2027-01-04T15:00:00Z')],
    ['Sales at 09:30 EDT the Monday after spring-forward', true, sales, new Date('2026-03-09T13:30:00Z')],
    ['Sales at 08:30 EST the Friday before spring-forward', false, sales, new Date('2026-03-06T13:30:00Z')],
    ['Sales at 08:30 EST the Monday after fall-back', false, sales, new Date('2026-11-02T13:30:00Z')],
    ['Sales at 16:30 EST the Monday after fall-back', true, sales, new Date('2026-11-02T21:30:00Z')],
    ['a London line at 09:30 BST the Monday after spring-forward', true, { ...sales, timezone: 'Europe/London' }, new Date('2026-03-30T08:30:00Z')],
    ['a London line at 08:30 GMT the Friday before spring-forward', false, { ...sales, timezone: 'Europe/London' }, new Date('2026-03-27T08:30:00Z')],
    ['a London line at 09:30 BST the Friday before fall-back', true, { ...sales, timezone: 'Europe/London' }, new Date('2026-10-23T08:30:00Z')],
    ['a London line at 08:30 GMT the Monday after fall-back', false, { ...sales, timezone: 'Europe/London' }, new Date('2026-10-26T08:30:00Z')],
    ['a 24-hour New York line on spring-forward night', true, { ...sales, businessHours: 'Mon-Sun 00:00-24:00' }, new Date('2026-03-08T07:30:00Z')],
    ['a 24-hour London line on fall-back night', true, { ...sales, businessHours: 'Mon-Sun 00:00-24:00', timezone: 'Europe/London' }, new Date('2026-10-25T01:30:00Z')],
  ])('%s: offered %s', (_name, offered, line, now) => {
    expect(availablePaths(decideOffers({ features: allOn, line, caller: callers.dana, now })).includes('live-transfer')).toBe(offered);
  });

  test('blank business hours mean live transfer at any hour', () => {
    expect(offer({ line: { ...support, businessHours: undefined }, now: SUNDAY_NOON })).toContain('live-transfer');
  });

  test('malformed business hours are treated as blank', () => {
    expect(offer({ line: { ...support, businessHours: 'weekdays nine to five' }, now: SUNDAY_NOON })).toContain('live-transfer');
  });

  test('an invalid line time zone is evaluated in DEFAULT_TIMEZONE', () => {
    // 13:30 UTC is 09:30 in New York (open) but 08:30 in Chicago (closed).
    const line = { ...support, businessHours: 'Mon-Fri 09:00-17:00', timezone: 'Central' };
    const now = new Date('2026-06-17T13:30:00Z');
    expect(offer({ line, now, defaultTimezone: 'America/New_York' })).toContain('live-transfer');
    expect(offer({ line, now, defaultTimezone: 'America/Chicago' })).not.toContain('live-transfer');
  });

  test('Do Not Contact does not block a live transfer', () => {
    expect(offer({ caller: callers.morgan })).toEqual(['live-transfer']);
  });
});

describe('what is on file about the caller', () => {
  test('an anonymous caller with nothing on file is offered callbacks and a text (they key in a number) but no email', () => {
    const offers = decideOffers({ features: allOn, line: support, caller: callers.anonymous, now: WEEKDAY_MORNING });
    expect(availablePaths(offers)).toEqual(['live-transfer', 'callback-now', 'callback-scheduled', 'text-link']);
    expect(offers.find((o) => o.path === 'email')?.reasons).toEqual(['no-email']);
  });

  test('an anonymous caller recognised from a keyed-in number can be texted and emailed', () => {
    expect(offer({ caller: { contact: luis } })).toEqual(['live-transfer', 'callback-now', 'callback-scheduled', 'text-link', 'email']);
  });

  test.each<[string, CallerFacts, OfferReason[]]>([
    ['no email on file', { callerId: DEMO_CALLERS.luis, contact: { ...luis, email: undefined } }, ['no-email']],
    ['a blank email', { callerId: DEMO_CALLERS.luis, contact: { ...luis, email: '  ' } }, ['no-email']],
    ['something that is not an email', { callerId: DEMO_CALLERS.luis, contact: { ...luis, email: 'call me' } }, ['no-email']],
    ['Do Not Contact', callers.morgan, ['do-not-contact', 'no-email']],
  ])('email is not offered with %s', (_name, caller, reasons) => {
    expect(reasonsFor('email', { caller })).toEqual(reasons);
  });

  test.each<[Path]>([['callback-now'], ['callback-scheduled'], ['text-link'], ['email']])(
    'Do Not Contact blocks %s',
    (path) => {
      expect(reasonsFor(path, { caller: callers.morgan })).toContain('do-not-contact');
    },
  );

  test('Do Not Contact leaves only live transfer on the Support line', () => {
    expect(offer({ caller: callers.morgan })).toEqual(['live-transfer']);
  });

  test('a caller ID that slipped through as a masked number is not offered as the number to text', () => {
    expect(numberToText({ callerId: '+266696687' })).toBeUndefined();
  });
});

describe('text and scheduled callback prerequisites', () => {
  test.each<[string, Partial<Line>, OfferReason[]]>([
    ['no Support Link and no Support Number', { supportLink: undefined, supportNumber: undefined }, ['no-support-link-or-number']],
    ['a blank Support Link and a malformed Support Number', { supportLink: ' ', supportNumber: 'n/a' }, ['no-support-link-or-number']],
    ['only a Support Number', { supportLink: undefined }, []],
    ['only a Support Link', { supportNumber: undefined }, []],
  ])('the text with %s', (_name, change, reasons) => {
    expect(reasonsFor('text-link', { line: { ...support, ...change } })).toEqual(reasons);
  });

  test.each<[boolean | undefined, OfferReason[]]>([
    [undefined, []],
    [true, []],
    [false, ['no-open-slots']],
  ])('scheduled callback with hasOpenSlots=%s has reasons %j', (hasOpenSlots, reasons) => {
    expect(reasonsFor('callback-scheduled', { hasOpenSlots })).toEqual(reasons);
  });
});

describe('numbers and email to use', () => {
  test.each<[string, CallerFacts, string | undefined]>([
    ['the Callback Number before the Phone', callers.luis, DEMO_CALLERS.luisCallback],
    ['the Phone on file', callers.dana, DEMO_CALLERS.dana],
    ['the caller ID for a stranger', callers.stranger, DEMO_CALLERS.stranger],
    ['nothing for an anonymous caller, who keys one in', callers.anonymous, undefined],
    ['nothing for a masked caller ID', { callerId: '+7378742833' }, undefined],
  ])('a callback goes to %s', (_name, caller, expected) => {
    expect(numberToCall(caller)).toBe(expected);
  });

  test.each<[string, CallerFacts, string | undefined]>([
    ['the phone they are calling from', callers.luis, DEMO_CALLERS.luis],
    ['the Phone on file when the caller ID is withheld', { contact: luis }, DEMO_CALLERS.luis],
    ['the Callback Number when that is all there is', { contact: { ...luis, phone: undefined } }, DEMO_CALLERS.luisCallback],
    ['nowhere for an anonymous stranger', callers.anonymous, undefined],
  ])('a text goes to %s', (_name, caller, expected) => {
    expect(numberToText(caller)).toBe(expected);
  });

  test('the email on file is trimmed', () => {
    expect(emailOnFile({ contact: { ...dana, email: ' dana@example.com ' } })).toBe('dana@example.com');
  });
});

describe('featuresFromEnv', () => {
  const none: Features = { bridgeCall: false, clickToCall: false, avatarMode: false, smartCallbackScheduling: false, sms: false, email: false, voicemail: false };

  test.each<[string, string | undefined, boolean]>([
    ['true', 'true', true],
    ['TRUE', 'TRUE', true],
    ['1', '1', true],
    ['yes', 'yes', true],
    ['Yes with spaces', ' Yes ', true],
    ['on', 'on', true],
    ['false', 'false', false],
    ['0', '0', false],
    ['no', 'no', false],
    ['empty', '', false],
    ['missing', undefined, false],
    ['anything else', 'enabled?', false],
  ])('reads %s as %s', (_name, value, expected) => {
    expect(featuresFromEnv({ FEATURE_SMS: value }).sms).toBe(expected);
  });

  test('maps each FEATURE_* variable to its feature', () => {
    expect(featuresFromEnv({})).toEqual(none);
    expect(featuresFromEnv({ FEATURE_IVR_BRIDGE_CALL: 'true' })).toEqual({ ...none, bridgeCall: true });
    expect(featuresFromEnv({ FEATURE_CLICK_TO_CALL: 'true' })).toEqual({ ...none, clickToCall: true });
    expect(featuresFromEnv({ FEATURE_AVATAR_MODE: 'true' })).toEqual({ ...none, avatarMode: true });
    expect(featuresFromEnv({ FEATURE_SMART_CALLBACK_SCHEDULING: 'true' })).toEqual({ ...none, smartCallbackScheduling: true });
    expect(featuresFromEnv({ FEATURE_SMS: 'true' })).toEqual({ ...none, sms: true });
    expect(featuresFromEnv({ FEATURE_EMAIL: 'true' })).toEqual({ ...none, email: true });
    expect(featuresFromEnv({ FEATURE_VOICEMAIL: 'true' })).toEqual({ ...none, voicemail: true });
  });
});

describe('callback now needs an agent to ring first', () => {
  test('no Fallback Transfer Number (nor FALLBACK_TRANSFER_NUMBER folded in) means no immediate callback', () => {
    expect(reasonsFor('callback-now', { line: { ...support, fallbackTransferNumber: undefined } })).toEqual(['no-agent-number']);
    expect(reasonsFor('callback-now', { line: { ...support, fallbackTransferNumber: 'front desk' } })).toEqual(['no-agent-number']);
  });

  test.each([
    ['in the evening', WEEKDAY_EVENING],
    ['on Sunday', SUNDAY_NOON],
  ])('it is still offered %s (the caller is told when we open)', (_name, now) => {
    expect(reasonsFor('callback-now', { now })).toEqual([]);
  });
});

describe('a line’s agents (ring groups)', () => {
  const config = { defaultTimezone: 'UTC' };

  test('the Fallback Transfer Number rings first, then More Agent Numbers in order, none twice', () => {
    const line = lineFromFields('rec1', { 'Fallback Transfer Number': '+12025550101', 'More Agent Numbers': '+12025550102, +12025550101;+12025550103' }, config);
    expect(agentNumbersOf(line)).toEqual(['+12025550101', '+12025550102', '+12025550103']);
  });

  test('numbers that are not E.164 never ring, and at most nine more do', () => {
    const more = Array.from({ length: 12 }, (_, i) => `+12025550${300 + i}`).join(',');
    const line = lineFromFields('rec1', { 'Fallback Transfer Number': '+12025550101', 'More Agent Numbers': `202-555-0199, ${more}` }, config);
    expect(line.moreAgentNumbers).toHaveLength(9);
    expect(line.moreAgentNumbers).not.toContain('202-555-0199');
  });

  test('ring settings and voicemail default as SPEC §3 says', () => {
    const line = lineFromFields('rec1', {}, config);
    expect(line).toMatchObject({ ringStrategy: 'In Order', ringSeconds: 20, voicemail: false, voicemailMaxSeconds: 120, moreAgentNumbers: [] });
    expect(agentNumbersOf(line)).toEqual([]);
    const group = lineFromFields('rec1', { 'Ring Strategy': 'Simultaneous', 'Ring Seconds': 35, Voicemail: true, 'Voicemail Max Seconds': 60, 'Voicemail Email': 'desk@example.com' }, config);
    expect(group).toMatchObject({ ringStrategy: 'Simultaneous', ringSeconds: 35, voicemail: true, voicemailMaxSeconds: 60, voicemailEmail: 'desk@example.com' });
  });
});
