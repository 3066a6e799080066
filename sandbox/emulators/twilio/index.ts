// A local Twilio REST API for the real `twilio` npm client (pointed here by TWILIO_API_BASE_URL):
// the parts this project uses — Calls, Conferences and their Participants, Messages, Recordings (api v2010), Transcripts with their
// Sentences and OperatorResults and Services (Voice Intelligence v2) and Messaging Services (v1) —
// checked and answered like Twilio, per the official OpenAPI descriptions. It never places calls:
// a call driver listens to `onCallCreated` and reports back with `setCallStatus`. It sends the
// Intelligence webhook when a transcript completes, signed as Twilio signs it (webhooks.ts), and
// files the status and recording callbacks the call driver sends, so any of them can be sent again.
// Conferences are rooms the call driver's calls join (`joinConference`) or the Participants API dials
// into; the emulator sends their status callbacks (participant-join, -leave, conference-start, -end...).
// A sent message moves queued → sent → delivered or undelivered and posts its StatusCallback, signed.
//
// This file holds startup, auth, the request log and faults, and route dispatch. Each resource
// lives in its own module (calls.ts, conferences.ts, conference-participants.ts, messages.ts, recordings.ts, transcripts.ts,
// intelligence-services.ts, messaging-services.ts) exporting its routes and handlers over the shared
// state (state.ts); the JSON shapes are in resources/, the request checks in validate.ts, outgoing
// callbacks in webhooks.ts, the HTTP control API in control-api.ts.
import type http from 'node:http';
import { FaultInjector, type FaultControls } from '../shared/faults';
import { checkAgainstDefinition } from './api-definitions';
import { BodyTooLargeError, listen, parseForm, readBody, sendJson, type FormParams } from '../shared/http';
import { addInboundCall, CALL_ROUTES, setCallStatus, type CallCreatedEvent, type CallRecord, type CallUpdatedEvent } from './calls';
import { PARTICIPANT_ROUTES } from './conference-participants';
import {
  CONFERENCE_ROUTES,
  conferenceRecord,
  joinConference,
  leaveConference,
  type ConferenceRecord,
  type JoinResult,
  type ParticipantSettings,
} from './conferences';
import { handleControl } from './control-api';
import { INCOMING_NUMBER_ROUTES, type IncomingNumberRecord, type IncomingNumberSeed } from './incoming-phone-numbers';
import { INTELLIGENCE_SERVICE_ROUTES, setIntelligenceWebhook, type IntelligenceWebhook } from './intelligence-services';
import { MESSAGE_ROUTES, setMessageStatus, type MessageRecord } from './messages';
import { MESSAGING_SERVICE_ROUTES } from './messaging-services';
import { addRecording, recordingCallbackParams, RECORDING_ROUTES, type RecordingOptions } from './recordings';
import type { CallResource, CallStatus } from './resources/call';
import type { MessageResource, MessageStatus } from './resources/message';
import type { RecordingResource } from './resources/recording';
import type { TranscriptResource } from './resources/transcript';
import { fail, notFound, type Route } from './routing';
import { createState, resetState, type Recipients } from './state';
import { deliveriesSettled, holdCarrierReports } from './message-delivery';
import {
  completeTranscript,
  DEFAULT_TRANSCRIPT_CONTENT,
  snapshotTranscript,
  TRANSCRIPT_ROUTES,
  type TranscriptContent,
  type TranscriptRecord,
} from './transcripts';
import { errorBody, twilioError } from './validate';
import { callbacksSettled, fileCallback, redeliverCallback, type CallbackDelivery, type CallbackKind, type CallbackRequest } from './webhooks';

