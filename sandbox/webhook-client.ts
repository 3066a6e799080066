// Sends webhooks the way Twilio does: form-encoded POST, signed with X-Twilio-Signature over the
// full URL as requested plus the sorted POST parameters. The request line carries the URL exactly as
// signed: `fetch` would drop a lone `?` (the WHATWG URL serializer), so a webhook is sent with node's
// own http client, which puts the path on the wire as given.
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import twilio from 'twilio';

export interface WebhookAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

export interface PostWebhookOptions {
  readonly authToken: string;
  /** false: send no signature at all. */
  readonly sign?: boolean;
  /** Send this signature instead of the right one. */
  readonly signature?: string;
  readonly timeoutMs?: number;
}

export interface ExactRequest {
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  /** Aborts the request (an emulator closing). */
  readonly signal?: AbortSignal;
}

/** One HTTP request to `url` with its path and query on the wire exactly as written (a lone `?` kept). */
export function requestExactly(url: string, { method, headers, body, timeoutMs, signal }: ExactRequest): Promise<WebhookAnswer> {
  const { protocol, host } = new URL(url);
  const path = url.slice(url.indexOf(host) + host.length) || '/';
  const client = protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, { method, path, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) }, timeout: timeoutMs, signal }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), contentType: String(response.headers['content-type'] ?? '') }),
      );
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

export function signatureFor(authToken: string, url: string, params: Readonly<Record<string, string>>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params as Record<string, string>);
}

export async function postWebhook(
  url: string,
  params: Readonly<Record<string, string>>,
  options: PostWebhookOptions,
): Promise<WebhookAnswer> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    'user-agent': 'TwilioProxy/1.1',
    'i-twilio-idempotency-token': crypto.randomUUID(),
  };
  if (options.sign !== false) headers['x-twilio-signature'] = options.signature ?? signatureFor(options.authToken, url, params);
  const body = new URLSearchParams(params as Record<string, string>).toString();
  return requestExactly(url, { method: 'POST', headers, body, timeoutMs: options.timeoutMs ?? 15_000 });
}

/** The URL Twilio requests for a JSON webhook: the configured URL plus `bodySHA256` of the body. */
export function withBodyHash(url: string, body: string): string {
  const hash = createHash('sha256').update(body).digest('hex');
  return `${url}${url.includes('?') ? '&' : '?'}bodySHA256=${hash}`;
}

/** Sends a JSON webhook as Twilio does (the Voice Intelligence webhook): signed over the URL with `bodySHA256`. */
export async function postJsonWebhook(url: string, payload: unknown, options: PostWebhookOptions): Promise<WebhookAnswer> {
  const body = JSON.stringify(payload);
  const signedUrl = withBodyHash(url, body);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'TwilioProxy/1.1' };
  if (options.sign !== false) headers['x-twilio-signature'] = options.signature ?? signatureFor(options.authToken, signedUrl, {});
  return requestExactly(signedUrl, { method: 'POST', headers, body, timeoutMs: options.timeoutMs ?? 15_000 });
}
