// Voice Intelligence v2: Transcripts (create, fetch, delete, list), their Sentences and their
// OperatorResults. A transcript finishes at once (or when `completeTranscript` is called) with the
// configured content: what each side said and the wrap-up notes an operator wrote. A completed
// transcript is announced to its service's webhook (intelligence-services.ts), as Twilio does.
import { one, sendEmpty, sendJson, type FormParams } from '../shared/http';
import { INTELLIGENCE_HOST, iso, newSid } from './resources/common';
import { filtersOf, pageRequest, pageV2 } from './resources/paging';
import {
  textOperatorResult,
  transcriptResource,
  type OperatorResultResource,
  type SentenceResource,
  type TranscriptResource,
} from './resources/transcript';
import { badPage, fail, notFound, type Ctx, type Route } from './routing';
import { notify, type EmulatorState } from './state';
import { checkTranscriptCreate } from './validate';
import { webhookOf } from './intelligence-services';
import { sendCallback } from './webhooks';

/** What a finished transcript holds: what each side said, and the wrap-up notes an operator wrote. */
export interface TranscriptContent {
  /**
   * Channel 1 is the caller's leg, 2 the agent's, in a dual-channel recording; a transcript of a
   * mono recording puts every sentence on channel 1. Text is raw: the Sentences list redacts PII.
   */
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

export interface TranscriptRecord {
  readonly sid: string;
  readonly params: FormParams;
  readonly channel: Record<string, unknown>;
  /** The recording the transcript was made from (media_properties.source_sid). */
  readonly sourceSid?: string;
  readonly resource: TranscriptResource;
  /** The sentences as spoken (unredacted); the Sentences list redacts them by default. */
  readonly sentences: readonly SentenceResource[];
  readonly operatorResults: readonly OperatorResultResource[];
}

export interface MutableTranscript {
  sid: string;
  params: FormParams;
  channel: Record<string, unknown>;
  sourceSid?: string;
  resource: TranscriptResource;
  sentences: SentenceResource[];
  operatorResults: OperatorResultResource[];
}

// PII redaction of sentence text. Twilio's exact replacement tokens are not in the OpenAPI
// description and could not be confirmed from its docs; the emulator uses bracketed entity names
// (`[EMAIL_ADDRESS]`, `[PHONE_NUMBER]`), the usual style of PII redaction, so tests can tell
// redacted text from raw text. Emails go first so their digits are not taken for a phone number.
const PII_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[EMAIL_ADDRESS]'],
  [/\+?\d[\d\s().-]{5,}\d/g, '[PHONE_NUMBER]'],
];

/** A phone number has at least 7 digits and is not an ISO date (times and dates stay). */
function isPhoneLike(found: string): boolean {
  return found.replace(/\D/g, '').length >= 7 && !/^\d{4}-\d{2}-\d{2}$/.test(found);
}

export function redactPii(text: string): string {
  return PII_PATTERNS.reduce(
    (out, [pattern, token]) => out.replace(pattern, (found) => (token === '[PHONE_NUMBER]' && !isPhoneLike(found) ? found : token)),
    text,
  );
}

function redactSentence(sentence: SentenceResource): SentenceResource {
  const transcript = sentence.transcript === null ? null : redactPii(sentence.transcript);
  const words = transcript?.split(/\s+/).filter(Boolean).map((word) => ({ word, start_time: null, end_time: null })) ?? null;
  return { ...sentence, transcript, words };
}

/** `Redacted` is true unless given as false (any case), when the transcript was made with redaction. */
function wantsRedacted(t: MutableTranscript, query: URLSearchParams): boolean {
  return t.resource.redaction && query.get('Redacted')?.toLowerCase() !== 'false';
}

const findTranscript = (state: EmulatorState, sid: string) => state.transcripts.find((t) => t.sid === sid);

export const snapshotTranscript = (t: MutableTranscript): TranscriptRecord => structuredClone(t);

