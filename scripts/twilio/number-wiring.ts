// Which of the account's phone numbers `numbers:connect` points at the Functions, and how. Pure:
// the CLI lists the account's numbers and the base's lines and passes them in. Only numbers that are
// a line's Phone Number are ever touched.

/** The SPEC §2 entry points a number's webhooks go to. */
export const NUMBER_WEBHOOK_PATHS = {
  voiceUrl: '/voice/incoming',
  statusCallback: '/events/call-status',
  smsUrl: '/sms/incoming',
} as const;

/** An IncomingPhoneNumber as the twilio library lists it (the fields that matter here). */
export interface OwnedNumber {
  readonly sid: string;
  readonly phoneNumber: string;
  readonly voiceUrl?: string | null;
  readonly voiceMethod?: string | null;
  readonly statusCallback?: string | null;
  readonly statusCallbackMethod?: string | null;
  readonly smsUrl?: string | null;
  readonly smsMethod?: string | null;
  readonly voiceApplicationSid?: string | null;
  readonly trunkSid?: string | null;
}

/** The IncomingPhoneNumber update: VoiceUrl, VoiceMethod, StatusCallback, StatusCallbackMethod, SmsUrl, SmsMethod. */
export interface NumberUpdate {
  voiceUrl?: string;
  voiceMethod?: 'POST';
  statusCallback: string;
  statusCallbackMethod: 'POST';
  smsUrl: string;
  smsMethod: 'POST';
}

export interface NumberChange {
  readonly number: OwnedNumber;
  readonly update: NumberUpdate;
  /** What changes, as "setting: old → new". */
  readonly changes: readonly string[];
  /** Why part of it is left alone, or why Twilio may not use it. */
  readonly notes: readonly string[];
}

export interface WiringPlan {
  readonly toChange: readonly NumberChange[];
  readonly alreadyConnected: readonly OwnedNumber[];
  /** Line numbers this account does not own (a SIP line, another account, a typo). */
  readonly notOwned: readonly string[];
}

/** A Studio flow's webhook: the flow answers the call and reaches /escalate itself (TwiML Redirect). */
const STUDIO_FLOW_URL = /^https:\/\/webhooks\.twilio\.com\/v1\/Accounts\/AC\w+\/Flows\/FW\w+/i;

/** "https://ivr-1234-dev.twil.io/" or "ivr-1234-dev.twil.io" → "https://ivr-1234-dev.twil.io". */
export function serviceBaseUrl(raw: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw.trim()) ? raw.trim() : `https://${raw.trim()}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`"${raw}" is not a URL: give the service's base URL, e.g. https://ivr-escalation-1234-dev.twil.io`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`"${raw}" is not an http(s) URL`);
  if (url.search || url.hash || url.username) throw new Error(`"${raw}": give only the service's base URL, without query or credentials`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function planNumberWiring(lineNumbers: readonly string[], owned: readonly OwnedNumber[], baseUrl: string): WiringPlan {
  const wanted = new Set(lineNumbers);
  const target = {
    voiceUrl: `${baseUrl}${NUMBER_WEBHOOK_PATHS.voiceUrl}`,
    statusCallback: `${baseUrl}${NUMBER_WEBHOOK_PATHS.statusCallback}`,
    smsUrl: `${baseUrl}${NUMBER_WEBHOOK_PATHS.smsUrl}`,
  };
  const toChange: NumberChange[] = [];
  const alreadyConnected: OwnedNumber[] = [];
  for (const number of owned.filter((n) => wanted.has(n.phoneNumber))) {
    const notes: string[] = [];
    const keepsStudio = Boolean(number.voiceUrl && STUDIO_FLOW_URL.test(number.voiceUrl));
    if (keepsStudio) notes.push('voice stays with its Studio flow (its TwiML Redirect widget hands off to /escalate)');
    const update: NumberUpdate = {
      ...(keepsStudio ? {} : { voiceUrl: target.voiceUrl, voiceMethod: 'POST' as const }),
      statusCallback: target.statusCallback,
      statusCallbackMethod: 'POST',
      smsUrl: target.smsUrl,
      smsMethod: 'POST',
    };
    if (number.voiceApplicationSid) notes.push(`calls go to TwiML App ${number.voiceApplicationSid}, which Twilio uses instead of the voice URL: clear it in the Console`);
    if (number.trunkSid) notes.push(`calls go to SIP trunk ${number.trunkSid}, which Twilio uses instead of the voice URL: remove the number from the trunk`);
    const changes = (Object.keys(update) as (keyof NumberUpdate)[])
      .filter((key) => (number[key] ?? '') !== update[key])
      .map((key) => `${key}: ${number[key] || '(none)'} → ${update[key]}`);
    if (changes.length === 0) alreadyConnected.push(number);
    else toChange.push({ number, update, changes, notes });
  }
  const ownedNumbers = new Set(owned.map((n) => n.phoneNumber));
  return { toChange, alreadyConnected, notOwned: [...wanted].filter((n) => !ownedNumbers.has(n)) };
}
