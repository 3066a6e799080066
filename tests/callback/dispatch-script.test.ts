// `npm run dispatch`: its options, and one run against a sandbox.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_CALLERS, DEMO_DESK_AGENTS, DEMO_LINES, demoBaseWithHours } from '../../sandbox/demo-data';
import { answerPlacedCalls, dispatchOnce, parseDispatchArgs } from '../../sandbox/dispatch';
import { startSandbox } from '../../sandbox/sandbox';
import { SANDBOX_DISPATCH_SECRET } from '../../sandbox/sandbox-env';
import { addCallbacks, callbackRows, minutesAgo } from '../helpers/callbacks';
import { FLOW_TEST_ENV } from '../helpers/sandbox';

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
  expect(parseDispatchArgs(['--answer', '@answer,1,@voicemail'], {}, dir).answer).toEqual(['@answer', '1', '@voicemail']);
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

test('--answer plays a ring group\'s next agents too, with the rest of the script: the first declines, the second accepts', async () => {
  const sandbox = await startSandbox({ seed: demoBaseWithHours('open'), env: FLOW_TEST_ENV });
  try {
    await addCallbacks(sandbox, [{ Line: DEMO_LINES.serviceDesk, Phone: DEMO_CALLERS.dana, Kind: 'Scheduled', Status: 'Booked', Attempts: 0, 'Scheduled For': minutesAgo(1) }]);
    const answer = await dispatchOnce({ url: sandbox.baseUrl, secret: SANDBOX_DISPATCH_SECRET });
    const sids = (JSON.parse(answer.body) as { dialled: { callSid: string }[] }).dialled.map((d) => d.callSid);
    const lines: string[] = [];
    const endpoints = { twilio: sandbox.twilio.url, airtable: sandbox.airtable.url, sendgrid: sandbox.sendgrid.url };
    await answerPlacedCalls(endpoints, sids, ['@answer', 'hangup', '@answer', '1', '@accept'], (line) => lines.push(line.trim()));
    expect(lines).toEqual(
      expect.arrayContaining([
        `The dispatcher's call ${DEMO_DESK_AGENTS[0]} from ${DEMO_LINES.serviceDesk}: answer`,
        `The next agent's call ${DEMO_DESK_AGENTS[1]} from ${DEMO_LINES.serviceDesk}: answer`,
        'callee presses 1',
      ]),
    );
    expect(lines.join('\n')).not.toContain(DEMO_DESK_AGENTS[2]);
    expect(callbackRows(sandbox)[0]!.fields).toMatchObject({ Status: 'Connected', Attempts: 1 });
  } finally {
    await sandbox.close();
  }
});
