// One sandbox for a test file (or a describe block): started before its tests, closed after them, and
// put back to the seed before each test, so that no test sees what another one left behind.
import { demoBase, type DemoBase } from '../../sandbox/demo-data';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/sandbox';

/**
 * Set on every sandbox of `useSandbox` (the test's own `env` wins): the dispatcher's claim settles in
 * 0.5 s instead of 2 s, since the emulated Airtable answers a read and a write in milliseconds, so a
 * dispatcher run does not wait for nothing. Tests of runs racing each other set the production value.
 */
export const FLOW_TEST_ENV: Readonly<Record<string, string>> = { DISPATCH_SETTLE_SECONDS: '0.5' };

export interface UseSandboxOptions extends Omit<SandboxOptions, 'seed'> {
  /** Call `resetSandbox` before each test (default true). `false` where the tests build on one another. */
  readonly resetEachTest?: boolean;
}

/**
 * The base back to `seed`; no Airtable faults, rate limit or request counts; Twilio's and SendGrid's
 * resources, faults and request logs forgotten, and no Twilio recipient rules (opted out, landline...).
 * Callbacks still on their way (message statuses, transcripts) land first, so they cannot write into
 * the next test's base.
 */
export async function resetSandbox(sandbox: Sandbox, seed: DemoBase): Promise<void> {
  await sandbox.twilio.messagesSettled();
  await sandbox.twilio.callbacksSettled();
  sandbox.airtable.reset(seed);
  sandbox.airtable.faults.clear();
  sandbox.airtable.stats.reset();
  sandbox.twilio.reset();
  for (const numbers of Object.values(sandbox.twilio.recipients)) numbers.clear();
  sandbox.sendgrid.reset();
}

/**
 * Registers the hooks that run a sandbox seeded with `seed()` and returns it. The sandbox only exists
 * from beforeAll on, so what is returned stands for it: use it inside tests and hooks.
 */
export function useSandbox(seed: () => DemoBase = demoBase, options: UseSandboxOptions = {}): Sandbox {
  const { resetEachTest = true, ...sandboxOptions } = options;
  let started: Sandbox | undefined;
  const current = (): Sandbox => {
    if (!started) throw new Error('the sandbox starts in beforeAll: use it inside tests and hooks');
    return started;
  };
  beforeAll(async () => {
    started = await startSandbox({ ...sandboxOptions, env: { ...FLOW_TEST_ENV, ...sandboxOptions.env }, seed: seed() });
  });
  afterAll(async () => {
    await started?.twilio.messagesSettled();
    await started?.twilio.callbacksSettled();
    await started?.close();
    started = undefined;
  });
  if (resetEachTest) beforeEach(() => resetSandbox(current(), seed()));
  return {
    get baseUrl() {
      return current().baseUrl;
    },
    get port() {
      return current().port;
    },
    get accountSid() {
      return current().accountSid;
    },
    get authToken() {
      return current().authToken;
    },
    get env() {
      return current().env;
    },
    get airtable() {
      return current().airtable;
    },
    get twilio() {
      return current().twilio;
    },
    get sendgrid() {
      return current().sendgrid;
    },
    get serverless() {
      return current().serverless;
    },
    post: (...args) => current().post(...args),
    postJson: (...args) => current().postJson(...args),
    close: () => current().close(),
  };
}
