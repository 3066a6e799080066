// Reads the built project the way twilio-run deploys it, for the preflight: package.json's dependencies,
// the runtime (.twilioserverlessrc or --runtime), and every file of the functions and assets folders with
// its URL path (serverless-api's naming: `.protected`/`.private` set the visibility, a Function loses `.js`)
// and the packages it requires.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { CommandError } from '../lib/settings';
import type { Access, DeployFile, DeployProject } from './deploy-preflight';

const REQUIRE_CALL = /\brequire\(\s*(["'])([^"'\n]+)\1\s*\)/g;

/** The module names a built file requires with a literal argument. */
export function requiredModules(source: string): string[] {
  return [...new Set([...source.matchAll(REQUIRE_CALL)].map((m) => m[2]))];
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile() && path.basename(file) !== '.DS_Store');
}

function deployFile(projectDir: string, folder: string, file: string, isFunction: boolean): DeployFile {
  const relative = path.relative(path.join(projectDir, folder), file).split(path.sep).join('/');
  const ext = path.extname(relative);
  let base = path.basename(relative, ext);
  const access: Access = base.endsWith('.protected') ? 'protected' : base.endsWith('.private') ? 'private' : 'public';
  base = base.replace(new RegExp(`\\.${access}$`), '');
  const dir = path.posix.dirname(relative);
  const urlPath = `/${dir === '.' ? '' : `${dir}/`}${base}${isFunction && ext === '.js' ? '' : ext}`.replace(/\s/g, '-');
  const content = readFileSync(file);
  return {
    file: path.relative(projectDir, file).split(path.sep).join('/'),
    path: urlPath,
    access,
    bytes: content.length,
    requires: ext === '.js' ? requiredModules(content.toString('utf8')) : [],
  };
}

/** A `--runtime X` or `--runtime=X` among twilio-run's flags. */
function runtimeFlag(twilioRunArgs: readonly string[]): string | undefined {
  for (let i = 0; i < twilioRunArgs.length; i++) {
    const arg = twilioRunArgs[i];
    if (arg === '--runtime') return twilioRunArgs[i + 1];
    if (arg.startsWith('--runtime=')) return arg.slice('--runtime='.length);
  }
  return undefined;
}

export function readServerlessConfig(projectDir: string): Record<string, unknown> {
  const file = path.join(projectDir, '.twilioserverlessrc');
  return existsSync(file) ? (JSON5.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
}

export function readDeployProject(projectDir: string, twilioRunArgs: readonly string[] = []): DeployProject {
  if (!existsSync(path.join(projectDir, 'package.json'))) throw new CommandError(`${projectDir} has no package.json: deploy from the project's folder.`);
  const pkg = JSON.parse(readFileSync(path.join(projectDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const config = readServerlessConfig(projectDir);
  const functionsFolder = String(config.functionsFolder ?? 'functions');
  const assetsFolder = String(config.assetsFolder ?? 'assets');
  const flag = runtimeFlag(twilioRunArgs);
  const runtime = flag !== undefined ? { value: flag, from: '--runtime' } : typeof config.runtime === 'string' ? { value: config.runtime, from: '.twilioserverlessrc' } : undefined;
  return {
    dependencies: pkg.dependencies ?? {},
    devDependencies: pkg.devDependencies ?? {},
    runtime,
    functions: filesUnder(path.join(projectDir, functionsFolder))
      .filter((file) => file.endsWith('.js'))
      .map((file) => deployFile(projectDir, functionsFolder, file, true)),
    assets: filesUnder(path.join(projectDir, assetsFolder)).map((file) => deployFile(projectDir, assetsFolder, file, false)),
  };
}
