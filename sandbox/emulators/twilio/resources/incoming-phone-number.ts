// The IncomingPhoneNumber resource (api v2010), shaped like the official OpenAPI description.
import { formatNumber, rfc2822 } from './common';

export interface IncomingPhoneNumberResource {
  account_sid: string;
  address_sid: string | null;
  address_requirements: 'none' | 'any' | 'local' | 'foreign';
  api_version: string;
  beta: boolean;
  capabilities: { voice: boolean; sms: boolean; mms: boolean; fax: boolean };
  date_created: string;
  date_updated: string;
  friendly_name: string;
  identity_sid: string | null;
  phone_number: string;
  origin: string;
  sid: string;
  sms_application_sid: string;
  sms_fallback_method: string;
  sms_fallback_url: string;
  sms_method: string;
  sms_url: string;
  status_callback: string;
  status_callback_method: string;
  trunk_sid: string | null;
  uri: string;
  voice_receive_mode: 'voice' | 'fax';
  voice_application_sid: string;
  voice_caller_id_lookup: boolean;
  voice_fallback_method: string;
  voice_fallback_url: string;
  voice_method: string;
  voice_url: string;
  emergency_status: 'Active' | 'Inactive';
  emergency_address_sid: string | null;
  emergency_address_status: string;
  bundle_sid: string | null;
  status: string;
  type: string;
  subresource_uris: Record<string, string>;
}

/** A number as bought in the Console: voice and SMS capable, no webhooks yet (Twilio's empty strings). */
export function incomingPhoneNumberResource(opts: { accountSid: string; sid: string; phoneNumber: string; now: Date }): IncomingPhoneNumberResource {
  const { accountSid, sid, phoneNumber, now } = opts;
  const uri = `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers/${sid}.json`;
  return {
    account_sid: accountSid,
    address_sid: null,
    address_requirements: 'none',
    api_version: '2010-04-01',
    beta: false,
    capabilities: { voice: true, sms: true, mms: true, fax: false },
    date_created: rfc2822(now),
    date_updated: rfc2822(now),
    friendly_name: formatNumber(phoneNumber),
    identity_sid: null,
    phone_number: phoneNumber,
    origin: 'twilio',
    sid,
    sms_application_sid: '',
    sms_fallback_method: 'POST',
    sms_fallback_url: '',
    sms_method: 'POST',
    sms_url: '',
    status_callback: '',
    status_callback_method: 'POST',
    trunk_sid: null,
    uri,
    voice_receive_mode: 'voice',
    voice_application_sid: '',
    voice_caller_id_lookup: false,
    voice_fallback_method: 'POST',
    voice_fallback_url: '',
    voice_method: 'POST',
    voice_url: '',
    emergency_status: 'Inactive',
    emergency_address_sid: null,
    emergency_address_status: 'unregistered',
    bundle_sid: null,
    status: 'in-use',
    type: 'local',
    subresource_uris: { assigned_add_ons: uri.replace(/\.json$/, '/AssignedAddOns.json') },
  };
}
