// /text/send: the number entry step confirmed a number (`?number=%2B1…`, `keyed=1` when keyed in);
// send ONE text with the line's support details from the line's own number, and tell the caller
// only once Twilio accepted it. Every failure is explained in plain words and the caller gets the
// remaining paths; nothing is retried blindly (a timed-out create may have gone: it is looked up).
import type { MessageInstance } from 'twilio/lib/rest/api/v2010/account/message';
import { twilioClientFor } from '../adapters/twilio-client.private';
import { unknownLineStep } from '../core/incoming.private';
import { speakableNumber } from '../core/menu.private';
import type { Line } from '../core/model.private';
import { countryOf, lastFour, maskForLog, parseDialableNumber, toE164Shape, type CountryCode } from '../core/phone.private';
import { decideOffers, featuresFromEnv, type CallerFacts } from '../core/policy.private';
import { prompt, type PromptId } from '../core/prompts.private';
import { sentOn, UNCONFIRMED, withEntry, type SentEntry } from '../core/sent-ledger.private';
import type { Step, Utterance } from '../core/steps.private';
import { loadCallFacts, menuWithout, numberMayBeContacted } from '../escalate/hand-off.private';
import { messageStatusUrl } from '../shell/config.private';
import { claimSend, loadLedger, recordSent, releaseSend, sentSoFar } from '../shell/sent-log.private';
import type { Params, WebhookRequest } from '../shell/webhook.private';
import { classifyTextError, composeTextBody, errorCodeOf, type TextFailure } from './text-message.private';

/** Time kept after the create for writing the call log before the webhook's deadline. */
const WRITE_RESERVE_MS = 400;
const MIN_CREATE_MS = 500;
/** How far back a lookup for a timed-out create searches. */
const LOOKUP_WINDOW_MS = 10 * 60 * 1000;

const FAILURE_PROMPT: Record<TextFailure, PromptId> = {
  'opted-out': 'text.opted-out',
  'not-mobile': 'text.not-mobile',
  'invalid-number': 'text.invalid-number',
  unreachable: 'text.unreachable',
  'rate-limited': 'text.failed',
  timeout: 'text.unconfirmed',
  other: 'text.failed',
};

/**
 * The number to text, re-validated: number entry put it in the URL, and nothing in a URL is trusted.
 * A number we already know (caller ID or on file) may be in any country; one keyed in must be valid
 * in the line's country, as for callbacks.
 */
export function decideTextNumber(raw: string | undefined, line: Pick<Line, 'phoneNumber'>, caller: CallerFacts): string | undefined {
  const shaped = toE164Shape(raw);
  if (!shaped) return undefined;
  const known = [caller.callerId, caller.contact?.phone, caller.contact?.callbackNumber].some((n) => toE164Shape(n) === shaped);
  const lineCountry: CountryCode = countryOf(line.phoneNumber) ?? 'US';
  const allowed: CountryCode[] = known ? [countryOf(shaped) ?? lineCountry] : [lineCountry];
  const parsed = parseDialableNumber(shaped, lineCountry, allowed);
  return parsed.ok ? parsed.e164 : undefined;
}

/** Whether this line and account allow a text to this caller now (the number's own contact is checked apart). */
function textAllowed(request: WebhookRequest, line: Line, caller: CallerFacts): boolean {
  const offer = decideOffers({ features: featuresFromEnv(request.config.featureFlags), line, caller, now: request.now, defaultTimezone: request.config.defaultTimezone }).find(
    (o) => o.path === 'text-link',
  );
  return Boolean(offer?.available);
}

/** A message this call already got to `to` from the line, found after a create that timed out. */
async function findSentMessage(request: WebhookRequest, line: Line, to: string, body: string, since: number): Promise<MessageInstance | undefined> {
  const left = request.deadline - Date.now();
  const client = twilioClientFor(request.config, left);
  if (!client || left < 200) return undefined;
  const recent = await client.messages.list({ to, from: line.phoneNumber, limit: 20 });
  return recent.find((m) => m.body === body && m.dateCreated.getTime() >= since - LOOKUP_WINDOW_MS);
}

/** What became of the one text this call may send. */
export type TextOutcome =
  | { readonly kind: 'sent'; readonly sid: string; readonly status: string }
  /** `found`: a create of this call that had timed out turned up, after all. */
  | { readonly kind: 'already-sent'; readonly found?: { readonly sid: string; readonly status: string } }
  | { readonly kind: 'failed'; readonly failure: TextFailure; readonly code: string };

/**
 * Sends the text unless this call already did (the caller holds the claim); a create that timed out
 * is looked up (it may have gone) before the caller is told anything, and before any later attempt
 * sends again.
 */
