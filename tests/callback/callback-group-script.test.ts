// `npm run call` on a ring-group line (its `main`, in this process: tests/simulator/call-cli.test.ts runs
// the command in a child process): the callback rings the Service Desk's agents one after the other, each
// answering as the script says.
import { DEMO_DESK_AGENTS } from '../../sandbox/demo-data';
import { callCommand } from '../helpers/call-command';

test('the first agent declines, the second does not answer, the third accepts and the customer is connected', async () => {
  const script = 'agent,2,1,@answer,hangup,@no-answer,@answer,1,@accept';
  const run = await callCommand(['--line', 'service-desk', '--from', 'dana', '--hours', 'open', '--script', script]);
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
