// npm run deploy: what it refuses to deploy and the URLs it prints.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../scripts/deploy';
import { checkDeploy, formatDeployed } from '../../scripts/twilio/deploy-plan';
import { removeScratch, scratchProject } from '../helpers/deploy';

const KEYS = ['ACCOUNT_SID', 'AUTH_TOKEN', 'AIRTABLE_API_KEY', 'AIRTABLE_BASE_ID', 'FEATURE_SMS', 'DISPATCH_SECRET'];
const complete = { ACCOUNT_SID: `AC${'1'.repeat(32)}`, AUTH_TOKEN: 't'.repeat(32), AIRTABLE_API_KEY: 'patX', AIRTABLE_BASE_ID: 'appX' };

test('a complete .env deploys with no flags and no warnings', () => {
  expect(checkDeploy(complete, {}, KEYS)).toEqual({ errors: [], warnings: [] });
});

test('sandbox endpoint overrides in .env are refused: they would be deployed', () => {
  const { errors } = checkDeploy({ ...complete, AIRTABLE_ENDPOINT_URL: 'http://127.0.0.1:3001' }, {}, KEYS);
  expect(errors).toEqual([expect.stringMatching(/^AIRTABLE_ENDPOINT_URL is set in \.env: it is for the local sandbox only/)]);
});

test('settings only in the shell are refused (twilio-run reads .env); the auth token never goes on the command line', () => {
  const check = checkDeploy({}, { ...complete, DISPATCH_SECRET: 's' }, KEYS);
  expect(check.errors).toEqual([
    'AIRTABLE_API_KEY is set in your shell only: twilio-run deploys the variables of .env, so put it there.',
    'AIRTABLE_BASE_ID is set in your shell only: twilio-run deploys the variables of .env, so put it there.',
    "ACCOUNT_SID is set in your shell only: twilio-run reads the account's credentials from .env, so put it there (Console › Account Info).",
    "AUTH_TOKEN is set in your shell only: twilio-run reads the account's credentials from .env, so put it there (Console › Account Info).",
  ]);
  expect(JSON.stringify(check)).not.toContain(complete.AUTH_TOKEN);
  expect(check.warnings).toEqual(['DISPATCH_SECRET set in your shell only: not deployed (twilio-run deploys .env).']);
});

test('an environment over Twilio\'s size limit is refused (82006), and so is a value over 450 bytes', () => {
  const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`NOTE_${i}`, 'x'.repeat(300)]));
  expect(checkDeploy({ ...complete, ...many }, {}, KEYS).errors).toEqual([expect.stringMatching(/^The variables come to \d+ bytes of Function context; Twilio takes 3072 \(error 82006\)/)]);
  expect(checkDeploy({ ...complete, GREETING: 'x'.repeat(451) }, {}, KEYS).errors).toEqual(['GREETING is 451 bytes long: a variable\'s value may be at most 450 bytes. Shorten it.']);
});

test('prints every SPEC entry point on the deployed domain and the numbers:connect commands', () => {
  const lines = formatDeployed({
    domain: 'ivr-escalation-1234-dev.twil.io',
    serviceName: 'ivr-escalation',
    serviceSid: 'ZS123',
    functions: [{ path: '/voice/incoming' }, { path: '/escalate' }],
  });
  const text = lines.join('\n');
  expect(text).toContain('Deployed ivr-escalation (ZS123) to https://ivr-escalation-1234-dev.twil.io');
  for (const entry of ['/voice/incoming', '/escalate', '/events/call-status', '/sms/incoming', '/events/transcript', '/jobs/dispatch-callbacks']) {
    expect(text).toContain(`https://ivr-escalation-1234-dev.twil.io${entry}`);
  }
  expect(text).toMatch(/\/sms\/incoming +\(not in this build\)/);
  expect(text).toContain('npm run numbers:connect -- --url https://ivr-escalation-1234-dev.twil.io --apply');
});

test('the command stops before twilio-run when .env is not fit to deploy', async () => {
  const dir = scratchProject({ files: { '.env': 'AIRTABLE_ENDPOINT_URL=http://127.0.0.1:3001\n' } });
  try {
    await expect(main([], { shell: {}, projectDir: dir, write: () => undefined })).rejects.toThrow(/not deploying:\n {2}✗ AIRTABLE_ENDPOINT_URL is set in \.env/);
  } finally {
    removeScratch(dir);
  }
});

test('outside a project, the command says where to run it', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deploy-'));
  try {
    await expect(main([], { shell: {}, projectDir: dir, write: () => undefined })).rejects.toThrow(/has no package\.json: deploy from the project's folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the rehearsal needs a running sandbox', async () => {
  const dir = scratchProject();
  try {
    await expect(main(['--sandbox'], { shell: {}, projectDir: dir, write: () => undefined })).rejects.toThrow('no sandbox is running: start it with `npm start`');
  } finally {
    removeScratch(dir);
  }
});
