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
  /** null while the recording is in progress. */
  duration: string | null;
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
  /** undefined: still recording. */
  durationSeconds: number | undefined;
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
    duration: opts.durationSeconds === undefined ? null : String(opts.durationSeconds),
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


/**
 * A recording as the Recordings list of a call answers a create (the call_recording definition): its
 * fields only, with the URI under the call.
 */
export function callRecordingView(r: RecordingResource): Record<string, unknown> {
  return {
    account_sid: r.account_sid,
    api_version: r.api_version,
    call_sid: r.call_sid,
    conference_sid: r.conference_sid,
    channels: r.channels,
    date_created: r.date_created,
    date_updated: r.date_updated,
    start_time: r.start_time,
    price: r.price,
    price_unit: r.price_unit,
    duration: r.duration,
    sid: r.sid,
    source: r.source,
    status: r.status,
    error_code: r.error_code,
    encryption_details: r.encryption_details,
    track: r.track,
    uri: `/2010-04-01/Accounts/${r.account_sid}/Calls/${r.call_sid}/Recordings/${r.sid}.json`,
  };
}
