// A local Twilio REST API for the real `twilio` npm client (pointed here by TWILIO_API_BASE_URL):
// the parts this project uses — Calls, Messages, Recordings (api v2010), Transcripts with their
// Sentences and OperatorResults (Voice Intelligence v2) and Messaging Services (v1) — checked
// and answered like Twilio, per the official OpenAPI descriptions. It never places calls or posts
// webhooks: a call driver listens to `onCallCreated` and reports back with `setCallStatus`.
//
// Control over HTTP for other processes (no auth): GET /__emulator/{calls,messages,recordings,
// transcripts,requests,stats,faults}, POST /__emulator/reset, POST|DELETE /__emulator/faults,
// POST /__emulator/calls/{sid}/status, POST /__emulator/calls/{sid}/recordings,
// POST /__emulator/transcripts/{sid}/complete.
import type http from 'node:http';
import { FaultInjector, parseFaults, type FaultControls } from './faults';
import { all, BodyTooLargeError, listen, one, parseForm, readBody, sendEmpty, sendJson, type FormParams } from './http';
import {
  callResource,
  CALL_STATUSES,
  ENDED_CALL_STATUSES,
  INTELLIGENCE_HOST,
  iso,
  MESSAGE_STATUSES,
  messageResource,
  messagingServiceResource,
  newSid,
  page2010,
  pageRequest,
  pageV2,
  recordingResource,
  rfc2822,
  textOperatorResult,
  transcriptResource,
  type CallResource,
  type CallStatus,
  type MessageResource,
  type MessageStatus,
  type OperatorResultResource,
  type RecordingResource,
  type RecordingSource,
  type SentenceResource,
  type TranscriptResource,
} from './resources';
import {
  checkCallCreate,
  checkCallUpdate,
  checkMessageCreate,
  checkMessageUpdate,
  checkTranscriptCreate,
  errorBody,
  twilioError,
  type TwilioError,
} from './validate';

export type { Fault } from './faults';
export type { FormParams } from './http';
export type {
  CallResource,
  CallStatus,
  MessageResource,
  MessageStatus,
  OperatorResultResource,
  RecordingResource,
  SentenceResource,
  TranscriptResource,
} from './resources';

export const DEFAULT_ACCOUNT_SID = 'AC00000000000000000000000000000000';
export const DEFAULT_AUTH_TOKEN = 'sandbox-auth-token';

/** What a finished transcript holds: what each side said, and the wrap-up notes an operator wrote. */
export interface TranscriptContent {
  /** Channel 1 is the caller's leg, 2 the agent's, in a dual-channel recording. */
  readonly sentences: readonly { readonly channel: number; readonly text: string }[];
  /** Text of the generative operator result (the wrap-up notes); no operator result when absent. */
  readonly wrapUpNotes?: string;
  readonly operatorName?: string;
}

export const DEFAULT_TRANSCRIPT_CONTENT: TranscriptContent = {
  sentences: [
    { channel: 1, text: 'Hi, I was charged twice for my last order.' },
    { channel: 2, text: 'Sorry about that. I can see the duplicate charge and I will refund it today.' },
    { channel: 1, text: 'Thank you, that is all I needed.' },
  ],
  wrapUpNotes: 'Caller was charged twice for their last order. Agent refunded the duplicate charge. No follow-up needed.',
  operatorName: 'Call Wrap-up Notes',
};

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
  /** The account's Twilio numbers; when given, calls and texts must come from one of them (21210/21606). */
  readonly numbers?: readonly string[];
  /** Messaging Service SIDs that exist; when absent, every well-formed MG… SID exists. */
  readonly messagingServiceSids?: readonly string[];
  /** Shortest lead Twilio accepts for a scheduled message, in seconds (900: 15 minutes). */
  readonly scheduleMinLeadSeconds?: number;
  /** Transcripts finish as soon as they are created (default); false: wait for `completeTranscript`. */
  readonly autoCompleteTranscripts?: boolean;
  readonly transcriptContent?: TranscriptContent;
  /** The emulator's clock (scheduled message windows, resource dates). */
  readonly now?: () => Date;
}

export interface CallRecord {
  readonly sid: string;
  /** The form parameters of the create request, exactly as sent. */
  readonly params: FormParams;
  /** The form parameters of each later update (redirects, hang-ups), in order. */
  readonly updates: readonly FormParams[];
  readonly resource: CallResource;
}

export interface MessageRecord {
  readonly sid: string;
  readonly params: FormParams;
  readonly updates: readonly FormParams[];
  readonly resource: MessageResource;
}