export type { Fault } from '../shared/faults';
export type { FormParams } from '../shared/http';
export type { CallResource, CallStatus } from './resources/call';
export type { MessageResource, MessageStatus } from './resources/message';
export type { RecordingResource } from './resources/recording';
export type { OperatorResultResource, SentenceResource, TranscriptResource } from './resources/transcript';
export type { CallCreatedEvent, CallRecord, CallUpdatedEvent, CallWarning } from './calls';
export type { ConferenceCallback, ConferenceExit, ConferenceRecord, JoinResult, ParticipantSettings } from './conferences';
export { CONFERENCE_EVENTS } from './conferences';
export type { ConferenceResource, ParticipantResource } from './resources/conference';
export { statusCallbackEventsOf } from './calls';
export type { MessageRecord } from './messages';
export type { RecordingOptions } from './recordings';
export type { IncomingNumberRecord, IncomingNumberSeed } from './incoming-phone-numbers';
export type { TranscriptContent, TranscriptRecord } from './transcripts';
export { DEFAULT_TRANSCRIPT_CONTENT, transcriptAvailableEvent } from './transcripts';
export type { IntelligenceWebhook } from './intelligence-services';
export type { CallbackDelivery, CallbackKind, CallbackRequest } from './webhooks';
export { signedRequest } from './webhooks';

export const DEFAULT_ACCOUNT_SID = 'AC00000000000000000000000000000000';
export const DEFAULT_AUTH_TOKEN = 'sandbox-auth-token';

export interface TwilioEmulatorOptions {
  readonly port?: number;
  readonly host?: string;
  readonly accountSid?: string;
  readonly authToken?: string;
  /** Numbers that texted STOP: messages to them fail with 21610. */
  readonly optedOut?: readonly string[];
  /** Numbers that cannot receive texts: 21614. */
  readonly landlines?: readonly string[];
  /** Numbers Twilio rejects as invalid (21211), besides anything that is not E.164. */
  readonly invalid?: readonly string[];
  /** Numbers not reachable by SMS: 21612. */
  readonly unreachable?: readonly string[];
  /** Numbers or country-code prefixes (`+44`) outside the account's Geo Permissions: 21408. */
  readonly noRegionPermission?: readonly string[];
  /** Numbers whose texts are accepted, then `undelivered` with 30006 (landlines Twilio cannot spot at create). */
  readonly undeliverable?: readonly string[];
  /** Time between a sent message's status changes and callbacks (default 50 ms). */
  readonly messageStatusIntervalMs?: number;
  /** The account's Twilio numbers; when given, calls and texts must come from one of them (21210/21606). */
  readonly numbers?: readonly string[];
  /** The numbers the account owns, as IncomingPhoneNumbers lists them; default `numbers` (not wired to anything). */
  readonly incomingNumbers?: readonly (string | IncomingNumberSeed)[];
  /** Messaging Service SIDs that exist; when absent, every well-formed MG… SID exists. */
  readonly messagingServiceSids?: readonly string[];
  /** Shortest lead Twilio accepts for a scheduled message, in seconds (900: 15 minutes). */
  readonly scheduleMinLeadSeconds?: number;
  /** Transcripts finish as soon as they are created (default); false: wait for `completeTranscript`. */
  readonly autoCompleteTranscripts?: boolean;
  readonly transcriptContent?: TranscriptContent;
  /**
   * Where a completed transcript is announced, for every Intelligence service without a webhook of its
   * own (set one with POST /v2/Services/{Sid} WebhookUrl, or `setIntelligenceWebhook`). None: no webhook.
   */
  readonly intelligenceWebhook?: IntelligenceWebhook;
  /** The emulator's clock (scheduled message windows, resource dates). */
  readonly now?: () => Date;
}

export interface RequestLogEntry {
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** calls, conferences, participants, messages, recordings, transcripts, services (messaging), intelligence-services, numbers or other. */
  readonly resource: string;
  params: FormParams;
  status?: number;
  fault?: 'latency' | 'hang' | 'status';
}

export interface TwilioEmulatorStats {
  readonly requests: number;
  readonly byResource: Readonly<Record<string, number>>;
  readonly created: { readonly calls: number; readonly messages: number; readonly transcripts: number };
  /** Requests answered with an error status (faults included). */
  readonly errors: number;
  /** Requests a fault touched. */
  readonly faults: number;
}

