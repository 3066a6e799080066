// The Conference and Conference Participant resources (api v2010), shaped like the official OpenAPI
// description.
import { rfc2822 } from './common';

export const CONFERENCE_STATUSES = ['init', 'in-progress', 'completed'] as const;
export type ConferenceStatus = (typeof CONFERENCE_STATUSES)[number];
export type ConferenceEndReason =
  | 'conference-ended-via-api'
  | 'participant-with-end-conference-on-exit-left'
  | 'participant-with-end-conference-on-exit-kicked'
  | 'last-participant-kicked'
  | 'last-participant-left';
export type ParticipantStatus = 'queued' | 'connecting' | 'ringing' | 'connected' | 'complete' | 'failed';

export interface ConferenceResource {
  account_sid: string;
  date_created: string;
  date_updated: string;
  api_version: string;
  friendly_name: string;
  region: string;
  sid: string;
  status: ConferenceStatus;
  uri: string;
  subresource_uris: Record<string, string>;
  reason_conference_ended: ConferenceEndReason | null;
  call_sid_ending_conference: string | null;
}

export interface ParticipantResource {
  account_sid: string;
  call_sid: string;
  label: string | null;
  call_sid_to_coach: string | null;
  coaching: boolean;
  conference_sid: string;
  date_created: string;
  date_updated: string;
  end_conference_on_exit: boolean;
  muted: boolean;
  hold: boolean;
  start_conference_on_enter: boolean;
  status: ParticipantStatus;
  /** Only in the answer to a create request (milliseconds before the call was placed); null elsewhere. */
  queue_time: string | null;
  uri: string;
}

const conferenceUri = (accountSid: string, sid: string) => `/2010-04-01/Accounts/${accountSid}/Conferences/${sid}`;

export function conferenceResource(opts: { accountSid: string; sid: string; friendlyName: string; now: Date }): ConferenceResource {
  const uri = conferenceUri(opts.accountSid, opts.sid);
  return {
    account_sid: opts.accountSid,
    date_created: rfc2822(opts.now),
    date_updated: rfc2822(opts.now),
    api_version: '2010-04-01',
    friendly_name: opts.friendlyName,
    region: 'us1',
    sid: opts.sid,
    status: 'init',
    uri: `${uri}.json`,
    subresource_uris: { participants: `${uri}/Participants.json`, recordings: `${uri}/Recordings.json` },
    reason_conference_ended: null,
    call_sid_ending_conference: null,
  };
}

export function participantResource(opts: {
  accountSid: string;
  conferenceSid: string;
  callSid: string;
  label?: string;
  startConferenceOnEnter: boolean;
  endConferenceOnExit: boolean;
  muted: boolean;
  coaching?: boolean;
  callSidToCoach?: string;
  status: ParticipantStatus;
  now: Date;
}): ParticipantResource {
  return {
    account_sid: opts.accountSid,
    call_sid: opts.callSid,
    label: opts.label ?? null,
    call_sid_to_coach: opts.callSidToCoach ?? null,
    coaching: opts.coaching ?? false,
    conference_sid: opts.conferenceSid,
    date_created: rfc2822(opts.now),
    date_updated: rfc2822(opts.now),
    end_conference_on_exit: opts.endConferenceOnExit,
    muted: opts.muted,
    hold: false,
    start_conference_on_enter: opts.startConferenceOnEnter,
    status: opts.status,
    queue_time: null,
    uri: `${conferenceUri(opts.accountSid, opts.conferenceSid)}/Participants/${opts.callSid}.json`,
  };
}
