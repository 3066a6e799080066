// `npm run deploy [-- <twilio-run deploy flags>]`: after the build, checks that .env is fit to be
// deployed, runs `twilio-run deploy` (a dev dependency: no global Twilio CLI needed) and prints the
// service's URLs with what to point at each. Extra flags go to twilio-run, e.g. `-- --production`
// or `-- --environment=stage`.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { runCommand, stdoutLine, type CommandContext } from './lib/cli';
import { CommandError, PROJECT_DIR, readDotEnv } from './lib/settings';
import { checkDeploy, formatDeployed, type DeployResult } from './twilio/deploy-plan';

/** Runs twilio-run and returns its exit code and standard output (its progress goes to stderr as it comes). */
function runTwilioRun(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string }> {
  const bin = path.join(cwd, 'node_modules', 'twilio-run', 'bin', 'twilio-run.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['inherit', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout }));
  });
}

/** The variables the Functions read: those .env.example documents. */
function documentedKeys(projectDir: string): string[] {
  const file = path.join(projectDir, '.env.example');
  return existsSync(file) ? Object.keys(parseEnv(readFileSync(file, 'utf8'))) : [];
}

export async function main(argv: readonly string[], context: CommandContext = {}): Promise<number> {
  const write = context.write ?? stdoutLine;
  const projectDir = context.projectDir ?? PROJECT_DIR;
  const check = checkDeploy(readDotEnv(projectDir), context.shell ?? process.env, documentedKeys(projectDir));
  check.warnings.forEach((warning) => write(`! ${warning}`));
  if (check.errors.length) throw new CommandError(`not deploying:\n${check.errors.map((e) => `  ✗ ${e}`).join('\n')}`);

  const { code, stdout } = await runTwilioRun(['deploy', '--output-format', 'json', ...argv], projectDir);
  if (code !== 0) return code;
  let result: DeployResult;
  try {
    result = JSON.parse(stdout.slice(stdout.indexOf('{'))) as DeployResult;
  } catch {
    write(stdout);
    return 0;
  }
  formatDeployed(result).forEach((line) => write(line));
  return 0;
}

if (require.main === module) runCommand('deploy', () => main(process.argv.slice(2)));
