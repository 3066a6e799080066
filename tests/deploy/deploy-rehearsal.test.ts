// The deploy, rehearsed for real: `npm run deploy -- --sandbox`'s code path runs the preflight and the real
// `twilio-run deploy` against the sandbox's emulated Serverless API, then calls are played against the build
// it deployed, served the way the platform serves it. A handler version the platform does not list, a runtime
// it does not run and a package missing from `dependencies` stop in the preflight, before any upload; and the
// emulated API itself refuses the first two when twilio-run is run without the preflight.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../scripts/deploy';
import { explainCommandFailure } from '../../scripts/lib/command-failure';
import { DEMO_AGENT_NUMBER, DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import { PROJECT_DIR } from '../../sandbox/sandbox';
import { SANDBOX_EMAIL_FROM } from '../../sandbox/sandbox-env';
import { call, type CallTarget } from '../../sandbox/simulator';
import { expectCallerNeverStranded, newCallSid, openBase } from '../acceptance/acceptance-kit';
import { removeScratch, sandboxEndpoints, scratchProject, type ScratchChanges } from '../helpers/deploy';
import { useSandbox } from '../helpers/sandbox';

const dataDir = mkdtempSync(path.join(tmpdir(), 'serverless-'));
const sandbox = useSandbox(openBase, {
  resetEachTest: false,
  // Installs are kept with npm start's, keyed by the lock file: only the first run of a lock file pays for `npm ci`.
  serverless: { dataDir, installCacheDir: path.join(PROJECT_DIR, '.sandbox', 'build-cache') },
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** `npm run deploy -- --sandbox` in a copy of the project: its exit code, what it printed and twilio-run's progress. */
async function rehearse(project: string, args: readonly string[] = []): Promise<{ code: number; lines: string[]; progress: string }> {
  const lines: string[] = [];
  let progress = '';
  const code = await main(['--sandbox', ...args], { projectDir: project, shell: {}, sandbox: sandboxEndpoints(sandbox), write: (line) => lines.push(line), progress: (text) => (progress += text) });
  return { code, lines, progress };
}

describe('a rehearsed deploy', () => {
  let project: string;
  let baseUrl: string;
  let target: CallTarget;
  let summary: string;

  beforeAll(async () => {
    project = scratchProject();
    const { code, lines, progress } = await rehearse(project);
    if (code !== 0) throw new Error(`the rehearsal failed:\n${progress}`);
    summary = lines.join('\n');
    baseUrl = /^Deployed ivr-escalation \(ZS[0-9a-f]{32}\) to (http:\/\/localhost:\d+)/m.exec(summary)![1];
    target = { baseUrl, authToken: sandbox.authToken, accountSid: sandbox.accountSid, twilio: sandbox.twilio };
  }, 90_000);
  afterAll(() => removeScratch(project));

  test('prints the summary of a real deploy: every entry point on the deployed domain, then what to try', () => {
    for (const entry of ['/voice/incoming', '/escalate', '/events/call-status', '/sms/incoming', '/events/transcript', '/jobs/dispatch-callbacks']) {
      expect(summary).toContain(`${baseUrl}${entry}`);
    }
    expect(summary).not.toContain('(not in this build)');
    expect(summary).toContain(`npm run call -- --url ${baseUrl}`);
    expect(summary).toContain(`npm run dispatch -- --url ${baseUrl}`);
    expect(sandbox.serverless!.servedUrls()).toEqual([baseUrl]);
  });

  test('the emulated platform holds what twilio-run uploaded: a node22 build with the pinned handler, the sandbox settings as Variables', () => {
    const { builds, environments, variables } = sandbox.serverless!.snapshot();
    const [build] = builds;
    expect(build).toMatchObject({ status: 'completed', runtime: 'node22' });
    expect(build!.dependencies).toContainEqual({ name: '@twilio/runtime-handler', version: '2.0.1' });
    expect(build!.asset_versions).toEqual([expect.objectContaining({ path: '/ivr.js', visibility: 'private' })]);
    expect(environments[0]).toMatchObject({ build_sid: build!.sid, domain_name: baseUrl.replace('http://', ''), domain_suffix: 'dev' });
    const keys = variables.map((v) => v.key);
    expect(keys).toEqual(expect.arrayContaining(['AIRTABLE_BASE_ID', 'AIRTABLE_ENDPOINT_URL', 'TWILIO_API_BASE_URL', 'SENDGRID_API_BASE_URL', 'FEATURE_EMAIL']));
    // twilio-run never uploads the account's credentials: the platform adds them to the context.
    expect(keys).not.toContain('AUTH_TOKEN');
    expect(keys).not.toContain('ACCOUNT_SID');
  });

  test('served as the platform serves it: hashed private asset, only dependencies installed, signatures checked', async () => {
    const build = sandbox.serverless!.snapshot().builds[0]!;
    const buildDir = path.join(dataDir, 'builds', build.sid);
    const asset = build.asset_versions[0]!;
    expect(readdirSync(path.join(buildDir, 'files'))).toEqual([asset.sid]);
    expect(existsSync(path.join(buildDir, 'node_modules', 'luxon'))).toBe(true);
    expect(existsSync(path.join(buildDir, 'node_modules', 'twilio-run'))).toBe(false);
    expect(existsSync(path.join(buildDir, 'node_modules', 'jest'))).toBe(false);
    expect((await fetch(`${baseUrl}/ivr.js`)).ok).toBe(false);
    expect((await fetch(`${baseUrl}/voice/incoming`, { method: 'POST' })).status).toBe(401);
  });

  test('a bridged transfer: whisper to the agent, then the two are connected', async () => {
    const record = await call(target, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana, callSid: newCallSid(), path: `/escalate?Reason=${encodeURIComponent('Refund for order 1234')}` })
      .expectSay('Hi Dana')
      .press('1')
      .expectSay('This call may be recorded for quality and training.')
      .expectDial(DEMO_AGENT_NUMBER)
      .agent({ answer: 'accept' })
      .expectWhisper('Support')
      .expectWhisper('Refund for order 1234')
      .expectEnd('party');
    expectCallerNeverStranded(record);
  });

  test('a text from the line\'s number to the caller', async () => {
    const record = await call(target, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana }).press('0').press('4').expectSay(/ending in 0142/).press('1').expectSay(/sent/i).expectHangup();
    expectCallerNeverStranded(record);
    const texts = sandbox.twilio.messages().map((m) => m.resource);
    expect(texts).toEqual([expect.objectContaining({ from: DEMO_LINES.support, to: DEMO_CALLERS.dana })]);
    await sandbox.twilio.messagesSettled();
  });

  test('an email from EMAIL_FROM to the address on file, with a case number', async () => {
    const record = await call(target, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana }).press('0').press('5').expectSay(/email/i).expectSay(/case number/i).hangup();
    expectCallerNeverStranded(record);
    expect(sandbox.sendgrid.mails()).toEqual([expect.objectContaining({ from: SANDBOX_EMAIL_FROM, to: ['dana@example.com'] })]);
  });
});

