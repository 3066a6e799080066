// The JSON the Twilio emulator answers with, shaped like the official OpenAPI descriptions
// (api v2010 Calls/Messages/Recordings, intelligence v2 Transcripts, messaging v1 Services):
// every field the description lists, null where the emulator cannot know the value.
import { randomBytes } from 'node:crypto';

export const API_HOST = 'https://api.twilio.com';
export const INTELLIGENCE_HOST = 'https://intelligence.twilio.com';
export const MESSAGING_HOST = 'https://messaging.twilio.com';

export const CALL_STATUSES = ['queued', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];
export const ENDED_CALL_STATUSES: readonly CallStatus[] = ['completed', 'busy', 'failed', 'no-answer', 'canceled'];

export const MESSAGE_STATUSES = [
  'queued', 'sending', 'sent', 'failed', 'delivered', 'undelivered', 'receiving', 'received',
  'accepted', 'scheduled', 'read', 'partially_delivered', 'canceled',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const RECORDING_SOURCES = [
  'DialVerb', 'Conference', 'OutboundAPI', 'Trunking', 'RecordVerb', 'StartCallRecordingAPI', 'StartConferenceRecordingAPI',
] as const;
export type RecordingSource = (typeof RECORDING_SOURCES)[number];
export type RecordingStatus = 'in-progress' | 'paused' | 'stopped' | 'processing' | 'completed' | 'absent';

export type TranscriptStatus = 'queued' | 'in-progress' | 'completed' | 'new' | 'failed' | 'canceled' | 'error';

export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** API v2010 dates: RFC 2822 with a numeric zone, "Tue, 31 Aug 2010 20:36:28 +0000". */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/** Intelligence v2 dates: ISO 8601 to the second, "2010-08-31T20:36:28Z". */
export function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** "(415) 867-5309" for North American numbers, as Twilio formats `to_formatted`; others unchanged. */
export function formatNumber(value: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(value);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : value;
}

export interface CallResource {
  sid: string;
  date_created: string;
  date_updated: string;
  parent_call_sid: string | null;
  account_sid: string;
  to: string;
  to_formatted: string;
  from: string;
  from_formatted: string;
  phone_number_sid: string | null;
  status: CallStatus;
  start_time: string | null;
  end_time: string | null;
  duration: string | null;
  price: string | null;
  price_unit: string;
  direction: 'inbound' | 'outbound-api' | 'outbound-dial';
  answered_by: string | null;
  api_version: string;
  forwarded_from: string | null;
  group_sid: string | null;
  caller_name: string | null;
  queue_time: string;
  trunk_sid: string | null;
  uri: string;
  subresource_uris: Record<string, string>;
}

export function callResource(opts: {
  accountSid: string;
  sid: string;
  to: string;
  from: string;
  now: Date;
  direction?: CallResource['direction'];
  status?: CallStatus;
  parentCallSid?: string;
}): CallResource {
  const uri = `/2010-04-01/Accounts/${opts.accountSid}/Calls/${opts.sid}`;
  const sub = (name: string) => `${uri}/${name}.json`;
  return {
    sid: opts.sid,
    date_created: rfc2822(opts.now),
    date_updated: rfc2822(opts.now),
    parent_call_sid: opts.parentCallSid ?? null,
    account_sid: opts.accountSid,
    to: opts.to,
    to_formatted: formatNumber(opts.to),
    from: opts.from,
    from_formatted: formatNumber(opts.from),
    phone_number_sid: opts.from.startsWith('+') ? newSid('PN') : null,
    status: opts.status ?? 'queued',
    start_time: null,
    end_time: null,
    duration: null,
    price: null,
    price_unit: 'USD',
    direction: opts.direction ?? 'outbound-api',
    answered_by: null,
    api_version: '2010-04-01',
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: '0',
    trunk_sid: null,
    uri: `${uri}.json`,
    subresource_uris: {
      user_defined_message_subscriptions: sub('UserDefinedMessageSubscriptions'),
      user_defined_messages: sub('UserDefinedMessages'),
      notifications: sub('Notifications'),
      recordings: sub('Recordings'),
      streams: sub('Streams'),
      payments: sub('Payments'),
      siprec: sub('Siprec'),
      events: sub('Events'),
      transcriptions: sub('Transcriptions'),
    },
  };
}

export interface MessageResource {
  body: string;
  num_segments: string;
  direction: 'inbound' | 'outbound-api' | 'outbound-call' | 'outbound-reply';
  from: string | null;
  to: string;
  date_updated: string;
  price: string | null;
  error_message: string | null;
  uri: string;
  account_sid: string;
  num_media: string;
  status: MessageStatus;
  messaging_service_sid: string | null;
  sid: string;
  date_sent: string | null;
  date_created: string;
  error_code: number | null;
  price_unit: string | null;
  api_version: string;
  subresource_uris: Record<string, string>;
}

/** SMS segments: 160 GSM-7 characters alone or 153 when split; 70/67 once any character needs UCS-2. */
export function segmentCount(body: string): number {
  if (body.length === 0) return 1;
  // A practical stand-in for the GSM-7 alphabet: printable ASCII plus newlines.
  const gsm = /^[\x20-\x7E\n\r]*$/.test(body);
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  const length = gsm ? body.length : [...body].length;
  return length <= single ? 1 : Math.ceil(length / multi);
}

export function messageResource(opts: {
  accountSid: string;
  sid: string;
  to: string;
  from: string | null;
  body: string;
  numMedia: number;
  messagingServiceSid: string | null;
  status: MessageStatus;
  now: Date;
}): MessageResource {
  const uri = `/2010-04-01/Accounts/${opts.accountSid}/Messages/${opts.sid}`;
  return {
    body: opts.body,
    num_segments: String(segmentCount(opts.body)),
    direction: 'outbound-api',
    from: opts.from,
    to: opts.to,
    date_updated: rfc2822(opts.now),
    price: null,
    error_message: null,
    uri: `${uri}.json`,
    account_sid: opts.accountSid,
    num_media: String(opts.numMedia),
    status: opts.status,
    messaging_service_sid: opts.messagingServiceSid,
    sid: opts.sid,
    date_sent: null,
    date_created: rfc2822(opts.now),
    error_code: null,
    price_unit: 'USD',
    api_version: '2010-04-01',
    subresource_uris: { media: `${uri}/Media.json` },
  };
}

export interface RecordingResource {
  account_sid: string;
  api_version: string;
  call_sid: string;
  conference_sid: string | null;
  date_created: string;
  date_updated: string;
  start_time: string;
  duration: string;
  sid: string;
  price: string | null;
  price_unit: string;
  status: RecordingStatus;
  channels: number;
  source: RecordingSource;
  error_code: number | null;
  uri: string;
  encryption_details: Record<string, string> | null;
  subresource_uris: Record<string, string>;
  media_url: string;
  track: string;
}

export function recordingResource(opts: {
  accountSid: string;
  sid: string;
  callSid: string;
  durationSeconds: number;
  channels: number;
  source: RecordingSource;
  status: RecordingStatus;
  track: string;
  startTime: Date;
  now: Date;
}): RecordingResource {
  const uri = `/2010-04-01/Accounts/${opts.accountSid}/Recordings/${opts.sid}`;
  return {
    account_sid: opts.accountSid,
    api_version: '2010-04-01',
    call_sid: opts.callSid,
    conference_sid: null,
    date_created: rfc2822(opts.now),
    date_updated: rfc2822(opts.now),
    start_time: rfc2822(opts.startTime),
    duration: String(opts.durationSeconds),
    sid: opts.sid,
    price: null,
    price_unit: 'USD',
    status: opts.status,
    channels: opts.channels,
    source: opts.source,
    error_code: null,
    uri: `${uri}.json`,
    encryption_details: null,
    subresource_uris: {
      add_on_results: `${uri}/AddOnResults.json`,
      transcriptions: `${uri}/Transcriptions.json`,
    },
    media_url: `${API_HOST}${uri}`,
    track: opts.track,
  };
}

export interface TranscriptResource {
  account_sid: string;
  service_sid: string;
  sid: string;
  date_created: string;
  date_updated: string;
  status: TranscriptStatus;
  channel: unknown;
  data_logging: boolean;
  language_code: string;
  customer_key: string | null;
  media_start_time: string | null;
  duration: number;
  url: string;
  redaction: boolean;
  encryption_credential_sid: string | null;
  links: Record<string, string>;
}

export function transcriptResource(opts: {
  accountSid: string;
  serviceSid: string;
  sid: string;
  channel: unknown;
  customerKey: string | null;
  mediaStartTime: string | null;
  now: Date;
}): TranscriptResource {
  const url = `${INTELLIGENCE_HOST}/v2/Transcripts/${opts.sid}`;
  return {
    account_sid: opts.accountSid,
    service_sid: opts.serviceSid,
    sid: opts.sid,
    date_created: iso(opts.now),
    date_updated: iso(opts.now),
    status: 'queued',
    channel: opts.channel,
    data_logging: false,
    language_code: 'en-US',
    customer_key: opts.customerKey,
    media_start_time: opts.mediaStartTime,
    duration: 0,
    url,
    redaction: true,
    encryption_credential_sid: null,
    links: {
      sentences: `${url}/Sentences`,
      encrypted_sentences: `${url}/Sentences/Encrypted`,
      media: `${url}/Media`,
      operator_results: `${url}/OperatorResults`,
      encrypted_operator_results: `${url}/OperatorResults/Encrypted`,
    },
  };
}

export interface SentenceResource {
  media_channel: number;
  sentence_index: number;
  start_time: string | null;
  end_time: string | null;
  transcript: string | null;
  sid: string;
  confidence: string | null;
  words: { word: string; start_time: string | null; end_time: string | null }[] | null;
}

export interface OperatorResultResource {
  operator_type: string;
  name: string;
  operator_sid: string;
  extract_match: boolean | null;
  match_probability: string | null;
  normalized_result: string | null;
  utterance_results: unknown[] | null;
  utterance_match: boolean | null;
  predicted_label: string | null;
  predicted_probability: string | null;
  label_probabilities: Record<string, unknown> | null;
  extract_results: Record<string, unknown> | null;
  text_generation_results: { result: string; format: string } | null;
  json_results: Record<string, unknown> | null;
  transcript_sid: string;
  url: string;
}

/** A generative (text) operator's result, the shape Conversation Summary and custom prompts return. */
export function textOperatorResult(opts: {
  transcriptSid: string;
  operatorSid: string;
  name: string;
  text: string;
}): OperatorResultResource {
  return {
    operator_type: 'text-generation',
    name: opts.name,
    operator_sid: opts.operatorSid,
    extract_match: null,
    match_probability: null,
    normalized_result: null,
    utterance_results: [],
    utterance_match: null,
    predicted_label: null,
    predicted_probability: null,
    label_probabilities: {},
    extract_results: {},
    text_generation_results: { result: opts.text, format: 'text' },
    json_results: {},
    transcript_sid: opts.transcriptSid,
    url: `${INTELLIGENCE_HOST}/v2/Transcripts/${opts.transcriptSid}/OperatorResults/${opts.operatorSid}`,
  };
}

export function messagingServiceResource(accountSid: string, sid: string, now: Date): Record<string, unknown> {
  const url = `${MESSAGING_HOST}/v1/Services/${sid}`;
  return {
    account_sid: accountSid,
    sid,
    date_created: iso(now),
    date_updated: iso(now),
    friendly_name: 'Local sandbox messaging service',
    inbound_request_url: null,
    inbound_method: 'POST',
    fallback_url: null,
    fallback_method: 'POST',
    status_callback: null,
    sticky_sender: true,
    mms_converter: true,
    smart_encoding: true,
    scan_message_content: 'inherit',
    fallback_to_long_code: true,
    area_code_geomatch: true,
    validity_period: 14400,
    synchronous_validation: true,
    usecase: 'notifications',
    us_app_to_person_registered: false,
    use_inbound_webhook_on_number: true,
    links: {
      phone_numbers: `${url}/PhoneNumbers`,
      short_codes: `${url}/ShortCodes`,
      alpha_senders: `${url}/AlphaSenders`,
      messages: `${url}/Messages`,
      us_app_to_person: `${url}/Compliance/Usa2p`,
      us_app_to_person_usecases: `${url}/Compliance/Usa2p/Usecases`,
      channel_senders: `${url}/ChannelSenders`,
      destination_alpha_senders: `${url}/DestinationAlphaSenders`,
    },
    url,
  };
}

/** The list parameters every paged Twilio read accepts. */
interface PageRequest {
  readonly pageSize: number;
  readonly page: number;
  readonly pageToken?: string;
}

export function pageRequest(query: URLSearchParams, maxPageSize: number): PageRequest | string {
  const size = query.get('PageSize');
  const page = query.get('Page');
  const pageSize = size === null ? 50 : Number(size);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize) {
    return `PageSize must be between 1 and ${maxPageSize}`;
  }
  const pageNumber = page === null ? 0 : Number(page);
  if (!Number.isInteger(pageNumber) || pageNumber < 0) return 'Page must be a non-negative integer';
  return { pageSize, page: pageNumber, pageToken: query.get('PageToken') ?? undefined };
}

