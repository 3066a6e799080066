// The one way the Functions write a URL of their own: every action, redirect, whisper and callback URL
// the product emits is built here. Twilio signs a webhook over the URL exactly as it requests it, so a
// URL must be exact: no `?` without a query, no `&` at the end or doubled, parameters encoded once.
import type { Config } from './model.private';
import { isCallSid } from './model.private';

/** Query parameters; an undefined or empty value is left out. */
export type Query = Readonly<Record<string, string | undefined>>;

/** `query` encoded (`a=1&b=2`), without the parameters that have no value. */
export function encodeQuery(query: Query): string {
  const present = Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
  return new URLSearchParams(present).toString();
}

/**
 * `url` (a path, maybe with a query already) with the parameters of `queries` appended in order. An
 * already encoded query (`carry`, a string) is appended as it is; no query at all gives the bare path.
 */
export function stepUrl(url: string, ...queries: readonly (Query | string)[]): string {
  const [path, own = ''] = url.split(/\?(.*)/s);
  const parts = [own, ...queries].map((q) => (typeof q === 'string' ? q.replace(/^[?&]+|&+$/g, '') : encodeQuery(q))).filter((q) => q !== '');
  return parts.length > 0 ? `${path}?${parts.join('&')}` : path;
}

/**
 * The absolute URL of one of our Functions, for what Twilio must reach from outside a TwiML document (a
 * placed call's URL and StatusCallback, a message's StatusCallback): https on Twilio's domains, http for
 * a local twilio-run on localhost. Undefined when the runtime did not say where we are served.
 */
export function functionUrl(config: Pick<Config, 'domainName'>, pathAndQuery: string): string | undefined {
  const host = config.domainName;
  if (!host || !/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host)) return undefined;
  const local = /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(host);
  return `${local ? 'http' : 'https'}://${host}${pathAndQuery.startsWith('/') ? '' : '/'}${pathAndQuery}`;
}

/** The StatusCallback of a text a call sends (/events/message-status records its delivery on the call's row). */
export function messageStatusUrl(config: Pick<Config, 'domainName'>, callSid: string | undefined): string | undefined {
  if (!isCallSid(callSid)) return undefined;
  return functionUrl(config, stepUrl('/events/message-status', { CallSid: callSid }));
}
