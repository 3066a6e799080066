// Sends webhooks the way Twilio does: form-encoded POST, signed with X-Twilio-Signature over the
// full URL as requested plus the sorted POST parameters.
import { createHash } from 'node:crypto';
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
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: new URLSearchParams(params as Record<string, string>).toString(),
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  });
  return {
    status: response.status,
    body: await response.text(),
    contentType: response.headers.get('content-type') ?? '',
  };
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
  const response = await fetch(signedUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
  return { status: response.status, body: await response.text(), contentType: response.headers.get('content-type') ?? '' };
}
