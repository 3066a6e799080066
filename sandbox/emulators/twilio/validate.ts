// Twilio's request checks for the resources the project creates, with Twilio's own error codes
// (api v2010 OpenAPI description + the error dictionary). Pure: each check returns the first
// error Twilio would answer, or undefined.
import { all, one, type FormParams } from '../shared/http';

export interface TwilioError {
  readonly status: number;
  readonly code: number;
  readonly message: string;
}

export function twilioError(code: number, message: string, status = 400): TwilioError {
  return { status, code, message };
}

/** The JSON body Twilio answers errors with. */
export function errorBody(error: TwilioError): Record<string, unknown> {
  return {
    code: error.code,
    message: error.message,
    more_info: `https://www.twilio.com/docs/errors/${error.code}`,
    status: error.status,
  };
}

export const E164 = /^\+[1-9]\d{1,14}$/;

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** What a call can be placed to or from: a phone number, a SIP URI or a Twilio Client identity. */
function isCallEndpoint(value: string): boolean {
  return E164.test(value) || /^sip:[^@\s]+@[^@\s]+$/i.test(value) || /^client:[\w.@-]+$/i.test(value);
}

const METHOD_PARAMS = [
  'Method', 'FallbackMethod', 'StatusCallbackMethod', 'RecordingStatusCallbackMethod', 'AsyncAmdStatusCallbackMethod',
];
/** The call progress events a Calls create may ask for in StatusCallbackEvent, one name per value. */
export const CALL_EVENTS: readonly string[] = ['initiated', 'ringing', 'answered', 'completed'];
export const MAX_TWIML_CHARS = 4000;
export const MAX_BODY_CHARS = 1600;

export interface RecipientRules {
  readonly invalid: ReadonlySet<string>;
  readonly optedOut: ReadonlySet<string>;
  readonly landlines: ReadonlySet<string>;
  /** Numbers not reachable by SMS (21612), e.g. a carrier that does not take messages from Twilio. */
  readonly unreachable?: ReadonlySet<string>;
  /** Numbers or country-code prefixes (`+44`) the account may not text: Geo Permissions (21408). */
  readonly noRegionPermission?: ReadonlySet<string>;
  /** The account's Twilio numbers; when given, calls and texts must come from one of them. */
  readonly numbers?: ReadonlySet<string>;
}

function checkMethod(p: FormParams, name: string): TwilioError | undefined {
  const value = one(p, name);
  return value !== undefined && !['GET', 'POST'].includes(value.toUpperCase()) ? twilioError(20001, `${name} must be either GET or POST`) : undefined;
}

function checkMethods(p: FormParams, names: readonly string[] = METHOD_PARAMS): TwilioError | undefined {
  return names.map((name) => checkMethod(p, name)).find(Boolean);
}

function checkCallbackUrl(p: FormParams, name: string): TwilioError | undefined {
  const value = one(p, name);
  if (value !== undefined && value !== '' && !isHttpUrl(value)) {
    return twilioError(21609, `${name} is not a valid URL: ${value}`);
  }
  return undefined;
}

/** Instructions for a call (Url or Twiml), shared by create and update. */
function checkInstructions(p: FormParams): TwilioError | undefined {
  const url = one(p, 'Url');
  const twiml = one(p, 'Twiml');
  if (url !== undefined && !isHttpUrl(url)) return twilioError(21205, `Url is not a valid URL: ${url}`);
  // Twilio ignores Twiml when Url is also given.
  if (url === undefined && twiml !== undefined && twiml.length > MAX_TWIML_CHARS) {
    return twilioError(32018, `Twiml size exceeded maximum allowed value of ${MAX_TWIML_CHARS} characters`);
  }
  return checkMethods(p);
}

