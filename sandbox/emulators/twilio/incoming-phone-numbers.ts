// IncomingPhoneNumbers (api v2010): the account's numbers, listed (paged, filtered by PhoneNumber or
// FriendlyName), fetched and updated, for a tool that points the numbers' webhooks at the Functions.
// The numbers are given at start (`incomingNumbers`, else `numbers`); buying and releasing are not modelled.
import { one, sendJson } from '../shared/http';
import { newSid, rfc2822 } from './resources/common';
import { incomingPhoneNumberResource, type IncomingPhoneNumberResource } from './resources/incoming-phone-number';
import { filtersOf, page2010, pageRequest } from './resources/paging';
import { ACCOUNT, badPage, fail, notFound, type Ctx, type Route } from './routing';
import type { EmulatorState } from './state';
import { isHttpUrl, twilioError, type TwilioError } from './validate';

/** A number the account owns at start, optionally already wired. */
export interface IncomingNumberSeed {
  readonly phoneNumber: string;
  readonly voiceUrl?: string;
  readonly smsUrl?: string;
  readonly voiceApplicationSid?: string;
}

export interface IncomingNumberRecord {
  readonly sid: string;
  /** Every update's parameters, in order (for tests: what a client sent). */
  readonly updates: readonly Record<string, string>[];
  readonly resource: IncomingPhoneNumberResource;
}

export interface MutableIncomingNumber {
  sid: string;
  updates: Record<string, string>[];
  resource: IncomingPhoneNumberResource;
}

/** Update parameter → resource field, for the parameters this emulator applies. */
const UPDATABLE: Readonly<Record<string, keyof IncomingPhoneNumberResource>> = {
  FriendlyName: 'friendly_name',
  VoiceUrl: 'voice_url',
  VoiceMethod: 'voice_method',
  VoiceFallbackUrl: 'voice_fallback_url',
  VoiceFallbackMethod: 'voice_fallback_method',
  StatusCallback: 'status_callback',
  StatusCallbackMethod: 'status_callback_method',
  SmsUrl: 'sms_url',
  SmsMethod: 'sms_method',
  SmsFallbackUrl: 'sms_fallback_url',
  SmsFallbackMethod: 'sms_fallback_method',
  VoiceApplicationSid: 'voice_application_sid',
  SmsApplicationSid: 'sms_application_sid',
};
const URL_PARAMS = ['VoiceUrl', 'VoiceFallbackUrl', 'StatusCallback', 'SmsUrl', 'SmsFallbackUrl'];
const METHOD_PARAMS = ['VoiceMethod', 'VoiceFallbackMethod', 'StatusCallbackMethod', 'SmsMethod', 'SmsFallbackMethod'];

export function incomingNumbersFrom(seeds: readonly IncomingNumberSeed[], accountSid: string, now: Date): MutableIncomingNumber[] {
  return seeds.map((seed) => {
    const resource = incomingPhoneNumberResource({ accountSid, sid: newSid('PN'), phoneNumber: seed.phoneNumber, now });
    resource.voice_url = seed.voiceUrl ?? '';
    resource.sms_url = seed.smsUrl ?? '';
    resource.voice_application_sid = seed.voiceApplicationSid ?? '';
    return { sid: resource.sid, updates: [], resource };
  });
}

/** The first error Twilio would answer an update with: a URL that is not http(s), a method other than GET/POST. */
export function checkIncomingNumberUpdate(params: Readonly<Record<string, string>>): TwilioError | undefined {
  for (const name of URL_PARAMS) {
    const value = params[name];
    if (value !== undefined && value !== '' && !isHttpUrl(value)) return twilioError(21502, `${name} is not a valid URL: ${value}`);
  }
  for (const name of METHOD_PARAMS) {
    const value = params[name];
    if (value !== undefined && !['GET', 'POST'].includes(value.toUpperCase())) return twilioError(20001, `${name} must be either GET or POST`);
  }
  return undefined;
}

const findNumber = (state: EmulatorState, sid: string) => state.incomingNumbers.find((n) => n.sid === sid);
const digits = (value: string) => value.replace(/\D/g, '');

export function listIncomingNumbers({ state, res, query }: Ctx) {
  const req = pageRequest(query, 1000);
  if (typeof req === 'string') return badPage(res, req);
  const filters = filtersOf(query, ['PhoneNumber', 'FriendlyName', 'Beta', 'Origin']);
  // Twilio matches PhoneNumber on part of the number ("*" a wildcard); FriendlyName exactly.
  const wanted = query.get('PhoneNumber');
  const friendlyName = query.get('FriendlyName');
  const items = state.incomingNumbers
    .map((n) => n.resource)
    .filter((n) => !wanted || digits(n.phone_number).includes(digits(wanted.replace(/\*/g, ''))))
    .filter((n) => friendlyName === null || n.friendly_name === friendlyName);
  const path = `/2010-04-01/Accounts/${state.config.accountSid}/IncomingPhoneNumbers.json`;
  sendJson(res, 200, page2010({ items, key: 'incoming_phone_numbers', path, filters, req, sidOf: (n) => n.sid }));
}

export function fetchIncomingNumber({ state, res, path, match }: Ctx) {
  const number = findNumber(state, match[2]);
  return number ? sendJson(res, 200, number.resource) : notFound(res, path);
}

export function updateIncomingNumber({ state, res, path, match, params }: Ctx) {
  const number = findNumber(state, match[2]);
  if (!number) return notFound(res, path);
  const given: Record<string, string> = {};
  for (const name of Object.keys(UPDATABLE)) {
    const value = one(params, name);
    if (value !== undefined) given[name] = value;
  }
  const error = checkIncomingNumberUpdate(given);
  if (error) return fail(res, error);
  for (const [name, value] of Object.entries(given)) {
    (number.resource as unknown as Record<string, string>)[UPDATABLE[name]] = name.endsWith('Method') ? value.toUpperCase() : value;
  }
  number.updates.push(given);
  number.resource.date_updated = rfc2822(state.config.now());
  sendJson(res, 200, number.resource);
}

export const INCOMING_NUMBER_ROUTES: readonly Route[] = [
  { pattern: new RegExp(`${ACCOUNT}/IncomingPhoneNumbers\\.json$`), account: true, methods: { GET: listIncomingNumbers } },
  {
    pattern: new RegExp(`${ACCOUNT}/IncomingPhoneNumbers/(PN[^/]+)\\.json$`),
    account: true,
    methods: { GET: fetchIncomingNumber, POST: updateIncomingNumber },
  },
];
