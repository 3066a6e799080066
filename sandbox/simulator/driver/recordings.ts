// Recordings the driver makes: a recorded <Dial>'s bridge and a whole call placed with Record=true,
// filed with the Twilio emulator when there is one, and their recordingStatusCallback posts.
import { newSid } from '../call-params';
import type { SimulatedRecording } from './actor-api';
import { methodOf, type LegState } from './leg';
import type { PlacedCall } from './outbound-call';
import type { SimulatedCall } from './simulated-call';

export function makeRecording(call: SimulatedCall, state: LegState, record: string, seconds: number): SimulatedRecording {
  const callSid = state.params.CallSid ?? '';
  const channels = record.endsWith('-dual') ? 2 : 1;
  const twilio = call.options.twilio;
  if (twilio) {
    const filed = twilio.addRecording(callSid, { durationSeconds: seconds, channels, source: 'DialVerb' });
    const callbackParams = twilio.recordingCallbackParams(filed.sid);
    return { sid: filed.sid, callSid, url: callbackParams.RecordingUrl ?? '', duration: seconds, channels, callbackParams };
  }
  const sid = newSid('RE');
  return { sid, callSid, url: `https://api.twilio.com/2010-04-01/Accounts/${call.options.accountSid}/Recordings/${sid}`, duration: seconds, channels };
}

/** calls.create with Record=true: one recording of the whole call, reported when it ends. */
export async function recordWholeCall(call: SimulatedCall, state: LegState, placed: PlacedCall): Promise<void> {
  const callSid = state.params.CallSid ?? '';
  const twilio = call.options.twilio;
  const filed = twilio?.addRecording(callSid, { durationSeconds: call.clock, channels: 1, source: 'OutboundAPI' });
  const sid = filed?.sid ?? newSid('RE');
  call.emit({ kind: 'recording', leg: 'call', recordingSid: sid, duration: call.clock, channels: 1 });
  if (!placed.recordingStatusCallback) return;
  const params: Record<string, string> = {
    AccountSid: call.options.accountSid,
    CallSid: callSid,
    RecordingSid: sid,
    RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${call.options.accountSid}/Recordings/${sid}`,
    RecordingStatus: 'completed',
    RecordingDuration: String(call.clock),
    RecordingChannels: '1',
    RecordingSource: 'OutboundAPI',
    ...(filed && twilio ? twilio.recordingCallbackParams(sid) : {}),
    ErrorCode: '0',
  };
  await call.request('call', 'recording status', placed.recordingStatusCallback, 'POST', params, { RecordingStatus: 'completed', RecordingSid: sid });
}

/** recordingStatusCallback, for the events asked in recordingStatusCallbackEvent (default completed). */
export async function postRecording(
  call: SimulatedCall,
  state: LegState,
  dialAttributes: Readonly<Record<string, string>>,
  recording: SimulatedRecording,
  documentUrl: string,
  event: 'in-progress' | 'completed',
): Promise<void> {
  if (event === 'completed') {
    call.emit({ kind: 'recording', leg: state.leg, recordingSid: recording.sid, duration: recording.duration, channels: recording.channels });
  }
  const events = (dialAttributes.recordingStatusCallbackEvent ?? 'completed').split(/[\s,]+/);
  if (!dialAttributes.recordingStatusCallback || !events.includes(event)) return;
  const url = call.resolve(state.leg, dialAttributes.recordingStatusCallback, documentUrl);
  if (!url) return;
  const params: Record<string, string> = {
    AccountSid: call.options.accountSid,
    CallSid: recording.callSid,
    RecordingSid: recording.sid,
    RecordingUrl: recording.url,
    RecordingStatus: event,
    RecordingDuration: event === 'completed' ? String(recording.duration) : '0',
    RecordingChannels: String(recording.channels),
    RecordingSource: 'DialVerb',
    RecordingTrack: 'both',
    RecordingStartTime: new Date().toUTCString(),
  };
  if (event === 'completed') Object.assign(params, recording.callbackParams, { ErrorCode: '0' });
  const extra = { RecordingStatus: event, RecordingSid: recording.sid };
  await call.request(state.leg, 'recording status', url, methodOf(dialAttributes.recordingStatusCallbackMethod), params, extra);
}