export interface TwilioEmulator {
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Recipient rules, changeable while running. */
  readonly recipients: Recipients;
  readonly faults: FaultControls;
  close(): Promise<void>;
  /** Forgets every resource, request, fault and counter; options and listeners stay. */
  reset(): void;
  calls(): CallRecord[];
  /** Conferences, oldest first, with the participants in each now. */
  conferences(): ConferenceRecord[];
  messages(): MessageRecord[];
  recordings(): RecordingResource[];
  transcripts(): TranscriptRecord[];
  /** The account's numbers with the updates each received. */
  incomingNumbers(): IncomingNumberRecord[];
  requests(): RequestLogEntry[];
  stats(): TwilioEmulatorStats;
  /** Calls `listener` after each created call has been answered to the client. Returns an unsubscribe. */
  onCallCreated(listener: (event: CallCreatedEvent) => void): () => void;
  onCallUpdated(listener: (event: CallUpdatedEvent) => void): () => void;
  onMessageCreated(listener: (message: MessageRecord) => void): () => void;
  onTranscriptCreated(listener: (transcript: TranscriptRecord) => void): () => void;
  /** Moves a call on (ringing, in-progress, completed, busy, no-answer...), setting times and duration. */
  setCallStatus(sid: string, status: CallStatus, extra?: { answeredBy?: string; durationSeconds?: number }): CallResource;
  /** Registers a call that came in (so the project can fetch it or record it). */
  addInboundCall(opts: { from: string; to: string; sid?: string; status?: CallStatus }): CallResource;
  /**
   * A call joins the conference `name` (<Dial><Conference>, with its attributes as settings), or a call the
   * Participants API placed was answered (its settings are the create's). Resolves `exit` when the call
   * leaves the room for a reason it did not choose (the conference ended, a kick, a REST redirect or
   * hang-up); `joined: false` with Twilio's code when it cannot join (16025: the label is taken).
   */
  joinConference(callSid: string, name: string, settings: ParticipantSettings): JoinResult;
  /** The call's party hung up while in a conference (or while the Participants API was dialling it). */
  leaveConference(callSid: string, callStatus?: string): void;
  setMessageStatus(sid: string, status: MessageStatus, extra?: { errorCode?: number; errorMessage?: string }): MessageResource;
  /** Resolves once every sent message reached its last status and its status callbacks were answered. */
  messagesSettled(): Promise<void>;
  /**
   * Carriers hold their delivery reports (a handset's report often comes seconds later, after the
   * call that sent the text has ended) until the returned function is called; a reset releases them.
   */
  holdCarrierReports(): () => void;
  /** Adds a finished recording of a call, as when a recorded <Dial> ends. */
  addRecording(callSid: string, opts?: RecordingOptions): RecordingResource;
  /** The form parameters Twilio posts to a recordingStatusCallback for this recording. */
  recordingCallbackParams(recordingSid: string): Record<string, string>;
  /** Finishes a transcript (for `autoCompleteTranscripts: false`), optionally with its own content. */
  completeTranscript(sid: string, opts?: { status?: 'completed' | 'failed'; content?: TranscriptContent }): TranscriptResource;
  /** Content of transcripts finished from now on. */
  setTranscriptContent(content: TranscriptContent): void;
  /**
   * The Intelligence webhook of one service (`serviceSid`), or the default of every service without
   * its own; undefined turns it off. The sandbox points the default at the Functions' /events/transcript.
   */
  setIntelligenceWebhook(webhook: IntelligenceWebhook | undefined, serviceSid?: string): void;
  /** Every callback sent (the Intelligence webhook) or filed by the call driver (status, recording), in order. */
  callbacks(): CallbackDelivery[];
  /** Files a callback the call driver sent, so that `redeliverCallback` can send it again. */
  fileCallback(request: CallbackRequest & { status?: number }): void;
  /**
   * Sends the last callback of a kind again, as Twilio may deliver twice: `transcript`, `recording`,
   * `call-status`, `dialed-call-status`; `about` picks the last one naming that SID. Resolves when answered.
   */
  redeliverCallback(kind: CallbackKind, about?: string): Promise<CallbackDelivery>;
  /** Resolves when every callback the emulator sent has been answered. */
  callbacksSettled(): Promise<void>;
}

/** Every route of the API, in the order they are tried. */
const ROUTES: readonly Route[] = [
  ...CALL_ROUTES,
  ...CONFERENCE_ROUTES,
  ...PARTICIPANT_ROUTES,
  ...RECORDING_ROUTES,
  ...MESSAGE_ROUTES,
  ...TRANSCRIPT_ROUTES,
  ...INTELLIGENCE_SERVICE_ROUTES,
  ...MESSAGING_SERVICE_ROUTES,
  ...INCOMING_NUMBER_ROUTES,
];