const handler210: ScratchChanges = { packageJson: (pkg) => void (pkg.dependencies['@twilio/runtime-handler'] = '2.1.0') };

describe('the preflight stops a deploy the platform would refuse, before any upload', () => {
  test.each<[string, ScratchChanges, RegExp]>([
    ['the handler version 2.1.0', handler210, /@twilio\/runtime-handler 2\.1\.0 is not a version Twilio's platform lists .* error 20001\. Pin one it lists and npm has: npm install --save-exact @twilio\/runtime-handler@2\.0\.1/],
    ['the runtime node18', { runtime: 'node18' }, /The runtime "node18" \(\.twilioserverlessrc\) is not one Twilio's platform accepts \(node22, node24\); its build would fail with error 82007.*Fix: set "runtime": "node22" in \.twilioserverlessrc/],
    [
      'a package the build requires but dependencies lack',
      { packageJson: (pkg) => void delete pkg.dependencies.luxon },
      /dist\/assets\/ivr\.private\.js requires luxon, which is not in package\.json's dependencies: the platform installs dependencies only\. Fix: npm install --save-prod luxon/,
    ],
  ])('%s', async (_name, changes, message) => {
    const project = scratchProject(changes);
    const before = sandbox.serverless!.snapshot().services.length;
    try {
      await expect(rehearse(project)).rejects.toThrow(message);
      expect(sandbox.serverless!.snapshot().services).toHaveLength(before);
    } finally {
      removeScratch(project);
    }
  });
});

test('credentials Twilio refuses (20003): one line that names ACCOUNT_SID and AUTH_TOKEN, nothing deployed', async () => {
  const project = scratchProject();
  const before = sandbox.serverless!.snapshot().services.length;
  try {
    const failure = await main(['--sandbox'], { projectDir: project, shell: { AUTH_TOKEN: 'f'.repeat(32) }, sandbox: sandboxEndpoints(sandbox), write: () => {}, progress: () => {} }).then(
      () => undefined,
      (error: unknown) => explainCommandFailure(error),
    );
    expect(failure).toEqual({ exitCode: 1, line: expect.stringMatching(/^Twilio refused the request \(error 20003\): Authenticate\. AUTH_TOKEN is not the auth token of ACCOUNT_SID/) });
    expect(sandbox.serverless!.snapshot().services).toHaveLength(before);
  } finally {
    removeScratch(project);
  }
}, 60_000);

describe('the emulated API refuses on its own when the preflight is bypassed (twilio-run alone)', () => {
  /** `twilio-run deploy` in a copy of the project, straight to the sandbox's proxy. */
  function twilioRunDeploy(project: string, args: readonly string[]): Promise<{ code: number; output: string }> {
    const endpoints = sandboxEndpoints(sandbox);
    writeFileSync(path.join(project, '.env'), `ACCOUNT_SID=${sandbox.accountSid}\nAUTH_TOKEN=${sandbox.authToken}\n`);
    const bin = path.join(PROJECT_DIR, 'node_modules', 'twilio-run', 'bin', 'twilio-run.js');
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, 'deploy', ...args], {
        cwd: project,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, HTTP_PROXY: endpoints.serverless.proxy, NODE_EXTRA_CA_CERTS: endpoints.serverless.caFile, FORCE_COLOR: '0' },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.on('close', (code) => resolve({ code: code ?? 1, output }));
    });
  }

  test.each<[string, ScratchChanges, string[], RegExp]>([
    ['handler 2.1.0: 20001', handler210, ['--service-name', 'bypass-handler'], /20001 Some dependencies could not be validated\. No matching version found for @twilio\/runtime-handler@2\.1\.0\./],
    ['runtime node18: 82007', {}, ['--service-name', 'bypass-runtime', '--runtime', 'node18'], /82007 Unsupported Runtime: node18/],
  ])('%s', async (_name, changes, args, refusal) => {
    const project = scratchProject(changes);
    try {
      const { code, output } = await twilioRunDeploy(project, args);
      // twilio-run's error box, unwrapped: "│ ERROR Failed API Request 20001 │ │ Some dependencies…".
      expect(output.replace(/[│\s]+/g, ' ')).toMatch(refusal);
      expect(code).not.toBe(0);
    } finally {
      removeScratch(project);
    }
  }, 30_000);
});
