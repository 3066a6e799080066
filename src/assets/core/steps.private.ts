// What the caller hears next, as data. The core decides a Step; `renderStep` turns it into TwiML.
import type { Language } from './model.private';

/** One spoken sentence, in the line's language and voice. */
export interface Utterance {
  readonly text: string;
  readonly language: Language;
  readonly voice?: string;
}

export type Step =
  /** Ask and listen (speech and keys). On silence, Twilio falls through to `onSilence`. */
  | {
      readonly kind: 'gather';
      readonly prompt: readonly Utterance[];
      readonly action: string;
      readonly language: Language;
      readonly hints?: readonly string[];
      readonly numDigits?: number;
      readonly timeoutSeconds?: number;
      /**
       * Default speech and keys; keys only for a number typed on the keypad (ended with #), or an agent's
       * accept key, where a voicemail greeting must not count.
       */
      readonly keysOnly?: boolean;
      readonly onSilence: string;
    }
  | { readonly kind: 'say-and-hangup'; readonly say: readonly Utterance[] }
  | { readonly kind: 'say-and-redirect'; readonly say: readonly Utterance[]; readonly url: string }
  /** Say, then let the document end: in a <Dial> whisper, the end of the document connects the call. */
  | { readonly kind: 'say-and-connect'; readonly say: readonly Utterance[] }
  /** Connect the caller to a number; the agent hears `whisperUrl` first. */
  | {
      readonly kind: 'dial';
      readonly say: readonly Utterance[];
      readonly number: string;
      readonly callerId?: string;
      readonly action: string;
      readonly whisperUrl?: string;
      readonly timeoutSeconds: number;
      /** The caller keeps hearing ringing (not silence) until the agent's leg is connected. */
      readonly answerOnBridge?: boolean;
      readonly record?: { readonly statusCallback: string };
    }
  /** Hand a SIP call to `sipUri` by SIP REFER; `action` learns whether the far end took it. */
  | { readonly kind: 'refer'; readonly say: readonly Utterance[]; readonly sipUri: string; readonly action: string }
  /**
   * Record a message after the beep (# ends it): `action` hears how it ended, `recordingStatusCallback`
   * when the recording is stored. Twilio requests no action for an empty recording and goes on with the
   * next verb: the redirect to `onEmpty`.
   */
  | {
      readonly kind: 'record';
      readonly say: readonly Utterance[];
      readonly action: string;
      readonly maxSeconds: number;
      /** Seconds of silence that end the message. */
      readonly silenceSeconds: number;
      readonly recordingStatusCallback: string;
      readonly onEmpty: string;
    }
  /** A ring group's room: the caller waits in it (hold music) until an agent who accepted joins it. */
  | ConferenceStep;

/**
 * `<Dial><Conference>` after `say`. The participant label is unique in a room (Twilio's 16025: a second
 * participant with the same label is not added and the call goes on to the next verb), so the one agent
 * label decides who takes a caller; `then` is that next verb, a redirect.
 */
export interface ConferenceStep {
  readonly kind: 'conference';
  readonly say: readonly Utterance[];
  readonly room: string;
  readonly label: string;
  readonly startConferenceOnEnter: boolean;
  readonly endConferenceOnExit: boolean;
  /** The <Dial> action, when the room ends for this participant. */
  readonly action?: string;
  /** The room's status callback (the first participant's is the room's), for join and end. */
  readonly statusCallback?: string;
  readonly then?: string;
}

export type StepKind = Step['kind'];
