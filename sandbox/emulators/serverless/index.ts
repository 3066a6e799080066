// A local Twilio Serverless API (v1) for twilio-run's own deploy code, reached through a TLS-terminating
// proxy for serverless.twilio.com and serverless-upload.twilio.com (tls-proxy.ts): Services, Environments,
// Functions and Assets with their Versions, Builds with their Dependencies and Runtime and Build Status,
// Deployments and Variables, checked and answered like the Serverless API (Twilio's errors, 20404, v1 paging,
// SIDs of Twilio's shape). The platform behind it (build-host.ts) installs each Build's dependencies and
// serves each Environment's domain on loopback with the build deployed to it, the way Twilio serves one.
//
// This file holds startup, auth, body parsing and route dispatch; each resource lives in its own module
// (services.ts, environments.ts, functions.ts, assets.ts, builds.ts, deployments.ts, variables.ts), the
// JSON shapes in resources.ts, the platform's rules in scripts/twilio/platform-rules.ts.
import type http from 'node:http';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BodyTooLargeError, parseForm, readRawBody, sendJson, type FormParams } from '../shared/http';
import { errorBody, twilioError } from '../twilio/validate';
import { ASSET_ROUTES } from './assets';
import { createBuildHost, type BuildHostOptions } from './build-host';
import { BUILD_ROUTES } from './builds';
import { DEPLOYMENT_ROUTES } from './deployments';
import { ENVIRONMENT_ROUTES } from './environments';
import { FUNCTION_ROUTES } from './functions';
import { parseMultipart } from './multipart';
import { fail, notFound, type Ctx, type Route } from './routing';
import { SERVICE_ROUTES } from './services';
import { createState, type ServerlessState } from './state';
import { makeCertificates, SERVERLESS_HOSTS, startTlsProxy } from './tls-proxy';
import { VARIABLE_ROUTES } from './variables';

export type { BuildResource, EnvironmentResource, ServiceResource, VariableResource } from './resources';
export { SERVERLESS_HOSTS } from './tls-proxy';

const ROUTES: readonly Route[] = [
  ...SERVICE_ROUTES,
  ...ENVIRONMENT_ROUTES,
  ...FUNCTION_ROUTES,
  ...ASSET_ROUTES,
  ...BUILD_ROUTES,
  ...DEPLOYMENT_ROUTES,
  ...VARIABLE_ROUTES,
];

/** Uploads past the largest asset the platform takes are still read, so that they get Twilio's 413. */
const MAX_UPLOAD_BYTES = 30 * 1024 * 1024;

export interface ServerlessEmulatorOptions extends Pick<BuildHostOptions, 'lockFrom' | 'firstDomainPort' | 'onLog'> {
  readonly accountSid: string;
  readonly authToken: string;
  /** Where the emulator keeps the builds, the proxy's CA certificate and `rehearsalDir`; emptied at start. */
  readonly dataDir: string;
  /** Installed dependencies, kept across runs (see BuildHostOptions.installCacheDir). */
  readonly installCacheDir: string;
  /** The proxy's port (0 or absent: any free port). */
  readonly port?: number;
  readonly host?: string;
  /** Called when a build is deployed to a domain, with the domain's base URL. */
  readonly onDeployed?: (baseUrl: string) => void;
  readonly now?: () => Date;
}

export interface ServerlessEmulator {
  /** The proxy to give twilio-run as HTTP_PROXY. */
  readonly proxyUrl: string;
  /** The CA certificate file to give twilio-run as NODE_EXTRA_CA_CERTS. */
  readonly caFile: string;
  /** A folder of `dataDir` where a deploy command may stage the project it deploys (emptied with it). */
  readonly rehearsalDir: string;
  /** What the account holds now (a copy). */
  snapshot(): Omit<ServerlessState, 'config' | 'platform' | 'versions'>;
  /** The base URLs of the domains a build is deployed to. */
  servedUrls(): string[];
  close(): Promise<void>;
}

function authorized(req: http.IncomingMessage, accountSid: string, authToken: string): boolean {
  const m = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return m !== null && Buffer.from(m[1], 'base64').toString('utf8') === `${accountSid}:${authToken}`;
}

/** The form fields of a request, and the file of a multipart upload (undefined: not a form it can read). */
function readParams(req: http.IncomingMessage, body: Buffer): { params: FormParams; upload?: Ctx['upload'] } | undefined {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) return { params: parseForm(body.toString('utf8')) };
  const form = parseMultipart(body, type);
  const file = form?.files[0];
  return form && { params: form.fields, upload: file && { content: file.content, type: file.type } };
}

export async function startServerlessEmulator(options: ServerlessEmulatorOptions): Promise<ServerlessEmulator> {
  const { accountSid, authToken, dataDir } = options;
  // A new platform each start: its builds and rehearsals go with the previous one.
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const rehearsalDir = path.join(dataDir, 'rehearsal');
  const buildHost = createBuildHost({ ...options, workDir: dataDir, onServed: options.onDeployed });
  const state = createState({ accountSid, authToken, now: options.now ?? (() => new Date()) }, buildHost);
  const certificates = makeCertificates();
  const caFile = path.join(dataDir, 'proxy-ca.pem');
  writeFileSync(caFile, certificates.caPem);

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', `https://${hostname}`);
    let body: Buffer;
    try {
      body = await readRawBody(req, MAX_UPLOAD_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return fail(res, twilioError(20413, 'Request Entity Too Large', 413));
      throw error;
    }
    if (!authorized(req, accountSid, authToken)) {
      return sendJson(res, 401, errorBody(twilioError(20003, 'Authenticate', 401)), { 'WWW-Authenticate': 'Basic realm="Twilio API"' });
    }
    const host = hostname === SERVERLESS_HOSTS[1] ? 'upload' : 'api';
    const method = (req.method ?? 'GET').toUpperCase();
    const read = readParams(req, body);
    if (!read) return fail(res, twilioError(20001, 'The multipart body could not be read'));
    const { params, upload } = read;
    for (const route of ROUTES) {
      const match = route.pattern.exec(url.pathname);
      if (!match || route.host !== host) continue;
      const handler = route.methods[method];
      if (!handler) return fail(res, twilioError(20004, 'Method not allowed', 405));
      return handler({ state, req, res, path: url.pathname, query: url.searchParams, params, upload, match });
    }
    notFound(res, url.pathname);
  }

  const proxy = await startTlsProxy(
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        options.onLog?.(`serverless emulator error: ${String(error)}`);
        fail(res, twilioError(20500, 'Internal Server Error', 500));
      });
    },
    certificates,
    { port: options.port, host: options.host },
  );

  return {
    proxyUrl: proxy.url,
    caFile,
    rehearsalDir,
    snapshot: () =>
      structuredClone({
        services: state.services,
        environments: state.environments,
        functions: state.functions,
        assets: state.assets,
        builds: state.builds,
        deployments: state.deployments,
        variables: state.variables,
      }),
    servedUrls: () => buildHost.servedUrls(),
    async close() {
      await proxy.close();
      await buildHost.close();
    },
  };
}