export interface TranscriptRecord {
  readonly sid: string;
  readonly params: FormParams;
  readonly channel: Record<string, unknown>;
  /** The recording the transcript was made from (media_properties.source_sid). */
  readonly sourceSid?: string;
  readonly resource: TranscriptResource;
  readonly sentences: readonly SentenceResource[];
  readonly operatorResults: readonly OperatorResultResource[];
}

/** What a call driver needs to "answer" an outbound call the project placed. */
export interface CallCreatedEvent {
  readonly call: CallResource;
  readonly params: FormParams;
  readonly url?: string;
  readonly method: string;
  readonly twiml?: string;
  readonly statusCallback?: string;
  readonly statusCallbackMethod: string;
  /** Events the project asked for; Twilio sends only `completed` when none. */
  readonly statusCallbackEvents: readonly string[];
  readonly machineDetection?: string;
  readonly timeoutSeconds: number;
  readonly record: boolean;
  readonly recordingStatusCallback?: string;
}

export interface CallUpdatedEvent {
  readonly call: CallResource;
  readonly params: FormParams;
}

export interface RequestLogEntry {
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** calls, messages, recordings, transcripts, services or other. */
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

export interface RecordingOptions {
  readonly sid?: string;
  readonly durationSeconds?: number;
  readonly channels?: number;
  readonly source?: RecordingSource;
  readonly track?: string;
  readonly startTime?: Date;
}

export interface TwilioEmulator {
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Recipient rules, changeable while running. */
  readonly recipients: { readonly optedOut: Set<string>; readonly landlines: Set<string>; readonly invalid: Set<string> };
  readonly faults: FaultControls;
  close(): Promise<void>;
  /** Forgets every resource, request, fault and counter; options and listeners stay. */
  reset(): void;
  calls(): CallRecord[];
  messages(): MessageRecord[];
  recordings(): RecordingResource[];
  transcripts(): TranscriptRecord[];
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
  setMessageStatus(sid: string, status: MessageStatus, extra?: { errorCode?: number; errorMessage?: string }): MessageResource;
  /** Adds a finished recording of a call, as when a recorded <Dial> ends. */
  addRecording(callSid: string, opts?: RecordingOptions): RecordingResource;
  /** The form parameters Twilio posts to a recordingStatusCallback for this recording. */
  recordingCallbackParams(recordingSid: string): Record<string, string>;
  /** Finishes a transcript (for `autoCompleteTranscripts: false`), optionally with its own content. */
  completeTranscript(sid: string, opts?: { status?: 'completed' | 'failed'; content?: TranscriptContent }): TranscriptResource;
  /** Content of transcripts finished from now on. */
  setTranscriptContent(content: TranscriptContent): void;
}

interface Ctx {
  readonly req: http.IncomingMessage;
  readonly res: http.ServerResponse;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly params: FormParams;
  readonly match: RegExpExecArray;
}

type Handler = (ctx: Ctx) => void;

interface Route {
  readonly pattern: RegExp;
  /** Whether group 1 is an account SID that must be the emulator's. */
  readonly account: boolean;
  readonly methods: Readonly<Record<string, Handler>>;
}

interface MutableTranscript {
  sid: string;
  params: FormParams;
  channel: Record<string, unknown>;
  sourceSid?: string;
  resource: TranscriptResource;
  sentences: SentenceResource[];
  operatorResults: OperatorResultResource[];
}

const FAULT_ERRORS: Record<number, [number, string]> = {
  429: [20429, 'Too Many Requests'],
  500: [20500, 'Internal Server Error'],
  503: [20503, 'Service Unavailable'],
};

function resourceOf(path: string): string {
  if (path.startsWith('/v2/Transcripts')) return 'transcripts';
  if (path.startsWith('/v1/Services')) return 'services';
  if (/\/Recordings(\/|\.json)/.test(path)) return 'recordings';
  if (/^\/2010-04-01\/Accounts\/[^/]+\/Calls[/.]/.test(path)) return 'calls';
  if (/^\/2010-04-01\/Accounts\/[^/]+\/Messages[/.]/.test(path)) return 'messages';
  return 'other';
}

/** The query parameters of a list request that filter it, in the order given, for page URIs. */
function filtersOf(query: URLSearchParams, names: readonly string[]): URLSearchParams {
  const filters = new URLSearchParams();
  for (const [key, value] of query) if (names.includes(key)) filters.append(key, value);
  return filters;
}

function notify<T>(listeners: Set<(value: T) => void>, value: T): void {
  for (const listener of listeners) {
    try {
      listener(value);
    } catch (err) {
      console.error('twilio emulator listener failed:', err);
    }
  }
}

export async function startTwilioEmulator(options: TwilioEmulatorOptions = {}): Promise<TwilioEmulator> {
  const accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID;
  const authToken = options.authToken ?? DEFAULT_AUTH_TOKEN;
  const now = options.now ?? (() => new Date());
  const autoComplete = options.autoCompleteTranscripts ?? true;
  const scheduleMinLeadSeconds = options.scheduleMinLeadSeconds ?? 900;
  const numbers = options.numbers ? new Set(options.numbers) : undefined;
  const services = options.messagingServiceSids ? new Set(options.messagingServiceSids) : undefined;
  const recipients = {
    optedOut: new Set(options.optedOut ?? []),
    landlines: new Set(options.landlines ?? []),
    invalid: new Set(options.invalid ?? []),
  };
  let transcriptContent = options.transcriptContent ?? DEFAULT_TRANSCRIPT_CONTENT;

  const faults = new FaultInjector();
  let calls: { sid: string; params: FormParams; updates: FormParams[]; resource: CallResource }[] = [];
  let messages: { sid: string; params: FormParams; updates: FormParams[]; resource: MessageResource }[] = [];
  let recordings: RecordingResource[] = [];
  let transcripts: MutableTranscript[] = [];
  let log: RequestLogEntry[] = [];
  let counts = { requests: 0, errors: 0, calls: 0, messages: 0, transcripts: 0 };
  let byResource: Record<string, number> = {};
  const listeners = {
    callCreated: new Set<(e: CallCreatedEvent) => void>(),
    callUpdated: new Set<(e: CallUpdatedEvent) => void>(),
    messageCreated: new Set<(e: MessageRecord) => void>(),
    transcriptCreated: new Set<(e: TranscriptRecord) => void>(),
  };
  const subscribe = <T>(set: Set<(value: T) => void>, listener: (value: T) => void) => {
    set.add(listener);
    return () => void set.delete(listener);
  };

  const fail = (res: http.ServerResponse, error: TwilioError) => sendJson(res, error.status, errorBody(error));
  const notFound = (res: http.ServerResponse, path: string) =>
    fail(res, twilioError(20404, `The requested resource ${path} was not found`, 404));
  const badPage = (res: http.ServerResponse, message: string) => fail(res, twilioError(20001, message));
  const serviceExists = (sid: string) => (services ? services.has(sid) : /^MG[0-9a-fA-F]{32}$/.test(sid));
  const findCall = (sid: string) => calls.find((c) => c.sid === sid);
  const findMessage = (sid: string) => messages.find((m) => m.sid === sid);
  const findTranscript = (sid: string) => transcripts.find((t) => t.sid === sid);
  const touch = (resource: { date_updated: string }, at = now()) => {
    resource.date_updated = rfc2822(at);
  };

  function moveCall(call: CallResource, status: CallStatus, extra: { answeredBy?: string; durationSeconds?: number } = {}) {
    const at = now();
    if (status === 'in-progress' && !call.start_time) call.start_time = rfc2822(at);
    if (ENDED_CALL_STATUSES.includes(status)) {
      call.end_time = rfc2822(at);
      const started = call.start_time ? Date.parse(call.start_time) : undefined;
      const seconds = extra.durationSeconds ?? (started === undefined ? 0 : Math.max(0, Math.round((at.getTime() - started) / 1000)));
      call.duration = String(seconds);
    }
    if (extra.answeredBy !== undefined) call.answered_by = extra.answeredBy;
    call.status = status;
    touch(call, at);
  }

  function finishTranscript(t: MutableTranscript, status: 'completed' | 'failed', content: TranscriptContent) {
    const recording = t.sourceSid ? recordings.find((r) => r.sid === t.sourceSid) : undefined;
    t.resource.status = status;
    t.resource.date_updated = iso(now());
    t.resource.duration = recording ? Number(recording.duration) : 0;
    if (status !== 'completed') return;
    let clock = 0;
    t.sentences = content.sentences.map((s, index) => {
      const words = s.text.split(/\s+/).filter(Boolean);
      const start = clock;
      clock += Math.max(1, words.length * 0.4);
      return {
        media_channel: s.channel,
        sentence_index: index,
        start_time: start.toFixed(2),
        end_time: clock.toFixed(2),
        transcript: s.text,
        sid: newSid('GX'),
        confidence: '0.95',
        words: words.map((word) => ({ word, start_time: null, end_time: null })),
      };
    });
    t.operatorResults =
      content.wrapUpNotes === undefined
        ? []
        : [
            textOperatorResult({
              transcriptSid: t.sid,
              operatorSid: newSid('LY'),
              name: content.operatorName ?? 'Call Wrap-up Notes',
              text: content.wrapUpNotes,
            }),
          ];
  }

  const snapshotTranscript = (t: MutableTranscript): TranscriptRecord => structuredClone(t);

  // ---- Calls ---------------------------------------------------------------------------------
  function createCall({ res, params }: Ctx) {
    const error = checkCallCreate(params, { ...recipients, numbers });
    if (error) return fail(res, error);
    const sid = newSid('CA');
    const resource = callResource({ accountSid, sid, to: one(params, 'To')!, from: one(params, 'From')!, now: now() });
    const record = { sid, params, updates: [], resource };
    calls.push(record);
    counts.calls += 1;
    sendJson(res, 201, resource);
    const event: CallCreatedEvent = {
      call: structuredClone(resource),
      params,
      url: one(params, 'Url'),
      method: (one(params, 'Method') ?? 'POST').toUpperCase(),
      twiml: one(params, 'Twiml'),
      statusCallback: one(params, 'StatusCallback'),
      statusCallbackMethod: (one(params, 'StatusCallbackMethod') ?? 'POST').toUpperCase(),
      statusCallbackEvents: all(params, 'StatusCallbackEvent').flatMap((e) => e.split(/\s+/)).filter(Boolean),
      machineDetection: one(params, 'MachineDetection'),
      timeoutSeconds: Number(one(params, 'Timeout') ?? 60),
      record: one(params, 'Record') === 'true',
      recordingStatusCallback: one(params, 'RecordingStatusCallback'),
    };
    res.once('finish', () => notify(listeners.callCreated, event));
  }

  function fetchCall({ res, path, match }: Ctx) {
    const call = findCall(match[2]);
    return call ? sendJson(res, 200, call.resource) : notFound(res, path);
  }

  function updateCall({ res, path, match, params }: Ctx) {
    const call = findCall(match[2]);
    if (!call) return notFound(res, path);
    const current = call.resource.status;
    const error = checkCallUpdate(params, ENDED_CALL_STATUSES.includes(current));
    if (error) return fail(res, error);
    call.updates.push(params);
    const status = one(params, 'Status');
    const waiting = current === 'queued' || current === 'ringing';
    // Twilio: `canceled` only stops a call not yet answered (an answered one goes on); `completed`
    // hangs up an answered call, and a call not yet answered ends as canceled either way.
    if (status === 'canceled' && waiting) moveCall(call.resource, 'canceled');
    if (status === 'completed' && waiting) moveCall(call.resource, 'canceled');
    if (status === 'completed' && current === 'in-progress') moveCall(call.resource, 'completed');
    touch(call.resource);
    sendJson(res, 200, call.resource);
    const event = { call: structuredClone(call.resource), params };
    res.once('finish', () => notify(listeners.callUpdated, event));
  }

  function deleteCall({ res, path, match }: Ctx) {
    const call = findCall(match[2]);
    if (!call) return notFound(res, path);
    calls = calls.filter((c) => c !== call);
    sendEmpty(res, 204);
  }

  function listCalls({ res, query }: Ctx) {
    const req = pageRequest(query, 1000);
    if (typeof req === 'string') return badPage(res, req);
    const filters = filtersOf(query, ['To', 'From', 'Status', 'ParentCallSid']);
    const items = [...calls]
      .reverse()
      .map((c) => c.resource)
      .filter(
        (c) =>
          (!query.get('To') || c.to === query.get('To')) &&
          (!query.get('From') || c.from === query.get('From')) &&
          (!query.get('Status') || c.status === query.get('Status')) &&
          (!query.get('ParentCallSid') || c.parent_call_sid === query.get('ParentCallSid')),
      );
    const path = `/2010-04-01/Accounts/${accountSid}/Calls.json`;
    sendJson(res, 200, page2010({ items, key: 'calls', path, filters, req, sidOf: (c) => c.sid }));
  }

  // ---- Messages ------------------------------------------------------------------------------
  function createMessage({ res, params }: Ctx) {
    const error = checkMessageCreate(params, {
      ...recipients,
      numbers,
      now: now(),
      scheduleMinLeadSeconds,
      serviceExists,
    });
    if (error) return fail(res, error);
    const from = one(params, 'From') ?? null;
    const serviceSid = one(params, 'MessagingServiceSid') ?? null;
    const numMedia = all(params, 'MediaUrl').length;
    // Twilio: a scheduled message waits as `scheduled`; one given to a Messaging Service to pick a
    // sender is `accepted`; one with a sender is `queued`.
    const status: MessageStatus =
      one(params, 'ScheduleType') === 'fixed' ? 'scheduled' : from === null ? 'accepted' : 'queued';
    const resource = messageResource({
      accountSid,
      sid: newSid(numMedia > 0 ? 'MM' : 'SM'),
      to: one(params, 'To')!,
      from,
      body: one(params, 'Body') ?? '',
      numMedia,
      messagingServiceSid: serviceSid,
      status,
      now: now(),
    });
    const record = { sid: resource.sid, params, updates: [] as FormParams[], resource };
    messages.push(record);
    counts.messages += 1;
    sendJson(res, 201, resource);
    const snapshot = structuredClone(record);
    res.once('finish', () => notify(listeners.messageCreated, snapshot));
  }

  function fetchMessage({ res, path, match }: Ctx) {
    const message = findMessage(match[2]);
    return message ? sendJson(res, 200, message.resource) : notFound(res, path);
  }

  function updateMessage({ res, path, match, params }: Ctx) {
    const message = findMessage(match[2]);
    if (!message) return notFound(res, path);
    const error = checkMessageUpdate(params, message.resource.status);
    if (error) return fail(res, error);
    message.updates.push(params);
    if (one(params, 'Status') === 'canceled') message.resource.status = 'canceled';
    if (one(params, 'Body') === '') message.resource.body = '';
    touch(message.resource);
    sendJson(res, 200, message.resource);
  }

  function deleteMessage({ res, path, match }: Ctx) {
    const message = findMessage(match[2]);
    if (!message) return notFound(res, path);
    messages = messages.filter((m) => m !== message);
    sendEmpty(res, 204);
  }

  function listMessages({ res, query }: Ctx) {
    const req = pageRequest(query, 1000);
    if (typeof req === 'string') return badPage(res, req);
    const filters = filtersOf(query, ['To', 'From']);
    const items = [...messages]
      .reverse()
      .map((m) => m.resource)
      .filter((m) => (!query.get('To') || m.to === query.get('To')) && (!query.get('From') || m.from === query.get('From')));
    const path = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
    sendJson(res, 200, page2010({ items, key: 'messages', path, filters, req, sidOf: (m) => m.sid }));
  }

  // ---- Recordings ----------------------------------------------------------------------------
  function listRecordings({ res, query, match }: Ctx, callSid?: string) {
    const req = pageRequest(query, 1000);
    if (typeof req === 'string') return badPage(res, req);
    const filterCall = callSid ?? query.get('CallSid');
    const filters = filtersOf(query, callSid ? [] : ['CallSid']);
    const items = [...recordings].reverse().filter((r) => !filterCall || r.call_sid === filterCall);
    const path = callSid
      ? `/2010-04-01/Accounts/${match[1]}/Calls/${callSid}/Recordings.json`
      : `/2010-04-01/Accounts/${match[1]}/Recordings.json`;
    sendJson(res, 200, page2010({ items, key: 'recordings', path, filters, req, sidOf: (r) => r.sid }));
  }

  function findRecording({ res, path }: Ctx, sid: string, callSid?: string): RecordingResource | undefined {
    const recording = recordings.find((r) => r.sid === sid && (!callSid || r.call_sid === callSid));
    if (!recording) notFound(res, path);
    return recording;
  }

  function deleteRecording(ctx: Ctx, sid: string, callSid?: string) {
    const recording = findRecording(ctx, sid, callSid);
    if (!recording) return;
    recordings = recordings.filter((r) => r !== recording);
    sendEmpty(ctx.res, 204);
  }

  // ---- Voice Intelligence --------------------------------------------------------------------
  function createTranscript({ res, params }: Ctx) {
    const checked = checkTranscriptCreate(params);
    if (checked.error) return fail(res, checked.error);
    const sid = newSid('GT');
    const t: MutableTranscript = {
      sid,
      params,
      channel: checked.channel!,
      sourceSid: checked.sourceSid,
      resource: transcriptResource({
        accountSid,
        serviceSid: one(params, 'ServiceSid')!,
        sid,
        channel: checked.channel,
        customerKey: one(params, 'CustomerKey') ?? null,
        mediaStartTime: one(params, 'MediaStartTime') ?? null,
        now: now(),
      }),
      sentences: [],
      operatorResults: [],
    };
    transcripts.push(t);
    counts.transcripts += 1;
    sendJson(res, 202, t.resource);
    // Real transcripts take a while; the emulator's finish at once unless told to wait. Media that
    // does not exist fails the transcript, as Twilio does once it tries to fetch it.
    if (autoComplete) {
      const found = !t.sourceSid || recordings.some((r) => r.sid === t.sourceSid);
      finishTranscript(t, found ? 'completed' : 'failed', transcriptContent);
    }
    const snapshot = snapshotTranscript(t);
    res.once('finish', () => notify(listeners.transcriptCreated, snapshot));
  }

  function fetchTranscript({ res, path, match }: Ctx) {
    const t = findTranscript(match[1]);
    return t ? sendJson(res, 200, t.resource) : notFound(res, path);
  }

  function deleteTranscript({ res, path, match }: Ctx) {
    const t = findTranscript(match[1]);
    if (!t) return notFound(res, path);
    transcripts = transcripts.filter((x) => x !== t);
    sendEmpty(res, 204);
  }

  function listTranscripts({ res, query }: Ctx) {
    const req = pageRequest(query, 1000);
    if (typeof req === 'string') return badPage(res, req);
    const filters = filtersOf(query, ['ServiceSid', 'SourceSid', 'Status']);
    const items = [...transcripts]
      .reverse()
      .filter(
        (t) =>
          (!query.get('ServiceSid') || t.resource.service_sid === query.get('ServiceSid')) &&
          (!query.get('SourceSid') || t.sourceSid === query.get('SourceSid')) &&
          (!query.get('Status') || t.resource.status === query.get('Status')),
      )
      .map((t) => t.resource);
    const url = `${INTELLIGENCE_HOST}/v2/Transcripts`;
    sendJson(res, 200, pageV2({ items, key: 'transcripts', url, filters, req, sidOf: (t) => t.sid }));
  }

  function listSentences({ res, path, query, match }: Ctx) {
    const t = findTranscript(match[1]);
    if (!t) return notFound(res, path);
    const req = pageRequest(query, 5000);
    if (typeof req === 'string') return badPage(res, req);
    const filters = filtersOf(query, ['Redacted', 'WordTimestamps']);
    const url = `${INTELLIGENCE_HOST}/v2/Transcripts/${t.sid}/Sentences`;
    sendJson(res, 200, pageV2({ items: t.sentences, key: 'sentences', url, filters, req, sidOf: (s) => s.sid }));
  }

  function listOperatorResults({ res, path, query, match }: Ctx) {
    const t = findTranscript(match[1]);
    if (!t) return notFound(res, path);
    const req = pageRequest(query, 1000);
    if (typeof req === 'string') return badPage(res, req);
    const filters = filtersOf(query, ['Redacted']);
    const url = `${INTELLIGENCE_HOST}/v2/Transcripts/${t.sid}/OperatorResults`;
    const items = t.operatorResults;
    sendJson(res, 200, pageV2({ items, key: 'operator_results', url, filters, req, sidOf: (r) => r.operator_sid }));
  }

  function fetchOperatorResult({ res, path, match }: Ctx) {
    const result = findTranscript(match[1])?.operatorResults.find((r) => r.operator_sid === match[2]);
    return result ? sendJson(res, 200, result) : notFound(res, path);
  }

  function fetchService({ res, path, match }: Ctx) {
    return serviceExists(match[1]) ? sendJson(res, 200, messagingServiceResource(accountSid, match[1], now())) : notFound(res, path);
  }

  const ACCOUNT = '^/2010-04-01/Accounts/([^/]+)';
  const routes: Route[] = [
    { pattern: new RegExp(`${ACCOUNT}/Calls\\.json$`), account: true, methods: { GET: listCalls, POST: createCall } },
    {
      pattern: new RegExp(`${ACCOUNT}/Calls/([^/]+)\\.json$`),
      account: true,
      methods: { GET: fetchCall, POST: updateCall, DELETE: deleteCall },
    },
    {
      pattern: new RegExp(`${ACCOUNT}/Calls/([^/]+)/Recordings\\.json$`),
      account: true,
      methods: { GET: (ctx) => listRecordings(ctx, ctx.match[2]) },
    },
    {
      pattern: new RegExp(`${ACCOUNT}/Calls/([^/]+)/Recordings/([^/]+)\\.json$`),
      account: true,
      methods: {
        GET: (ctx) => {
          const recording = findRecording(ctx, ctx.match[3], ctx.match[2]);
          if (recording) sendJson(ctx.res, 200, recording);
        },
        DELETE: (ctx) => deleteRecording(ctx, ctx.match[3], ctx.match[2]),
      },
    },
    { pattern: new RegExp(`${ACCOUNT}/Messages\\.json$`), account: true, methods: { GET: listMessages, POST: createMessage } },
    {
      pattern: new RegExp(`${ACCOUNT}/Messages/([^/]+)\\.json$`),
      account: true,
      methods: { GET: fetchMessage, POST: updateMessage, DELETE: deleteMessage },
    },
    { pattern: new RegExp(`${ACCOUNT}/Recordings\\.json$`), account: true, methods: { GET: (ctx) => listRecordings(ctx) } },
    {
      pattern: new RegExp(`${ACCOUNT}/Recordings/([^/]+)\\.json$`),
      account: true,
      methods: {
        GET: (ctx) => {
          const recording = findRecording(ctx, ctx.match[2]);
          if (recording) sendJson(ctx.res, 200, recording);
        },
        DELETE: (ctx) => deleteRecording(ctx, ctx.match[2]),
      },
    },
    { pattern: /^\/v2\/Transcripts$/, account: false, methods: { GET: listTranscripts, POST: createTranscript } },
    {
      pattern: /^\/v2\/Transcripts\/([^/]+)$/,
      account: false,
      methods: { GET: fetchTranscript, DELETE: deleteTranscript },
    },
    { pattern: /^\/v2\/Transcripts\/([^/]+)\/Sentences$/, account: false, methods: { GET: listSentences } },
    { pattern: /^\/v2\/Transcripts\/([^/]+)\/OperatorResults$/, account: false, methods: { GET: listOperatorResults } },
    {
      pattern: /^\/v2\/Transcripts\/([^/]+)\/OperatorResults\/([^/]+)$/,
      account: false,
      methods: { GET: fetchOperatorResult },
    },
    { pattern: /^\/v1\/Services\/([^/]+)$/, account: false, methods: { GET: fetchService } },
  ];

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

    let body: string;
    try {
      body = await readBody(req);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return fail(res, twilioError(20001, 'Request body too large', 413));
      throw err;
    }
    const params = parseForm(body);
    entry.params = params;

    if (!authorized(req)) {
      return sendJson(res, 401, errorBody(twilioError(20003, 'Authenticate', 401)), {
        'WWW-Authenticate': 'Basic realm="Twilio API"',
      });
    }
    for (const route of routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      if (route.account && match[1] !== accountSid) return notFound(res, path);
      const handler = route.methods[method];
      if (!handler) return fail(res, twilioError(20004, 'Method not allowed', 405));
      return handler({ req, res, path, query: url.searchParams, params, match });
    }
    notFound(res, path);
  }

