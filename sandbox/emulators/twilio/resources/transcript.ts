// Transcripts, their Sentences and OperatorResults (Voice Intelligence v2), shaped like the official
// OpenAPI description.
import { INTELLIGENCE_HOST, iso } from './common';

export type TranscriptStatus = 'queued' | 'in-progress' | 'completed' | 'new' | 'failed' | 'canceled' | 'error';

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