/** To and From of a call Twilio places (Calls or Conference Participants). */
function checkCallParties(p: FormParams, rules: RecipientRules): TwilioError | undefined {
  const to = one(p, 'To');
  const from = one(p, 'From');
  if (!to) return twilioError(21201, "No 'To' number is specified");
  if (!from) return twilioError(21213, "No 'From' number is specified");
  if (!isCallEndpoint(to) || rules.invalid.has(to)) return twilioError(21211, `Invalid 'To' Phone Number: ${to}`);
  // A call to a phone number must show a phone number as caller ID.
  if (!isCallEndpoint(from) || (E164.test(to) && !E164.test(from))) {
    return twilioError(21212, `Invalid 'From' Phone Number: ${from}`);
  }
  if (rules.numbers && E164.test(from) && !rules.numbers.has(from)) {
    return twilioError(
      21210,
      `The source phone number provided, ${from}, is not yet verified for your account. ` +
        "You may only make calls from phone numbers that you've verified or purchased from Twilio.",
    );
  }
  return undefined;
}

export function checkCallCreate(p: FormParams, rules: RecipientRules): TwilioError | undefined {
  const parties = checkCallParties(p, rules);
  if (parties) return parties;
  if (!one(p, 'Url') && !one(p, 'Twiml') && !one(p, 'ApplicationSid')) {
    return twilioError(21205, 'Url parameter is required. For more information, see http://www.twilio.com/docs/api/twiml');
  }
  const instructions = checkInstructions(p);
  if (instructions) return instructions;
  const fallback = one(p, 'FallbackUrl');
  if (fallback !== undefined && !isHttpUrl(fallback)) return twilioError(21205, `FallbackUrl is not a valid URL: ${fallback}`);
  for (const name of ['StatusCallback', 'RecordingStatusCallback', 'AsyncAmdStatusCallback']) {
    const error = checkCallbackUrl(p, name);
    if (error) return error;
  }
  // StatusCallbackEvent values that are not one event name (e.g. "initiated answered" in one value)
  // do not fail the request: Twilio answers 201 and ignores them with warning 21626 (see calls.ts).
  const timeout = one(p, 'Timeout');
  if (timeout !== undefined && !/^\d+$/.test(timeout)) return twilioError(20001, 'Timeout must be an integer');
  const amd = one(p, 'MachineDetection');
  if (amd !== undefined && !['enable', 'detectmessageend'].includes(amd.toLowerCase())) {
    return twilioError(20001, 'MachineDetection must be either Enable or DetectMessageEnd');
  }
  const record = one(p, 'Record');
  if (record !== undefined && !['true', 'false'].includes(record)) return twilioError(20001, 'Record must be true or false');
  return undefined;
}

/** Beep values of a participant (and of <Conference beep>). */
export const BEEP_VALUES: readonly string[] = ['true', 'false', 'onEnter', 'onExit'];

/** Participants API create: the call's parties and callbacks, and the participant's own settings. */
export function checkParticipantCreate(p: FormParams, rules: RecipientRules): TwilioError | undefined {
  const parties = checkCallParties(p, rules);
  if (parties) return parties;
  const methods = checkMethods(p, [...METHOD_PARAMS, 'ConferenceStatusCallbackMethod', 'WaitMethod', 'AmdStatusCallbackMethod']);
  if (methods) return methods;
  for (const name of ['StatusCallback', 'RecordingStatusCallback', 'ConferenceStatusCallback', 'ConferenceRecordingStatusCallback', 'AmdStatusCallback']) {
    const error = checkCallbackUrl(p, name);
    if (error) return error;
  }
  const waitUrl = one(p, 'WaitUrl');
  if (waitUrl && !isHttpUrl(waitUrl)) return twilioError(21205, `WaitUrl is not a valid URL: ${waitUrl}`);
  const beep = one(p, 'Beep');
  if (beep !== undefined && !BEEP_VALUES.includes(beep)) return twilioError(20001, 'Beep must be true, false, onEnter or onExit');
  const timeout = one(p, 'Timeout');
  if (timeout !== undefined && (Number(timeout) < 5 || Number(timeout) > 600)) return twilioError(20001, 'Timeout must be between 5 and 600 seconds');
  if (one(p, 'Coaching') === 'true' && !one(p, 'CallSidToCoach')) return twilioError(20001, 'CallSidToCoach is required when Coaching is true');
  return undefined;
}

export function checkCallUpdate(p: FormParams, ended: boolean): TwilioError | undefined {
  const status = one(p, 'Status');
  if (status !== undefined && status !== 'canceled' && status !== 'completed') {
    return twilioError(20001, 'Status must be either canceled or completed');
  }
  if (ended && (one(p, 'Url') !== undefined || one(p, 'Twiml') !== undefined)) {
    return twilioError(21220, 'Call is not in-progress. Cannot redirect.');
  }
  return checkInstructions(p) ?? checkCallbackUrl(p, 'StatusCallback');
}

