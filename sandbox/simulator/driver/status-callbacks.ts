// Call progress callbacks: the call's own statusCallback (initiated, ringing, answered, completed)
// and those of a dialed <Number>/<Sip> leg.
import type { DialTarget } from './actor-api';
import { methodOf } from './leg';
import type { SimulatedCall } from './simulated-call';

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
    const fields = { CallStatus: status, SequenceNumber: String(this.sequence++), CallbackSource: 'call-progress-events', Timestamp: new Date().toUTCString(), ...extra };
    await this.call.request('dialed', 'dialed call status', url, methodOf(this.target.attributes.statusCallbackMethod), { ...this.params, ...fields }, { CallStatus: status });
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
  const extra: Record<string, string> = { CallStatus: status, CallbackSource: 'call-progress-events', SequenceNumber: String(sequence), Timestamp: new Date().toUTCString() };
  if (event === 'completed') {
    extra.CallDuration = String(call.clock);
    extra.Duration = String(Math.ceil(call.clock / 60));
  }
  await call.request('call', 'call status', config.url, config.method ?? 'POST', { ...params, ...extra }, { CallStatus: status });
}
