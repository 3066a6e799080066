// How a simulated call ends: the final status, its callback and the CallResult; and the guard that
// turns an actor's failure into CallAborted with what happened so far.
import { CallAborted, type CallResult } from './actor-api';
import type { LegEnd, LegState } from './leg';
import type { SimulatedCall } from './simulated-call';
import { postCallStatus, type StatusCallbackConfig } from './status-callbacks';

export async function finish(call: SimulatedCall, state: LegState, end: LegEnd, statusCallback: StatusCallbackConfig | undefined, sequence: number): Promise<CallResult> {
  call.emit({ kind: 'ended', leg: 'call', by: end.by, cause: end.cause, status: end.status });
  state.params.CallStatus = end.status;
  call.setStatus(state.params.CallSid ?? '', end.status, { durationSeconds: call.clock });
  await postCallStatus(call, statusCallback, state.params, 'completed', end.status, sequence);
  return call.record(state.params, end);
}

export async function guarded(call: SimulatedCall, params: Record<string, string>, run: () => Promise<CallResult>): Promise<CallResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CallAborted) throw error;
    throw new CallAborted((error as Error).message, call.record(params, { by: 'party', cause: 'aborted', status: 'in-progress' }));
  }
}
