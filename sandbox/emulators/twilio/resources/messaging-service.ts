// The Messaging Service resource (messaging v1), shaped like the official OpenAPI description.
import { iso, MESSAGING_HOST } from './common';

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

