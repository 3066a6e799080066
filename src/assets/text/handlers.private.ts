// The text path's webhooks. /text/send: the number entry step confirmed a number (`?number=%2B1…`,
// `keyed=1` when keyed in); send ONE text with the line's support details from the line's own number,
// and tell the caller only once Twilio accepted it. Every failure is explained in plain words and the
// caller gets the remaining paths; nothing is retried blindly (a timed-out create may have gone: it is
// looked up). /events/message-status: the StatusCallback of every text we send (`?CallSid=` names the
// call) records the delivery on the call's row (`Sent`), and when a text did not arrive (a landline
// answers `undelivered` 30006 long after the create) sends the same information by email, once, when
// the line offers email and the recipient has an address on file.
import type { MessageInstance } from 'twilio/lib/rest/api/v2010/account/message';
import { sendContactEmail } from '../adapters/sendgrid-client.private';
import { twilioClientFor } from '../adapters/twilio-client.private';
import type { EventAnswer, EventRequest } from '../call/request.private';
import type { CallSession } from '../call/session.private';
import { unknownLineStep } from '../core/incoming.private';
import { isCallSid, type Line } from '../core/model.private';
import { maskEmailForLog, maskForLog, toE164Shape } from '../core/phone.private';
import { emailOnFile } from '../core/policy.private';
import { utter } from '../core/prompts.private';
import { afterMessageStatus, sentOn, UNCONFIRMED, withEntry, type SentEntry } from '../core/sent-ledger.private';
import type { Step } from '../core/steps.private';
import { messageStatusUrl } from '../core/urls.private';
import { classifyTextError, composeTextBody, decideTextNumber, decideTextStep, errorCodeOf, ledgerAfter, type TextOutcome } from './decisions.private';

/** Time kept after the create for writing the call log before the webhook's deadline. */
const WRITE_RESERVE_MS = 400;
const MIN_CREATE_MS = 500;
/** How far back a lookup for a timed-out create searches. */
const LOOKUP_WINDOW_MS = 10 * 60 * 1000;

/** A message this call already got to `to` from the line, found after a create that timed out. */
async function findSentMessage(call: CallSession, line: Line, to: string, body: string, since: number): Promise<MessageInstance | undefined> {
  const left = call.request.deadline - Date.now();
  const client = twilioClientFor(call.request.config, left);
  if (!client || left < 200) return undefined;
  const recent = await client.messages.list({ to, from: line.phoneNumber, limit: 20 });
  return recent.find((m) => m.body === body && m.dateCreated.getTime() >= since - LOOKUP_WINDOW_MS);
}

/** One messages.create, bounded by what is left of the webhook's time; Twilio's own retry is off. */
async function createMessage(call: CallSession, line: Line, to: string, body: string): Promise<MessageInstance> {
  const { config, deadline } = call.request;
  const client = twilioClientFor(config, Math.max(deadline - Date.now() - WRITE_RESERVE_MS, MIN_CREATE_MS));
  if (!client) throw Object.assign(new Error('Twilio is not configured'), { status: 401 });
  const statusCallback = messageStatusUrl(config, call.callSid);
  return client.messages.create({ from: line.phoneNumber, to, body, ...(statusCallback ? { statusCallback } : {}) });
}

/**
 * Sends the text unless this call already did (the caller holds the claim); a create that timed out
 * is looked up (it may have gone) before the caller is told anything, and before any later attempt
 * sends again.
 */
async function sendText(call: CallSession, line: Line, to: string, entries: readonly SentEntry[]): Promise<TextOutcome> {
  const body = composeTextBody(line);
  const earlier = sentOn(entries, 'Text');
  if (earlier && earlier.id !== UNCONFIRMED) return { kind: 'already-sent' };
  const started = Date.now();
  const lookUp = () => findSentMessage(call, line, to, body, started).catch(() => undefined);
  try {
    const found = earlier ? await lookUp() : undefined;
    if (found) return { kind: 'already-sent', found: { sid: found.sid, status: found.status } };
    const message = await createMessage(call, line, to, body);
    return { kind: 'sent', sid: message.sid, status: message.status };
  } catch (error) {
    const failure = classifyTextError(error);
    const found = failure === 'timeout' ? await lookUp() : undefined;
    return found ? { kind: 'sent', sid: found.sid, status: found.status } : { kind: 'failed', failure, code: errorCodeOf(error) };
  }
}

