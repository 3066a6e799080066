// A call the project placed with calls.create: the callee answers (or not) and the driver executes
// its Url or inline Twiml, posting the status callbacks the project asked for.
import { isSipAddress, outboundCallParams } from '../call-params';
import type { LegLabels } from '../transcript';
import type { CallCreatedEvent } from '../../emulators/twilio';
import type { CallActor, CallResult, DriverOptions } from './actor-api';
import { finish, guarded } from './finish-call';
import { methodOf, type LegEnd, type LegState } from './leg';
import { recordWholeCall } from './recordings';
import { SimulatedCall } from './simulated-call';
import { postCallStatus, type StatusCallbackConfig } from './status-callbacks';

/** A call the project placed with calls.create, as the Twilio emulator recorded it. */
export interface PlacedCall {
  readonly sid: string;
  readonly from: string;
  readonly to: string;
  readonly url?: string;
  readonly method?: string;
  readonly twiml?: string;
  readonly statusCallback?: string;
  readonly statusCallbackMethod?: string;
  /** Events asked for; Twilio sends only `completed` when none. */
  readonly statusCallbackEvent?: readonly string[];
  readonly machineDetection?: string;
  /** Record=true: the whole call is recorded. */
  readonly record?: boolean;
  readonly recordingStatusCallback?: string;
}

/** A call the Twilio emulator saw created, as the driver needs it. */
export function placedCallOf(event: CallCreatedEvent): PlacedCall {
  return {
    sid: event.call.sid,
    from: event.call.from,
    to: event.call.to,
    url: event.url,
    method: event.method,
    twiml: event.twiml,
    statusCallback: event.statusCallback,
    statusCallbackMethod: event.statusCallbackMethod,
    statusCallbackEvent: event.statusCallbackEvents.length ? event.statusCallbackEvents : undefined,
    machineDetection: event.machineDetection,
    record: event.record,
    recordingStatusCallback: event.recordingStatusCallback,
  };
}

export type OutboundAnswer = 'answer' | 'voicemail' | 'busy' | 'no-answer' | 'failed';

export const OUTBOUND_LABELS: LegLabels = { call: 'callee', dialed: 'dialed party' };

/** Executes a placed call as its callee answers it (or not). */
export async function runOutboundCall(
  options: DriverOptions,
  placed: PlacedCall,
  answer: OutboundAnswer,
  actor: CallActor,
  labels: LegLabels = OUTBOUND_LABELS,
): Promise<CallResult> {
  const call = new SimulatedCall(options, actor, labels);
  const machine = answer === 'voicemail';
  const answeredBy = placed.machineDetection ? (machine ? 'machine_start' : 'human') : undefined;
  const params = outboundCallParams({ accountSid: options.accountSid, callSid: placed.sid, from: placed.from, to: placed.to, answeredBy });
  const statusCallback: StatusCallbackConfig | undefined = placed.statusCallback
    ? { url: placed.statusCallback, method: methodOf(placed.statusCallbackMethod), events: placed.statusCallbackEvent }
    : undefined;
  const state: LegState = { leg: 'call', params, answered: true, sip: isSipAddress(placed.to), machine, lastActedAt: 0 };
  return guarded(call, params, async () => {
    const progress = { ...params, CallStatus: 'initiated' };
    await postCallStatus(call, statusCallback, progress, 'initiated', 'initiated', 0);
    call.setStatus(placed.sid, 'ringing');
    await postCallStatus(call, statusCallback, { ...progress, CallStatus: 'ringing' }, 'ringing', 'ringing', 1);
    if (answer === 'busy' || answer === 'no-answer' || answer === 'failed') {
      if (answer === 'no-answer') call.clock += 30;
      const cause = answer === 'failed' ? 'the call could not be placed' : `the callee did not answer (${answer})`;
      return finish(call, state, { by: 'party', cause, status: answer }, statusCallback, 2);
    }
    call.setStatus(placed.sid, 'in-progress', { answeredBy });
    if (machine) call.note('call', 'a voicemail answers');
    await postCallStatus(call, statusCallback, params, 'answered', 'in-progress', 2);
    let end: LegEnd;
    if (placed.url) {
      end = await call.runLeg(state, { url: placed.url, method: methodOf(placed.method), reason: 'call start', extra: {} });
    } else if (placed.twiml) {
      // Inline TwiML has no URL of its own: a relative URL in it cannot resolve, as at Twilio.
      end = await call.runInline(state, placed.twiml, '');
    } else {
      call.flag('call', 'the placed call has neither Url nor Twiml');
      end = { by: 'app', cause: 'nothing to execute', status: 'failed' };
    }
    if (placed.record && end.status === 'completed') await recordWholeCall(call, state, placed);
    return finish(call, state, end, statusCallback, 3);
  });
}
