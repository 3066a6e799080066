// A local stand-in for Airtable's Web API that the real airtable.js client talks to over HTTP
// (`new Airtable({ apiKey, endpointUrl: emulator.url, noRetryIfRateLimited: true })`), serving one
// base with the project's tables, plus fault injection and counters for tests.
// What it reproduces is documented in the reference notes on Airtable's API; what it cannot know
// (views, a user's extra fields) it accepts or rejects explicitly rather than guessing.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_BASE_ID, demoBase, type DemoBase } from '../../demo-data';
import { AirtableApiError } from './api-error';
import { handleControlRequest } from './control-api';
import { FaultInjector, type FaultSpec, type FaultStatus } from './fault-injector';
import { RecordLister } from './list-records';
import { handleMetaRequest } from './meta-api';
import { parseNestedQuery } from './nested-query';
import { RateLimiter } from './rate-limiter';
import { RecordStore } from './record-store';
import { handleRecordsRequest } from './records-api';
import { RequestStats, type RequestCounts } from './request-stats';
import { AIRTABLE_SCHEMA, type TableSchema } from './schema';

export type { FaultSpec, FaultStatus } from './fault-injector';
export type { RequestCounts } from './request-stats';
export { AIRTABLE_SCHEMA, type TableSchema } from './schema';

export interface AirtableEmulatorOptions {
  /** 0 (default): a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The one base served; default DEMO_BASE_ID. */
  baseId?: string;
  /** The only bearer token accepted; default: any non-empty token. */
  apiKey?: string;
  /** Default demoBase(). */
  seed?: DemoBase;
  /** The base's tables and fields; default AIRTABLE_SCHEMA (the project's). `[]` is an empty base for a setup tool. */
  schema?: readonly TableSchema[];
  /** Load from this JSON file when it exists (else seed), and save to it after every change. */
  dataFile?: string;
  /** Airtable's 5 requests/second/base limit; default off. */
  rateLimit?: boolean;
  /**
   * Whether `typecast` may add a select option (a base creator's token may; an editor's may not: 422
   * INVALID_MULTIPLE_CHOICE_OPTIONS). Default true. The sandbox turns it off, so a select value that is
   * not SPEC's fails our tests instead of quietly growing the base.
   */
  newSelectOptionsByTypecast?: boolean;
  /** How long the base refuses every request after a 429 (Airtable: 30 s); default 30,000 ms. */
  rateLimitPenaltyMs?: number;
}

export interface EmulatorRecord {
  id: string;
  createdTime: string;
  fields: Record<string, unknown>;
}

