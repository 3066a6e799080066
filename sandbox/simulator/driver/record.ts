// <Record>: the party leaves a message (or not) and Twilio's documented order follows. The beep
// (playBeep), then the message until a finishOnKey key, the silence `timeout`, `maxLength` or a hang-up.
// A kept recording is filed with the Twilio emulator (source RecordVerb) and the `action` gets
// RecordingUrl, RecordingDuration and Digits (the key that ended it, or "hangup"); its
// recordingStatusCallback follows. An empty recording (silence, or a finish key at once) requests no
// action: the call goes on with the next verb, and only an `absent` event is reported when asked for.
import { rfc2822 } from '../../emulators/twilio/resources/common';
import { newSid } from '../call-params';
import type { TwimlElement } from '../twiml-document';
import type { PartyInput } from '../transcript';
import { deliverCallback } from './callbacks';
import { CONTINUE, integerOf, methodOf, type LegState, type VerbOutcome } from './leg';
import type { SimulatedCall } from './simulated-call';

const SPEAKING_WORDS_PER_SECOND = 2.5;
const DEFAULT_FINISH_KEYS = '1234567890*#';

interface Recorded {
  readonly seconds: number;
  /** What ended the recording: a key, "hangup", or nothing (silence timeout, maxLength). */
  readonly digits?: string;
  readonly hungUp: boolean;
}

/** How long the party spoke and what ended the recording, from what they did at the prompt. */
function recordedFrom(call: SimulatedCall, state: LegState, input: PartyInput, finishOnKey: string, maxLength: number): Recorded {
  switch (input.kind) {
    case 'hangup':
      return { seconds: 0, digits: 'hangup', hungUp: true };
    case 'silence':
      return { seconds: 0, hungUp: false };
    case 'digits': {
      const key = [...input.digits].find((digit) => finishOnKey.includes(digit));
      if (!key) call.note(state.leg, `keys ${input.digits} are not finish keys of this <Record>: recorded as silence`);
      return { seconds: 0, digits: key, hungUp: false };
    }
    case 'speech':
    case 'message': {
      const spoken = input.kind === 'message' && input.seconds !== undefined ? input.seconds : Math.max(1, Math.ceil(input.text.split(/\s+/).length / SPEAKING_WORDS_PER_SECOND));
      if (spoken >= maxLength) {
        call.note(state.leg, `the message reaches maxLength (${maxLength}s) and is cut there`);
        return { seconds: maxLength, hungUp: false };
      }
      const end = input.kind === 'message' ? (input.end ?? 'key') : 'silence';
      if (end === 'hangup') return { seconds: spoken, digits: 'hangup', hungUp: true };
      const key = input.kind === 'message' ? (input.key ?? '#') : undefined;
      if (end === 'key' && key && finishOnKey.includes(key)) return { seconds: spoken, digits: key, hungUp: false };
      if (end === 'key') call.note(state.leg, `${key ?? '#'} is not a finish key of this <Record>: it ends after the silence timeout`);
      return { seconds: spoken, hungUp: false };
    }
  }
}

