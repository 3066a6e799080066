// What the Twilio emulator's resource modules share: its settings, the resources it holds, the
// counters of what was created and the listeners a call driver subscribes with. Each resource
// module reads and changes this one object; `index.ts` creates it and resets it.
import type { CallCreatedEvent, CallUpdatedEvent, MutableCall } from './calls';
import { incomingNumbersFrom, type IncomingNumberSeed, type MutableIncomingNumber } from './incoming-phone-numbers';
import type { MessageRecord, MutableMessage } from './messages';
import type { RecordingResource } from './resources/recording';
import type { MutableTranscript, TranscriptContent, TranscriptRecord } from './transcripts';

export interface EmulatorConfig {
  readonly accountSid: string;
  readonly authToken: string;
  /** The emulator's clock (scheduled message windows, resource dates). */
  readonly now: () => Date;
  readonly autoCompleteTranscripts: boolean;
  readonly scheduleMinLeadSeconds: number;
  /** The account's Twilio numbers, when restricted. */
  readonly numbers?: ReadonlySet<string>;
  /** Messaging Service SIDs that exist, when restricted. */
  readonly messagingServiceSids?: ReadonlySet<string>;
  /** Transcript content after a reset. */
  readonly transcriptContent: TranscriptContent;
  /** The numbers the account owns (IncomingPhoneNumbers) after a reset. */
  readonly incomingNumbers: readonly IncomingNumberSeed[];
}

export interface Recipients {
  readonly optedOut: Set<string>;
  readonly landlines: Set<string>;
  readonly invalid: Set<string>;
}

export interface Listeners {
  readonly callCreated: Set<(e: CallCreatedEvent) => void>;
  readonly callUpdated: Set<(e: CallUpdatedEvent) => void>;
  readonly messageCreated: Set<(e: MessageRecord) => void>;
  readonly transcriptCreated: Set<(e: TranscriptRecord) => void>;
}

export interface EmulatorState {
  readonly config: EmulatorConfig;
  /** Recipient rules, changeable while running. */
  readonly recipients: Recipients;
  readonly listeners: Listeners;
  /** Content of transcripts finished from now on. */
  transcriptContent: TranscriptContent;
  calls: MutableCall[];
  messages: MutableMessage[];
  recordings: RecordingResource[];
  transcripts: MutableTranscript[];
  incomingNumbers: MutableIncomingNumber[];
  /** How many of each were created since the last reset (deletes do not count down). */
  created: { calls: number; messages: number; transcripts: number };
}

export function createState(config: EmulatorConfig, recipients: Recipients): EmulatorState {
  return {
    config,
    recipients,
    listeners: { callCreated: new Set(), callUpdated: new Set(), messageCreated: new Set(), transcriptCreated: new Set() },
    transcriptContent: config.transcriptContent,
    calls: [],
    messages: [],
    recordings: [],
    transcripts: [],
    incomingNumbers: incomingNumbersFrom(config.incomingNumbers, config.accountSid, config.now()),
    created: { calls: 0, messages: 0, transcripts: 0 },
  };
}

/** Forgets every resource and counter; settings, recipients and listeners stay. */
export function resetState(state: EmulatorState): void {
  state.calls = [];
  state.messages = [];
  state.recordings = [];
  state.transcripts = [];
  state.incomingNumbers = incomingNumbersFrom(state.config.incomingNumbers, state.config.accountSid, state.config.now());
  state.created = { calls: 0, messages: 0, transcripts: 0 };
  state.transcriptContent = state.config.transcriptContent;
}

export function notify<T>(listeners: Set<(value: T) => void>, value: T): void {
  for (const listener of listeners) {
    try {
      listener(value);
    } catch (err) {
      console.error('twilio emulator listener failed:', err);
    }
  }
}

