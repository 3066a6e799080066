// How the driver reaches the application: by default a signed HTTP request, as Twilio makes it.
import { postWebhook, requestExactly, signatureFor, type WebhookAnswer } from '../webhook-client';

export type { WebhookAnswer };

export interface WebhookRequest {
  readonly method: 'GET' | 'POST';
  /** For GET, the parameters are already in the query string, as Twilio sends them. */
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
}

export type Transport = (request: WebhookRequest) => Promise<WebhookAnswer>;

/** Twilio appends the parameters of a GET request to the URL's own query string. */
export function withQuery(url: string, params: Readonly<Record<string, string>>): string {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(params)) parsed.searchParams.append(name, value);
  return parsed.toString();
}

/** Signs every request with the auth token: the URL as requested, plus the sorted POST parameters. */
export function signedTransport(authToken: string, timeoutMs = 15_000): Transport {
  return async (request) => {
    if (request.method === 'POST') return postWebhook(request.url, request.params, { authToken, timeoutMs });
    const headers = { 'x-twilio-signature': signatureFor(authToken, request.url, {}), 'user-agent': 'TwilioProxy/1.1' };
    return requestExactly(request.url, { method: 'GET', headers, timeoutMs });
  };
}