export async function record(call: SimulatedCall, state: LegState, verb: TwimlElement, documentUrl: string): Promise<VerbOutcome> {
  const attributes = verb.attributes;
  const finishOnKey = attributes.finishOnKey ?? DEFAULT_FINISH_KEYS;
  const timeout = integerOf(attributes.timeout, 5);
  const maxLength = integerOf(attributes.maxLength, 3600);
  const playBeep = attributes.playBeep !== 'false';
  const action = attributes.action === undefined ? documentUrl : call.resolve(state.leg, attributes.action, documentUrl);
  if (!action) return { kind: 'end', end: call.applicationError(state) };
  if (attributes.transcribe === 'true') call.note(state.leg, '<Record transcribe> is not simulated (English only, 2-120 s at Twilio)');
  call.emit({ kind: 'record', leg: state.leg, maxLength, finishOnKey, timeout, playBeep, action });

  const input: PartyInput = state.machine
    ? { kind: 'silence' }
    : await call.actor.gather({
        verb: 'Record',
        leg: state.leg,
        input: ['record'],
        finishOnKey,
        timeout,
        language: 'en-US',
        heard: call.heardSince(state.leg, state.lastActedAt),
        events: call.events,
      });
  call.emit({ kind: 'input', leg: state.leg, input });
  state.lastActedAt = call.events.length;
  const recorded = recordedFrom(call, state, input, finishOnKey, maxLength);
  call.clock += recorded.seconds + (recorded.digits ? 0 : timeout);

  if (recorded.seconds === 0) {
    await postRecordStatus(call, state, attributes, documentUrl, 'absent');
    if (recorded.hungUp) return { kind: 'end', end: { by: 'party', cause: 'hung up at the <Record> prompt', status: 'completed' } };
    call.note(state.leg, 'empty recording: Twilio requests no action and goes on with the next verb');
    return CONTINUE;
  }

  const callSid = state.params.CallSid ?? '';
  const filed = call.options.twilio?.addRecording(callSid, { durationSeconds: recorded.seconds, channels: 1, source: 'RecordVerb', track: 'inbound' });
  const sid = filed?.sid ?? newSid('RE');
  const url = `https://api.twilio.com/2010-04-01/Accounts/${call.options.accountSid}/Recordings/${sid}`;
  call.emit({ kind: 'recording', leg: state.leg, recordingSid: sid, duration: recorded.seconds, channels: 1 });
  const extra: Record<string, string> = { RecordingUrl: url, RecordingDuration: String(recorded.seconds), ...(recorded.digits ? { Digits: recorded.digits } : {}) };
  const afterResponse = () => postRecordStatus(call, state, attributes, documentUrl, 'completed', { sid, url, seconds: recorded.seconds });
  if (!recorded.hungUp) return { kind: 'next', request: { url: action, method: methodOf(attributes.method), reason: 'record action', extra, afterResponse } };
  // The caller hung up after speaking: Twilio still reports the recording to the action; its answer does not run.
  state.params.CallStatus = 'completed';
  const answered = await call.request(state.leg, 'record action', action, methodOf(attributes.method), { ...state.params, ...extra }, extra);
  if (answered?.body.trim()) await call.readTwiml(state.leg, answered, action);
  await afterResponse();
  return { kind: 'end', end: { by: 'party', cause: 'hung up after leaving a message', status: 'completed' } };
}

/**
 * recordingStatusCallback of a <Record>, for the events asked in recordingStatusCallbackEvent (default
 * completed): the parameters of Twilio's recording status callback, RecordingSource RecordVerb.
 */
async function postRecordStatus(
  call: SimulatedCall,
  state: LegState,
  attributes: Readonly<Record<string, string>>,
  documentUrl: string,
  event: 'completed' | 'absent',
  recording?: { readonly sid: string; readonly url: string; readonly seconds: number },
): Promise<void> {
  const events = (attributes.recordingStatusCallbackEvent ?? 'completed').split(/[\s,]+/);
  if (!attributes.recordingStatusCallback || !events.includes(event)) return;
  const url = call.resolve(state.leg, attributes.recordingStatusCallback, documentUrl);
  if (!url) return;
  const twilio = call.options.twilio;
  const sid = recording?.sid ?? newSid('RE');
  const params: Record<string, string> =
    recording && twilio
      ? twilio.recordingCallbackParams(recording.sid)
      : {
          AccountSid: call.options.accountSid,
          CallSid: state.params.CallSid ?? '',
          RecordingSid: sid,
          RecordingUrl: recording?.url ?? `https://api.twilio.com/2010-04-01/Accounts/${call.options.accountSid}/Recordings/${sid}`,
          RecordingStatus: event,
          RecordingDuration: String(recording?.seconds ?? 0),
          RecordingChannels: '1',
          RecordingStartTime: rfc2822(new Date()),
          RecordingSource: 'RecordVerb',
          ErrorCode: event === 'absent' ? '16102' : '0',
        };
  await deliverCallback(call, { kind: 'recording', leg: state.leg, reason: 'recording status', url, method: methodOf(attributes.recordingStatusCallbackMethod), params, extra: { RecordingStatus: event, RecordingSid: sid } });
}
