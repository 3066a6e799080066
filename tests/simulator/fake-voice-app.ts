// A tiny voice application for the driver's tests: canned TwiML per path, every request logged with
// whether Twilio's signature on it is valid.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly url: string;
  readonly params: Record<string, string>;
  readonly signed: boolean;
}

export type Reply = string | { readonly status?: number; readonly body: string; readonly contentType?: string };
/** A route may answer later (e.g. after calling the Twilio REST API, as an application does). */
export type Route = (params: Record<string, string>, request: LoggedRequest) => Reply | Promise<Reply>;

export interface FakeVoiceApp {
  readonly baseUrl: string;
  readonly authToken: string;
  readonly accountSid: string;
  readonly requests: LoggedRequest[];
  /** Replaces all routes (keyed by path without query). */
  routes(routes: Record<string, Route | string>): void;
  requestsTo(path: string): LoggedRequest[];
  close(): Promise<void>;
}

export const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
export const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';

/** <Response> around the given TwiML verbs. */
export function twiml(verbs: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${verbs}</Response>`;
}

export async function startFakeVoiceApp(): Promise<FakeVoiceApp> {
  let table: Record<string, Route | string> = {};
  const requests: LoggedRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', async () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${req.url}`;
      const parsed = new URL(url);
      const bodyParams = Object.fromEntries(new URLSearchParams(body));
      const params = req.method === 'GET' ? Object.fromEntries(parsed.searchParams) : bodyParams;
      const signature = req.headers['x-twilio-signature'];
      const signed = typeof signature === 'string' && twilio.validateRequest(AUTH_TOKEN, signature, url, req.method === 'GET' ? {} : bodyParams);
      const logged: LoggedRequest = { method: req.method ?? '', path: parsed.pathname, url, params, signed };
      requests.push(logged);
      const route = table[parsed.pathname];
      const reply: Reply = route === undefined ? { status: 404, body: 'Not found', contentType: 'text/plain' } : typeof route === 'string' ? route : await route(params, logged);
      const { status = 200, body: text, contentType = 'text/xml' } = typeof reply === 'string' ? { body: reply } : reply;
      res.writeHead(status, { 'content-type': contentType });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    authToken: AUTH_TOKEN,
    accountSid: ACCOUNT_SID,
    requests,
    routes(next) {
      table = next;
      requests.length = 0;
    },
    requestsTo: (path) => requests.filter((request) => request.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
