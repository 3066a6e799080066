// What the Twilio emulator's resource modules share: its settings, the resources it holds, the
// counters of what was created and the listeners a call driver subscribes with. Each resource
// module reads and changes this one object; `index.ts` creates it and resets it.
import type { CallCreatedEvent, CallUpdatedEvent, MutableCall } from './calls';
import type { MutableConference } from './conferences';
import { incomingNumbersFrom, type IncomingNumberSeed, type MutableIncomingNumber } from './incoming-phone-numbers';
import type { MessageRecord, MutableMessage } from './messages';
import type { RecordingResource } from './resources/recording';
import type { RecordingCallback } from './recordings';
import type { IntelligenceWebhook, ServiceSettings } from './intelligence-services';
import type { MutableTranscript, TranscriptContent, TranscriptRecord } from './transcripts';
import type { CallbackDelivery } from './webhooks';

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
  /** Time between a message's status changes (queued → sent → delivered), each with its status callback. */
  readonly messageStatusIntervalMs: number;
  /** The numbers the account owns (IncomingPhoneNumbers) after a reset. */
  readonly incomingNumbers: readonly IncomingNumberSeed[];
  /** The Intelligence webhook of services without their own, at start. */
  readonly intelligenceWebhook?: IntelligenceWebhook;
}

export interface Recipients {
  /** Texted STOP: 21610 at create. */
  readonly optedOut: Set<string>;
  /** Known not to take texts: 21614 at create. */
  readonly landlines: Set<string>;
  readonly invalid: Set<string>;
  /** Not reachable by SMS: 21612 at create. */
  readonly unreachable: Set<string>;
  /** Numbers or country-code prefixes outside the account's Geo Permissions: 21408 at create. */
  readonly noRegionPermission: Set<string>;
  /**
   * Accepted, then never delivered: `undelivered` with 30006 on the status callback, as Twilio does
   * for US, Canadian and UK landlines it cannot tell apart at create time.
   */
  readonly undeliverable: Set<string>;
}

/**
 * When each call was answered and each recording started, to the millisecond: the resources show
 * Twilio's whole-second RFC 2822 dates, and two moments a few milliseconds apart can fall either side
 * of a second (a recording started just after the answer must not lose a second of its length).
 */
export const startedAtMs = new WeakMap<object, number>();

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
  /** Conferences, active and completed, in the order they were made. */
  conferences: MutableConference[];
  messages: MutableMessage[];
  recordings: RecordingResource[];
  /** The status callback of each recording the Call Recordings API started, by recording SID. */
  recordingCallbacks: Map<string, RecordingCallback>;
  transcripts: MutableTranscript[];
  incomingNumbers: MutableIncomingNumber[];
  /** How many of each were created since the last reset (deletes do not count down). */
  created: { calls: number; messages: number; transcripts: number };
  /** The Intelligence webhook of every service without its own (a setting: a reset keeps it). */
  intelligenceWebhook?: IntelligenceWebhook;
  /** Intelligence services changed by an update (their webhook, names, flags). */
  intelligenceServices: Map<string, ServiceSettings>;
  /** Every callback sent (by the emulator, or filed by the call driver), in order. */
  callbacks: CallbackDelivery[];
  readonly pendingCallbacks: Set<Promise<void>>;
  /** Aborted when the emulator closes: callbacks in flight are dropped. */
  readonly closing: AbortController;
  /** Messages still moving through their statuses (and posting status callbacks). */
  readonly deliveries: Set<Promise<void>>;
  /** While set, carriers hold their delivery reports (delivered, undelivered) until it resolves. */
  carrierReportsHeld?: { readonly until: Promise<void>; readonly release: () => void };
}

export function createState(config: EmulatorConfig, recipients: Recipients): EmulatorState {
  return {
    config,
    recipients,
    listeners: { callCreated: new Set(), callUpdated: new Set(), messageCreated: new Set(), transcriptCreated: new Set() },
    transcriptContent: config.transcriptContent,
    calls: [],
    conferences: [],
    messages: [],
    recordings: [],
    recordingCallbacks: new Map(),
    transcripts: [],
    incomingNumbers: incomingNumbersFrom(config.incomingNumbers, config.accountSid, config.now()),
    created: { calls: 0, messages: 0, transcripts: 0 },
    intelligenceWebhook: config.intelligenceWebhook,
    intelligenceServices: new Map(),
    callbacks: [],
    pendingCallbacks: new Set(),
    closing: new AbortController(),
    deliveries: new Set(),
  };
}

/** Forgets every resource, counter and callback sent; settings, recipients, listeners and the default Intelligence webhook stay. */
export function resetState(state: EmulatorState): void {
  state.carrierReportsHeld?.release();
  state.calls = [];
  state.conferences = [];
  state.messages = [];
  state.recordings = [];
  state.recordingCallbacks = new Map();
  state.transcripts = [];
  state.incomingNumbers = incomingNumbersFrom(state.config.incomingNumbers, state.config.accountSid, state.config.now());
  state.created = { calls: 0, messages: 0, transcripts: 0 };
  state.transcriptContent = state.config.transcriptContent;
  state.intelligenceServices = new Map();
  state.callbacks = [];
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

