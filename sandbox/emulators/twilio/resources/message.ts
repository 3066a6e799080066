// The Message resource (api v2010), shaped like the official OpenAPI description.
import { rfc2822 } from './common';

export const MESSAGE_STATUSES = [
  'queued', 'sending', 'sent', 'failed', 'delivered', 'undelivered', 'receiving', 'received',
  'accepted', 'scheduled', 'read', 'partially_delivered', 'canceled',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

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

