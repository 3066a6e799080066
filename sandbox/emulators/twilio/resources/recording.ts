// The Recording resource (api v2010), shaped like the official OpenAPI description.
import { API_HOST, rfc2822 } from './common';

export const RECORDING_SOURCES = [
  'DialVerb', 'Conference', 'OutboundAPI', 'Trunking', 'RecordVerb', 'StartCallRecordingAPI', 'StartConferenceRecordingAPI',
] as const;
export type RecordingSource = (typeof RECORDING_SOURCES)[number];
export type RecordingStatus = 'in-progress' | 'paused' | 'stopped' | 'processing' | 'completed' | 'absent';

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

