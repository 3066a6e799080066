// The deploy preflight: what Twilio's platform would refuse in the built project, found before anything is
// uploaded, each with its fix. Pure: deploy-project.ts reads the project, platform-rules.ts holds the rules.
import { isBuiltin } from 'node:module';
import {
  ACCEPTED_RUNTIMES,
  compareVersions,
  DEFAULT_RUNTIME,
  HANDLER_PAGE,
  isAcceptedRuntime,
  isExactVersion,
  isListedHandler,
  LIMITS,
  NODE24_MIN_HANDLER,
  pathProblem,
  RECOMMENDED_HANDLER_VERSION,
  RUNTIME_ERROR_PAGE,
  RUNTIME_HANDLER_PACKAGE,
} from './platform-rules';

export type Access = 'public' | 'protected' | 'private';

/** A built file twilio-run would upload: its URL path, visibility, size and the packages it requires. */
export interface DeployFile {
  /** Where it is in the project, for messages (dist/functions/escalate.protected.js). */
  readonly file: string;
  readonly path: string;
  readonly access: Access;
  readonly bytes: number;
  /** The module names of its `require("…")` calls with a literal argument. */
  readonly requires: readonly string[];
}

export interface DeployProject {
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
  /** The Build's runtime, and where it was set (`.twilioserverlessrc` or `--runtime`); undefined when nowhere. */
  readonly runtime?: { readonly value: string; readonly from: string };
  readonly functions: readonly DeployFile[];
  readonly assets: readonly DeployFile[];
}