/** The events a recording's status callback may ask for (RecordingStatusCallbackEvent). */
export const RECORDING_EVENTS: readonly string[] = ['in-progress', 'completed', 'absent'];

/** RecordingStatusCallbackEvent as Twilio reads it: repeated values, each of which may list events separated by spaces. */
export function recordingEventsOf(p: FormParams): string[] {
  const events = all(p, 'RecordingStatusCallbackEvent').flatMap((value) => value.split(/\s+/)).filter(Boolean);
  return events.length > 0 ? events : ['completed'];
}

function checkChoice(p: FormParams, name: string, choices: readonly string[]): TwilioError | undefined {
  const value = one(p, name);
  return value !== undefined && !choices.includes(value) ? twilioError(20001, `${name} must be one of ${choices.join(', ')}`) : undefined;
}

/**
 * Recordings create on a call (the Call Recordings API): the channels, track and trim it documents,
 * the callback URL and its events. Whether the call can be recorded now is the resource's check.
 */
export function checkCallRecordingCreate(p: FormParams): TwilioError | undefined {
  const choice =
    checkChoice(p, 'RecordingChannels', ['mono', 'dual']) ??
    checkChoice(p, 'RecordingTrack', ['inbound', 'outbound', 'both']) ??
    checkChoice(p, 'Trim', ['trim-silence', 'do-not-trim']);
  if (choice) return choice;
  const unknown = recordingEventsOf(p).find((event) => !RECORDING_EVENTS.includes(event));
  if (unknown) return twilioError(20001, `RecordingStatusCallbackEvent must be in-progress, completed or absent, not "${unknown}"`);
  return checkMethods(p, ['RecordingStatusCallbackMethod']) ?? checkCallbackUrl(p, 'RecordingStatusCallback');
}

const MAX_SCHEDULE_SECONDS = 35 * 24 * 3600;

export interface MessageContext extends RecipientRules {
  readonly now: Date;
  /** Shortest lead Twilio accepts for a scheduled message, seconds. */
  readonly scheduleMinLeadSeconds: number;
  readonly serviceExists: (sid: string) => boolean;
}

/** A sender Twilio accepts besides a phone number: a short code or an alphanumeric sender ID. */
function isOtherSender(from: string): boolean {
  return /^\d{5,6}$/.test(from) || (/^[A-Za-z0-9 ]{1,11}$/.test(from) && /[A-Za-z]/.test(from));
}