  // ---- Programmatic control ------------------------------------------------------------------
  const emulator: Omit<TwilioEmulator, 'url' | 'close'> = {
    accountSid,
    authToken,
    recipients,
    faults,
    reset() {
      calls = [];
      messages = [];
      recordings = [];
      transcripts = [];
      log = [];
      counts = { requests: 0, errors: 0, calls: 0, messages: 0, transcripts: 0 };
      byResource = {};
      faults.clear();
      faults.resetCount();
      transcriptContent = options.transcriptContent ?? DEFAULT_TRANSCRIPT_CONTENT;
    },
    calls: () => structuredClone(calls),
    messages: () => structuredClone(messages),
    recordings: () => structuredClone(recordings),
    transcripts: () => transcripts.map(snapshotTranscript),
    requests: () => structuredClone(log),
    stats: () => ({
      requests: counts.requests,
      byResource: { ...byResource },
      created: { calls: counts.calls, messages: counts.messages, transcripts: counts.transcripts },
      errors: counts.errors,
      faults: faults.injected,
    }),
    onCallCreated: (listener) => subscribe(listeners.callCreated, listener),
    onCallUpdated: (listener) => subscribe(listeners.callUpdated, listener),
    onMessageCreated: (listener) => subscribe(listeners.messageCreated, listener),
    onTranscriptCreated: (listener) => subscribe(listeners.transcriptCreated, listener),
    setCallStatus(sid, status, extra) {
      const call = findCall(sid);
      if (!call) throw new Error(`no call ${sid}`);
      if (!CALL_STATUSES.includes(status)) throw new Error(`not a call status: ${status}`);
      moveCall(call.resource, status, extra);
      return structuredClone(call.resource);
    },
    addInboundCall({ from, to, sid, status }) {
      const resource = callResource({ accountSid, sid: sid ?? newSid('CA'), to, from, now: now(), direction: 'inbound' });
      calls.push({ sid: resource.sid, params: {}, updates: [], resource });
      moveCall(resource, status ?? 'in-progress');
      return structuredClone(resource);
    },
    setMessageStatus(sid, status, extra = {}) {
      const message = findMessage(sid);
      if (!message) throw new Error(`no message ${sid}`);
      if (!MESSAGE_STATUSES.includes(status)) throw new Error(`not a message status: ${status}`);
      message.resource.status = status;
      if (status === 'sent' || status === 'delivered') message.resource.date_sent ??= rfc2822(now());
      if (extra.errorCode !== undefined) message.resource.error_code = extra.errorCode;
      if (extra.errorMessage !== undefined) message.resource.error_message = extra.errorMessage;
      touch(message.resource);
      return structuredClone(message.resource);
    },
    addRecording(callSid, opts = {}) {
      const at = now();
      const duration = opts.durationSeconds ?? 42;
      const resource = recordingResource({
        accountSid,
        sid: opts.sid ?? newSid('RE'),
        callSid,
        durationSeconds: duration,
        channels: opts.channels ?? 2,
        source: opts.source ?? 'DialVerb',
        status: 'completed',
        track: opts.track ?? 'both',
        startTime: opts.startTime ?? new Date(at.getTime() - duration * 1000),
        now: at,
      });
      recordings.push(resource);
      return structuredClone(resource);
    },
    recordingCallbackParams(recordingSid) {
      const r = recordings.find((x) => x.sid === recordingSid);
      if (!r) throw new Error(`no recording ${recordingSid}`);
      return {
        AccountSid: r.account_sid,
        CallSid: r.call_sid,
        RecordingSid: r.sid,
        RecordingUrl: r.media_url,
        RecordingStatus: r.status,
        RecordingDuration: r.duration,
        RecordingChannels: String(r.channels),
        RecordingStartTime: r.start_time,
        RecordingSource: r.source,
        RecordingTrack: r.track,
      };
    },
    completeTranscript(sid, opts = {}) {
      const t = findTranscript(sid);
      if (!t) throw new Error(`no transcript ${sid}`);
      finishTranscript(t, opts.status ?? 'completed', opts.content ?? transcriptContent);
      return structuredClone(t.resource);
    },
    setTranscriptContent(content) {
      transcriptContent = content;
    },
  };