/** The package a module name belongs to (`@scope/name/x` → `@scope/name`), or undefined for built-ins and files. */
export function packageOf(moduleName: string): string | undefined {
  if (moduleName.startsWith('.') || moduleName.startsWith('/') || isBuiltin(moduleName)) return undefined;
  const parts = moduleName.split('/');
  return moduleName.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const INSTALL_HANDLER = `npm install --save-exact ${RUNTIME_HANDLER_PACKAGE}@${RECOMMENDED_HANDLER_VERSION}`;

function handlerProblems(project: DeployProject): string[] {
  const declared = project.dependencies[RUNTIME_HANDLER_PACKAGE];
  if (declared === undefined) {
    return [`${RUNTIME_HANDLER_PACKAGE} is not in package.json's dependencies: the platform would pick a handler for you. Pin one it lists: ${INSTALL_HANDLER}`];
  }
  if (!isExactVersion(declared)) {
    return [`${RUNTIME_HANDLER_PACKAGE} is "${declared}" in package.json: the platform takes an exact version, not a range. Pin one: ${INSTALL_HANDLER}`];
  }
  if (!isListedHandler(declared)) {
    return [
      `${RUNTIME_HANDLER_PACKAGE} ${declared} is not a version Twilio's platform lists (${HANDLER_PAGE}); its build would fail with error 20001. Pin one it lists and npm has: ${INSTALL_HANDLER}`,
    ];
  }
  return [];
}

function runtimeProblems(project: DeployProject): string[] {
  const runtime = project.runtime;
  const fix = `set "runtime": "${DEFAULT_RUNTIME}" in .twilioserverlessrc`;
  if (!runtime) return [`No runtime is set: the build would inherit the service's last runtime, which may be one the platform no longer accepts (error 82007). ${fix[0].toUpperCase()}${fix.slice(1)}.`];
  if (!isAcceptedRuntime(runtime.value)) {
    return [`The runtime "${runtime.value}" (${runtime.from}) is not one Twilio's platform accepts (${ACCEPTED_RUNTIMES.join(', ')}); its build would fail with error 82007 (${RUNTIME_ERROR_PAGE}). Fix: ${fix}.`];
  }
  const handler = project.dependencies[RUNTIME_HANDLER_PACKAGE];
  if (runtime.value === 'node24' && handler && isExactVersion(handler) && compareVersions(handler, NODE24_MIN_HANDLER) < 0) {
    return [`The runtime node24 needs ${RUNTIME_HANDLER_PACKAGE} ${NODE24_MIN_HANDLER} or later (${handler} is declared): ${INSTALL_HANDLER}, or ${fix}.`];
  }
  return [];
}

function dependencyProblems(project: DeployProject): string[] {
  const missing = new Map<string, string[]>();
  for (const file of [...project.functions, ...project.assets]) {
    for (const name of file.requires) {
      const pkg = packageOf(name);
      if (!pkg || pkg in project.dependencies) continue;
      missing.set(pkg, [...(missing.get(pkg) ?? []), file.file]);
    }
  }
  return [...missing].map(([pkg, files]) => {
    const where = pkg in project.devDependencies ? 'is only in devDependencies' : 'is not in package.json\'s dependencies';
    return `${files.join(', ')} require${files.length === 1 ? 's' : ''} ${pkg}, which ${where}: the platform installs dependencies only. Fix: npm install --save-prod ${pkg}`;
  });
}

function fileProblems(project: DeployProject): string[] {
  const problems: string[] = [];
  for (const file of [...project.functions, ...project.assets]) {
    const problem = pathProblem(file.path);
    if (problem) problems.push(`${file.file} would be served at "${file.path}", which ${problem}: the platform refuses it. Rename the file.`);
  }
  const count = (files: readonly DeployFile[], access: (a: Access) => boolean) => files.filter((f) => access(f.access)).length;
  const over = (what: string, n: number, max: number) => `${n} ${what} in one build: the platform takes at most ${max}. Merge some (the assets are bundled by scripts/build.mjs).`;
  if (project.functions.length > LIMITS.functionsPerBuild) problems.push(over('Functions', project.functions.length, LIMITS.functionsPerBuild));
  const privateAssets = count(project.assets, (a) => a === 'private');
  if (privateAssets > LIMITS.privateAssetsPerBuild) problems.push(over('private assets', privateAssets, LIMITS.privateAssetsPerBuild));
  const publicAssets = count(project.assets, (a) => a !== 'private');
  if (publicAssets > LIMITS.publicAssetsPerBuild) problems.push(over('public or protected assets', publicAssets, LIMITS.publicAssetsPerBuild));
  for (const asset of project.assets) {
    const max = asset.access === 'private' ? LIMITS.privateAssetBytes : LIMITS.publicAssetBytes;
    if (asset.bytes > max) problems.push(`${asset.file} is ${megabytes(asset.bytes)}: a ${asset.access} asset may be at most ${megabytes(max)}. Make it smaller or split it.`);
  }
  return problems;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** What the platform would refuse in the built project (handler, runtime, dependencies, paths, limits). */
export function checkPlatform(project: DeployProject): string[] {
  return [...handlerProblems(project), ...runtimeProblems(project), ...dependencyProblems(project), ...fileProblems(project)];
}

/**
 * The Functions' context as the platform builds it (82006): the uploaded variables plus the account's
 * credentials, the domain, the path and the SIDs the runtime adds; placeholders of their real sizes.
 */
export function contextBytes(variables: Readonly<Record<string, string>>, longestPath = '/'): number {
  const sid = (prefix: string) => `${prefix}${'0'.repeat(32)}`;
  const metadata = {
    ACCOUNT_SID: sid('AC'),
    AUTH_TOKEN: '0'.repeat(32),
    SERVICE_SID: sid('ZS'),
    ENVIRONMENT_SID: sid('ZE'),
    DOMAIN_NAME: 'ivr-escalation-0000-production.twil.io',
    PATH: longestPath,
  };
  return Buffer.byteLength(JSON.stringify({ ...variables, ...metadata }));
}

/** What the platform would refuse in the variables a deploy uploads (Variable limits, 82006). */
export function checkVariables(variables: Readonly<Record<string, string>>, longestPath?: string): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(variables)) {
    if (key.length > LIMITS.variableKeyChars) problems.push(`The variable name ${key.slice(0, 20)}… is longer than ${LIMITS.variableKeyChars} characters: shorten it.`);
    const bytes = Buffer.byteLength(value);
    if (bytes > LIMITS.variableValueBytes) problems.push(`${key} is ${bytes} bytes long: a variable's value may be at most ${LIMITS.variableValueBytes} bytes. Shorten it.`);
  }
  const bytes = contextBytes(variables, longestPath);
  if (bytes > LIMITS.contextBytes) {
    problems.push(`The variables come to ${bytes} bytes of Function context; Twilio takes ${LIMITS.contextBytes} (error 82006). Remove what the Functions do not use.`);
  }
  return problems;
}
