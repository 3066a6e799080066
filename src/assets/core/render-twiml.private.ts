// The one place that turns a Step into TwiML, always through the twilio library's builders.
// The TwiML builders only, not the package's entry: `twilio` loads the whole REST client (about 200 ms
// of a cold start), which a Function that only answers TwiML never uses.
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import type { ConferenceStep, Step, Utterance } from './steps.private';

type SayParent = Pick<VoiceResponse, 'say'>;

// A voice name from Airtable is only passed to Twilio when it looks like one Twilio knows;
// anything else would make Twilio reject the whole document.
const VOICE = /^(man|woman|alice|Polly\.[A-Za-z-]+|Google\.[A-Za-z]{2,3}-[A-Za-z0-9-]+)$/;

function say(parent: SayParent, utterance: Utterance): void {
  const attributes: Record<string, string> = { language: utterance.language };
  if (utterance.voice && VOICE.test(utterance.voice)) attributes.voice = utterance.voice;
  parent.say(attributes as Parameters<VoiceResponse['say']>[0], utterance.text);
}

export function renderStep(step: Step): VoiceResponse {
  const response = new VoiceResponse();
  switch (step.kind) {
    case 'gather': {
      const gather = response.gather({
        input: step.keysOnly ? ['dtmf'] : ['speech', 'dtmf'],
        ...(step.keysOnly ? { finishOnKey: '#' } : {}),
        action: step.action,
        method: 'POST',
        language: step.language,
        ...(step.keysOnly ? {} : { speechTimeout: 'auto' }),
        timeout: step.timeoutSeconds ?? 5,
        ...(step.numDigits ? { numDigits: step.numDigits } : {}),
        ...(step.hints && step.hints.length > 0 ? { hints: step.hints.join(', ') } : {}),
      });
      step.prompt.forEach((u) => say(gather, u));
      response.redirect({ method: 'POST' }, step.onSilence);
      return response;
    }
    case 'say-and-hangup':
      step.say.forEach((u) => say(response, u));
      response.hangup();
      return response;
    case 'say-and-redirect':
      step.say.forEach((u) => say(response, u));
      response.redirect({ method: 'POST' }, step.url);
      return response;
    case 'say-and-connect':
      step.say.forEach((u) => say(response, u));
      return response;
    case 'refer': {
      step.say.forEach((u) => say(response, u));
      response.refer({ action: step.action, method: 'POST' }).sip(step.sipUri);
      return response;
    }
    case 'dial': {
      step.say.forEach((u) => say(response, u));
      const dial = response.dial({
        action: step.action,
        method: 'POST',
        timeout: step.timeoutSeconds,
        ...(step.callerId ? { callerId: step.callerId } : {}),
        ...(step.answerOnBridge ? { answerOnBridge: true } : {}),
        ...(step.record
          ? {
              record: 'record-from-answer-dual' as const,
              recordingStatusCallback: step.record.statusCallback,
              recordingStatusCallbackMethod: 'POST',
              recordingStatusCallbackEvent: ['completed'],
            }
          : {}),
      });
      dial.number(step.whisperUrl ? { url: step.whisperUrl, method: 'POST' } : {}, step.number);
      return response;
    }
    case 'record':
      step.say.forEach((u) => say(response, u));
      response.record({
        action: step.action,
        method: 'POST',
        maxLength: step.maxSeconds,
        finishOnKey: '#',
        timeout: step.silenceSeconds,
        playBeep: true,
        trim: 'trim-silence',
        recordingStatusCallback: step.recordingStatusCallback,
        recordingStatusCallbackMethod: 'POST',
        recordingStatusCallbackEvent: ['completed'],
      });
      response.redirect({ method: 'POST' }, step.onEmpty);
      return response;
    case 'conference':
      renderConference(response, step);
      return response;
    default: {
      const unreachable: never = step;
      throw new Error(`unknown step ${(unreachable as Step).kind}`);
    }
  }
}

/** A ring group's room; Twilio's own hold music (the default waitUrl) plays until the room starts. */
function renderConference(response: VoiceResponse, step: ConferenceStep): void {
  step.say.forEach((u) => say(response, u));
  const dial = response.dial(step.action ? { action: step.action, method: 'POST' } : {});
  dial.conference(
    {
      participantLabel: step.label,
      startConferenceOnEnter: step.startConferenceOnEnter,
      endConferenceOnExit: step.endConferenceOnExit,
      beep: 'false',
      ...(step.statusCallback ? { statusCallback: step.statusCallback, statusCallbackMethod: 'POST', statusCallbackEvent: ['join', 'end'] } : {}),
    },
    step.room,
  );
  if (step.then) response.redirect({ method: 'POST' }, step.then);
}

/** Messaging TwiML for a reply to an incoming text: a <Message> per body, or an empty <Response> for no reply. */
export function renderMessageReply(...bodies: readonly (string | undefined)[]): string {
  const response = new MessagingResponse();
  for (const body of bodies) if (body) response.message(body);
  return response.toString();
}
