// The README's deploy guide works top to bottom: every command in it that can run without Twilio's or
// Airtable's servers is run here, word for word, against the sandbox (an empty Airtable base, the Twilio
// emulator owning the demo lines' numbers). The others are listed, so a new command cannot slip by.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEMO_LINES } from '../sandbox/demo-data';
import { PROJECT_DIR, SANDBOX_SPARE_NUMBER, SERVERLESS_PORT_OFFSETS } from '../sandbox/sandbox';
import { useSandbox } from './helpers/sandbox';

const run = promisify(execFile);
const readme = readFileSync(path.join(PROJECT_DIR, 'README.md'), 'utf8');
const guide = readme.slice(readme.indexOf('## From clone to a live number'), readme.indexOf('\n## ', readme.indexOf('## From clone to a live number') + 3));

/** The shell commands of the guide's ```sh blocks, in order. */
const commands = [...guide.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));

/** Commands that need the network or a Twilio account: cloning, installing, deploying. */
const ONLINE = ['git clone <this repository> ivr-escalation && cd ivr-escalation', 'npm ci', 'npm run deploy'];
const SERVICE = 'https://ivr-escalation-1234-dev.twil.io';
/** The deployed build's URL of a rehearsal against `npm start` on its default port. */
const REHEARSED = `http://localhost:${3000 + SERVERLESS_PORT_OFFSETS.firstDomain}`;
/**
 * The rehearsal: a deploy to a running `npm start` and a call to the build it deployed, played through the
 * same code by tests/deploy/deploy-rehearsal.test.ts (which cannot share this machine's `npm start`).
 */
const REHEARSAL = [
  'npm ci && npm start',
  'npm run deploy -- --sandbox',
  'npm run sandbox:reset -- --hours open',
  `npm run call -- --url ${REHEARSED} --line support --from dana --script "agent,1,@accept"`,
];

test('every command of the guide is run by this test, rehearsed by the deploy test, or needs the network', () => {
  expect(commands.filter((c) => REHEARSAL.includes(c))).toEqual(REHEARSAL);
  expect(commands.filter((c) => !ONLINE.includes(c) && !REHEARSAL.includes(c))).toEqual([
    'cp .env.example .env',
    'npm run airtable:setup',
    'npm run airtable:setup -- --demo',
    'npm run airtable:doctor',
    `npm run numbers:connect -- --url ${SERVICE}`,
    `npm run numbers:connect -- --url ${SERVICE} --apply`,
  ]);
  expect(commands.filter((c) => ONLINE.includes(c))).toEqual(ONLINE);
});

test('cp .env.example .env gives a .env every command reads', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'readme-'));
  try {
    copyFileSync(path.join(PROJECT_DIR, '.env.example'), path.join(dir, '.env.example'));
    await run('sh', ['-c', 'cp .env.example .env'], { cwd: dir });
    expect(readFileSync(path.join(dir, '.env'), 'utf8')).toContain('AIRTABLE_BASE_ID=');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('against the sandbox, in the guide\'s order', () => {
  // An empty base the guide's commands build step by step: no reset between them.
  const sandbox = useSandbox(() => ({}), { airtableSchema: [], resetEachTest: false });
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    // The sandbox's settings in the shell, which win over any .env in the working tree.
    env = { ...process.env, ...sandbox.env, FORCE_COLOR: '0' };
  });

  /** Runs a guide command word for word; resolves with its exit code and output. */
  async function guideCommand(command: string): Promise<{ code: number; out: string }> {
    expect(commands).toContain(command);
    try {
      const { stdout, stderr } = await run('sh', ['-c', command], { cwd: PROJECT_DIR, env, timeout: 60_000 });
      return { code: 0, out: stdout + stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, out: failed.stdout + failed.stderr };
    }
  }

  test('3. airtable:setup creates the tables, --demo adds the demo rows, the doctor passes', async () => {
    const setup = await guideCommand('npm run airtable:setup');
    expect(setup.out).toContain('+ created table Lines with 31 fields');
    expect(setup.code).toBe(0);
    const demo = await guideCommand('npm run airtable:setup -- --demo');
    expect(demo.out).toContain('+ added 4 demo row(s) to Lines');
    expect(demo.out).not.toContain('+ created table');
    const doctor = await guideCommand('npm run airtable:doctor');
    expect(doctor.out).toContain('✓ Lines, Contacts, Callbacks and Calls have every field, with the right types');
    expect(doctor.code).toBe(0);
  }, 60_000);

  test('5. numbers:connect prints the plan, then --apply connects exactly the lines\' numbers', async () => {
    const dry = await guideCommand(`npm run numbers:connect -- --url ${SERVICE}`);
    expect(dry.out).toContain(`~ would update ${DEMO_LINES.sales}`);
    expect(dry.code).toBe(0);
    expect(sandbox.twilio.incomingNumbers().flatMap((n) => n.updates)).toEqual([]);

    const apply = await guideCommand(`npm run numbers:connect -- --url ${SERVICE} --apply`);
    expect(apply.code).toBe(0);
    const numbers = sandbox.twilio.incomingNumbers();
    for (const line of Object.values(DEMO_LINES)) {
      expect(numbers.find((n) => n.resource.phone_number === line)!.resource).toMatchObject({
        voice_url: `${SERVICE}/voice/incoming`,
        status_callback: `${SERVICE}/events/call-status`,
        sms_url: `${SERVICE}/sms/incoming`,
      });
    }
    expect(numbers.find((n) => n.resource.phone_number === SANDBOX_SPARE_NUMBER)!.updates).toEqual([]);
  }, 60_000);

  // The cron example calls the deployed dispatcher; with the dispatcher built, it runs against the sandbox.
  const dispatcherBuilt = existsSync(path.join(PROJECT_DIR, 'dist', 'functions', 'jobs', 'dispatch-callbacks.js'));
  (dispatcherBuilt ? test : test.skip)('8. the cron line reaches the dispatcher with its bearer secret', async () => {
    const cron = /^\* \* \* \* \* (curl .*) > \/dev\/null$/m.exec(guide)![1].replace(SERVICE, sandbox.baseUrl);
    await run('sh', ['-c', cron], { env: { ...env, DISPATCH_SECRET: sandbox.env.DISPATCH_SECRET }, timeout: 20_000 });
  });
});

test('the cron example sends the dispatcher its bearer secret every minute', () => {
  expect(guide).toMatch(/^\* \* \* \* \* curl -fsS -X POST -H "Authorization: Bearer \$DISPATCH_SECRET" https:\/\/\S+\/jobs\/dispatch-callbacks/m);
});

test('the guide has a Mermaid diagram of the call flow through the SPEC entry points', () => {
  const diagram = /```mermaid\n([\s\S]*?)```/.exec(guide)?.[1] ?? '';
  expect(diagram).toMatch(/^flowchart /);
  for (const entry of ['/voice/incoming', '/escalate', '/escalate/choice', '/events/call-status', '/events/transcript', '/jobs/dispatch-callbacks']) expect(diagram).toContain(entry);
});

test('troubleshooting covers the errors users meet', () => {
  const troubleshooting = guide.slice(guide.indexOf('### Troubleshooting'));
  for (const error of ['13801', '21610', '21614', 'Airtable **401**', 'Airtable **403**', 'Airtable **422**', 'Airtable **429**', 'SendGrid **403**']) expect(troubleshooting).toContain(error);
});
