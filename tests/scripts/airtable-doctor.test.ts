// airtable:doctor against the Airtable emulator: a clean demo base passes, planted mistakes are each
// reported with a fix, and the exit code says whether anything must be fixed.
import { DEMO_BASE_ID, DEMO_LINES, demoBase, type DemoBase } from '../../sandbox/demo-data';
import { AIRTABLE_SCHEMA, startAirtableEmulator, type AirtableEmulator, type TableSchema } from '../../sandbox/emulators/airtable';
import { sandboxEnv } from '../../sandbox/sandbox-env';
import { main } from '../../scripts/airtable-doctor';
import { diagnose } from '../../scripts/airtable/doctor-checks';

const API_KEY = 'patDoctorTest.not_a_secret';
let emulator: AirtableEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** The settings of the sandbox (every feature on, every secret set), pointed at this emulator. */
function settings(url: string, overrides: Record<string, string | undefined> = {}) {
  const env = { ...sandboxEnv({ airtable: url, twilio: 'http://127.0.0.1:1', sendgrid: 'http://127.0.0.1:2' }), AIRTABLE_API_KEY: API_KEY, ...overrides };
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

async function doctor(schema: readonly TableSchema[], seed: DemoBase, overrides: Record<string, string | undefined> = {}) {
  emulator = await startAirtableEmulator({ apiKey: API_KEY, schema, seed });
  const output: string[] = [];
  const code = await main([], { shell: settings(emulator.url, overrides), projectDir: __dirname, write: (line) => output.push(line) });
  return { code, text: output.join('\n') };
}

test('the demo base with the sandbox settings passes: exit 0, warnings only', async () => {
  const { code, text } = await doctor(AIRTABLE_SCHEMA, demoBase());
  expect(text).toContain(`Airtable base ${DEMO_BASE_ID}`);
  expect(text).toContain('4 line(s)');
  expect(text).toContain('✓ Lines, Contacts, Callbacks and Calls have every field, with the right types');
  expect(text).toContain('✓ every line is complete and consistent');
  expect(text).toContain("✓ every contact's numbers are E.164, so callers are recognised");
  expect(text).not.toContain('✗');
  expect(text).toMatch(/No errors, \d+ warning\(s\)\./);
  expect(code).toBe(0);
});

test('a base with one planted mistake of each kind: each is reported with its fix, exit 1', async () => {
  const schema = AIRTABLE_SCHEMA.filter((t) => t.name !== 'Callbacks').map((t) => {
    if (t.name === 'Calls') return { ...t, fields: t.fields.filter((f) => f.name !== 'Sent') };
    if (t.name === 'Lines') return { ...t, fields: t.fields.map((f) => (f.name === 'Agent Must Accept' ? { id: f.id, name: f.name, type: 'singleLineText' as const } : f)) };
    return t;
  });
  const base: DemoBase = {
    Lines: [
      { Name: 'Bad numbers', 'Phone Number': '202-555-0140', 'Fallback Transfer Number': '(202) 555-0100', 'Support Number': '555-0102', 'Phone Callback': true },
      { Name: 'Bad hours', 'Phone Number': '+12025550141', 'Business Hours': 'weekdays nine to five', Holidays: 'Christmas', Timezone: 'Eastern', 'Phone Callback': true },
      { Name: 'Refer', 'Phone Number': '+12025550142', 'Transfer Method': 'SIP REFER', 'Live Transfer': true, 'Fallback Transfer Number': '+12025550100', Timezone: 'America/New_York' },
      { Name: 'Texts off', 'Phone Number': '+12025550143', 'Text Link': true, 'Support Number': '+12025550102', 'Scheduled Callback': true, Timezone: 'America/New_York' },
      { Name: 'Emails', 'Phone Number': '+12025550144', 'Email Contact': true, Timezone: 'America/New_York' },
      { Name: 'Twin A', 'Phone Number': DEMO_LINES.support, 'Phone Callback': true, Timezone: 'America/New_York' },
      { Name: 'Twin B', 'Phone Number': DEMO_LINES.support, 'Phone Callback': true, Timezone: 'America/New_York', 'Callback Slot Minutes': 0 },
    ],
    Contacts: [{ Name: 'Pat Doe', Phone: '(415) 555-0142' }],
  };
  const { code, text } = await doctor(schema, base, {
    FEATURE_SMS: 'false',
    SIP_DOMAIN: undefined,
    SENDGRID_API_KEY: undefined,
    EMAIL_FROM: undefined,
    MESSAGING_SERVICE_SID: undefined,
    DISPATCH_SECRET: undefined,
  });
  const expected = [
    '✗ table Callbacks is missing',
    '✗ Calls › Sent is missing (a multilineText field)',
    '✗ Lines › Agent Must Accept is a singleLineText field; the Functions need checkbox',
    '✗ line Bad numbers Phone Number "202-555-0140" is not E.164',
    '✗ line Bad numbers Fallback Transfer Number "(202) 555-0100" is not E.164',
    '✗ line Bad numbers Support Number "555-0102" is not E.164',
    '✗ line Bad hours Business Hours:',
    '✗ line Bad hours Holidays: "Christmas" is not an ISO date',
    '✗ line Bad hours Timezone: "Eastern" is not an IANA time zone',
    '✗ line Refer uses SIP REFER with no SIP URI and no SIP_DOMAIN',
    '! line Texts off has Text Link on, but the account feature FEATURE_SMS is off',
    '✗ SENDGRID_API_KEY is not set, but a line offers email',
    '✗ EMAIL_FROM is not set, but a line offers email',
    '! MESSAGING_SERVICE_SID is not set',
    '✗ DISPATCH_SECRET is not set, but a line offers callbacks',
    `✗ number ${DEMO_LINES.support} belongs to 2 lines (Twin A, Twin B)`,
    '! line Twin B Callback Slot Minutes 0 is not a whole number above 0, so 30 is used',
    '! contact Pat Doe Phone "(415) 555-0142" is not E.164, so this caller is not recognised',
  ];
  for (const line of expected) expect(text).toContain(line);
  // Every finding is followed by its fix.
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (/^ {2}[✗!] /.test(line)) expect(lines[i + 1]).toMatch(/^ {6}fix: \S/);
  });
  expect(text).toContain('(perhaps +12025550140)');
  expect(text).toContain('(perhaps +14155550142)');
  expect(text).toContain('fix the errors, then run npm run airtable:doctor again');
  expect(code).toBe(1);
});

