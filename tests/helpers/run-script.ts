// Runs one of the project's command-line scripts in a child process, the way its `npm run` script does
// (`node --import tsx <file>`), without npm in between: its exit code and what it printed.
import { execFile } from 'node:child_process';
import { PROJECT_DIR } from '../../sandbox/sandbox';

export interface ScriptRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunScriptOptions {
  /** The whole environment of the child (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

export function runScript(file: string, args: readonly string[], options: RunScriptOptions = {}): Promise<ScriptRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', file, ...args],
      { cwd: PROJECT_DIR, env: options.env ?? process.env, timeout: options.timeoutMs ?? 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
