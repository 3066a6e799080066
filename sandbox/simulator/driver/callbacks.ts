// How the driver delivers the callbacks Twilio sends about a call (the number's status callback, a
// dialed leg's status callback, recording status): signed like any webhook, filed with the Twilio
// emulator (so that it can send one again), and — when a test asks — delivered twice or held back
// until the call has ended, as Twilio's at-least-once, unordered delivery may do.
import type { Leg, RequestReason } from '../transcript';
import type { SimulatedCall } from './simulated-call';

/** `call-status`: the call's own statusCallback; `dialed-call-status`: a <Number>/<Sip>'s; `recording`: recordingStatusCallback. */
export type CallCallbackKind = 'call-status' | 'dialed-call-status' | 'recording';

export const CALL_CALLBACK_KINDS: readonly CallCallbackKind[] = ['call-status', 'dialed-call-status', 'recording'];

export interface CallbackDeliveryOptions {
  /** These callbacks are delivered twice in a row (the same parameters, signed the same way). */
  readonly duplicate?: readonly CallCallbackKind[];
  /** These callbacks are held and delivered after the call's final status callback, in their order. */
  readonly defer?: readonly CallCallbackKind[];
}

export interface CallbackPost {
  readonly kind: CallCallbackKind;
  readonly leg: Leg;
  readonly reason: RequestReason;
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly params: Record<string, string>;
  /** What the transcript shows of this request. */
  readonly extra: Readonly<Record<string, string>>;
}

async function post(call: SimulatedCall, callback: CallbackPost): Promise<void> {
  const answer = await call.request(callback.leg, callback.reason, callback.url, callback.method, callback.params, callback.extra);
  call.options.twilio?.fileCallback?.({ kind: callback.kind, url: callback.url, method: callback.method, params: callback.params, status: answer?.status });
}

/** Delivers a callback now (twice when asked), or holds it for `flushDeferredCallbacks`. */
export async function deliverCallback(call: SimulatedCall, callback: CallbackPost): Promise<void> {
  const options = call.options.callbacks ?? {};
  if (options.defer?.includes(callback.kind) && !call.flushingCallbacks) {
    call.note(callback.leg, `the ${callback.kind} callback is held until the call has ended`);
    call.deferredCallbacks.push(callback);
    return;
  }
  await post(call, callback);
  if (options.duplicate?.includes(callback.kind)) {
    call.note(callback.leg, `the ${callback.kind} callback is delivered again`);
    await post(call, callback);
  }
}

/** Delivers the held callbacks, once the call's final status has been reported. */
export async function flushDeferredCallbacks(call: SimulatedCall): Promise<void> {
  call.flushingCallbacks = true;
  while (call.deferredCallbacks.length > 0) await deliverCallback(call, call.deferredCallbacks.shift()!);
}