test('warnings alone exit 0: a line switch whose account feature is off', async () => {
  const { code, text } = await doctor(AIRTABLE_SCHEMA, demoBase(), { FEATURE_EMAIL: 'false' });
  expect(text).toContain('! line Support has Email Contact on, but the account feature FEATURE_EMAIL is off, so it is never offered');
  expect(text).toContain('fix: set FEATURE_EMAIL=true in .env and deploy again, or uncheck Email Contact');
  expect(code).toBe(0);
});

test('a token without access is reported as a finding with what to do, exit 1', async () => {
  emulator = await startAirtableEmulator({ apiKey: API_KEY });
  const output: string[] = [];
  const code = await main([], { shell: settings(emulator.url, { AIRTABLE_API_KEY: 'patWrong.token' }), projectDir: __dirname, write: (line) => output.push(line) });
  const text = output.join('\n');
  expect(text).toContain("✗ the base's schema could not be read");
  expect(text).toContain('AIRTABLE_API_KEY is not a valid personal access token');
  expect(code).toBe(1);
});

test.each([
  ['a live-transfer line with no fallback number anywhere', { 'Live Transfer': true }, {}, /no Fallback Transfer Number/],
  ['a text line with nothing to text', { 'Text Link': true }, {}, /neither Support Link nor Support Number/],
  ['a SIP URI that is not a sip: URI', { 'Live Transfer': true, 'Transfer Method': 'SIP REFER', 'Fallback Transfer Number': '+12025550100', 'SIP URI': 'pbx.example.com' }, { SIP_DOMAIN: 'x.sip.twilio.com' }, /is not a sip: URI/],
])('reports %s as an error', (_name, fields, vars, problem) => {
  const findings = diagnose({
    lines: [{ id: 'rec1', fields: { Name: 'L', 'Phone Number': '+12025550150', Timezone: 'America/New_York', ...fields } }],
    vars: { FEATURE_IVR_BRIDGE_CALL: 'true', FEATURE_SMS: 'true', ACCOUNT_SID: `AC${'0'.repeat(32)}`, AUTH_TOKEN: 'x', ...vars },
  });
  expect(findings.filter((f) => f.severity === 'error').map((f) => f.problem)).toEqual([expect.stringMatching(problem)]);
});

