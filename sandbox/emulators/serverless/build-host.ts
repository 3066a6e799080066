// The emulated platform behind the Serverless API: it lays out and installs Builds, and serves each
// Environment's domain. A build folder holds the Functions and assets as the platform stores them (private
// assets under hashed names, so `Runtime.getAssets()` is the only way to them), a package.json of the
// Build's Dependencies and a node_modules installed from them alone (`npm ci --omit=dev`, cached by what is
// installed). A domain is a loopback port of this process that forwards to the process serving the build
// deployed there (sandbox/serve-build.ts), so a redeploy keeps the domain.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { RouteInfo } from '@twilio/runtime-handler/dev';
import type { ServeBuildMessage, ServeBuildReply } from '../../serve-build';
import { listen, type Listening } from '../shared/http';
import type { BuildResource, EnvironmentResource, ServiceResource } from './resources';
import type { Platform, StoredVersion } from './state';

const SERVE_BUILD = path.resolve(__dirname, '..', '..', 'serve-build.ts');
const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
/** How long a build's process may take to answer before its Deployment fails. */
const SERVE_TIMEOUT_MS = 60_000;

export interface BuildHostOptions {
  readonly accountSid: string;
  readonly authToken: string;
  /** Build folders go in `workDir/builds`. */
  readonly workDir: string;
  /** Installed node_modules, one folder per set of Dependencies (and lock file): kept across runs. */
  readonly installCacheDir: string;
  /**
   * A project whose package-lock.json pins the installed versions when the Build's Dependencies are exactly
   * its package.json's dependencies (a rehearsal installs what the tests ran with); otherwise the
   * Dependencies are resolved as the platform resolves them (`npm install`, no lock).
   */
  readonly lockFrom?: string;
  readonly host?: string;
  /** The first domain's port, the next ones after it; 0 or absent: any free port. */
  readonly firstDomainPort?: number;
  /** Output of the builds' installs and processes, a line at a time. */
  readonly onLog?: (line: string) => void;
  /** Called once a build answers at a domain, with the domain's base URL. */
  readonly onServed?: (baseUrl: string) => void;
}

interface Served {
  readonly port: number;
  readonly child: ChildProcess;
}

interface Domain {
  readonly listening: Listening;
  served?: Served;
}

export interface BuildHost extends Platform {
  /** The domains a build is deployed to, as base URLs. */
  servedUrls(): string[];
  close(): Promise<void>;
}

type Dependency = { readonly name: string; readonly version: string };

