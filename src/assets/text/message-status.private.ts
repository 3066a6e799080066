// /events/message-status: the StatusCallback of every text we send (`?CallSid=` names the call).
// Records the delivery outcome on the call's row (`Sent`), and when a text did not arrive (a
// landline answers `undelivered` with 30006 long after Twilio accepted the create) sends the same
// information by email, once, when the line offers email and the recipient has an address on file.
import { createAirtableStore } from '../adapters/airtable-store.private';
import type { Line } from '../core/model.private';
import { maskEmailForLog, maskForLog, toE164Shape } from '../core/phone.private';
import { decideOffers, emailOnFile, featuresFromEnv } from '../core/policy.private';
import { afterMessageStatus, sentOn, withEntry } from '../core/sent-ledger.private';
import { sendContactEmail } from '../email/email-send.private';
import type { EventAnswer, EventRequest } from '../shell/event-webhook.private';
import { resolveLine } from '../shell/line-lookup.private';
import { claimSend, loadLedger, recordSent, releaseSend, sentSoFar } from '../shell/sent-log.private';

const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
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
async function fallbackEmail(request: EventRequest): Promise<{ line: Line; to: string } | undefined> {
  const { params, config } = request;
  const recipient = toE164Shape(params.To);
  const store = createAirtableStore(config);
  if (!recipient || !store) return undefined;
  const [line, contact] = await Promise.all([resolveLine(request, params.From), store.findContact(recipient, request.deadline)]);
  if (!line || !contact) return undefined;
  const caller = { callerId: recipient, contact };
  const offers = decideOffers({ features: featuresFromEnv(config.featureFlags), line, caller, now: request.now, defaultTimezone: config.defaultTimezone });
  const to = emailOnFile(caller);
  return to && offers.some((o) => o.path === 'email' && o.available) ? { line, to } : undefined;
}

export async function handleMessageStatus(request: EventRequest): Promise<EventAnswer> {
  const { params, log } = request;
  const sid = params.MessageSid ?? params.SmsSid ?? '';
  const status = params.MessageStatus ?? params.SmsStatus ?? '';
  const callSid = params.CallSid ?? '';
  if (!MESSAGE_SID.test(sid) || !CALL_SID.test(callSid)) return { status: 400, text: 'MessageSid and CallSid required' };
  log.info('message-status', { callSid, sid, status, errorCode: params.ErrorCode, to: maskForLog(params.To) });
  if (!FINAL.has(status)) return ok;

  const ledger = await loadLedger(request, callSid);
  // Writing a ledger read from this instance's memory alone could erase what other instances recorded.
  if (!ledger.durable) return { status: 503, text: 'call log unavailable' };
  const next = afterMessageStatus(ledger.entries, sid, status, params.ErrorCode);
  if (!next) return ok; // a repeat or a late callback: nothing new
  if (!NOT_DELIVERED.has(status) || sentOn(next, 'Email')) {
    await recordSent(request, callSid, sentSoFar(callSid, next));
    return ok;
  }
  // The same callback being handled on this instance already: that one sends and records.
  if (!claimSend(callSid, 'Email', ledger.caseNumber)) return ok;
  try {
    let entries = sentSoFar(callSid, next);
    const fields: Record<string, string> = {};
    const target = sentOn(entries, 'Email') ? undefined : await fallbackEmail(request).catch(() => undefined);
    if (target) {
      try {
        const id = await sendContactEmail(request.config, target.line, target.to, ledger.caseNumber, request.deadline);
        entries = withEntry(entries, { channel: 'Email', id, status: 'accepted' });
        Object.assign(fields, { 'Case Number': ledger.caseNumber, Outcome: 'Email sent (text undelivered)' });
        log.info('email-fallback-sent', { callSid, id, to: maskEmailForLog(target.to) });
      } catch (error) {
        log.warn('email-fallback-failed', { callSid, error });
      }
    }
    await recordSent(request, callSid, entries, fields);
  } finally {
    releaseSend(callSid, 'Email');
  }
  return ok;
}
