// Operator commands fail in one line that names the setting to fix (issue 14 item 6): the commands are
// run as a user runs them (node --import tsx, a child process) against the emulators with the real clients, and the
// explanations of each service's refusals are checked on the errors the real clients throw.
import RestException from 'twilio/lib/base/RestException';
import { DEMO_BASE_ID, demoBase } from '../../sandbox/demo-data';
import { startAirtableEmulator, type AirtableEmulator } from '../../sandbox/emulators/airtable';
import { startTwilioEmulator, type TwilioEmulator } from '../../sandbox/emulators/twilio';
import { explainDispatchRefusal } from '../../sandbox/dispatch';
import { explainCommandFailure } from '../../scripts/lib/command-failure';
import { CommandError } from '../../scripts/lib/settings';
import { runScript, type ScriptRun } from '../helpers/run-script';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ResponseError = require('@sendgrid/helpers/classes/response-error') as new (response: { status: number; statusText: string; headers: object; data: unknown }) => Error;

const ACCOUNT_SID = 'AC33333333333333333333333333333333';
const AIRTABLE_TOKEN = 'patRightToken';
let airtable: AirtableEmulator;
let twilio: TwilioEmulator;

beforeAll(async () => {
  airtable = await startAirtableEmulator({ seed: demoBase(), apiKey: AIRTABLE_TOKEN });
  twilio = await startTwilioEmulator({ accountSid: ACCOUNT_SID, authToken: 'the-right-token' });
});
afterAll(async () => {
  await airtable.close();
  await twilio.close();
});

/** Runs `npm run <script>`'s file, with only these settings in the shell (no .env is read for them: the shell wins). */
function runCommandLine(file: string, args: string[], shell: Record<string, string>): Promise<ScriptRun> {
  return runScript(file, args, { env: { PATH: process.env.PATH ?? '', ...shell } });
}

const settings = () => ({
  AIRTABLE_API_KEY: AIRTABLE_TOKEN,
  AIRTABLE_BASE_ID: DEMO_BASE_ID,
  AIRTABLE_ENDPOINT_URL: airtable.url,
  ACCOUNT_SID,
  AUTH_TOKEN: 'the-right-token',
  TWILIO_API_BASE_URL: twilio.url,
});

test('numbers:connect with a wrong auth token prints one line naming AUTH_TOKEN and exits 1', async () => {
  const { code, stderr } = await runCommandLine('scripts/numbers-connect.ts', ['--url', 'https://ivr-escalation-1234-dev.twil.io'], { ...settings(), AUTH_TOKEN: 'a-wrong-token' });
  expect(code).toBe(1);
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^numbers:connect: Twilio answered 401 \(error 20003\)/);
  expect(lines[0]).toContain('AUTH_TOKEN is not the auth token of ACCOUNT_SID');
  expect(stderr).not.toContain('a-wrong-token');
});

test('airtable:setup with a wrong token prints one line naming AIRTABLE_API_KEY and exits 1', async () => {
  const { code, stderr } = await runCommandLine('scripts/airtable-setup.ts', [], { ...settings(), AIRTABLE_API_KEY: 'patWrongToken' });
  expect(code).toBe(1);
  const lines = stderr.trim().split('\n');
  expect(lines).toEqual([expect.stringMatching(/^airtable:setup: Airtable answered 401 AUTHENTICATION_REQUIRED.*AIRTABLE_API_KEY is not a valid personal access token/)]);
});

test('numbers:connect pointed at a service that is not there prints one line naming the URL settings', async () => {
  const { code, stderr } = await runCommandLine('scripts/numbers-connect.ts', ['--url', 'https://ivr-escalation-1234-dev.twil.io'], { ...settings(), AIRTABLE_ENDPOINT_URL: 'http://127.0.0.1:9' });
  expect(code).toBe(1);
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^numbers:connect: http:\/\/127\.0\.0\.1:9 could not be reached \(ECONNREFUSED\).*AIRTABLE_ENDPOINT_URL/);
});

describe('each service\'s refusal, as its real client throws it, in one line with the setting to fix', () => {
  const twilioRefusal = (statusCode: number, body: object) => new RestException({ statusCode, body: JSON.stringify(body) });
  const sendGridRefusal = (status: number, message: string) => new ResponseError({ status, statusText: 'Forbidden', headers: {}, data: { errors: [{ message, field: 'from' }] } });

  test.each([
    ['Twilio 20003', twilioRefusal(401, { code: 20003, message: 'Authenticate', status: 401 }), /AUTH_TOKEN is not the auth token of ACCOUNT_SID/],
    ['Twilio 20404', twilioRefusal(404, { code: 20404, message: 'The requested resource was not found', status: 404 }), /ACCOUNT_SID is the account that owns/],
    ['Twilio 20429', twilioRefusal(429, { code: 20429, message: 'Too Many Requests', status: 429 }), /wait a minute/],
    ['SendGrid 401', new ResponseError({ status: 401, statusText: 'Unauthorized', headers: {}, data: { errors: [{ message: 'The provided authorization grant is invalid, expired, or revoked' }] } }), /SENDGRID_API_KEY is not a valid API key/],
    ['SendGrid 403 sender', sendGridRefusal(403, 'The from address does not match a verified Sender Identity.'), /EMAIL_FROM is not a verified sender/],
    ['SendGrid 403 scope', sendGridRefusal(403, 'access forbidden'), /SENDGRID_API_KEY lacks Mail Send access/],
    ['airtable.js 403', Object.assign(new Error('You are not permitted'), { error: 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND', statusCode: 403 }), /give it data\.records:read/],
    ['airtable.js unreachable', Object.assign(new Error('connect ECONNREFUSED'), { error: 'CONNECTION_ERROR', statusCode: null }), /AIRTABLE_ENDPOINT_URL/],
    ['a request with no answer', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', config: { url: 'http://127.0.0.1:9/2010-04-01/Accounts.json' } }), /^http:\/\/127\.0\.0\.1:9 could not be reached \(ECONNREFUSED\).*TWILIO_API_BASE_URL/],
  ])('%s', (_name, error, expected) => {
    const failure = explainCommandFailure(error);
    expect(failure.exitCode).toBe(1);
    expect(failure.line).toMatch(expected);
    expect(failure.line).not.toContain('\n');
  });

  test('a settings problem keeps its own words and exits 2', () => {
    expect(explainCommandFailure(new CommandError('--url is required'))).toEqual({ line: '--url is required', exitCode: 2 });
  });

  test('anything else is one line without a stack trace', () => {
    const error = new TypeError('Cannot read properties of undefined');
    expect(explainCommandFailure(error)).toEqual({ line: 'TypeError: Cannot read properties of undefined (run with DEBUG=1 for the stack trace)', exitCode: 1 });
  });
});

test('npm run dispatch names DISPATCH_SECRET when the dispatcher refuses it, and --url when there is none', () => {
  expect(explainDispatchRefusal(401, 'https://x-dev.twil.io')).toMatch(/refused the secret \(401\): set DISPATCH_SECRET/);
  expect(explainDispatchRefusal(404, 'https://x-dev.twil.io')).toMatch(/check --url/);
  expect(explainDispatchRefusal(200, 'https://x-dev.twil.io')).toBeUndefined();
});