function finishTranscript(state: EmulatorState, t: MutableTranscript, status: 'completed' | 'failed', content: TranscriptContent) {
  const recording = t.sourceSid ? state.recordings.find((r) => r.sid === t.sourceSid) : undefined;
  t.resource.status = status;
  t.resource.date_updated = iso(state.config.now());
  t.resource.duration = recording ? Number(recording.duration ?? 0) : 0;
  if (status !== 'completed') return;
  // A mono recording holds both sides on its one channel: every sentence is on media_channel 1.
  const mono = recording?.channels === 1;
  let clock = 0;
  t.sentences = content.sentences.map((s, index) => {
    const words = s.text.split(/\s+/).filter(Boolean);
    const start = clock;
    clock += Math.max(1, words.length * 0.4);
    return {
      media_channel: mono ? 1 : s.channel,
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

/**
 * The Intelligence webhook's JSON body. It only names the transcript; the receiver fetches the rest.
 * The field names and `event_type` are not in the OpenAPI description; they are what Twilio's
 * Voice Intelligence webhook is documented and seen to send by public integrations (account_sid,
 * service_sid, transcript_sid, customer_key, event_type `voice_intelligence_transcript_available`).
 * Not confirmed from an official schema: whether `customer_key` is sent as null or left out when the
 * transcript has none (left out here, as the emulators omit empty fields), and whether a failed
 * transcript is announced at all (it is not here: the one documented event is "available").
 */
export function transcriptAvailableEvent(t: MutableTranscript): Record<string, string> {
  return {
    account_sid: t.resource.account_sid,
    service_sid: t.resource.service_sid,
    transcript_sid: t.sid,
    ...(t.resource.customer_key ? { customer_key: t.resource.customer_key } : {}),
    event_type: 'voice_intelligence_transcript_available',
  };
}

/** Posts a completed transcript's event to its service's webhook, when it has one. */
function announce(state: EmulatorState, t: MutableTranscript): void {
  const webhook = webhookOf(state, t.resource.service_sid);
  if (!webhook || t.resource.status !== 'completed') return;
  const event = transcriptAvailableEvent(t);
  // A GET webhook cannot carry a JSON body: the fields go in the query (not confirmed against Twilio).
  const request = webhook.method === 'GET' ? { params: event } : { json: event };
  void sendCallback(state, { kind: 'transcript', url: webhook.url, method: webhook.method, ...request });
}

export function createTranscript({ state, res, params }: Ctx) {
  const checked = checkTranscriptCreate(params);
  if (checked.error) return fail(res, checked.error);
  const sid = newSid('GT');
  const t: MutableTranscript = {
    sid,
    params,
    channel: checked.channel!,
    sourceSid: checked.sourceSid,
    resource: transcriptResource({
      accountSid: state.config.accountSid,
      serviceSid: one(params, 'ServiceSid')!,
      sid,
      channel: checked.channel,
      customerKey: one(params, 'CustomerKey') ?? null,
      mediaStartTime: one(params, 'MediaStartTime') ?? null,
      now: state.config.now(),
    }),
    sentences: [],
    operatorResults: [],
  };
  state.transcripts.push(t);
  state.created.transcripts += 1;
  sendJson(res, 202, t.resource);
  // Real transcripts take a while; the emulator's finish at once unless told to wait. Media that
  // does not exist fails the transcript, as Twilio does once it tries to fetch it.
  if (state.config.autoCompleteTranscripts) {
    const found = !t.sourceSid || state.recordings.some((r) => r.sid === t.sourceSid);
    finishTranscript(state, t, found ? 'completed' : 'failed', state.transcriptContent);
  }
  const snapshot = snapshotTranscript(t);
  res.once('finish', () => {
    notify(state.listeners.transcriptCreated, snapshot);
    announce(state, t);
  });
}

export function fetchTranscript({ state, res, path, match }: Ctx) {
  const t = findTranscript(state, match[1]);
  return t ? sendJson(res, 200, t.resource) : notFound(res, path);
}

export function deleteTranscript({ state, res, path, match }: Ctx) {
  const t = findTranscript(state, match[1]);
  if (!t) return notFound(res, path);
  state.transcripts = state.transcripts.filter((x) => x !== t);
  sendEmpty(res, 204);
}

export function listTranscripts({ state, res, query }: Ctx) {
  const req = pageRequest(query, 1000);
  if (typeof req === 'string') return badPage(res, req);
  const filters = filtersOf(query, ['ServiceSid', 'SourceSid', 'Status']);
  const items = [...state.transcripts]
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

export function listSentences({ state, res, path, query, match }: Ctx) {
  const t = findTranscript(state, match[1]);
  if (!t) return notFound(res, path);
  const req = pageRequest(query, 5000);
  if (typeof req === 'string') return badPage(res, req);
  const filters = filtersOf(query, ['Redacted', 'WordTimestamps']);
  const url = `${INTELLIGENCE_HOST}/v2/Transcripts/${t.sid}/Sentences`;
  // The emulator keeps the raw text; the list redacts PII unless asked for Redacted=false.
  const items = wantsRedacted(t, query) ? t.sentences.map(redactSentence) : t.sentences;
  sendJson(res, 200, pageV2({ items, key: 'sentences', url, filters, req, sidOf: (s) => s.sid }));
}

export function listOperatorResults({ state, res, path, query, match }: Ctx) {
  const t = findTranscript(state, match[1]);
  if (!t) return notFound(res, path);
  const req = pageRequest(query, 1000);
  if (typeof req === 'string') return badPage(res, req);
  const filters = filtersOf(query, ['Redacted']);
  const url = `${INTELLIGENCE_HOST}/v2/Transcripts/${t.sid}/OperatorResults`;
  const items = t.operatorResults;
  sendJson(res, 200, pageV2({ items, key: 'operator_results', url, filters, req, sidOf: (r) => r.operator_sid }));
}

export function fetchOperatorResult({ state, res, path, match }: Ctx) {
  const result = findTranscript(state, match[1])?.operatorResults.find((r) => r.operator_sid === match[2]);
  return result ? sendJson(res, 200, result) : notFound(res, path);
}

export const TRANSCRIPT_ROUTES: readonly Route[] = [
  { pattern: /^\/v2\/Transcripts$/, account: false, methods: { GET: listTranscripts, POST: createTranscript } },
  { pattern: /^\/v2\/Transcripts\/([^/]+)$/, account: false, methods: { GET: fetchTranscript, DELETE: deleteTranscript } },
  { pattern: /^\/v2\/Transcripts\/([^/]+)\/Sentences$/, account: false, methods: { GET: listSentences } },
  { pattern: /^\/v2\/Transcripts\/([^/]+)\/OperatorResults$/, account: false, methods: { GET: listOperatorResults } },
  {
    pattern: /^\/v2\/Transcripts\/([^/]+)\/OperatorResults\/([^/]+)$/,
    account: false,
    methods: { GET: fetchOperatorResult },
  },
];

// ---- Programmatic control -------------------------------------------------------------------------

/** Finishes a transcript (for `autoCompleteTranscripts: false`), optionally with its own content. */
export function completeTranscript(
  state: EmulatorState,
  sid: string,
  opts: { status?: 'completed' | 'failed'; content?: TranscriptContent } = {},
): TranscriptResource {
  const t = findTranscript(state, sid);
  if (!t) throw new Error(`no transcript ${sid}`);
  finishTranscript(state, t, opts.status ?? 'completed', opts.content ?? state.transcriptContent);
  announce(state, t);
  return structuredClone(t.resource);
}