async function sendTextOnce(request: WebhookRequest, line: Line, to: string, entries: readonly SentEntry[]): Promise<TextOutcome> {
  const body = composeTextBody(line);
  const earlier = sentOn(entries, 'Text');
  if (earlier && earlier.id !== UNCONFIRMED) return { kind: 'already-sent' };
  const started = Date.now();
  const lookUp = () => findSentMessage(request, line, to, body, started).catch(() => undefined);
  try {
    const found = earlier ? await lookUp() : undefined;
    if (found) return { kind: 'already-sent', found: { sid: found.sid, status: found.status } };
    const message = await createMessage(request, line, to, body, request.params.CallSid ?? '');
    return { kind: 'sent', sid: message.sid, status: message.status };
  } catch (error) {
    const failure = classifyTextError(error);
    const found = failure === 'timeout' ? await lookUp() : undefined;
    return found ? { kind: 'sent', sid: found.sid, status: found.status } : { kind: 'failed', failure, code: errorCodeOf(error) };
  }
}

/** What the Calls row records for an outcome (ids and statuses only), or undefined when nothing changed. */
export function ledgerAfter(entries: readonly SentEntry[], outcome: TextOutcome): { entries: SentEntry[]; outcome: string } | undefined {
  switch (outcome.kind) {
    case 'sent':
      return { entries: withEntry(entries, { channel: 'Text', id: outcome.sid, status: outcome.status }), outcome: 'Text sent' };
    case 'already-sent':
      return outcome.found ? { entries: withEntry(entries, { channel: 'Text', id: outcome.found.sid, status: outcome.found.status }), outcome: 'Text sent' } : undefined;
    case 'failed':
      return outcome.failure === 'timeout'
        ? { entries: withEntry(entries, { channel: 'Text', id: UNCONFIRMED, status: 'timeout' }), outcome: 'Text unconfirmed (timeout)' }
        : { entries: [...entries], outcome: `Text not sent (${outcome.code})` };
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}

/** What the caller hears after the attempt: "sent" only once Twilio accepted; a failure explained, then the other paths. */
export function decideTextStep(line: Line, number: string, outcome: TextOutcome, params: Params): Step {
  const say = (id: PromptId, vars?: Record<string, string>): Utterance => ({ text: prompt(line.language, id, vars), language: line.language, voice: line.voice });
  switch (outcome.kind) {
    case 'sent':
      return { kind: 'say-and-hangup', say: [say('text.sent', { digits: lastFour(number) }), say('goodbye')] };
    case 'already-sent':
      return { kind: 'say-and-hangup', say: [say('text.already-sent'), say('goodbye')] };
    case 'failed':
      return menuWithout(params, 'text-link', 'other-paths', [say(FAILURE_PROMPT[outcome.failure], { number: speakableNumber(line.phoneNumber) })]);
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}

export async function handleTextSend(request: WebhookRequest): Promise<Step> {
  const { params, log } = request;
  const callSid = params.CallSid ?? '';
  const [{ line, caller }, ledger] = await Promise.all([loadCallFacts(request), loadLedger(request, callSid)]);
  if (!line) return unknownLineStep();
  const say = (id: PromptId, vars?: Record<string, string>): Utterance => ({ text: prompt(line.language, id, vars), language: line.language, voice: line.voice });

  const number = decideTextNumber(params.number, line, caller);
  if (!number) {
    log.warn('text-number-rejected', { callSid, number: maskForLog(params.number) });
    return menuWithout(params, 'text-link', 'other-paths', [say('text.invalid-number')]);
  }
  if (!textAllowed(request, line, caller) || !(await numberMayBeContacted(request, number, caller))) return menuWithout(params, 'text-link', 'path-unavailable');

  // Claimed until the send is recorded: a repeated webhook on this instance waits for nothing and sends nothing.
  if (!claimSend(callSid, 'Text')) return decideTextStep(line, number, { kind: 'already-sent' }, params);
  let outcome: TextOutcome;
  try {
    const entries = sentSoFar(callSid, ledger.entries);
    outcome = await sendTextOnce(request, line, number, entries);
    const after = ledgerAfter(entries, outcome);
    if (after) await recordSent(request, callSid, after.entries, { Outcome: after.outcome });
  } finally {
    releaseSend(callSid, 'Text');
  }
  log.info('text', { callSid, outcome: outcome.kind, ...(outcome.kind === 'failed' ? { failure: outcome.failure, code: outcome.code } : {}), to: maskForLog(number) });
  return decideTextStep(line, number, outcome, params);
}

/** One messages.create, bounded by what is left of the webhook's time; Twilio's own retry is off. */
async function createMessage(request: WebhookRequest, line: Line, to: string, body: string, callSid: string): Promise<MessageInstance> {
  const timeoutMs = Math.max(request.deadline - Date.now() - WRITE_RESERVE_MS, MIN_CREATE_MS);
  const client = twilioClientFor(request.config, timeoutMs);
  if (!client) throw Object.assign(new Error('Twilio is not configured'), { status: 401 });
  const statusCallback = messageStatusUrl(request.config, callSid);
  return client.messages.create({ from: line.phoneNumber, to, body, ...(statusCallback ? { statusCallback } : {}) });
}