function run(command: string, args: readonly string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${output.slice(-2000)}`))));
  });
}

/** A lock file's `packages`: path under the project → what npm installed there. */
type LockPackages = Record<string, { version?: string; dev?: boolean; optional?: boolean; link?: boolean }>;

/**
 * What `npm ci --omit=dev` would lay out from this lock, taken from the project's own node_modules (which
 * `npm ci` laid out from the same lock): every package the lock does not mark `dev`, at its lock path, hard
 * linked (copied across file systems). False, with nothing laid out, when the project's node_modules does not
 * match the lock (a package missing or at another version): then npm installs for real. The same tree as
 * npm's, without npm's 6 s and 9 s of CPU on every fresh clone's first deploy.
 */
export function linkProductionTree(projectDir: string, lock: string, staging: string): boolean {
  const packages = (JSON.parse(lock) as { packages?: LockPackages }).packages ?? {};
  const present: string[] = [];
  for (const [where, entry] of Object.entries(packages)) {
    if (!where.startsWith('node_modules/') || entry.dev) continue;
    const manifest = path.join(projectDir, where, 'package.json');
    const installed = !entry.link && existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version : undefined;
    // An optional package npm skipped on this platform is skipped here too.
    if (installed === undefined && entry.optional) continue;
    if (installed !== entry.version) return false;
    present.push(where);
  }
  for (const where of present) linkTree(path.join(projectDir, where), path.join(staging, where));
  return true;
}

/** Hard links (or copies) a package's files; its own node_modules is left out: the lock lists those apart. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const item of readdirSync(from, { withFileTypes: true })) {
    if (item.name === 'node_modules') continue;
    const source = path.join(from, item.name);
    const target = path.join(to, item.name);
    if (item.isDirectory()) linkTree(source, target);
    else if (item.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (item.isFile()) {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

/** The project's package.json and lock, when its dependencies are exactly the Build's. */
function pinnedBy(projectDir: string | undefined, dependencies: readonly Dependency[]): { packageJson: string; lock: string } | undefined {
  if (!projectDir || !existsSync(path.join(projectDir, 'package-lock.json'))) return undefined;
  const packageJson = readFileSync(path.join(projectDir, 'package.json'), 'utf8');
  const declared = (JSON.parse(packageJson) as { dependencies?: Record<string, string> }).dependencies ?? {};
  const same = Object.keys(declared).length === dependencies.length && dependencies.every((d) => declared[d.name] === d.version);
  return same ? { packageJson, lock: readFileSync(path.join(projectDir, 'package-lock.json'), 'utf8') } : undefined;
}

export function createBuildHost(options: BuildHostOptions): BuildHost {
  const host = options.host ?? '127.0.0.1';
  const log = options.onLog ?? (() => undefined);
  const domains = new Map<string, Domain>();
  const builds = new Map<string, { dir: string; routes: RouteInfo; roots: string[] }>();
  const installs = new Map<string, Promise<string>>();
  let nextPort = options.firstDomainPort ?? 0;

  /** node_modules with exactly these dependencies, installed once per set (and lock). */
  function installed(dependencies: readonly Dependency[]): Promise<string> {
    const pinned = pinnedBy(options.lockFrom, dependencies);
    const key = createHash('sha256').update(JSON.stringify(dependencies)).update(pinned?.lock ?? '').digest('hex').slice(0, 24);
    const target = path.join(options.installCacheDir, key);
    const known = installs.get(key);
    if (known) return known;
    const install = (async () => {
      if (existsSync(path.join(target, '.installed'))) return path.join(target, 'node_modules');
      const staging = `${target}.${randomBytes(4).toString('hex')}`;
      mkdirSync(staging, { recursive: true });
      try {
        if (pinned) {
          writeFileSync(path.join(staging, 'package.json'), pinned.packageJson);
          writeFileSync(path.join(staging, 'package-lock.json'), pinned.lock);
          if (options.lockFrom && linkProductionTree(options.lockFrom, pinned.lock, staging)) {
            log(`Installing the build's dependencies (the lock file's production packages, linked from this project's node_modules)…`);
          } else {
            log(`Installing the build's dependencies (npm ci --omit=dev, once for this lock file)…`);
            await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], staging);
          }
        } else {
          const declared = Object.fromEntries(dependencies.map((d) => [d.name, d.version]));
          writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ name: 'build', private: true, dependencies: declared }));
          log(`Installing the build's dependencies (npm install --omit=dev)…`);
          await run('npm', ['install', '--omit=dev', '--no-package-lock', '--no-audit', '--no-fund', '--prefer-offline'], staging);
        }
        writeFileSync(path.join(staging, '.installed'), '');
        // Another process may have installed the same set meanwhile: either copy will do.
        if (existsSync(target)) rmSync(staging, { recursive: true, force: true });
        else renameSync(staging, target);
        return path.join(target, 'node_modules');
      } catch (error) {
        rmSync(staging, { recursive: true, force: true });
        installs.delete(key);
        throw error;
      }
    })();
    installs.set(key, install);
    return install;
  }

  async function prepareBuild(build: BuildResource, versions: readonly StoredVersion[]): Promise<void> {
    const dir = path.join(options.workDir, 'builds', build.sid);
    const routes: RouteInfo = { functions: [], assets: [] };
    for (const sub of ['functions', 'files', 'assets']) mkdirSync(path.join(dir, sub), { recursive: true });
    for (const { resource, kind, content } of versions) {
      const { sid, path: urlPath, visibility } = resource;
      // Like /var/task/files/ZN… on the platform: a private asset has no name a sibling could require.
      const file =
        kind === 'function' ? path.join(dir, 'functions', `${sid}.js`) : visibility === 'private' ? path.join(dir, 'files', sid) : path.join(dir, 'assets', `${sid}${path.extname(urlPath)}`);
      writeFileSync(file, content);
      const route = { name: urlPath, path: urlPath, access: visibility, content: '', filePath: file };
      (kind === 'function' ? routes.functions : routes.assets).push(route);
    }
    writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: build.sid, private: true, dependencies: Object.fromEntries(build.dependencies.map((d) => [d.name, d.version])) }, null, 2)}\n`);
    try {
      const modules = await installed(build.dependencies);
      symlinkSync(modules, path.join(dir, 'node_modules'), 'dir');
      builds.set(build.sid, { dir, routes, roots: [dir, realpathSync(path.dirname(modules))] });
    } catch (error) {
      log(`Build ${build.sid} failed: ${String(error)}`);
      throw error;
    }
  }

  /** Starts the process serving a build; resolves with the port it answers on. */
  function startBuildProcess(message: ServeBuildMessage, label: string): Promise<Served> {
    // Nothing of this shell reaches the build: it sees the environment it was deployed with, on UTC as the platform runs.
    const child = spawn(process.execPath, ['--import', 'tsx', SERVE_BUILD], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream?.on('data', (chunk: Buffer) => {
        const lines = (rest + chunk.toString('utf8')).split('\n');
        rest = lines.pop() ?? '';
        lines.forEach((line) => log(`[${label}] ${line}`));
      });
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`the build's process did not answer within ${SERVE_TIMEOUT_MS / 1000} s`));
      }, SERVE_TIMEOUT_MS);
      child.once('message', (reply: ServeBuildReply) => {
        clearTimeout(timer);
        if ('port' in reply) resolve({ port: reply.port, child });
        else reject(new Error(reply.error));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the build's process ended (${code})`));
      });
      child.send(message);
    });
  }

  function stopBuildProcess(served: Served | undefined): void {
    if (served?.child.connected) served.child.disconnect();
    if (served && served.child.exitCode === null) served.child.kill();
  }

  /** Forwards a request to the process serving the domain's build, as it came (Host included: Twilio signed it). */
  function forward(domain: Domain, req: http.IncomingMessage, res: http.ServerResponse): void {
    const served = domain.served;
    if (!served) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('No build is deployed to this domain.\n');
      return;
    }
    const upstream = http.request({ host: '127.0.0.1', port: served.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end();
    });
    req.pipe(upstream);
  }

  async function openDomain(): Promise<string> {
    for (;;) {
      const port = nextPort;
      const domain: { listening?: Listening; served?: Served } = {};
      try {
        domain.listening = await listen((req, res) => forward(domain as Domain, req, res), { host, port });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
        nextPort += 1;
        continue;
      }
      if (nextPort) nextPort += 1;
      const name = `localhost:${domain.listening.port}`;
      domains.set(name, domain as Domain);
      return name;
    }
  }

  async function serve(environment: EnvironmentResource, build: BuildResource, variables: Readonly<Record<string, string>>, service: ServiceResource): Promise<void> {
    const domain = domains.get(environment.domain_name);
    const prepared = builds.get(build.sid);
    if (!domain || !prepared) throw new Error(`nothing to serve ${build.sid} with at ${environment.domain_name}`);
    const env = {
      ...variables,
      SERVICE_SID: service.sid,
      ENVIRONMENT_SID: environment.sid,
      ...(service.include_credentials ? { ACCOUNT_SID: options.accountSid, AUTH_TOKEN: options.authToken } : {}),
    };
    const served = await startBuildProcess(
      { buildDir: prepared.dir, roots: prepared.roots, routes: prepared.routes, env, authToken: options.authToken, domainName: environment.domain_name },
      environment.domain_name,
    );
    const previous = domain.served;
    domain.served = served;
    stopBuildProcess(previous);
    options.onServed?.(`http://${environment.domain_name}`);
  }

  return {
    openDomain,
    prepareBuild,
    serve,
    servedUrls: () => [...domains].filter(([, d]) => d.served).map(([name]) => `http://${name}`),
    async close() {
      for (const domain of domains.values()) stopBuildProcess(domain.served);
      await Promise.all([...domains.values()].map((d) => d.listening.close()));
    },
  };
}
