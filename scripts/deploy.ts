// `npm run deploy [-- <twilio-run deploy flags>]`: after the build, checks that the project is one Twilio's
// platform takes (deploy-preflight.ts) and that .env is fit to be deployed, runs `twilio-run deploy` (a dev
// dependency: no global Twilio CLI needed) and prints the service's URLs with what to point at each. Extra
// flags go to twilio-run, e.g. `-- --production` or `-- --environment=stage`.
//
// `npm run deploy -- --sandbox` rehearses it against the running `npm start`: the same preflight, then the
// same twilio-run deploy, unchanged, sent through the sandbox's proxy to its emulated Serverless API with the
// sandbox's own settings (shell, then .env, then the sandbox's defaults; no .env needed). The project is
// staged in the sandbox's rehearsal folder, so twilio-run's .twiliodeployinfo for the sandbox's account lives
// and dies with the emulated platform instead of going into the project.
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { sandboxEnv } from '../sandbox/sandbox-env';
import { runCommand, stdoutLine, type CommandContext } from './lib/cli';
import { TwilioRunRefusal } from './lib/command-failure';
import { CommandError, PROJECT_DIR, readDotEnv, type Vars } from './lib/settings';
import { checkPlatform, checkVariables, type DeployProject } from './twilio/deploy-preflight';
import { checkDeploy, formatDeployed, uploadedVariables, type DeployResult } from './twilio/deploy-plan';
import { readDeployProject } from './twilio/deploy-project';

/** What a running `npm start` wrote in .sandbox/endpoints.json, the part a rehearsal needs. */
export interface SandboxEndpoints {
  readonly airtable: string;
  readonly twilio: string;
  readonly sendgrid: string;
  readonly serverless: { readonly proxy: string; readonly caFile: string; readonly rehearsalDir: string };
}

export interface DeployContext extends CommandContext {
  /** The sandbox to rehearse against (default: the one .sandbox/endpoints.json describes). */
  readonly sandbox?: SandboxEndpoints;
  /** twilio-run's progress (its standard error; default: this process's). */
  readonly progress?: (text: string) => void;
}

/** What twilio-run reads from a project: the rest of it is not deployed. */
const STAGED = ['package.json', 'package-lock.json', '.twilioserverlessrc', 'dist', 'src'];

interface Run {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Runs twilio-run (this project's copy) and returns its exit code, standard output and standard error (shown as it comes). */
function runTwilioRun(args: readonly string[], run: Run, progress: (text: string) => void): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = path.join(PROJECT_DIR, 'node_modules', 'twilio-run', 'bin', 'twilio-run.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: run.cwd, env: run.env, stdio: ['inherit', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      progress(chunk.toString('utf8'));
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The variables the Functions read: those .env.example documents. */
function documentedKeys(projectDir: string): string[] {
  const file = path.join(projectDir, '.env.example');
  return existsSync(file) ? Object.keys(parseEnv(readFileSync(file, 'utf8'))) : [];
}

function readSandboxEndpoints(projectDir: string): SandboxEndpoints {
  const file = path.join(projectDir, '.sandbox', 'endpoints.json');
  const endpoints = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<SandboxEndpoints>) : {};
  if (!endpoints.serverless) throw new CommandError('no sandbox is running: start it with `npm start` (in another terminal), then rehearse the deploy again.');
  return endpoints as SandboxEndpoints;
}

const longestPath = (project: DeployProject) => [...project.functions, ...project.assets].map((f) => f.path).reduce((a, b) => (b.length > a.length ? b : a), '/');

/** Copies what twilio-run deploys into `dir`, and the settings it uploads as its .env (readable by this user only). */
function stageProject(projectDir: string, dir: string, vars: Readonly<Record<string, string>>): void {
  mkdirSync(dir, { recursive: true });
  for (const name of STAGED) {
    rmSync(path.join(dir, name), { recursive: true, force: true });
    if (existsSync(path.join(projectDir, name))) cpSync(path.join(projectDir, name), path.join(dir, name), { recursive: true });
  }
  const envFile = path.join(dir, '.env');
  writeFileSync(envFile, Object.entries(vars).map(([key, value]) => `${key}=${value}`).join('\n') + '\n', { mode: 0o600 });
  chmodSync(envFile, 0o600);
}

/** The rehearsal's twilio-run: in the staged project, through the sandbox's proxy, trusting its certificate authority only for that. */
async function rehearsal(projectDir: string, shell: Vars, sandbox: SandboxEndpoints, longest: string): Promise<{ errors: string[]; run: Run }> {
  const vars = sandboxEnv(sandbox, readDotEnv(projectDir), shell);
  const errors = checkVariables(uploadedVariables(vars), longest);
  const answered = await fetch(sandbox.serverless.proxy).then(
    () => true,
    () => false,
  );
  if (!answered) errors.push(`The sandbox's Serverless proxy (${sandbox.serverless.proxy}) does not answer: start the sandbox with \`npm start\`.`);
  const cwd = sandbox.serverless.rehearsalDir;
  if (errors.length === 0) stageProject(projectDir, cwd, vars);
  // Region and edge would send twilio-run to other hosts than the two the proxy emulates.
  const { TWILIO_REGION: _region, TWILIO_EDGE: _edge, HTTPS_PROXY: _https, https_proxy: _httpsLower, ...inherited } = process.env;
  return { errors, run: { cwd, env: { ...inherited, HTTP_PROXY: sandbox.serverless.proxy, NODE_EXTRA_CA_CERTS: sandbox.serverless.caFile } } };
}

export async function main(argv: readonly string[], context: DeployContext = {}): Promise<number> {
  const write = context.write ?? stdoutLine;
  const projectDir = context.projectDir ?? PROJECT_DIR;
  const shell = context.shell ?? process.env;
  const isRehearsal = argv.includes('--sandbox');
  const twilioRunArgs = argv.filter((arg) => arg !== '--sandbox');

  const project = readDeployProject(projectDir, twilioRunArgs);
  const errors = checkPlatform(project);
  let run: Run;
  if (isRehearsal) {
    const prepared = await rehearsal(projectDir, shell, context.sandbox ?? readSandboxEndpoints(projectDir), longestPath(project));
    errors.push(...prepared.errors);
    run = prepared.run;
  } else {
    const check = checkDeploy(readDotEnv(projectDir), shell, documentedKeys(projectDir));
    check.warnings.forEach((warning) => write(`! ${warning}`));
    errors.push(...check.errors);
    run = { cwd: projectDir, env: process.env };
  }
  if (errors.length) throw new CommandError(`not deploying:\n${errors.map((e) => `  ✗ ${e}`).join('\n')}`);

  const { code, stdout, stderr } = await runTwilioRun(['deploy', '--output-format', 'json', ...twilioRunArgs], run, context.progress ?? ((text) => void process.stderr.write(text)));
  if (code !== 0) {
    // Twilio's refusal, as the one line that names the setting to fix (runCommand prints it).
    const refusal = TwilioRunRefusal.fromOutput(stderr);
    if (refusal) throw refusal;
    return code;
  }
  let result: DeployResult;
  try {
    result = JSON.parse(stdout.slice(stdout.indexOf('{'))) as DeployResult;
  } catch {
    write(stdout);
    return 0;
  }
  formatDeployed(result, isRehearsal).forEach((line) => write(line));
  return 0;
}

if (require.main === module) runCommand('deploy', () => main(process.argv.slice(2)));
