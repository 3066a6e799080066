// What every command's thin CLI shares: where output goes, and how a failure ends the process.
import Airtable from 'airtable';
import { explainCommandFailure } from './command-failure';
import type { Vars } from './settings';

export interface CommandContext {
  /** Variables as if set in the shell (default process.env). */
  readonly shell?: Vars;
  /** Where .env is read from (default the project). */
  readonly projectDir?: string;
  /** One line of output (default stdout). */
  readonly write?: (line: string) => void;
}

export const stdoutLine = (line: string): void => void process.stdout.write(`${line}\n`);

/** airtable.js for a command: its own retry off (a 429 is reported, not waited on for minutes). */
export function airtableBase(airtable: { apiKey: string; baseId: string; endpointUrl?: string }): Airtable.Base {
  return new Airtable({ apiKey: airtable.apiKey, endpointUrl: airtable.endpointUrl, noRetryIfRateLimited: true, requestTimeout: 15_000 }).base(airtable.baseId);
}

/** Runs a command's main and exits with its code; a failure is one line naming what to fix (see command-failure). */
export function runCommand(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      const failure = explainCommandFailure(error);
      console.error(`${name}: ${failure.line}`);
      if (process.env.DEBUG) console.error(error);
      process.exit(failure.exitCode);
    },
  );
}