describe('ring groups and voicemail (issue 16)', () => {
  const vars = {
    FEATURE_IVR_BRIDGE_CALL: 'true',
    FEATURE_VOICEMAIL: 'true',
    ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    AUTH_TOKEN: 'x',
    DISPATCH_SECRET: 'secret',
    SENDGRID_API_KEY: 'SG.x',
    EMAIL_FROM: 'support@example.com',
  };
  const findingsFor = (fields: Record<string, unknown>, overrides: Record<string, string | undefined> = {}) =>
    diagnose({
      lines: [{ id: 'rec1', fields: { Name: 'Desk', 'Phone Number': '+12025550150', Timezone: 'America/New_York', 'Live Transfer': true, 'Fallback Transfer Number': '+12025550100', ...fields } }],
      vars: { ...vars, ...overrides },
    }).filter((f) => f.area === 'Lines');
  const tenMore = Array.from({ length: 10 }, (_, i) => `+1202555020${i}`).join(', ');

  test.each([
    ['ten More Agent Numbers', { 'More Agent Numbers': tenMore }, {}, 'error', /has 10 More Agent Numbers; at most 9/],
    ['a More Agent Number that is not E.164', { 'More Agent Numbers': '+12025550101, (202) 555-0102' }, {}, 'error', /"\(202\) 555-0102", which is not E\.164/],
    ['a Simultaneous group without Agent Must Accept', { 'More Agent Numbers': '+12025550101', 'Ring Strategy': 'Simultaneous' }, {}, 'warning', /a voicemail that answers first can take the caller/],
    ['Voicemail with no way to call back or email', { Voicemail: true, 'Fallback Transfer Number': undefined, 'Live Transfer': false }, { DISPATCH_SECRET: undefined }, 'error', /reaches no one/],
    ['Voicemail while FEATURE_VOICEMAIL is off', { Voicemail: true }, { FEATURE_VOICEMAIL: 'false' }, 'warning', /account feature FEATURE_VOICEMAIL is off/],
    ['a Voicemail Email that is not an address', { Voicemail: true, 'Voicemail Email': 'the support team' }, {}, 'error', /Voicemail Email "the support team" is not an email address/],
    ['a Voicemail Email without SendGrid', { Voicemail: true, 'Voicemail Email': 'team@example.com' }, { SENDGRID_API_KEY: undefined }, 'warning', /the team is not emailed/],
    ['a Ring Seconds of zero', { 'Ring Seconds': 0 }, {}, 'warning', /Ring Seconds 0 is not a whole number above 0, so 20 is used/],
  ])('reports %s', (_name, fields, overrides, severity, problem) => {
    const findings = findingsFor(fields, overrides);
    expect(findings.map((f) => [f.severity, f.problem])).toEqual([[severity, expect.stringMatching(problem)]]);
    expect(findings[0]!.fix).not.toBe('');
  });

  test.each([
    ['an In Order group of ten E.164 numbers', { 'More Agent Numbers': tenMore.split(', ').slice(0, 9).join(', ') }, {}],
    ['a Simultaneous group with Agent Must Accept', { 'More Agent Numbers': '+12025550101,+12025550102', 'Ring Strategy': 'Simultaneous', 'Agent Must Accept': true }, {}],
    ['Voicemail that can only be emailed', { Voicemail: true, 'Voicemail Email': 'team@example.com', 'Fallback Transfer Number': undefined, 'Live Transfer': false }, { DISPATCH_SECRET: undefined }],
    ['Voicemail as the only way to reach someone', { Voicemail: true, 'Live Transfer': false }, {}],
  ])('finds nothing wrong with %s', (_name, fields, overrides) => {
    expect(findingsFor(fields, overrides)).toEqual([]);
  });
});