  async function handleControl(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/^\/__emulator/, '');
    let json: unknown = undefined;
    if (method === 'POST' || method === 'PUT') {
      const text = await readBody(req);
      try {
        json = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        return sendJson(res, 400, { error: 'body must be JSON' });
      }
    }
    const body = (json ?? {}) as Record<string, unknown>;
    const lists: Record<string, () => unknown> = {
      '/calls': emulator.calls,
      '/messages': emulator.messages,
      '/recordings': emulator.recordings,
      '/transcripts': emulator.transcripts,
      '/requests': emulator.requests,
      '/stats': emulator.stats,
      '/faults': emulator.faults.list,
    };
    try {
      if (method === 'GET' && lists[path]) return sendJson(res, 200, lists[path]());
      if (method === 'POST' && path === '/reset') {
        emulator.reset();
        return sendJson(res, 200, { ok: true });
      }
      if (method === 'POST' && path === '/faults') {
        faults.set(parseFaults(json));
        return sendJson(res, 200, faults.list());
      }
      if (method === 'DELETE' && path === '/faults') {
        faults.clear();
        return sendJson(res, 200, []);
      }
      let m = /^\/calls\/([^/]+)\/status$/.exec(path);
      if (method === 'POST' && m) {
        const extra = { answeredBy: body.answeredBy as string | undefined, durationSeconds: body.durationSeconds as number | undefined };
        return sendJson(res, 200, emulator.setCallStatus(m[1], body.status as CallStatus, extra));
      }
      m = /^\/calls\/([^/]+)\/recordings$/.exec(path);
      if (method === 'POST' && m) {
        const recording = emulator.addRecording(m[1], body as RecordingOptions);
        return sendJson(res, 201, { recording, callbackParams: emulator.recordingCallbackParams(recording.sid) });
      }
      m = /^\/transcripts\/([^/]+)\/complete$/.exec(path);
      if (method === 'POST' && m) {
        const status = body.status as 'completed' | 'failed' | undefined;
        return sendJson(res, 200, emulator.completeTranscript(m[1], { status }));
      }
    } catch (err) {
      return sendJson(res, 400, { error: (err as Error).message });
    }
    sendJson(res, 404, { error: `no control endpoint ${method} ${url.pathname}` });
  }

  const server = await listen(
    (req, res) => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const handle = url.pathname.startsWith('/__emulator/') ? handleControl : handleApi;
      handle(req, res, url).catch((err: unknown) => {
        console.error('twilio emulator error:', err);
        fail(res, twilioError(20500, 'Internal Server Error', 500));
      });
    },
    { port: options.port, host: options.host },
  );

  return {
    ...emulator,
    url: server.url,
    close() {
      faults.dispose();
      return server.close();
    },
  };
}
