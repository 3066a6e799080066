// The small HTTP plumbing the emulators share: listen on loopback, read a
// bounded body, answer JSON, and close without leaving sockets (or jest) hanging.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {}

export function readBody(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return readRawBody(req, limit).then((body) => body.toString('utf8'));
}

/** The body's bytes (a file upload), at most `limit` of them. */
export function readRawBody(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(`body over ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

export function sendEmpty(res: http.ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, headers);
  res.end();
}

export interface Listening {
  readonly server: http.Server;
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts `handler` on host:port (loopback, a free port by default). */
export async function listen(
  handler: http.RequestListener,
  opts: { port?: number; host?: string } = {},
): Promise<Listening> {
  const host = opts.host ?? '127.0.0.1';
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    server,
    port,
    url: `http://${urlHost}:${port}`,
    close() {
      // Hanging requests and keep-alive sockets would otherwise hold server.close() open forever.
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Query and form parameters as Twilio sends them: a repeated name (StatusCallbackEvent) becomes a list. */
export type FormParams = Record<string, string | string[]>;

export function parseForm(text: string): FormParams {
  const params: FormParams = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const existing = params[key];
    if (existing === undefined) params[key] = value;
    else params[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return params;
}

/** The first value of a parameter. */
export function one(params: FormParams, key: string): string | undefined {
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

/** Every value of a parameter. */
export function all(params: FormParams, key: string): string[] {
  const value = params[key];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
