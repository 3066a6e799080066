// The parameters Twilio sends with a voice webhook, per kind of call leg.
import { randomBytes } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

export const TWILIO_API_VERSION = '2010-04-01';

/**
 * What Twilio puts in `From` when the caller hides their number (Twilio's help centre, "Why am I getting
 * calls from these strange numbers?"); some carriers send a word instead.
 */
export const ANONYMOUS_CALLER_IDS = {
  anonymous: '+266696687',
  restricted: '+7378742833',
  blocked: '+2562533',
  unknown: '+8656696',
  unavailable: '+86282452253',
  word: 'Anonymous',
} as const;

const MASKED = new Set<string>(Object.values(ANONYMOUS_CALLER_IDS));

export function newSid(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/** An inbound call, to a phone number or to a SIP domain. */
export interface InboundCall {
  readonly accountSid: string;
  readonly callSid?: string;
  readonly from: string;
  /** E.164 for a PSTN call; a `sip:` URI for a call to a SIP domain. */
  readonly to: string;
  /** SIP `X-` headers of the INVITE, sent as SipHeader_<name>. */
  readonly sipHeaders?: Readonly<Record<string, string>>;
}

function countryOf(number: string): string {
  if (MASKED.has(number)) return '';
  const e164 = sipUser(number) ?? number;
  return parsePhoneNumberFromString(e164)?.country ?? '';
}

/** The user part of a SIP URI (`sip:+1555@host` → `+1555`), or undefined for anything else. */
export function sipUser(address: string): string | undefined {
  const match = /^sips?:([^@;?]+)@/i.exec(address);
  return match?.[1];
}

export function sipHost(address: string): string | undefined {
  const match = /^sips?:[^@]+@([^;?>:]+)/i.exec(address);
  return match?.[1];
}

export function isSipAddress(address: string): boolean {
  return /^sips?:/i.test(address);
}

/** The location parameters Twilio derives from both numbers (city, state and zip stay empty here). */
function locationParams(from: string, to: string): Record<string, string> {
  const fromCountry = countryOf(from);
  const toCountry = countryOf(to);
  return {
    FromCountry: fromCountry,
    FromState: '',
    FromCity: '',
    FromZip: '',
    CallerCountry: fromCountry,
    CallerState: '',
    CallerCity: '',
    CallerZip: '',
    ToCountry: toCountry,
    ToState: '',
    ToCity: '',
    ToZip: '',
    CalledCountry: toCountry,
    CalledState: '',
    CalledCity: '',
    CalledZip: '',
  };
}

/** Parameters of the first request of an inbound call (CallStatus `ringing`, as Twilio sends it). */
export function inboundCallParams(call: InboundCall): Record<string, string> {
  const params: Record<string, string> = {
    AccountSid: call.accountSid,
    ApiVersion: TWILIO_API_VERSION,
    CallSid: call.callSid ?? newSid('CA'),
    CallStatus: 'ringing',
    Direction: 'inbound',
    From: call.from,
    To: call.to,
    Caller: call.from,
    Called: call.to,
    CallToken: randomBytes(24).toString('base64url'),
  };
  if (isSipAddress(call.to)) {
    const domain = sipHost(call.to) ?? 'example.sip.twilio.com';
    params.SipDomain = domain;
    params.SipDomainSid = newSid('SD');
    params.SipCallId = `${randomBytes(12).toString('hex')}@203.0.113.10`;
    params.SipSourceIp = '203.0.113.10';
    for (const [name, value] of Object.entries(call.sipHeaders ?? {})) params[`SipHeader_${name}`] = value;
    return params;
  }
  return { ...params, ...locationParams(call.from, call.to) };
}

/** A call the project placed through the REST API (`calls.create`), once answered. */
export function outboundCallParams(call: {
  readonly accountSid: string;
  readonly callSid: string;
  readonly from: string;
  readonly to: string;
  readonly answeredBy?: string;
}): Record<string, string> {
  const params: Record<string, string> = {
    AccountSid: call.accountSid,
    ApiVersion: TWILIO_API_VERSION,
    CallSid: call.callSid,
    CallStatus: 'in-progress',
    Direction: 'outbound-api',
    From: call.from,
    To: call.to,
    Caller: call.from,
    Called: call.to,
    ...locationParams(call.from, call.to),
  };
  if (call.answeredBy) params.AnsweredBy = call.answeredBy;
  return params;
}

/** The leg a `<Dial>` places, as its `<Number url>` / `<Sip url>` whisper sees it. */
export function dialedLegParams(leg: {
  readonly accountSid: string;
  readonly callSid: string;
  readonly parentCallSid: string;
  readonly from: string;
  readonly to: string;
}): Record<string, string> {
  return {
    AccountSid: leg.accountSid,
    ApiVersion: TWILIO_API_VERSION,
    CallSid: leg.callSid,
    ParentCallSid: leg.parentCallSid,
    CallStatus: 'in-progress',
    Direction: 'outbound-dial',
    From: leg.from,
    To: leg.to,
    Caller: leg.from,
    Called: leg.to,
    ...(isSipAddress(leg.to) ? {} : locationParams(leg.from, leg.to)),
  };
}
