// Which escalation paths to offer a caller on a line now (SPEC §1, §5). Pure: `now` is an argument.
//
// Every path is returned, in SPEC order, with the reasons it is blocked (empty when available),
// so the call log and tests can say why a caller was or was not offered something.
//
// "A number to call (on file, caller ID, or keyed in)": the caller can always key one in, so neither a
// callback nor a text needs a number up front; an anonymous caller is still offered both and number
// entry asks for the number (see numberToCall, numberToText).

import { PATHS, type Contact, type Features, type Line, type Path } from './model.private';
import { openStateAt, scheduleForLine } from './business-hours.private';
import { callerIdOf, toE164Shape } from './phone.private';

/** What we know about the caller before the menu. */
export interface CallerFacts {
  /** E.164 caller ID; undefined when anonymous or masked (see callerIdOf in phone.private). */
  readonly callerId?: string;
  /** The contact matched on `Phone` or `Callback Number`, if any. */
  readonly contact?: Contact;
}

export type OfferReason =
  | 'feature-off' // the account feature flag(s) for this path are off
  | 'line-switch-off' // the line's checkbox for this path is unchecked
  | 'no-fallback-number' // live transfer: no (E.164-shaped) Fallback Transfer Number
  | 'no-agent-number' // callbacks (now and scheduled): no agent number to ring first (line Fallback Transfer Number, else FALLBACK_TRANSFER_NUMBER)
  | 'outside-hours' // live transfer: outside Business Hours in the line's time zone
  | 'holiday' // live transfer: today is one of the line's Holidays
  | 'do-not-contact' // callbacks, text, email: the contact asked not to be contacted
  | 'no-open-slots' // scheduled callback: the scheduler found nothing bookable
  | 'no-support-link-or-number' // text: the line has neither Support Link nor Support Number
  | 'no-email'; // email: no email address on file

export interface Offer {
  readonly path: Path;
  readonly available: boolean;
  readonly reasons: readonly OfferReason[];
}

export interface PolicyInput {
  readonly features: Features;
  readonly line: Line;
  readonly caller: CallerFacts;
  /** The instant of the decision. */
  readonly now: Date;
  /** From the slot scheduler; assumed true when not checked yet. */
  readonly hasOpenSlots?: boolean;
  /** DEFAULT_TIMEZONE, used when the line's zone is not a valid IANA zone (else UTC). */
  readonly defaultTimezone?: string;
}

const RULES: { readonly [P in Path]: (input: PolicyInput) => OfferReason[] } = {
  'live-transfer': ({ features, line, now, defaultTimezone }) => {
    const reasons: OfferReason[] = [];
    if (!features.bridgeCall) reasons.push('feature-off');
    if (!line.liveTransfer) reasons.push('line-switch-off');
    if (!toE164Shape(line.fallbackTransferNumber)) reasons.push('no-fallback-number');
    const state = openStateAt(scheduleForLine(line, defaultTimezone).schedule, now);
    if (state !== 'open') reasons.push(state);
    return reasons;
  },
  // Offered outside hours and on holidays too: the menu then says when we will call (the next opening).
  'callback-now': ({ features, line, caller }) => [
    ...(features.clickToCall || features.avatarMode ? [] : ['feature-off' as const]),
    ...(line.phoneCallback ? [] : ['line-switch-off' as const]),
    // lineFromFields has already put FALLBACK_TRANSFER_NUMBER here when the line has none.
    ...(toE164Shape(line.fallbackTransferNumber) ? [] : ['no-agent-number' as const]),
    ...doNotContact(caller),
  ],
  'callback-scheduled': ({ features, line, caller, hasOpenSlots }) => [
    ...(features.smartCallbackScheduling ? [] : ['feature-off' as const]),
    ...(line.scheduledCallback ? [] : ['line-switch-off' as const]),
    // SPEC §1: the booked call rings an agent first, like an immediate one.
    ...(toE164Shape(line.fallbackTransferNumber) ? [] : ['no-agent-number' as const]),
    ...doNotContact(caller),
    ...(hasOpenSlots === false ? ['no-open-slots' as const] : []),
  ],
  'text-link': ({ features, line, caller }) => [
    ...(features.sms ? [] : ['feature-off' as const]),
    ...(line.textLink ? [] : ['line-switch-off' as const]),
    ...doNotContact(caller),
    ...(line.supportLink?.trim() || toE164Shape(line.supportNumber) ? [] : ['no-support-link-or-number' as const]),
  ],
  email: ({ features, line, caller }) => [
    ...(features.email ? [] : ['feature-off' as const]),
    ...(line.emailContact ? [] : ['line-switch-off' as const]),
    ...doNotContact(caller),
    ...(emailOnFile(caller) ? [] : ['no-email' as const]),
  ],
  // Offered to everyone, Do Not Contact and anonymous callers too: their message is kept and emailed
  // to the team, only the call back is left out (the caller is told before recording).
  voicemail: ({ features, line }) => [...(features.voicemail ? [] : ['feature-off' as const]), ...(line.voicemail ? [] : ['line-switch-off' as const])],
};

