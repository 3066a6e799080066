// `npm run call` on a ring-group line, in a child process as a user runs it: the callback rings the
// Service Desk's agents one after the other, each answering as the script says.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { DEMO_DESK_AGENTS } from '../../sandbox/demo-data';
import { PROJECT_DIR } from '../../sandbox/sandbox';

const TSX = path.join(PROJECT_DIR, 'node_modules', '.bin', 'tsx');

function npmRunCall(args: readonly string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['sandbox/call.ts', ...args], { cwd: PROJECT_DIR, timeout: 60_000 }, (error, stdout) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout });
    });
  });
}

test('the first agent declines, the second does not answer, the third accepts and the customer is connected', async () => {
  const script = 'agent,2,1,@answer,hangup,@no-answer,@answer,1,@accept';
  const run = await npmRunCall(['--line', 'service-desk', '--from', 'dana', '--hours', 'open', '--script', script]);
  expect(run.code).toBe(0);
  const placed = [...run.stdout.matchAll(/^The application calls (\+\d+) from \+12025550160: (\S+)$/gm)].map((m) => [m[1], m[2]]);
  expect(placed).toEqual([
    [DEMO_DESK_AGENTS[0], 'answer'],
    [DEMO_DESK_AGENTS[1], 'no-answer'],
    [DEMO_DESK_AGENTS[2], 'answer'],
  ]);
  expect(run.stdout).toContain('dial ended: completed, bridged');
  expect(run.stdout).toMatch(/Airtable Callbacks: new row rec\w+ .*Status=Connected, Attempts=1/);
  expect(run.stdout).not.toContain('unused script tokens');
});
