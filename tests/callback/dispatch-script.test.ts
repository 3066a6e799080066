// `npm run dispatch`: its options, and one run against a sandbox.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoBaseWithHours } from '../../sandbox/demo-data';
import { dispatchOnce, parseDispatchArgs } from '../../sandbox/dispatch';
import { startSandbox } from '../../sandbox/sandbox';
import { SANDBOX_DISPATCH_SECRET } from '../../sandbox/sandbox-env';

function projectWith(endpoints?: Record<string, string>, dotEnv?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dispatch-'));
  if (endpoints) {
    mkdirSync(path.join(dir, '.sandbox'));
    writeFileSync(path.join(dir, '.sandbox', 'endpoints.json'), JSON.stringify(endpoints));
  }
  if (dotEnv) writeFileSync(path.join(dir, '.env'), dotEnv);
  return dir;
}

test('finds the running sandbox and its development secret; --every sets the period', () => {
  const dir = projectWith({ functions: 'http://localhost:3000' });
  expect(parseDispatchArgs([], {}, dir)).toEqual({ url: 'http://localhost:3000', secret: SANDBOX_DISPATCH_SECRET, everySeconds: undefined });
  expect(parseDispatchArgs(['--every', '60'], {}, dir).everySeconds).toBe(60);
});

test('the shell wins over .env for the secret; --url wins over the sandbox file', () => {
  const dir = projectWith({ functions: 'http://localhost:3000' }, 'DISPATCH_SECRET=from-dotenv\n');
  expect(parseDispatchArgs([], {}, dir).secret).toBe('from-dotenv');
  expect(parseDispatchArgs(['--url', 'https://x.twil.io/'], { DISPATCH_SECRET: 'from-shell' }, dir)).toMatchObject({ url: 'https://x.twil.io', secret: 'from-shell' });
});

test.each([
  [['--every', '0'], /--every takes a number of seconds/],
  [['--every', 'soon'], /--every takes a number of seconds/],
  [[], /No sandbox is running/],
])('%j is refused with a clear message', (argv, message) => {
  expect(() => parseDispatchArgs(argv, {}, projectWith())).toThrow(message);
});

test('one run against a sandbox answers the dispatcher\'s JSON', async () => {
  const sandbox = await startSandbox({ seed: demoBaseWithHours('open') });
  try {
    const answer = await dispatchOnce({ url: sandbox.baseUrl, secret: SANDBOX_DISPATCH_SECRET });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ dialled: [], skipped: [], left: 0, errors: [] });
  } finally {
    await sandbox.close();
  }
});