const FAULT_ERRORS: Record<number, [number, string]> = {
  429: [20429, 'Too Many Requests'],
  500: [20500, 'Internal Server Error'],
  503: [20503, 'Service Unavailable'],
};

function resourceOf(path: string): string {
  if (path.startsWith('/v2/Transcripts')) return 'transcripts';
  if (path.startsWith('/v1/Services')) return 'services';
  if (path.startsWith('/v2/Services')) return 'intelligence-services';
  if (/\/Recordings(\/|\.json)/.test(path)) return 'recordings';
  if (/^\/2010-04-01\/Accounts\/[^/]+\/Calls[/.]/.test(path)) return 'calls';
  if (/^\/2010-04-01\/Accounts\/[^/]+\/Conferences\/[^/]+\/Participants[/.]/.test(path)) return 'participants';
  if (/^\/2010-04-01\/Accounts\/[^/]+\/Conferences[/.]/.test(path)) return 'conferences';
  if (/^\/2010-04-01\/Accounts\/[^/]+\/Messages[/.]/.test(path)) return 'messages';
  if (/^\/2010-04-01\/Accounts\/[^/]+\/IncomingPhoneNumbers[/.]/.test(path)) return 'numbers';
  return 'other';
}

export async function startTwilioEmulator(options: TwilioEmulatorOptions = {}): Promise<TwilioEmulator> {
  const accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID;
  const authToken = options.authToken ?? DEFAULT_AUTH_TOKEN;
  const now = options.now ?? (() => new Date());
  const state = createState(
    {
      accountSid,
      authToken,
      now,
      autoCompleteTranscripts: options.autoCompleteTranscripts ?? true,
      scheduleMinLeadSeconds: options.scheduleMinLeadSeconds ?? 900,
      numbers: options.numbers ? new Set(options.numbers) : undefined,
      messagingServiceSids: options.messagingServiceSids ? new Set(options.messagingServiceSids) : undefined,
      transcriptContent: options.transcriptContent ?? DEFAULT_TRANSCRIPT_CONTENT,
      messageStatusIntervalMs: options.messageStatusIntervalMs ?? 50,
      incomingNumbers: (options.incomingNumbers ?? options.numbers ?? []).map((n) => (typeof n === 'string' ? { phoneNumber: n } : n)),
      intelligenceWebhook: options.intelligenceWebhook,
    },
    {
      optedOut: new Set(options.optedOut ?? []),
      landlines: new Set(options.landlines ?? []),
      invalid: new Set(options.invalid ?? []),
      unreachable: new Set(options.unreachable ?? []),
      noRegionPermission: new Set(options.noRegionPermission ?? []),
      undeliverable: new Set(options.undeliverable ?? []),
    },
  );

  const faults = new FaultInjector();
  let log: RequestLogEntry[] = [];
  let counts = { requests: 0, errors: 0 };
  let byResource: Record<string, number> = {};
  const subscribe = <T>(set: Set<(value: T) => void>, listener: (value: T) => void) => {
    set.add(listener);
    return () => void set.delete(listener);
  };

  function authorized(req: http.IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const m = /^Basic\s+(.+)$/i.exec(header);
    if (!m) return false;
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon > 0 && decoded.slice(0, colon) === accountSid && decoded.slice(colon + 1) === authToken;
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const resource = resourceOf(path);
    const entry: RequestLogEntry = { at: now().toISOString(), method, path, query: url.search, resource, params: {} };
    log.push(entry);
    counts.requests += 1;
    byResource[resource] = (byResource[resource] ?? 0) + 1;
    res.once('finish', () => {
      entry.status = res.statusCode;
      if (res.statusCode >= 400) counts.errors += 1;
    });

    // The body is read first, as Twilio receives a request whole before it is slow to answer:
    // a create whose client gave up during the latency still happens (and must be looked up).
    let body: string;
    try {
      body = await readBody(req);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return fail(res, twilioError(20001, 'Request body too large', 413));
      throw err;
    }
    const params = parseForm(body);
    entry.params = params;

    const plan = faults.take(resource, method);
    if (plan) {
      entry.fault = plan.hang ? 'hang' : plan.status !== undefined ? 'status' : 'latency';
      if (plan.latencyMs > 0) await faults.delay(plan.latencyMs);
      if (plan.hang) return; // never answered; close() drops the socket
      if (plan.status !== undefined) {
        const [code, message] = FAULT_ERRORS[plan.status] ?? [20000 + plan.status, 'Error'];
        return fail(res, twilioError(code, message, plan.status));
      }
    }

    if (!authorized(req)) {
      return sendJson(res, 401, errorBody(twilioError(20003, 'Authenticate', 401)), {
        'WWW-Authenticate': 'Basic realm="Twilio API"',
      });
    }
    const drift = checkAgainstDefinition(method, path, url.searchParams, params);
    if (drift) return fail(res, drift);
    for (const route of ROUTES) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      if (route.account && match[1] !== accountSid) return notFound(res, path);
      const handler = route.methods[method];
      if (!handler) return fail(res, twilioError(20004, 'Method not allowed', 405));
      return handler({ state, req, res, path, query: url.searchParams, params, match });
    }
    notFound(res, path);
  }

  // ---- Programmatic control ------------------------------------------------------------------
  const emulator: Omit<TwilioEmulator, 'url' | 'close'> = {
    accountSid,
    authToken,
    recipients: state.recipients,
    faults,
    reset() {
      resetState(state);
      log = [];
      counts = { requests: 0, errors: 0 };
      byResource = {};
      faults.clear();
      faults.resetCount();
    },
    calls: () => structuredClone(state.calls),
    conferences: () => state.conferences.map(conferenceRecord),
    messages: () => structuredClone(state.messages),
    recordings: () => structuredClone(state.recordings),
    transcripts: () => state.transcripts.map(snapshotTranscript),
    incomingNumbers: () => structuredClone(state.incomingNumbers),
    requests: () => structuredClone(log),
    stats: () => ({
      requests: counts.requests,
      byResource: { ...byResource },
      created: { ...state.created },
      errors: counts.errors,
      faults: faults.injected,
    }),
    onCallCreated: (listener) => subscribe(state.listeners.callCreated, listener),
    onCallUpdated: (listener) => subscribe(state.listeners.callUpdated, listener),
    onMessageCreated: (listener) => subscribe(state.listeners.messageCreated, listener),
    onTranscriptCreated: (listener) => subscribe(state.listeners.transcriptCreated, listener),
    setCallStatus: (sid, status, extra) => setCallStatus(state, sid, status, extra),
    addInboundCall: (opts) => addInboundCall(state, opts),
    joinConference: (callSid, name, settings) => joinConference(state, callSid, name, settings),
    leaveConference: (callSid, callStatus) => leaveConference(state, callSid, callStatus),
    setMessageStatus: (sid, status, extra) => setMessageStatus(state, sid, status, extra),
    messagesSettled: () => deliveriesSettled(state),
    holdCarrierReports: () => holdCarrierReports(state),
    addRecording: (callSid, opts) => addRecording(state, callSid, opts),
    recordingCallbackParams: (recordingSid) => recordingCallbackParams(state, recordingSid),
    completeTranscript: (sid, opts) => completeTranscript(state, sid, opts),
    setTranscriptContent(content) {
      state.transcriptContent = content;
    },
    setIntelligenceWebhook: (webhook, serviceSid) => setIntelligenceWebhook(state, webhook, serviceSid),
    callbacks: () => structuredClone(state.callbacks),
    fileCallback: (request) => fileCallback(state, request),
    redeliverCallback: (kind, about) => redeliverCallback(state, kind, about).then((delivery) => structuredClone(delivery)),
    callbacksSettled: () => callbacksSettled(state),
  };

  const server = await listen(
    (req, res) => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const handled = url.pathname.startsWith('/__emulator/') ? handleControl(emulator, req, res, url) : handleApi(req, res, url);
      handled.catch((err: unknown) => {
        console.error('twilio emulator error:', err);
        fail(res, twilioError(20500, 'Internal Server Error', 500));
      });
    },
    { port: options.port, host: options.host },
  );

  return {
    ...emulator,
    url: server.url,
    async close() {
      faults.dispose();
      // Callbacks still in flight are abandoned, as when the process stops.
      state.closing.abort();
      await callbacksSettled(state);
      return server.close();
    },
  };
}
