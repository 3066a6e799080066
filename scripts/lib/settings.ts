// The settings every command reads, the way the Functions see them in the sandbox: variables set in
// the shell win over the project's .env file. Blank values (a line copied from .env.example) mean unset.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { readConfig } from '../../src/assets/shell/config.private';
import { type Config } from '../../src/assets/core/model.private';

export type Vars = Readonly<Record<string, string | undefined>>;

export const PROJECT_DIR = path.resolve(__dirname, '..', '..');

export interface Settings {
  /** The merged variables, trimmed, blanks removed. */
  readonly vars: Readonly<Record<string, string>>;
  /** Only what the .env file says (what `twilio-run deploy` uploads). */
  readonly fileVars: Readonly<Record<string, string>>;
  readonly config: Config;
}

function nonBlank(vars: Vars): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(vars)) {
    if (value !== undefined && value.trim() !== '') kept[key] = value.trim();
  }
  return kept;
}

export function readDotEnv(projectDir: string = PROJECT_DIR): Record<string, string> {
  const file = path.join(projectDir, '.env');
  return existsSync(file) ? nonBlank(parseEnv(readFileSync(file, 'utf8'))) : {};
}

export function mergeSettings(fileVars: Vars, shellVars: Vars): Settings {
  const file = nonBlank(fileVars);
  const vars = { ...file, ...nonBlank(shellVars) };
  return { vars, fileVars: file, config: readConfig(vars) };
}

/** Shell, then .env. */
export function loadSettings(projectDir: string = PROJECT_DIR, shellVars: Vars = process.env): Settings {
  return mergeSettings(readDotEnv(projectDir), shellVars);
}

/** A usage or settings problem a command reports in one line (exit code 2), not with a stack trace. */
export class CommandError extends Error {}

export function requireAirtable(config: Config): { apiKey: string; baseId: string; endpointUrl?: string } {
  const { apiKey, baseId, endpointUrl } = config.airtable;
  const missing = [!apiKey && 'AIRTABLE_API_KEY', !baseId && 'AIRTABLE_BASE_ID'].filter(Boolean);
  if (missing.length) throw new CommandError(`${missing.join(' and ')} not set: put them in .env (see .env.example) or in your shell`);
  return { apiKey: apiKey!, baseId: baseId!, endpointUrl };
}
