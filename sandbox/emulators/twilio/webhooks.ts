// The callbacks the emulator sends as Twilio does, signed with X-Twilio-Signature by the account's
// auth token: form-encoded (status and recording callbacks: HMAC-SHA1 over the URL plus the sorted
// parameters) or JSON (the Voice Intelligence webhook: the URL gets `bodySHA256=<hex SHA-256 of the
// body>` in its query and the signature covers that URL with no parameters — twilio's
// `validateRequestWithBody`). Every delivery is logged, and the last one of a kind can be sent again,
// as Twilio may deliver a callback twice.
import { createHash } from 'node:crypto';
import twilio from 'twilio';
import type { EmulatorState } from './state';
import { requestExactly } from '../../webhook-client';

/** What a callback is about: `transcript` (Intelligence), `recording`, `call-status`, `dialed-call-status`... */
export type CallbackKind = string;

export interface CallbackRequest {
  readonly kind: CallbackKind;
  readonly url: string;
  readonly method: 'GET' | 'POST';
  /** Form parameters (status and recording callbacks). */
  readonly params?: Readonly<Record<string, string>>;
  /** A JSON body (the Intelligence webhook); POST only. */
  readonly json?: unknown;
}

export interface CallbackDelivery extends CallbackRequest {
  readonly at: string;
  /** Who sent it: the emulator, or the call driver that plays Twilio's side of a call (filed here). */
  readonly sentBy: 'emulator' | 'driver';
  /** The URL as requested (with `bodySHA256`, or the query of a GET). */
  requestedUrl: string;
  /** The exact body sent, when there is one. */
  body?: string;
  signature: string;
  /** HTTP status of the answer; absent while in flight or when the request failed. */
  status?: number;
  error?: string;
  /** 1 for the first delivery, 2 for a redelivery... */
  readonly attempt: number;
}

const TIMEOUT_MS = 15_000;
/** The log keeps the latest callbacks only, so a long `npm start` does not grow without bound. */
const MAX_LOGGED = 1000;

function log(state: EmulatorState, delivery: CallbackDelivery): void {
  state.callbacks.push(delivery);
  if (state.callbacks.length > MAX_LOGGED) state.callbacks.splice(0, state.callbacks.length - MAX_LOGGED);
}

export function bodyHash(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

function withQuery(url: string, params: Readonly<Record<string, string>>): string {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(params)) parsed.searchParams.append(name, value);
  return parsed.toString();
}

/** The request Twilio makes for a callback: its URL, body and signature. */
export function signedRequest(authToken: string, request: CallbackRequest): { url: string; body?: string; contentType?: string; signature: string } {
  if (request.json !== undefined) {
    const body = JSON.stringify(request.json);
    const url = withQuery(request.url, { bodySHA256: bodyHash(body) });
    return { url, body, contentType: 'application/json', signature: twilio.getExpectedTwilioSignature(authToken, url, {}) };
  }
  const params = request.params ?? {};
  if (request.method === 'GET') {
    const url = withQuery(request.url, params);
    return { url, signature: twilio.getExpectedTwilioSignature(authToken, url, {}) };
  }
  return {
    url: request.url,
    body: new URLSearchParams(params).toString(),
    contentType: 'application/x-www-form-urlencoded',
    signature: twilio.getExpectedTwilioSignature(authToken, request.url, params),
  };
}

async function deliver(state: EmulatorState, delivery: CallbackDelivery, request: CallbackRequest): Promise<void> {
  const signed = signedRequest(state.config.authToken, request);
  delivery.requestedUrl = signed.url;
  delivery.body = signed.body;
  delivery.signature = signed.signature;
  const headers: Record<string, string> = { 'x-twilio-signature': signed.signature, 'user-agent': 'TwilioProxy/1.1' };
  if (signed.contentType) headers['content-type'] = signed.contentType;
  try {
    // The URL on the wire exactly as signed, as Twilio requests it (fetch would drop a lone `?`).
    const response = await requestExactly(signed.url, { method: request.method, headers, body: signed.body, timeoutMs: TIMEOUT_MS, signal: state.closing.signal });
    delivery.status = response.status;
  } catch (error) {
    delivery.error = (error as Error).message;
  }
}

function track(state: EmulatorState, work: Promise<void>): Promise<void> {
  state.pendingCallbacks.add(work);
  return work.finally(() => state.pendingCallbacks.delete(work));
}

/** Sends a callback now (answered or not, it is logged); resolves when the answer has arrived. */
export function sendCallback(state: EmulatorState, request: CallbackRequest, attempt = 1): Promise<CallbackDelivery> {
  const delivery: CallbackDelivery = { ...request, at: state.config.now().toISOString(), sentBy: 'emulator', requestedUrl: request.url, signature: '', attempt };
  log(state, delivery);
  return track(state, deliver(state, delivery, request)).then(() => delivery);
}

/** Files a callback the call driver sent itself, so that it can be listed and sent again. */
export function fileCallback(state: EmulatorState, request: CallbackRequest & { status?: number }): void {
  const signed = signedRequest(state.config.authToken, request);
  const { status, ...rest } = request;
  log(state, { ...rest, at: state.config.now().toISOString(), sentBy: 'driver', requestedUrl: signed.url, body: signed.body, signature: signed.signature, status, attempt: 1 });
}

/**
 * Sends the last callback of `kind` again (optionally only one about `about`: a call, recording or
 * transcript SID found in its parameters or body), as Twilio does when it retries. Throws when there
 * is none.
 */
export async function redeliverCallback(state: EmulatorState, kind: CallbackKind, about?: string): Promise<CallbackDelivery> {
  const last = [...state.callbacks].reverse().find((c) => c.kind === kind && (!about || mentions(c, about)));
  if (!last) throw new Error(`no ${kind} callback${about ? ` about ${about}` : ''} to deliver again`);
  const attempts = state.callbacks.filter((c) => c.kind === kind && c.url === last.url && sameContent(c, last)).length;
  return sendCallback(state, { kind, url: last.url, method: last.method, params: last.params, json: last.json }, attempts + 1);
}

/** The SID (or value) whole, not as the start of another one: "RE0" is not in "RE005…". */
function mentions(delivery: CallbackDelivery, sid: string): boolean {
  const whole = new RegExp(`(?<![A-Za-z0-9])${sid.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`);
  return whole.test(JSON.stringify(delivery.params ?? delivery.json ?? {}));
}

function sameContent(a: CallbackDelivery, b: CallbackDelivery): boolean {
  return JSON.stringify(a.params ?? a.json) === JSON.stringify(b.params ?? b.json);
}

/** Resolves when every callback in flight has been answered (or has failed). */
export async function callbacksSettled(state: EmulatorState): Promise<void> {
  while (state.pendingCallbacks.size > 0) await Promise.allSettled([...state.pendingCallbacks]);
}
