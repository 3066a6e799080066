// The call driver's public types: its options, what it asks a CallActor (the people on the line
// and the far end of a <Dial> or <Refer>), and what a finished call reports.
import type { Leg, LegLabels, PartyInput, TranscriptEvent } from '../transcript';
import type { Transport } from '../webhook-transport';
import type { TwilioEmulator } from '../../emulators/twilio';
import type { CallbackDeliveryOptions } from './callbacks';

export interface DriverOptions {
  readonly authToken: string;
  readonly accountSid: string;
  /** Defaults to signed HTTP requests. */
  readonly transport?: Transport;
  /** Check every TwiML document against the schema of the installed twilio package (default true). */
  readonly validate?: boolean;
  /** Sees each event as it happens (the interactive CLI prints them). */
  readonly onEvent?: (event: TranscriptEvent) => void;
  /**
   * The Twilio emulator, when the application runs against one: the driver registers inbound calls,
   * moves calls through their statuses and files recordings there, as Twilio would, so the
   * application can fetch them.
   */
  readonly twilio?: TwilioHooks;
  /** Callbacks (status, recording) delivered twice or after the call has ended, for idempotency tests. */
  readonly callbacks?: CallbackDeliveryOptions;
}

/** What the driver asks of the Twilio emulator; `fileCallback` keeps the callbacks it sent, to send again. */
export type TwilioHooks = Pick<TwilioEmulator, 'addInboundCall' | 'setCallStatus' | 'addRecording' | 'recordingCallbackParams'> &
  Partial<Pick<TwilioEmulator, 'fileCallback' | 'joinConference' | 'leaveConference' | 'conferences' | 'calls' | 'onCallCreated' | 'callbacksSettled'>>;

export interface SimulatedRecording {
  readonly sid: string;
  readonly callSid: string;
  readonly url: string;
  readonly duration: number;
  readonly channels: number;
  /** What the emulator says Twilio posts for this recording, when there is an emulator. */
  readonly callbackParams?: Readonly<Record<string, string>>;
}

export interface GatherPrompt {
  /** Gather: keys or words for the application; Record: a message to record (see PartyInput `message`). */
  readonly verb: 'Gather' | 'Record';
  readonly leg: Leg;
  readonly input: readonly string[];
  readonly numDigits?: number;
  readonly finishOnKey: string;
  readonly timeout: number;
  readonly language: string;
  /** What this party has heard since it last acted. */
  readonly heard: readonly string[];
  readonly events: readonly TranscriptEvent[];
}

export interface DialTarget {
  readonly kind: 'number' | 'sip' | 'client' | 'conference' | 'queue' | 'other';
  readonly address: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface DialRequest {
  readonly targets: readonly DialTarget[];
  readonly callerId: string;
  readonly timeout: number;
  readonly record?: string;
  readonly events: readonly TranscriptEvent[];
}

export type DialAnswer =
  | {
      readonly result: 'answered';
      /** Which target answers when several ring; the first by default. */
      readonly target?: string;
      /** A machine answered: it hears the whisper and never presses anything. */
      readonly machine?: boolean;
      /** How long the bridged parties talk (default 45 s). */
      readonly talkSeconds?: number;
      /** Who ends a bridged call (default the caller); when the agent does, the caller goes on to the action. */
      readonly hungUpBy?: 'caller' | 'agent';
      /** Report another DialCallStatus than `completed` (e.g. `answered`). */
      readonly reportStatus?: string;
    }
  | { readonly result: 'busy' | 'no-answer' | 'failed' | 'canceled'; readonly reportStatus?: string }
  /**
   * A <Dial> of several <Number>/<Sip> nouns: one answer per noun, in document order. They all ring; the
   * first (in this order) that picks up — a person or a voicemail — is connected and the others are
   * cancelled, as Twilio does. A missing answer does not pick up (no-answer).
   */
  | { readonly result: 'legs'; readonly legs: readonly DialAnswer[] };

export interface ReferRequest {
  readonly target: string;
  readonly events: readonly TranscriptEvent[];
}

export interface ReferAnswer {
  /**
   * accepted: the SIP side took the call (the call leaves Twilio); busy, no-answer, failed: it accepted
   * the REFER (202) but the new call did not go through (NOTIFY 486, 487, 500); rejected: it refused
   * the REFER itself (603, or `referSipResponseCode`, e.g. 405), so no NOTIFY; canceled: the caller
   * hung up before the transfer completed.
   */
  readonly result: 'accepted' | 'busy' | 'no-answer' | 'rejected' | 'failed' | 'canceled';
  readonly referSipResponseCode?: string;
  readonly notifySipResponseCode?: string;
}

export interface HoldRequest {
  /** The conference the party waits in, hearing its hold audio until it starts. */
  readonly room: string;
  readonly events: readonly TranscriptEvent[];
}

/** The people on the line: what they press or say, and how the far end of a <Dial> or <Refer> answers. */
export interface CallActor {
  gather(prompt: GatherPrompt): Promise<PartyInput>;
  dial(request: DialRequest): Promise<DialAnswer>;
  refer(request: ReferRequest): Promise<ReferAnswer>;
  /** Whether the party, holding in a conference not yet started, hangs up; absent: it waits. */
  hold?(request: HoldRequest): Promise<'hangup' | 'wait'>;
}

export interface CallResult {
  readonly callSid: string;
  readonly params: Readonly<Record<string, string>>;
  readonly events: readonly TranscriptEvent[];
  /** Problems Twilio would log (HTTP errors, invalid TwiML, error codes): a test should fail on any. */
  readonly errors: readonly string[];
  readonly status: string;
  readonly endedBy: 'app' | 'party' | 'transfer';
  readonly duration: number;
  readonly labels: LegLabels;
}

/** Thrown when the actor (a script) cannot go on; carries what happened so far. */
export class CallAborted extends Error {
  constructor(
    message: string,
    readonly record: CallResult,
  ) {
    super(message);
    this.name = 'CallAborted';
  }
}

export const APPLICATION_ERROR_PROMPT = "We're sorry, an application error has occurred. Goodbye.";
