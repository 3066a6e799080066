// `npm run call` run by its `main` in the test's process: what the options do, without a second start of
// node and tsx (tests/simulator/call-cli.test.ts runs the command itself in a child process).
import { main } from '../../sandbox/call';

/** `npm run call -- <args>`: its exit code and what it printed, with `shell` added to this process's variables. */
export async function callCommand(args: readonly string[], shell: Record<string, string> = {}): Promise<{ code: number; stdout: string }> {
  const lines: string[] = [];
  const code = await main(args, { write: (line) => lines.push(line), shell: { ...process.env, ...shell } });
  return { code, stdout: lines.map((line) => `${line}\n`).join('') };
}
