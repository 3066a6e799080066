// Domain types shared by every layer. Plain data only: no I/O, no classes.
// Airtable field names (SPEC §3) are mapped to these camelCase shapes by the Airtable adapter.

export type Language = 'en-US' | 'es-US';

export type TransferMethod = 'Bridge' | 'SIP REFER';

/** The escalation paths, in the order SPEC §1 offers them. */
export const PATHS = ['live-transfer', 'callback-now', 'callback-scheduled', 'text-link', 'email', 'voicemail'] as const;
export type Path = (typeof PATHS)[number];

/** Account features, from the FEATURE_* environment flags. */
export interface Features {
  readonly bridgeCall: boolean; // FEATURE_IVR_BRIDGE_CALL
  readonly clickToCall: boolean; // FEATURE_CLICK_TO_CALL
  readonly avatarMode: boolean; // FEATURE_AVATAR_MODE
  readonly smartCallbackScheduling: boolean; // FEATURE_SMART_CALLBACK_SCHEDULING
  readonly sms: boolean; // FEATURE_SMS
  readonly email: boolean; // FEATURE_EMAIL
  readonly voicemail: boolean; // FEATURE_VOICEMAIL
}

/** How a line's agents ring: one after another (hunt), or all at once with the first to accept taking the call. */
export type RingStrategy = 'In Order' | 'Simultaneous';

/** One row of the Lines table. Optional fields are absent when the Airtable cell is empty. */
export interface Line {
  readonly id?: string; // Airtable record id; absent for the env fallback line
  readonly name: string;
  readonly phoneNumber: string; // E.164
  readonly greeting?: string;
  readonly language: Language;
  readonly voice?: string;
  readonly timezone: string; // IANA
  readonly businessHours?: string; // raw text, e.g. "Mon-Fri 09:00-17:00; Sat 10:00-14:00"
  readonly holidays: readonly string[]; // ISO dates
  readonly fallbackTransferNumber?: string; // E.164: the first agent number
  /** `More Agent Numbers`: the valid E.164 numbers only, in order, at most 9 (the doctor reports the rest). */
  readonly moreAgentNumbers: readonly string[];
  readonly ringStrategy: RingStrategy; // blank = In Order
  readonly ringSeconds: number; // default 20: per number In Order, for the whole group Simultaneous
  readonly transferMethod: TransferMethod;
  readonly sipUri?: string;
  readonly liveTransfer: boolean;
  readonly phoneCallback: boolean;
  readonly scheduledCallback: boolean;
  readonly textLink: boolean;
  readonly emailContact: boolean;
  readonly recordAgentLeg: boolean;
  readonly recordingNotice?: string;
  readonly agentMustAccept: boolean;
  readonly supportLink?: string;
  readonly supportNumber?: string; // E.164
  readonly callbackSlotMinutes: number; // default 30
  readonly callbackSlotCapacity: number; // default 2
  readonly callbackDaysAhead: number; // default 7
  readonly callbackMaxAttempts: number; // default 3
  readonly voicemail: boolean;
  readonly voicemailMaxSeconds: number; // default 120
  readonly voicemailEmail?: string; // the team address each new voicemail is emailed to
}

/**
 * A line's settings when their cells are empty: every path and option off, one number rung In Order for
 * 20 s, and the callback and voicemail numbers SPEC gives as defaults. The Airtable mapping, the stand-in
 * line of FALLBACK_TRANSFER_NUMBER and the tests' lines all start from it.
 */
export const LINE_DEFAULTS = {
  holidays: [],
  moreAgentNumbers: [],
  ringStrategy: 'In Order',
  ringSeconds: 20,
  transferMethod: 'Bridge',
  liveTransfer: false,
  phoneCallback: false,
  scheduledCallback: false,
  textLink: false,
  emailContact: false,
  recordAgentLeg: false,
  agentMustAccept: false,
  callbackSlotMinutes: 30,
  callbackSlotCapacity: 2,
  callbackDaysAhead: 7,
  callbackMaxAttempts: 3,
  voicemail: false,
  voicemailMaxSeconds: 120,
} as const satisfies Partial<Line>;

/** One row of the Contacts table. */
export interface Contact {
  readonly id: string;
  readonly name?: string;
  readonly phone?: string; // E.164
  readonly callbackNumber?: string; // E.164
  readonly email?: string;
  readonly doNotContact: boolean;
  readonly lastInteraction?: string; // ISO date-time
}

/** The deployed environment variables (SPEC §4) as one typed object; shell/config reads it from the context. */
export interface Config {
  readonly accountSid?: string;
  readonly authToken?: string;
  readonly airtable: {
    readonly apiKey?: string;
    readonly baseId?: string;
    readonly endpointUrl?: string;
    /** Requests a second this instance sends to the base at most (AIRTABLE_REQUESTS_PER_SECOND; 0: no pacing). */
    readonly requestsPerSecond: number;
  };
  readonly sendgrid: {
    readonly apiKey?: string;
    readonly apiBaseUrl?: string;
    readonly emailFrom?: string;
    /** SENDGRID_TEMPLATE_ID: a dynamic template instead of our own text and HTML. */
    readonly templateId?: string;
  };
  /** The Functions' host (`context.DOMAIN_NAME`: `name-1234.twil.io`, or `localhost:3000` under twilio-run). */
  readonly domainName?: string;
  readonly twilioApiBaseUrl?: string;
  readonly messagingServiceSid?: string;
  readonly intelligenceServiceSid?: string;
  readonly sipDomain?: string;
  readonly dispatchSecret?: string;
  readonly fallbackTransferNumber?: string;
  readonly defaultTimezone: string;
  /** How long a warm instance trusts a cached line before asking Airtable again (stale copies still serve outages). */
  readonly lineCacheMs: number;
  /** Time a voice webhook may take before the caller gets the safe answer (SPEC §5: TwiML within 4 s). */
  readonly webhookBudgetMs: number;
  /** How long a dispatcher run lets its claim settle before reading the rows again (see jobs/dispatch-callbacks). */
  readonly dispatchSettleMs: number;
  /** The raw FEATURE_* flags, parsed by the policy. */
  readonly featureFlags: Readonly<Record<string, string | undefined>>;
}

/** Structured, redacted logging (shell/log writes it); every request carries one. */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

const CALL_SID = /^CA[0-9a-fA-F]{32}$/;

/** A Twilio call SID (`CA` + 32 hex): the key of the Calls table and of what an instance remembers about a call. */
export function isCallSid(value: string | undefined): value is string {
  return value !== undefined && CALL_SID.test(value);
}
