// An inbound call: Twilio requests the number's voice URL, then executes what comes back.
import { inboundCallParams, isSipAddress, type InboundCall } from '../call-params';
import { INBOUND_LABELS, type LegLabels } from '../transcript';
import type { CallActor, CallResult, DriverOptions } from './actor-api';
import { finish, guarded } from './finish-call';
import type { LegState } from './leg';
import { SimulatedCall } from './simulated-call';
import { postCallStatus, type StatusCallbackConfig } from './status-callbacks';

export interface InboundCallStart extends Omit<InboundCall, 'accountSid'> {
  /** The number's "A call comes in" URL, absolute. */
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  /** The number's status callback, when the test wants it posted. */
  readonly statusCallback?: StatusCallbackConfig;
}

/** An inbound call: Twilio requests the number's voice URL, then executes what comes back. */
export async function runInboundCall(options: DriverOptions, start: InboundCallStart, actor: CallActor, labels: LegLabels = INBOUND_LABELS): Promise<CallResult> {
  const call = new SimulatedCall(options, actor, labels);
  const params = inboundCallParams({ ...start, accountSid: options.accountSid });
  const state: LegState = { leg: 'call', params, answered: false, sip: isSipAddress(start.to), machine: false, lastActedAt: 0 };
  options.twilio?.addInboundCall({ from: start.from, to: start.to, sid: params.CallSid, status: 'ringing' });
  return guarded(call, params, async () => {
    await postCallStatus(call, start.statusCallback, params, 'initiated', 'initiated', 0);
    const end = await call.runLeg(state, { url: start.url, method: start.method ?? 'POST', reason: 'call start', extra: {} });
    return finish(call, state, end, start.statusCallback, 1);
  });
}
