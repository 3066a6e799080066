// A call the project placed with calls.create: the callee answers (or not) and the driver executes
// its Url or inline Twiml, posting the status callbacks the project asked for. A call the Participants
// API placed joins its conference once answered.
import { isSipAddress, outboundCallParams } from '../call-params';
import type { LegLabels } from '../transcript';
import type { CallCreatedEvent } from '../../emulators/twilio';
import type { CallActor, CallResult, DriverOptions } from './actor-api';
import { finish, guarded } from './finish-call';
import { afterRedirect, inConference, type ConferenceTalk } from './conference';
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
  /** Placed by the Participants API: answered, it joins this conference (no Url or Twiml of its own). */
  readonly conference?: { readonly sid: string; readonly friendlyName: string; readonly label?: string };
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
    conference: event.conference,
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
  talk?: ConferenceTalk,
): Promise<CallResult> {
  const call = new SimulatedCall(options, actor, labels);
  const machine = answer === 'voicemail';
  const answeredBy = placed.machineDetection ? (machine ? 'machine_start' : 'human') : undefined;
  const params = outboundCallParams({ accountSid: options.accountSid, callSid: placed.sid, from: placed.from, to: placed.to, answeredBy });
  const statusCallback: StatusCallbackConfig | undefined = placed.statusCallback
    ? { url: placed.statusCallback, method: methodOf(placed.statusCallbackMethod), events: placed.statusCallbackEvent }
    : undefined;
  const state: LegState = { leg: 'call', params, answered: true, sip: isSipAddress(placed.to), machine, lastActedAt: 0, talk };
  return guarded(call, params, async () => {
    // The application may have cancelled the call (calls.update Status=canceled) before it rang.
    const before = options.twilio?.calls?.().find((c) => c.sid === placed.sid)?.resource.status;
    if (before === 'canceled' || before === 'completed') {
      call.note('call', `the application cancelled the call to ${placed.to} before it rang`);
      return finish(call, state, { by: 'app', cause: 'cancelled by the REST API', status: 'canceled' }, statusCallback, 0);
    }
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
    if (placed.conference) {
      end = await joinAsParticipant(call, state, placed.conference.friendlyName, talk);
    } else if (placed.url) {
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

/** A call the Participants API placed, answered: it joins its conference with the create's settings. */
async function joinAsParticipant(call: SimulatedCall, state: LegState, name: string, talk: ConferenceTalk | undefined): Promise<LegEnd> {
  const settings = { startConferenceOnEnter: true, endConferenceOnExit: false, muted: false, beep: 'true' };
  const { exit, end } = await inConference(call, state, name, settings, async () => {}, talk);
  if (end) return end;
  if (exit) call.emit({ kind: 'conference', leg: state.leg, name, action: 'leave', reason: exit.reason });
  if (exit?.reason === 'redirected') {
    const outcome = await afterRedirect(call, state, exit.params, '');
    if (outcome.kind === 'end') return outcome.end;
    if (outcome.kind === 'next') return call.runLeg(state, outcome.request);
  }
  if (exit?.reason === 'hung-up' && !exit.byApi) return { by: 'party', cause: 'hung up in the conference', status: 'completed' };
  // Out of the room with no TwiML of its own: Twilio hangs the call up.
  return { by: 'app', cause: exit?.reason === 'hung-up' ? 'hung up by the REST API' : 'left the conference', status: 'completed' };
}
