// Serves the built Functions (dist/) in this process with Twilio's own local runtime
// (@twilio/runtime-handler, what twilio-run uses), without a process per request, and with the
// one thing twilio-run leaves out: protected Functions reject requests that Twilio did not sign.
// It also serves a build deployed to the sandbox's emulated platform (serve-build.ts): given routes,
// the runtime handler of that build's own node_modules, and the domain the build is reached at.
import express from 'express';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import twilio from 'twilio';
import type { LocalDevelopmentServer as DevServer, RouteInfo } from '@twilio/runtime-handler/dev';
import { getListOfFunctionsAndAssets } from '@twilio-labs/serverless-api/dist/utils/fs';

export interface FunctionsServer {
  readonly url: string;
  readonly port: number;
  readonly routes: readonly { path: string; access: string }[];
  close(): Promise<void>;
}

export interface FunctionsServerOptions {
  /** The project folder holding dist/functions and dist/assets. */
  readonly baseDir: string;
  /** What the Functions see as their context (the deployed environment variables). */
  readonly env: Readonly<Record<string, string>>;
  readonly port?: number;
  readonly host?: string;
  /** Receives one line per request, when given. */
  readonly onRequestLog?: (line: string) => void;
  /** Functions served beside dist/functions (e.g. the benchmark's static-TwiML baseline). */
  readonly extraFunctions?: readonly ExtraFunction[];
  /** What to serve instead of baseDir's dist/ (a deployed build's files). */
  readonly routes?: RouteInfo;
  /** The folder whose node_modules provide @twilio/runtime-handler (default: this project's). */
  readonly runtimeFrom?: string;
  /** The host the Functions are reached at (`context.DOMAIN_NAME`), when not this server's own `localhost:PORT`. */
  readonly domainName?: string;
  /** The token Twilio signs with (default env.AUTH_TOKEN): the account's, even when the context lacks it. */
  readonly authToken?: string;
}

export interface ExtraFunction {
  /** URL path, e.g. /static-twiml. */
  readonly path: string;
  /** Absolute path of a CommonJS file exporting `handler(context, event, callback)`. */
  readonly filePath: string;
  /** Default protected: Twilio must have signed the request. */
  readonly access?: 'public' | 'protected';
}

const PROJECT_ROOT = path.resolve(__dirname, '..');

/** The exact bytes of a JSON body, kept by the parser for the signature check. */
type RequestWithRawBody = express.Request & { rawBody?: string };

/**
 * Twilio signs the URL exactly as it requested it plus the sorted POST parameters.
 * `validateRequest` also accepts the URL with or without the port, as Twilio does.
 * A JSON body (the Voice Intelligence webhook) is signed differently: the URL carries
 * `bodySHA256` (hex SHA-256 of the raw body), the signature covers the URL alone, and the body must
 * hash to that value (`validateRequestWithBody`).
 */
export function isSignedByTwilio(authToken: string, req: express.Request): boolean {
  const signature = req.get('x-twilio-signature');
  if (!signature) return false;
  const url = `${req.protocol}://${req.get('host')}${req.originalUrl}`;
  if (req.is('application/json')) {
    const raw = (req as RequestWithRawBody).rawBody;
    return raw !== undefined && twilio.validateRequestWithBody(authToken, signature, url, raw);
  }
  const params = req.is('application/x-www-form-urlencoded') ? (req.body as Record<string, string>) : {};
  return twilio.validateRequest(authToken, signature, url, params ?? {});
}

/** The runtime handler's local server, from the handler installed in `dir` (as twilio-run loads it from the project). */
function localDevelopmentServer(dir: string): typeof DevServer {
  const fromDir = createRequire(path.join(dir, 'package.json'));
  return (fromDir('@twilio/runtime-handler/dev') as { LocalDevelopmentServer: typeof DevServer }).LocalDevelopmentServer;
}

export async function startFunctionsServer(options: FunctionsServerOptions): Promise<FunctionsServer> {
  const { functions: built, assets } =
    options.routes ??
    (await getListOfFunctionsAndAssets(options.baseDir, {
      functionsFolderNames: ['dist/functions'],
      assetsFolderNames: ['dist/assets'],
    }));
  const functions = [
    ...built,
    ...(options.extraFunctions ?? []).map((f) => ({
      name: f.path,
      path: f.path,
      filePath: f.filePath,
      access: f.access ?? ('protected' as const),
      content: '',
    })),
  ];
  // Protected assets need Twilio's signature as much as protected Functions.
  const protectedPaths = new Set([...functions, ...assets].filter((f) => f.access === 'protected').map((f) => f.path));
  const authToken = options.authToken ?? options.env.AUTH_TOKEN ?? '';

  const front = express();
  front.disable('x-powered-by');
  // Parsed once here so the signature can be checked; the runtime's own body parser then skips it.
  front.use(express.urlencoded({ extended: false, limit: '256kb' }));
  front.use(
    express.json({
      limit: '256kb',
      verify: (req, _res, buffer) => {
        (req as RequestWithRawBody).rawBody = buffer.toString('utf8');
      },
    }),
  );
  front.use((req, res, next) => {
    if (!protectedPaths.has(req.path)) return next();
    if (!req.get('x-twilio-signature')) return res.status(401).type('text/plain').send('Missing X-Twilio-Signature');
    if (!isSignedByTwilio(authToken, req)) return res.status(403).type('text/plain').send('Invalid X-Twilio-Signature');
    return next();
  });

  // The runtime needs the port in its config, known only once listening: it is plugged in then.
  const runtime: { app?: express.Express } = {};
  front.use((req, res, next) => (runtime.app ? runtime.app(req, res, next) : res.status(503).send('starting')));
  // A body that cannot be parsed (bad charset, too large) is the client's fault: answer 4xx, never crash.
  front.use((error: { status?: number; message?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    res.status(status).type('text/plain').send(status === 500 ? 'Internal error' : 'Bad request');
  });

  const server = http.createServer(front);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.domainName ?? `localhost:${port}`}`;

  const LocalDevelopmentServer = localDevelopmentServer(options.runtimeFrom ?? PROJECT_ROOT);
  const dev = new LocalDevelopmentServer(port, {
    baseDir: options.baseDir,
    env: { ...options.env },
    port,
    url,
    detailedLogs: false,
    live: false,
    logs: Boolean(options.onRequestLog),
    legacyMode: false,
    appName: 'ivr-escalation',
    forkProcess: false,
    enableDebugLogs: false,
    routes: { functions, assets },
  });
  if (options.onRequestLog) dev.on('request-log', options.onRequestLog);
  runtime.app = dev.getApp();

  return {
    url,
    port,
    routes: [...functions, ...assets].map((r) => ({ path: r.path, access: r.access })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