/**
 * One page of `items` (newest first, as Twilio lists). A PageToken ("PA" + the last sid of the
 * page before, "PB" + the first sid of the page after) keeps paging stable while items are added.
 */
function slicePage<T>(items: readonly T[], sidOf: (item: T) => string, req: PageRequest): { start: number; rows: T[] } {
  let start = req.page * req.pageSize;
  const token = req.pageToken;
  if (token && token.length > 2) {
    const index = items.findIndex((item) => sidOf(item) === token.slice(2));
    if (index >= 0 && token.startsWith('PA')) start = index + 1;
    if (index >= 0 && token.startsWith('PB')) start = Math.max(0, index - req.pageSize);
  }
  return { start, rows: items.slice(start, start + req.pageSize) };
}

function pageQuery(filters: URLSearchParams, pageSize: number, page: number, token?: string): string {
  const q = new URLSearchParams(filters);
  q.set('PageSize', String(pageSize));
  q.set('Page', String(page));
  if (token) q.set('PageToken', token);
  return q.toString();
}

/** A v2010 list page: the rows under `key` plus first/next/previous page URIs relative to api.twilio.com. */
export function page2010<T>(opts: {
  items: readonly T[];
  key: string;
  path: string;
  filters: URLSearchParams;
  req: PageRequest;
  sidOf: (item: T) => string;
}): Record<string, unknown> {
  const { items, key, path, filters, req, sidOf } = opts;
  const { start, rows } = slicePage(items, sidOf, req);
  const hasNext = start + rows.length < items.length && rows.length > 0;
  const last = rows[rows.length - 1];
  const first = rows[0];
  return {
    [key]: rows,
    end: Math.max(start, start + rows.length - 1),
    first_page_uri: `${path}?${pageQuery(filters, req.pageSize, 0)}`,
    next_page_uri: hasNext && last ? `${path}?${pageQuery(filters, req.pageSize, req.page + 1, `PA${sidOf(last)}`)}` : null,
    page: req.page,
    page_size: req.pageSize,
    previous_page_uri:
      req.page > 0 && first ? `${path}?${pageQuery(filters, req.pageSize, req.page - 1, `PB${sidOf(first)}`)}` : null,
    start,
    uri: `${path}?${pageQuery(filters, req.pageSize, req.page, req.pageToken)}`,
  };
}

/** A v2 (Intelligence) list page: rows under `key` plus a `meta` block with absolute URLs. */
export function pageV2<T>(opts: {
  items: readonly T[];
  key: string;
  url: string;
  filters: URLSearchParams;
  req: PageRequest;
  sidOf: (item: T) => string;
}): Record<string, unknown> {
  const { items, key, url, filters, req, sidOf } = opts;
  const { start, rows } = slicePage(items, sidOf, req);
  const hasNext = start + rows.length < items.length && rows.length > 0;
  const last = rows[rows.length - 1];
  const first = rows[0];
  return {
    [key]: rows,
    meta: {
      page: req.page,
      page_size: req.pageSize,
      first_page_url: `${url}?${pageQuery(filters, req.pageSize, 0)}`,
      previous_page_url:
        req.page > 0 && first ? `${url}?${pageQuery(filters, req.pageSize, req.page - 1, `PB${sidOf(first)}`)}` : null,
      url: `${url}?${pageQuery(filters, req.pageSize, req.page, req.pageToken)}`,
      next_page_url: hasNext && last ? `${url}?${pageQuery(filters, req.pageSize, req.page + 1, `PA${sidOf(last)}`)}` : null,
      key,
    },
  };
}
