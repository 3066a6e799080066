// What `airtable:doctor` finds wrong with a base and the settings, and how to fix each thing. Pure:
// the CLI reads the base's schema, the Lines rows and the settings, and passes them in.
import { BASE_SCHEMA, LANGUAGE_CHOICES } from '../../src/assets/core/base-schema.private';
import { scheduleForLine } from '../../src/assets/core/business-hours.private';
import { MAX_MORE_AGENT_NUMBERS, normalizeE164, splitAgentNumbers } from '../../src/assets/core/phone.private';
import { FEATURE_FLAGS, featuresFromEnv } from '../../src/assets/core/policy.private';
import type { Features } from '../../src/assets/core/model.private';
import { IANAZone } from 'luxon';
import type { MetaTable } from './meta-client';
import { planSchema } from './schema-plan';

export type Severity = 'error' | 'warning';
export type Area = 'Tables and fields' | 'Lines' | 'Contacts' | 'Settings';

export interface Finding {
  readonly severity: Severity;
  readonly area: Area;
  /** What it is about: "Lines › Live Transfer", "line Sales", "DISPATCH_SECRET". */
  readonly subject: string;
  readonly problem: string;
  readonly fix: string;
}

export interface LineRow {
  readonly id: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface DoctorInput {
  /** The base's tables from the Metadata API; undefined when they could not be read (a finding says why). */
  readonly tables?: readonly MetaTable[];
  /** The Lines rows; undefined when the table could not be read. */
  readonly lines?: readonly LineRow[];
  /** The Contacts rows (Name, Phone, Callback Number); undefined when not read. */
  readonly contacts?: readonly LineRow[];
  /** The settings (shell, then .env). */
  readonly vars: Readonly<Record<string, string | undefined>>;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SETUP_FIX = 'run `npm run airtable:setup`: it adds what is missing and changes nothing else';

export function diagnose(input: DoctorInput): Finding[] {
  const features = featuresFromEnv(input.vars);
  return [
    ...(input.tables ? checkSchema(input.tables) : []),
    ...(input.lines ? checkLines(input.lines, input.vars, features) : []),
    ...(input.contacts ? checkContacts(input.contacts) : []),
    ...checkSettings(input.lines ?? [], input.vars, features),
  ];
}

export function checkSchema(tables: readonly MetaTable[]): Finding[] {
  const plan = planSchema(BASE_SCHEMA, tables);
  const area = 'Tables and fields' as const;
  return [
    ...plan.tablesToCreate.map((t): Finding => ({ severity: 'error', area, subject: `table ${t.name}`, problem: 'is missing', fix: SETUP_FIX })),
    ...plan.fieldsToAdd.map(({ table, field }): Finding => ({
      severity: 'error',
      area,
      subject: `${table.name} › ${field.name}`,
      problem: `is missing (a ${field.type} field)`,
      fix: SETUP_FIX,
    })),
    ...plan.mismatches.map((m): Finding => {
      const subject = m.field ? `${m.table} › ${m.field}` : `table ${m.table}`;
      switch (m.problem) {
        case 'wrong-type':
          return {
            severity: 'error',
            area,
            subject,
            problem: `is a ${m.actual} field; the Functions need ${m.expected}`,
            fix: `in Airtable, edit the field and change its type to ${m.expected} (check the values survive)`,
          };
        case 'compatible-type':
          return {
            severity: 'warning',
            area,
            subject,
            problem: `is a ${m.actual} field, not ${m.expected}; it works, but Airtable will not check the values`,
            fix: `change the field's type to ${m.expected}`,
          };
        case 'missing-choices':
          return {
            severity: 'error',
            area,
            subject,
            problem: `lacks the option(s) ${m.expected}, so writing them fails`,
            fix: `edit the field in Airtable and add the option(s) ${m.expected}`,
          };
        case 'name-case':
          return { severity: 'error', area, subject, problem: `is spelled "${m.actual}"; names are matched exactly`, fix: `rename it to "${m.expected}"` };
      }
    }),
  ];
}

const text = (fields: LineRow['fields'], key: string): string | undefined => {
  const value = fields[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};
const checked = (fields: LineRow['fields'], key: string): boolean => fields[key] === true;

/** Each line switch and the account feature(s) it needs. */
const SWITCHES: readonly { readonly field: string; readonly on: (f: Features) => boolean; readonly flags: string }[] = [
  { field: 'Live Transfer', on: (f) => f.bridgeCall, flags: FEATURE_FLAGS.bridgeCall },
  { field: 'Phone Callback', on: (f) => f.clickToCall || f.avatarMode, flags: `${FEATURE_FLAGS.clickToCall} (or ${FEATURE_FLAGS.avatarMode})` },
  { field: 'Scheduled Callback', on: (f) => f.smartCallbackScheduling, flags: FEATURE_FLAGS.smartCallbackScheduling },
  { field: 'Text Link', on: (f) => f.sms, flags: FEATURE_FLAGS.sms },
  { field: 'Email Contact', on: (f) => f.email, flags: FEATURE_FLAGS.email },
];

function e164Fix(value: string): string {
  const suggestion = normalizeE164(value, 'US');
  return `write it in E.164: + country code and number, no spaces${suggestion && suggestion !== value ? ` (perhaps ${suggestion})` : ', e.g. +12025550110'}`;
}

export function checkLines(lines: readonly LineRow[], vars: DoctorInput['vars'], features: Features): Finding[] {
  const findings: Finding[] = [];
  const area = 'Lines' as const;
  if (lines.length === 0) {
    findings.push({
      severity: 'warning',
      area,
      subject: 'Lines',
      problem: 'has no rows, so every call hears the "not set up" answer',
      fix: 'add a row per Twilio number (or `npm run airtable:setup -- --demo` for examples)',
    });
  }
  const byNumber = new Map<string, string[]>();
  for (const row of lines) {
    const f = row.fields;
    const subject = `line ${text(f, 'Name') ?? row.id}`;
    const add = (severity: Severity, problem: string, fix: string) => findings.push({ severity, area, subject, problem, fix });

    const phone = text(f, 'Phone Number');
    if (!phone) add('error', 'has no Phone Number, so no call can find it', 'enter the Twilio number callers dial, in E.164, e.g. +12025550110');
    else if (!E164.test(phone)) add('error', `Phone Number "${phone}" is not E.164, so calls to it are not matched`, e164Fix(phone));
    else byNumber.set(phone, [...(byNumber.get(phone) ?? []), text(f, 'Name') ?? row.id]);

    for (const key of ['Fallback Transfer Number', 'Support Number']) {
      const value = text(f, key);
      if (value && !E164.test(value)) add('error', `${key} "${value}" is not E.164`, e164Fix(value));
    }
    const link = text(f, 'Support Link');
    if (link && !/^https?:\/\/\S+$/i.test(link)) add('warning', `Support Link "${link}" is not a web address`, 'start it with https://');
    const language = text(f, 'Language');
    if (language && !(LANGUAGE_CHOICES as readonly string[]).includes(language)) {
      add(
        'warning',
        `Language "${language}" is not en-US or es-US`,
        'pick en-US or es-US',
      );
    }

    for (const [key, fallback] of [
      ['Callback Slot Minutes', 30],
      ['Callback Slot Capacity', 2],
      ['Callback Days Ahead', 7],
      ['Callback Max Attempts', 3],
      ['Ring Seconds', 20],
      ['Voicemail Max Seconds', 120],
    ] as const) {
      const value = f[key];
      if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
        add(
          'warning',
          `${key} ${String(value)} is not a whole number above 0, so ${fallback} is used`,
          `enter a whole number of at least 1, or leave it blank for ${fallback}`,
        );
      }
    }
    const hours = { businessHours: text(f, 'Business Hours'), holidays: text(f, 'Holidays'), timezone: text(f, 'Timezone') };
    const { problems } = scheduleForLine(hours, vars.DEFAULT_TIMEZONE);
    for (const problem of problems) {
      if (problem.field === 'Business Hours') {
        add(
          'error',
          `Business Hours: ${problem.message}`,
          'write days and times like "Mon-Fri 09:00-17:00; Sat 10:00-14:00" (blank = always open)',
        );
      }
      if (problem.field === 'Holidays') {
        add(
          'error',
          `Holidays: ${problem.message}`,
          'list ISO dates separated by commas, e.g. "2026-12-25, 2027-01-01"',
        );
      }
      if (problem.field === 'Timezone') {
        const unset = text(f, 'Timezone') === undefined;
        add(unset ? 'warning' : 'error', `Timezone: ${problem.message}`, 'enter an IANA time zone such as America/New_York or America/Chicago');
      }
    }

    const liveTransfer = checked(f, 'Live Transfer');
    const fallback = text(f, 'Fallback Transfer Number') ?? vars.FALLBACK_TRANSFER_NUMBER;
    if (liveTransfer && !fallback) {
      add(
        'error',
        'has Live Transfer on but no Fallback Transfer Number, so a transfer is never offered',
        'enter the agents\' number in Fallback Transfer Number (E.164)',
      );
    }
    if (liveTransfer && text(f, 'Transfer Method') === 'SIP REFER') {
      const sipUri = text(f, 'SIP URI');
      if (sipUri && !/^sips?:[^@\s]+@[^@\s]+$/i.test(sipUri)) {
        add(
          'error',
          `SIP URI "${sipUri}" is not a sip: URI`,
          'write it like sip:+12025550100@pbx.example.com',
        );
      }
      if (!sipUri && !vars.SIP_DOMAIN) {
        add(
          'error',
          'uses SIP REFER with no SIP URI and no SIP_DOMAIN, so the REFER target cannot be built',
          'enter the line\'s SIP URI (e.g. sip:+12025550100@pbx.example.com), or set SIP_DOMAIN in .env',
        );
      }
    }
    for (const [severity, problem, fix] of checkRingGroup(f)) add(severity, problem, fix);
    for (const [severity, problem, fix] of checkVoicemail(f, vars, fallback)) add(severity, problem, fix);
    if (checked(f, 'Text Link') && !text(f, 'Support Link') && !text(f, 'Support Number')) {
      add(
        'error',
        'has Text Link on but neither Support Link nor Support Number, so there is nothing to text',
        'fill Support Link or Support Number',
      );
    }

    const enabled = SWITCHES.filter((s) => checked(f, s.field));
    for (const s of enabled.filter((s) => !s.on(features))) {
      add(
        'warning',
        `has ${s.field} on, but the account feature ${s.flags} is off, so it is never offered`,
        `set ${s.flags.split(' ')[0]}=true in .env and deploy again, or uncheck ${s.field}`,
      );
    }
    if (enabled.length === 0 && !checked(f, 'Voicemail')) {
      add(
        'warning',
        'has no way to reach a person switched on: callers only hear the support number',
        'check at least one of Live Transfer, Phone Callback, Scheduled Callback, Text Link, Email Contact, Voicemail',
      );
    }
  }
  for (const [number, names] of byNumber) {
    if (names.length > 1) {
      findings.push({
        severity: 'error',
        area,
        subject: `number ${number}`,
        problem: `belongs to ${names.length} lines (${names.join(', ')}); calls find only one of them`,
        fix: 'give each line its own Phone Number, or delete the duplicate row',
      });
    }
  }
  return findings;
}

type LineProblem = readonly [Severity, string, string];

/** A ring group: at most nine more numbers, each E.164; all at once only with the accept key. */
function checkRingGroup(f: LineRow['fields']): LineProblem[] {
  const problems: LineProblem[] = [];
  const more = splitAgentNumbers(text(f, 'More Agent Numbers'));
  if (more.length > MAX_MORE_AGENT_NUMBERS) {
    problems.push([
      'error',
      `has ${more.length} More Agent Numbers; at most ${MAX_MORE_AGENT_NUMBERS} ring besides the Fallback Transfer Number`,
      `keep ${MAX_MORE_AGENT_NUMBERS} numbers (comma separated), or point one of them at a PBX hunt group`,
    ]);
  }
  for (const number of more.filter((n) => !E164.test(n))) {
    problems.push(['error', `More Agent Numbers has "${number}", which is not E.164, so it never rings`, e164Fix(number)]);
  }
  if (text(f, 'Ring Strategy') === 'Simultaneous' && !checked(f, 'Agent Must Accept')) {
    problems.push([
      'warning',
      'rings its group Simultaneous without Agent Must Accept: a voicemail that answers first can take the caller',
      'check Agent Must Accept (the agent presses 1 to take the call), or ring In Order',
    ]);
  }
  return problems;
}

/**
 * A voicemail is a callback (an agent number to ring first and the dispatcher's secret) and an email to
 * the team (`Voicemail Email`, SendGrid): with neither, a message reaches no one.
 */
function checkVoicemail(f: LineRow['fields'], vars: DoctorInput['vars'], agentNumber: string | undefined): LineProblem[] {
  const problems: LineProblem[] = [];
  const teamEmail = text(f, 'Voicemail Email');
  if (teamEmail && !EMAIL.test(teamEmail)) {
    problems.push(['error', `Voicemail Email "${teamEmail}" is not an email address`, 'enter the team\'s address, e.g. support@yourcompany.com']);
  }
  if (!checked(f, 'Voicemail')) return problems;
  const has = (key: string) => (vars[key]?.trim() ?? '') !== '';
  const canCallBack = agentNumber !== undefined && has('DISPATCH_SECRET');
  const canEmail = teamEmail !== undefined && EMAIL.test(teamEmail) && has('SENDGRID_API_KEY') && has('EMAIL_FROM');
  if (!canCallBack && !canEmail) {
    problems.push([
      'error',
      'has Voicemail on, but a message can neither be called back (an agent number and DISPATCH_SECRET) nor emailed (Voicemail Email with SendGrid), so it reaches no one',
      'set DISPATCH_SECRET and a Fallback Transfer Number, or fill Voicemail Email and set SENDGRID_API_KEY and EMAIL_FROM',
    ]);
  }
  if (canCallBack && teamEmail !== undefined && EMAIL.test(teamEmail) && !canEmail) {
    problems.push([
      'warning',
      'has a Voicemail Email, but SENDGRID_API_KEY or EMAIL_FROM is not set, so the team is not emailed about messages',
      'set SENDGRID_API_KEY and EMAIL_FROM (a verified SendGrid sender) in .env',
    ]);
  }
  if (!featuresFromEnv(vars).voicemail) {
    problems.push([
      'warning',
      `has Voicemail on, but the account feature ${FEATURE_FLAGS.voicemail} is off, so it is never offered`,
      `set ${FEATURE_FLAGS.voicemail}=true in .env and deploy again, or uncheck Voicemail`,
    ]);
  }
  return problems;
}

/** At most this many contacts are named; the rest are counted. */
const MAX_CONTACTS_NAMED = 10;

/** Contacts whose Phone or Callback Number is not exact E.164 are never matched to a caller. */
export function checkContacts(contacts: readonly LineRow[]): Finding[] {
  const bad = contacts.flatMap((row) =>
    ['Phone', 'Callback Number'].flatMap((key) => {
      const value = text(row.fields, key);
      return value && !E164.test(value) ? [{ name: text(row.fields, 'Name') ?? row.id, key, value }] : [];
    }),
  );
  const findings = bad.slice(0, MAX_CONTACTS_NAMED).map(
    ({ name, key, value }): Finding => ({
      severity: 'warning',
      area: 'Contacts',
      subject: `contact ${name}`,
      problem: `${key} "${value}" is not E.164, so this caller is not recognised`,
      fix: e164Fix(value),
    }),
  );
  if (bad.length > MAX_CONTACTS_NAMED) {
    findings.push({
      severity: 'warning',
      area: 'Contacts',
      subject: 'Contacts',
      problem: `has ${bad.length - MAX_CONTACTS_NAMED} more number(s) that are not E.164`,
      fix: 'filter the table on Phone and Callback Number and rewrite them as +<country code><number>',
    });
  }
  return findings;
}

/** True when some line switches the path on and the account has the feature. */
function inUse(lines: readonly LineRow[], features: Features, field: string): boolean {
  const path = SWITCHES.find((s) => s.field === field)!;
  return path.on(features) && lines.some((row) => checked(row.fields, field));
}

export function checkSettings(lines: readonly LineRow[], vars: DoctorInput['vars'], features: Features): Finding[] {
  const findings: Finding[] = [];
  const add = (severity: Severity, subject: string, problem: string, fix: string) => findings.push({ severity, area: 'Settings', subject, problem, fix });
  const has = (key: string) => (vars[key]?.trim() ?? '') !== '';

  for (const key of ['ACCOUNT_SID', 'AUTH_TOKEN']) {
    if (!has(key)) {
      add(
        'error',
        key,
        'is not set: the Functions cannot check webhook signatures or use Twilio\'s REST API',
        `copy it from the Twilio Console (Account Info) into .env as ${key}=…`,
      );
    }
  }
  if (has('ACCOUNT_SID') && !/^AC[0-9a-fA-F]{32}$/.test(vars.ACCOUNT_SID!.trim())) {
    add(
      'warning',
      'ACCOUNT_SID',
      'does not look like an account SID (AC + 32 hex characters)',
      'copy it again from the Twilio Console',
    );
  }

  if (inUse(lines, features, 'Email Contact')) {
    if (!has('SENDGRID_API_KEY')) {
      add(
        'error',
        'SENDGRID_API_KEY',
        'is not set, but a line offers email',
        'create a SendGrid API key with Mail Send access and set SENDGRID_API_KEY=SG.… in .env',
      );
    }
    if (!has('EMAIL_FROM')) {
      add(
        'error',
        'EMAIL_FROM',
        'is not set, but a line offers email',
        'set EMAIL_FROM to a sender verified in SendGrid (Settings › Sender Authentication)',
      );
    }
    else if (!EMAIL.test(vars.EMAIL_FROM!.trim())) {
      add(
        'error',
        'EMAIL_FROM',
        `"${vars.EMAIL_FROM}" is not an email address`,
        'set EMAIL_FROM to a sender verified in SendGrid',
      );
    }
  }
  const callbacks = inUse(lines, features, 'Phone Callback') || inUse(lines, features, 'Scheduled Callback');
  if (callbacks && !has('DISPATCH_SECRET')) {
    add(
      'error',
      'DISPATCH_SECRET',
      'is not set, but a line offers callbacks: /jobs/dispatch-callbacks refuses every request, so scheduled callbacks and retries never happen',
      'set DISPATCH_SECRET to a long random string (e.g. `openssl rand -hex 32`) in .env, deploy, and give the same secret to your scheduler',
    );
  }
  if (inUse(lines, features, 'Scheduled Callback') && !has('MESSAGING_SERVICE_SID')) {
    add(
      'warning',
      'MESSAGING_SERVICE_SID',
      'is not set: reminders before scheduled callbacks are sent by the dispatcher instead of Twilio message scheduling',
      'create a Messaging Service with your lines\' numbers in its sender pool and set MESSAGING_SERVICE_SID=MG…',
    );
  }
  if (has('FALLBACK_TRANSFER_NUMBER') && !E164.test(vars.FALLBACK_TRANSFER_NUMBER!.trim())) {
    add('error', 'FALLBACK_TRANSFER_NUMBER', `"${vars.FALLBACK_TRANSFER_NUMBER}" is not E.164`, e164Fix(vars.FALLBACK_TRANSFER_NUMBER!.trim()));
  } else if (!has('FALLBACK_TRANSFER_NUMBER') && inUse(lines, features, 'Live Transfer')) {
    add(
      'warning',
      'FALLBACK_TRANSFER_NUMBER',
      'is not set: while Airtable is unreachable and no line is cached, callers cannot be transferred',
      'set FALLBACK_TRANSFER_NUMBER to your agents\' number (E.164)',
    );
  }
  if (has('DEFAULT_TIMEZONE') && !IANAZone.isValidZone(vars.DEFAULT_TIMEZONE!.trim())) {
    add('error', 'DEFAULT_TIMEZONE', `"${vars.DEFAULT_TIMEZONE}" is not an IANA time zone`, 'use a zone such as America/New_York');
  }
  for (const key of ['AIRTABLE_ENDPOINT_URL', 'TWILIO_API_BASE_URL', 'SENDGRID_API_BASE_URL']) {
    if (has(key)) add('warning', key, `points at ${vars[key]}: for the local sandbox only`, `remove ${key} from .env before \`npm run deploy\``);
  }
  return findings;
}

export function countBySeverity(findings: readonly Finding[]): { errors: number; warnings: number } {
  return { errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length };
}

const AREAS: readonly Area[] = ['Tables and fields', 'Lines', 'Contacts', 'Settings'];
const ALL_CLEAR: Readonly<Record<Area, string>> = {
  'Tables and fields': 'Lines, Contacts, Callbacks and Calls have every field, with the right types',
  Lines: 'every line is complete and consistent',
  Contacts: 'every contact\'s numbers are E.164, so callers are recognised',
  Settings: 'the settings cover what the lines offer',
};

/** The checklist the CLI prints: each area, ✓ when clean, else ✗ (error) / ! (warning) with the fix. */
export function formatChecklist(findings: readonly Finding[], skipped: ReadonlySet<Area> = new Set()): string[] {
  const out: string[] = [];
  for (const area of AREAS) {
    out.push(area);
    const here = findings.filter((f) => f.area === area);
    if (skipped.has(area) && here.length === 0) out.push('  – not checked (see above)');
    else if (here.length === 0) out.push(`  ✓ ${ALL_CLEAR[area]}`);
    for (const f of here) {
      out.push(`  ${f.severity === 'error' ? '✗' : '!'} ${f.subject} ${f.problem}`);
      out.push(`      fix: ${f.fix}`);
    }
  }
  const { errors, warnings } = countBySeverity(findings);
  const summary = errors
    ? `${errors} error(s), ${warnings} warning(s): fix the errors, then run npm run airtable:doctor again.`
    : `No errors${warnings ? `, ${warnings} warning(s)` : ''}.`;
  out.push('', summary);
  return out;
}
