// Call progress callbacks: the call's own statusCallback (initiated, ringing, answered, completed)
// and those of a dialed <Number>/<Sip> leg, with the fields Twilio adds to the call's parameters
// (CallStatus, CallbackSource, SequenceNumber, Timestamp; CallDuration and Duration once completed).
import { rfc2822 } from '../../emulators/twilio/resources/common';
import type { DialTarget } from './actor-api';
import { deliverCallback } from './callbacks';
import { methodOf } from './leg';
import type { SimulatedCall } from './simulated-call';

/** What every progress callback adds; the time is the machine's, as Twilio stamps its own clock. */
function progressFields(status: string, sequence: number): Record<string, string> {
  return { CallStatus: status, CallbackSource: 'call-progress-events', SequenceNumber: String(sequence), Timestamp: rfc2822(new Date()) };
}

/** Status callbacks of a <Number>/<Sip> leg (statusCallback + statusCallbackEvent). */
export class LegStatusCallbacks {
  private readonly events: readonly string[];
  private sequence = 0;

  constructor(
    private readonly call: SimulatedCall,
    private readonly target: DialTarget,
    private readonly params: Record<string, string>,
    private readonly documentUrl: string,
  ) {
    this.events = (target.attributes.statusCallbackEvent ?? 'completed').split(/[\s,]+/);
  }

  async post(event: string, status: string, extra: Record<string, string> = {}): Promise<void> {
    const callback = this.target.attributes.statusCallback;
    if (!callback || !this.events.includes(event)) return;
    const url = this.call.resolve('dialed', callback, this.documentUrl);
    if (!url) return;
    const params = { ...this.params, ...progressFields(status, this.sequence++), ...extra };
    const method = methodOf(this.target.attributes.statusCallbackMethod);
    await deliverCallback(this.call, { kind: 'dialed-call-status', leg: 'dialed', reason: 'dialed call status', url, method, params, extra: { CallStatus: status } });
  }
}

export interface StatusCallbackConfig {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  /** initiated, ringing, answered, completed (default completed only, as Twilio). */
  readonly events?: readonly string[];
}

export async function postCallStatus(call: SimulatedCall, config: StatusCallbackConfig | undefined, params: Record<string, string>, event: string, status: string, sequence: number): Promise<void> {
  if (!config || !(config.events ?? ['completed']).includes(event)) return;
  const extra = progressFields(status, sequence);
  if (event === 'completed') {
    extra.CallDuration = String(call.clock);
    extra.Duration = String(Math.ceil(call.clock / 60));
  }
  await deliverCallback(call, { kind: 'call-status', leg: 'call', reason: 'call status', url: config.url, method: config.method ?? 'POST', params: { ...params, ...extra }, extra: { CallStatus: status } });
}