export async function handleTextSend(call: CallSession): Promise<Step> {
  const { params, callSid, request } = call;
  const [{ line, caller }, ledger] = await Promise.all([call.facts(), call.ledger()]);
  if (!line) return unknownLineStep();
  const number = decideTextNumber(params.number, line, caller);
  if (!number) {
    request.log.warn('text-number-rejected', { callSid, number: maskForLog(params.number) });
    return call.menuWithout('text-link', 'other-paths', [utter(line, 'text.invalid-number')]);
  }
  if (!call.isOffered('text-link', line, caller) || !(await call.mayContact(number, caller))) return call.menuWithout('text-link', 'path-unavailable');
  // Claimed until the send is recorded: a repeated webhook on this instance waits for nothing and sends nothing.
  const once = await call.sendOnce('Text', ledger, async (entries) => {
    const outcome = await sendText(call, line, number, entries);
    const after = ledgerAfter(entries, outcome);
    return { result: outcome, record: after && { entries: after.entries, fields: { Outcome: after.outcome } } };
  });
  if (!once.claimed) return decideTextStep(line, number, { kind: 'already-sent' }, params);
  const outcome = once.result;
  request.log.info('text', { callSid, outcome: outcome.kind, ...(outcome.kind === 'failed' ? { failure: outcome.failure, code: outcome.code } : {}), to: maskForLog(number) });
  return decideTextStep(line, number, outcome, params);
}

const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;
const NOT_DELIVERED = new Set(['undelivered', 'failed']);
/**
 * Only where a text ended is worth a write: queued, sending and sent callbacks are answered at once,
 * which spares Airtable (5 requests a second per base) two reads and two writes per text.
 */
const FINAL = new Set(['delivered', 'undelivered', 'failed', 'read']);
/** Twilio waits 15 s for a status callback; an email fallback needs SendGrid's answer too. */
export const MESSAGE_STATUS_BUDGET_MS = 8000;
const ok: EventAnswer = { status: 200, text: '' };

/** The email address to fall back to, when the line, the account and the recipient all allow it. */
async function fallbackEmail(call: CallSession<EventRequest>): Promise<{ line: Line; to: string } | undefined> {
  const recipient = toE164Shape(call.params.To);
  if (!recipient || !call.store) return undefined;
  const [line, contact] = await Promise.all([call.line(call.params.From), call.store.findContact(recipient, call.request.deadline)]);
  if (!line || !contact) return undefined;
  const caller = { callerId: recipient, contact };
  const to = emailOnFile(caller);
  return to && call.isOffered('email', line, caller) ? { line, to } : undefined;
}

export async function handleMessageStatus(call: CallSession<EventRequest>): Promise<EventAnswer> {
  const { params, request } = call;
  const { log } = request;
  const sid = params.MessageSid ?? params.SmsSid ?? '';
  const status = params.MessageStatus ?? params.SmsStatus ?? '';
  const callSid = params.CallSid ?? '';
  if (!MESSAGE_SID.test(sid) || !isCallSid(callSid)) return { status: 400, text: 'MessageSid and CallSid required' };
  log.info('message-status', { callSid, sid, status, errorCode: params.ErrorCode, to: maskForLog(params.To) });
  if (!FINAL.has(status)) return ok;
  const ledger = await call.ledger(callSid);
  // Writing a ledger read from this instance's memory alone could erase what other instances recorded.
  if (!ledger.durable) return { status: 503, text: 'call log unavailable' };
  const next = afterMessageStatus(ledger.entries, sid, status, params.ErrorCode);
  if (!next) return ok; // a repeat or a late callback: nothing new
  if (!NOT_DELIVERED.has(status) || sentOn(next, 'Email')) {
    await call.recordLedger(callSid, next);
    return ok;
  }
  // The same callback being handled on this instance already: that one sends and records.
  await call.sendOnce('Email', { ...ledger, entries: next }, async (entries) => {
    const target = sentOn(entries, 'Email') ? undefined : await fallbackEmail(call).catch(() => undefined);
    if (!target) return { result: undefined, record: { entries } };
    try {
      const id = await sendContactEmail(request.config, target.line, target.to, ledger.caseNumber, request.deadline);
      log.info('email-fallback-sent', { callSid, id, to: maskEmailForLog(target.to) });
      const fields = { 'Case Number': ledger.caseNumber, Outcome: 'Email sent (text undelivered)' };
      return { result: undefined, record: { entries: withEntry(entries, { channel: 'Email', id, status: 'accepted' }), fields } };
    } catch (error) {
      log.warn('email-fallback-failed', { callSid, error });
      return { result: undefined, record: { entries } };
    }
  }, callSid);
  return ok;
}
