// Sends webhooks the way Twilio does: form-encoded POST, signed with X-Twilio-Signature over the
// full URL as requested plus the sorted POST parameters.
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
