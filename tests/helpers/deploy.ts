// Scratch copies of the built project for deploy tests (a wrong handler version, runtime or dependency
// without touching the real one), and the sandbox endpoints `npm run deploy -- --sandbox` is given.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SandboxEndpoints } from '../../scripts/deploy';
import { PROJECT_DIR, type Sandbox } from '../../sandbox/sandbox';

/** What a deploy reads of a project (its node_modules stay in the real one). */
const PROJECT_FILES = ['package.json', 'package-lock.json', '.twilioserverlessrc', '.env.example', 'dist', 'src'];

export interface ScratchChanges {
  readonly packageJson?: (pkg: { dependencies: Record<string, string>; devDependencies: Record<string, string> }) => void;
  /** Replaces `"runtime": "node22"` in .twilioserverlessrc. */
  readonly runtime?: string;
  /** Files written into the copy (path relative to it → content). */
  readonly files?: Readonly<Record<string, string>>;
}

/** A copy of the built project with `changes`; removed by `removeScratch`. */
export function scratchProject(changes: ScratchChanges = {}): string {
  if (!existsSync(path.join(PROJECT_DIR, 'dist', 'functions'))) throw new Error('the project is not built: run `npm run build` first');
  const dir = mkdtempSync(path.join(tmpdir(), 'deploy-scratch-'));
  for (const name of PROJECT_FILES) cpSync(path.join(PROJECT_DIR, name), path.join(dir, name), { recursive: true });
  if (changes.packageJson) {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    changes.packageJson(pkg);
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  }
  if (changes.runtime) {
    const rc = path.join(dir, '.twilioserverlessrc');
    writeFileSync(rc, readFileSync(rc, 'utf8').replace('"runtime": "node22"', `"runtime": "${changes.runtime}"`));
  }
  for (const [file, content] of Object.entries(changes.files ?? {})) writeFileSync(path.join(dir, file), content);
  return dir;
}

export const removeScratch = (dir: string): void => rmSync(dir, { recursive: true, force: true });

/** The endpoints of an in-process sandbox started with `serverless`, as .sandbox/endpoints.json gives them. */
export function sandboxEndpoints(sandbox: Sandbox): SandboxEndpoints {
  const serverless = sandbox.serverless;
  if (!serverless) throw new Error('start the sandbox with `serverless` options');
  return {
    airtable: sandbox.airtable.url,
    twilio: sandbox.twilio.url,
    sendgrid: sandbox.sendgrid.url,
    serverless: { proxy: serverless.proxyUrl, caFile: serverless.caFile, rehearsalDir: serverless.rehearsalDir },
  };
}
