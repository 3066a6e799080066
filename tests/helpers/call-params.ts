// Parameters Twilio sends with a voice webhook, for tests that post one directly.
import { DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import { inboundCallParams } from '../../sandbox/simulator/call-params';

/** A new inbound call from Dana to the Support line, with `overrides` applied. */
export function voiceParams(accountSid: string, overrides: Record<string, string> = {}): Record<string, string> {
  return { ...inboundCallParams({ accountSid, from: DEMO_CALLERS.dana, to: DEMO_LINES.support }), ...overrides };
}
