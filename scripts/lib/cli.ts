// What every command's thin CLI shares: where output goes, and how a failure ends the process.
import Airtable from 'airtable';
import { AirtableMetaError, explainAirtableError } from '../airtable/meta-client';
import { CommandError, type Vars } from './settings';

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

function isAirtableError(error: unknown): error is { statusCode: number; error: string; message: string } {
  return typeof error === 'object' && error !== null && typeof (error as { statusCode?: unknown }).statusCode === 'number' && 'error' in error;
}

/** Runs a command's main and exits: 2 for a usage or settings problem, 1 for a failure, else main's code. */
export function runCommand(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof CommandError) console.error(`${name}: ${error.message}`);
      else if (error instanceof AirtableMetaError || isAirtableError(error)) console.error(`${name}: ${explainAirtableError(error)}`);
      else console.error(`${name}:`, error);
      process.exit(error instanceof CommandError ? 2 : 1);
    },
  );
}
