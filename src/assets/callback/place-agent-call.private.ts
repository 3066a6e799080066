// Places the agent-first call of one callback attempt through Twilio's REST API. Never retried: a
// create that timed out may still have placed the call, so the answer says which case it was.
import { twilioClientFor } from '../adapters/twilio-client.private';
import type { Config } from '../shell/config.private';
import type { Line } from '../core/model.private';
import type { CallbackRow } from '../adapters/callbacks-table.private';
import { AGENT_RING_SECONDS, attemptQuery } from './decide-callback.private';

export type PlaceOutcome =
  | { readonly kind: 'placed'; readonly callSid: string }
  /** Twilio answered with an error: no call exists. */
  | { readonly kind: 'refused'; readonly code?: number; readonly error: unknown }
  /** No answer in time (or no client): the call may or may not exist; its status callback will tell. */
  | { readonly kind: 'unknown'; readonly error: unknown };

/** Below this much time left, a create could not get its answer back: do not send it. */
const MIN_CREATE_MS = 600;

/**
 * Rings `line`'s agent (Fallback Transfer Number) from the line's number. The agent's TwiML and the status
 * callback carry the row and the attempt, so every later webhook knows which attempt it is about.
 */
export async function placeAgentCall(config: Config, line: Line, row: CallbackRow, attempt: number, deadline: number): Promise<PlaceOutcome> {
  const left = deadline - Date.now();
  const client = left >= MIN_CREATE_MS ? twilioClientFor(config, left) : undefined;
  if (!client || !config.publicBaseUrl || !line.fallbackTransferNumber) {
    return { kind: 'refused', error: new Error('cannot place calls: Twilio client, public URL or agent number missing') };
  }
  const query = attemptQuery(row.id, attempt);
  try {
    const call = await client.calls.create({
      to: line.fallbackTransferNumber,
      from: line.phoneNumber,
      url: `${config.publicBaseUrl}/callback/agent?${query}`,
      method: 'POST',
      statusCallback: `${config.publicBaseUrl}/callback/status?${query}`,
      statusCallbackMethod: 'POST',
      // `initiated` lets the row learn the call's SID even when whoever placed it could not write it.
      statusCallbackEvent: ['initiated', 'completed'],
      timeout: AGENT_RING_SECONDS,
      // No machineDetection: the agent presses 1 (Agent Must Accept) or hears the whisper; detection would only delay them.
    });
    return { kind: 'placed', callSid: call.sid };
  } catch (error) {
    const status = (error as { status?: number } | undefined)?.status;
    const code = (error as { code?: number } | undefined)?.code;
    return typeof status === 'number' && status >= 400 && status < 500 ? { kind: 'refused', code, error } : { kind: 'unknown', error };
  }
}
