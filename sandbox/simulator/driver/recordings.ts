// Recordings the driver makes: a recorded <Dial>'s bridge and a whole call placed with Record=true,
// filed with the Twilio emulator when there is one, and their recordingStatusCallback posts.
import { rfc2822 } from '../../emulators/twilio/resources/common';
import { newSid } from '../call-params';
import type { SimulatedRecording } from './actor-api';
import { deliverCallback } from './callbacks';
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
  const params: Record<string, string> =
    filed && twilio
      ? twilio.recordingCallbackParams(sid)
      : {
          ...recordingParams(call, { sid, callSid, url: recordingUrl(call, sid), duration: call.clock, channels: 1 }, 'completed', 'OutboundAPI'),
          ErrorCode: '0',
        };
  const extra = { RecordingStatus: 'completed', RecordingSid: sid };
  await deliverCallback(call, { kind: 'recording', leg: 'call', reason: 'recording status', url: placed.recordingStatusCallback, method: 'POST', params, extra });
}

function recordingUrl(call: SimulatedCall, sid: string): string {
  return `https://api.twilio.com/2010-04-01/Accounts/${call.options.accountSid}/Recordings/${sid}`;
}

/** The recording callback's parameters when there is no emulator to ask (or the recording is still going). */
function recordingParams(call: SimulatedCall, recording: Omit<SimulatedRecording, 'callbackParams'>, status: string, source: string): Record<string, string> {
  return {
    AccountSid: call.options.accountSid,
    CallSid: recording.callSid,
    RecordingSid: recording.sid,
    RecordingUrl: recording.url,
    RecordingStatus: status,
    RecordingDuration: status === 'completed' ? String(recording.duration) : '0',
    RecordingChannels: String(recording.channels),
    RecordingStartTime: rfc2822(new Date()),
    RecordingSource: source,
  };
}

/**
 * recordingStatusCallback, for the events asked in recordingStatusCallbackEvent (default completed).
 * A finished recording reports what the emulator filed (ErrorCode included); one in progress reports
 * its start, with no duration yet.
 */
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
  const filed = recording.callbackParams;
  const params: Record<string, string> =
    event === 'completed'
      ? { ...(filed ?? { ...recordingParams(call, recording, event, 'DialVerb'), ErrorCode: '0' }) }
      : { ...recordingParams(call, recording, event, 'DialVerb'), ...(filed?.RecordingStartTime ? { RecordingStartTime: filed.RecordingStartTime } : {}) };
  const extra = { RecordingStatus: event, RecordingSid: recording.sid };
  const method = methodOf(dialAttributes.recordingStatusCallbackMethod);
  await deliverCallback(call, { kind: 'recording', leg: state.leg, reason: 'recording status', url, method, params, extra });
}
