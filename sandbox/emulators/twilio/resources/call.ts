// The Call resource (api v2010), shaped like the official OpenAPI description.
import { formatNumber, newSid, rfc2822 } from './common';

export const CALL_STATUSES = ['queued', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];
export const ENDED_CALL_STATUSES: readonly CallStatus[] = ['completed', 'busy', 'failed', 'no-answer', 'canceled'];

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