/** Every path in SPEC §1 order, each saying whether it is available and, if not, why. */
export function decideOffers(input: PolicyInput): Offer[] {
  return PATHS.map((path) => {
    const reasons = RULES[path](input);
    return { path, available: reasons.length === 0, reasons };
  });
}

/** The paths to offer, in order. */
export function availablePaths(offers: readonly Offer[]): Path[] {
  return offers.filter((o) => o.available).map((o) => o.path);
}

/**
 * The number to offer for a callback ("ending in 4567"): the contact's Callback Number, else
 * their Phone, else the caller ID. Undefined means the menu asks the caller to key one in.
 */
export function numberToCall(caller: CallerFacts): string | undefined {
  return (
    toE164Shape(caller.contact?.callbackNumber) ?? toE164Shape(caller.contact?.phone) ?? callerIdOf(caller.callerId)
  );
}

/** The number to text: the phone they are calling from, else the contact's numbers on file. */
export function numberToText(caller: CallerFacts): string | undefined {
  return (
    callerIdOf(caller.callerId) ?? toE164Shape(caller.contact?.phone) ?? toE164Shape(caller.contact?.callbackNumber)
  );
}

/** The line's agents, in ringing order: the Fallback Transfer Number, then More Agent Numbers; none twice. */
export function agentNumbersOf(line: Line): string[] {
  const first = line.fallbackTransferNumber ? [line.fallbackTransferNumber] : [];
  return [...new Set([...first, ...line.moreAgentNumbers])];
}

export function emailOnFile(caller: CallerFacts): string | undefined {
  const email = caller.contact?.email?.trim();
  return email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : undefined;
}

/** The environment variable behind each feature (SPEC §4). */
export const FEATURE_FLAGS: { readonly [K in keyof Features]: string } = {
  bridgeCall: 'FEATURE_IVR_BRIDGE_CALL',
  clickToCall: 'FEATURE_CLICK_TO_CALL',
  avatarMode: 'FEATURE_AVATAR_MODE',
  smartCallbackScheduling: 'FEATURE_SMART_CALLBACK_SCHEDULING',
  sms: 'FEATURE_SMS',
  email: 'FEATURE_EMAIL',
  voicemail: 'FEATURE_VOICEMAIL',
};

/** The seven FEATURE_* flags: true/1/yes/on (any case) enable; anything else, or missing, disables. */
export function featuresFromEnv(env: Readonly<Record<string, string | undefined>>): Features {
  const on = (name: string): boolean => /^(true|1|yes|y|on)$/i.test(env[name]?.trim() ?? '');
  return {
    bridgeCall: on(FEATURE_FLAGS.bridgeCall),
    clickToCall: on(FEATURE_FLAGS.clickToCall),
    avatarMode: on(FEATURE_FLAGS.avatarMode),
    smartCallbackScheduling: on(FEATURE_FLAGS.smartCallbackScheduling),
    sms: on(FEATURE_FLAGS.sms),
    email: on(FEATURE_FLAGS.email),
    voicemail: on(FEATURE_FLAGS.voicemail),
  };
}

function doNotContact(caller: CallerFacts): OfferReason[] {
  return caller.contact?.doNotContact ? ['do-not-contact'] : [];
}