export interface AirtableEmulator {
  /** e.g. http://127.0.0.1:54321: airtable.js's `endpointUrl`. */
  url: string;
  /** Stops listening; hanging and delayed requests are dropped. */
  close(): Promise<void>;
  /** Restores the seed given at start, or `seed`. */
  reset(seed?: DemoBase): void;
  /** A copy of a table's records (by name or id). */
  records(table: string): EmulatorRecord[];
  /**
   * `set` adds a rule (rules add up; see fault-injector.ts); `clear` removes all, frees hanging requests
   * and lifts a 429 penalty. An injected 429, like a real one, starts the 30-second penalty on the base.
   */
  faults: { set(f: FaultSpec): void; clear(): void };
  /** `rateLimited`: requests refused with 429 by the rate limit or its 30 s penalty (injected 429s not counted). */
  stats: { counts(): RequestCounts; peakInFlight(): number; rateLimited(): number; reset(): void };
  setRateLimit(on: boolean): void;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;

const FAULT_ERRORS: Record<FaultStatus, AirtableApiError> = {
  429: new AirtableApiError(429, 'RATE_LIMITED', 'Rate limit exceeded. Please try again later'),
  500: new AirtableApiError(500, 'SERVER_ERROR', 'Try again. If the problem persists, contact support.'),
  503: new AirtableApiError(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable. Please retry shortly.'),
};

export async function startAirtableEmulator(opts: AirtableEmulatorOptions = {}): Promise<AirtableEmulator> {
  const baseId = opts.baseId ?? DEMO_BASE_ID;
  const store = new RecordStore(opts.schema ?? AIRTABLE_SCHEMA, baseId, opts.seed ?? demoBase(), opts.dataFile);
  store.newChoicesByTypecast = opts.newSelectOptionsByTypecast ?? true;
  const lister = new RecordLister(store);
  const faults = new FaultInjector();
  const stats = new RequestStats();
  const rateLimiter = new RateLimiter(opts.rateLimit ?? false, opts.rateLimitPenaltyMs);
  let rateLimited = 0;
  const reset = (seed?: DemoBase) => {
    store.reset(seed);
    lister.clear();
  };

  let closed = false;
  const sleepers = new Set<() => void>();
  /** A delay that ends early when the emulator closes. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  async function serveApi(req: IncomingMessage, res: ServerResponse, method: string, url: URL, path: string[]): Promise<void> {
    const [baseInPath, table, rest, ...extra] = path;
    if (baseInPath === 'meta') return serveMeta(req, res, method, path.slice(1));
    if (!table || extra.length) return send(res, 404, { error: 'NOT_FOUND' });

    const tableState = tryTable(store, table);
    const ended = stats.begin(tableState?.name ?? table, method);
    res.once('close', ended);

    const plan = faults.planFor([table, ...(tableState ? [tableState.name, tableState.id] : [])], method);
    if (plan.latencyMs > 0) await sleep(plan.latencyMs);
    if (plan.hang) {
      const hold = faults.hold();
      res.once('close', hold.cancel);
      await hold.released;
    }
    if (closed || res.destroyed) return void res.destroy();
    if (plan.status === 429) rateLimiter.penalise();
    if (plan.status) return sendError(res, FAULT_ERRORS[plan.status]);

    if (!isAuthorized(req, opts.apiKey)) {
      return sendError(res, new AirtableApiError(401, 'AUTHENTICATION_REQUIRED', 'Authentication required'));
    }
    if (baseInPath !== baseId) return sendError(res, new AirtableApiError(404, 'NOT_FOUND', 'Could not find what you are looking for'));
    if (!rateLimiter.allow()) {
      rateLimited++;
      return sendError(res, FAULT_ERRORS[429]);
    }

    const body = await readJsonBody(req);
    const answer = handleRecordsRequest(store, lister, { method, table, rest, query: parseNestedQuery(url.searchParams), body });
    if (plan.lateAnswerMs > 0) await sleep(plan.lateAnswerMs);
    if (closed || res.destroyed) return void res.destroy();
    send(res, 200, answer);
  }

  /** The Metadata API; faults for it are set with `table: 'meta'`. */
  async function serveMeta(req: IncomingMessage, res: ServerResponse, method: string, path: string[]): Promise<void> {
    const plan = faults.planFor(['meta'], method);
    if (plan.latencyMs > 0) await sleep(plan.latencyMs);
    if (closed || res.destroyed) return void res.destroy();
    if (plan.status) return sendError(res, FAULT_ERRORS[plan.status]);
    if (!isAuthorized(req, opts.apiKey)) {
      return sendError(res, new AirtableApiError(401, 'AUTHENTICATION_REQUIRED', 'Authentication required'));
    }
    if (!rateLimiter.allow()) {
      rateLimited++;
      return sendError(res, FAULT_ERRORS[429]);
    }
    const body = method === 'GET' ? undefined : await readJsonBody(req);
    send(res, 200, handleMetaRequest(store, { method, path, body }));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = decodePath(url.pathname);
    try {
      if (!path) return send(res, 404, { error: 'NOT_FOUND' });
      if (path[0] === '__emulator') {
        const body = await readJsonBody(req);
        const answer = handleControlRequest({ store, faults, stats, rateLimiter, reset: () => reset() }, method, path.slice(1), body);
        return send(res, answer.status, answer.body);
      }
      if (path[0] === 'v0') return await serveApi(req, res, method, url, path.slice(1));
      send(res, 404, { error: 'NOT_FOUND' });
    } catch (error) {
      if (error instanceof AirtableApiError) return sendError(res, error);
      // A bug in the emulator: answer like Airtable's 500, loudly enough to be noticed.
      console.error('Airtable emulator error:', error);
      sendError(res, new AirtableApiError(500, 'SERVER_ERROR', `Emulator error: ${(error as Error).message}`));
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = ['0.0.0.0', '::'].includes(address.address) ? '127.0.0.1' : address.address;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  return {
    url,
    async close() {
      if (closed) return;
      closed = true;
      for (const wake of [...sleepers]) wake();
      faults.releaseAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    reset,
    records: (table) => store.snapshot(store.table(table)),
    faults: {
      set: (f) => faults.set(f),
      clear: () => {
        faults.clear();
        rateLimiter.reset();
      },
    },
    stats: {
      counts: () => stats.snapshot(),
      peakInFlight: () => stats.peakInFlight(),
      rateLimited: () => rateLimited,
      reset: () => {
        stats.reset();
        rateLimited = 0;
      },
    },
    setRateLimit(on) {
      rateLimiter.enabled = on;
      rateLimiter.reset();
    },
  };
}

function tryTable(store: RecordStore, nameOrId: string) {
  try {
    return store.table(nameOrId);
  } catch {
    return undefined;
  }
}

/** Path segments, percent-decoded; a trailing slash is ignored (airtable.js sends `/Table/` for writes). */
function decodePath(pathname: string): string[] | undefined {
  try {
    const segments = pathname.split('/').slice(1).map(decodeURIComponent);
    if (segments.at(-1) === '') segments.pop();
    return segments;
  } catch {
    return undefined;
  }
}

function isAuthorized(req: IncomingMessage, apiKey: string | undefined): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match !== null && (apiKey === undefined || match[1] === apiKey);
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new AirtableApiError(413, 'REQUEST_TOO_LARGE', 'Request body is too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AirtableApiError(422, 'INVALID_REQUEST_BODY', 'Could not parse request body');
  }
}

function sendError(res: ServerResponse, error: AirtableApiError): void {
  send(res, error.status, error.body());
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