export function checkMessageCreate(p: FormParams, ctx: MessageContext): TwilioError | undefined {
  const to = one(p, 'To');
  const from = one(p, 'From');
  const serviceSid = one(p, 'MessagingServiceSid');
  const body = one(p, 'Body');
  if (!to) return twilioError(21604, "A 'To' phone number is required.");
  if (!from && !serviceSid) return twilioError(21603, "A 'From' phone number is required.");
  if (serviceSid && !ctx.serviceExists(serviceSid)) {
    return twilioError(21701, `The Messaging Service Sid ${serviceSid} is invalid.`);
  }
  if (!body && all(p, 'MediaUrl').length === 0 && !one(p, 'ContentSid')) return twilioError(21602, 'Message body is required.');
  if (body && body.length > MAX_BODY_CHARS) {
    return twilioError(21617, `The concatenated message body exceeds the ${MAX_BODY_CHARS} character limit.`);
  }
  if (!E164.test(to) || ctx.invalid.has(to)) return twilioError(21211, `Invalid 'To' Phone Number: ${to}`);
  if (from && !E164.test(from) && !isOtherSender(from)) {
    return twilioError(21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`);
  }
  if (from && ctx.numbers && E164.test(from) && !ctx.numbers.has(from)) {
    return twilioError(
      21606,
      `The 'From' phone number provided (${from}) is not a valid message-capable Twilio phone number for this destination.`,
    );
  }
  const callback = checkCallbackUrl(p, 'StatusCallback');
  if (callback) return callback;
  const scheduling = checkSchedule(p, ctx);
  if (scheduling) return scheduling;
  if (ctx.optedOut.has(to)) return twilioError(21610, 'Attempt to send to unsubscribed recipient');
  if (ctx.landlines.has(to)) return twilioError(21614, `'To' number ${to} is not a valid mobile number`);
  if ([...(ctx.noRegionPermission ?? [])].some((prefix) => to.startsWith(prefix))) {
    return twilioError(21408, `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}.`);
  }
  if (ctx.unreachable?.has(to)) return twilioError(21612, `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number via SMS.`);
  return undefined;
}

function checkSchedule(p: FormParams, ctx: MessageContext): TwilioError | undefined {
  const type = one(p, 'ScheduleType');
  if (type === undefined) return undefined;
  if (type !== 'fixed') return twilioError(20001, `Invalid ScheduleType: ${type}. ScheduleType must be fixed`);
  if (!one(p, 'MessagingServiceSid')) return twilioError(35118, 'MessagingServiceSid is required to schedule a message');
  const sendAt = one(p, 'SendAt');
  if (!sendAt) return twilioError(35111, 'SendAt timestamp is missing');
  const at = Date.parse(sendAt);
  const lead = (at - ctx.now.getTime()) / 1000;
  if (Number.isNaN(at) || lead < ctx.scheduleMinLeadSeconds || lead > MAX_SCHEDULE_SECONDS) {
    return twilioError(
      35114,
      `SendAt time must be between ${ctx.scheduleMinLeadSeconds} seconds and 35 days (${MAX_SCHEDULE_SECONDS} seconds) ` +
        'in the future, inclusive.',
    );
  }
  return undefined;
}

export function checkMessageUpdate(p: FormParams, currentStatus: string): TwilioError | undefined {
  const status = one(p, 'Status');
  const body = one(p, 'Body');
  if (status !== undefined && status !== 'canceled') return twilioError(20001, 'Status can only be set to canceled');
  if (status === 'canceled' && currentStatus !== 'scheduled') return twilioError(30409, 'This message cannot be canceled');
  if (body !== undefined && body !== '') return twilioError(20001, 'Body can only be set to an empty string, to redact it');
  return undefined;
}

/** The Channel of a transcript to create: a JSON object naming the media (a recording or a URL). */
export function checkTranscriptCreate(p: FormParams): { error?: TwilioError; channel?: Record<string, unknown>; sourceSid?: string } {
  const serviceSid = one(p, 'ServiceSid');
  const channelText = one(p, 'Channel');
  const missing = (name: string) => ({ error: twilioError(20001, `Missing required parameter ${name} in the post body`) });
  if (!serviceSid) return missing('ServiceSid');
  if (!/^GA[0-9a-fA-F]{32}$/.test(serviceSid)) return { error: twilioError(20001, `Invalid ServiceSid: ${serviceSid}`) };
  if (!channelText) return missing('Channel');
  let channel: unknown;
  try {
    channel = JSON.parse(channelText);
  } catch {
    return { error: twilioError(20001, 'Channel must be a valid JSON object') };
  }
  if (!channel || typeof channel !== 'object' || Array.isArray(channel)) {
    return { error: twilioError(20001, 'Channel must be a valid JSON object') };
  }
  const media = (channel as Record<string, unknown>).media_properties as Record<string, unknown> | undefined;
  const sourceSid = typeof media?.source_sid === 'string' ? media.source_sid : undefined;
  const mediaUrl = typeof media?.media_url === 'string' ? media.media_url : undefined;
  if (!sourceSid && !mediaUrl) {
    return { error: twilioError(20001, 'Channel.media_properties needs a source_sid or a media_url') };
  }
  if (sourceSid && !/^RE[0-9a-fA-F]{32}$/.test(sourceSid)) {
    return { error: twilioError(20001, `Invalid media_properties.source_sid: ${sourceSid}`) };
  }
  if (mediaUrl && !isHttpUrl(mediaUrl)) return { error: twilioError(20001, `Invalid media_properties.media_url: ${mediaUrl}`) };
  const customerKey = one(p, 'CustomerKey');
  if (customerKey !== undefined && customerKey.length > 64) {
    return { error: twilioError(20001, 'CustomerKey must be at most 64 characters') };
  }
  return { channel: channel as Record<string, unknown>, sourceSid };
}
