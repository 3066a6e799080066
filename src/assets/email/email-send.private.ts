// The email path: the hand-off from the menu, /email/send (one email with the line's contact details
// and a case number, to the address on file, never read aloud), /email/case-number (said once more on
// request), and the send itself, shared with the text fallback of /events/message-status.
import { MailNotSent, sendMail, DEFAULT_SENDGRID_TIMEOUT_MS } from '../adapters/sendgrid-client.private';
import { unknownLineStep } from '../core/incoming.private';
import type { Line } from '../core/model.private';
import { maskEmailForLog } from '../core/phone.private';
import { decideOffers, emailOnFile, featuresFromEnv, type CallerFacts } from '../core/policy.private';
import { prompt, type PromptId } from '../core/prompts.private';
import { sentOn, withEntry } from '../core/sent-ledger.private';
import type { Step, Utterance } from '../core/steps.private';
import { carriedQuery, loadCallFacts, menuWithout, type HandOffInput } from '../escalate/hand-off.private';
import { saveCallRow } from '../shell/call-log.private';
import type { Config } from '../shell/config.private';
import { resolveLine } from '../shell/line-lookup.private';
import { caseNumberHere, claimSend, loadLedger, recordSent, releaseSend, sentSoFar } from '../shell/sent-log.private';
import type { WebhookRequest } from '../shell/webhook.private';
import { readCaseNumber, speakableCaseNumber } from './case-number.private';
import { composeContactEmail } from './email-content.private';

/** Time kept after the send for writing the call log before the webhook's deadline. */
const WRITE_RESERVE_MS = 400;
const MIN_SEND_MS = 500;
const REPEAT_WORDS = /\b(repeat|again|one more time|what|repetir|repita|otra vez)\b/i;

function utter(line: Line, id: PromptId, vars?: Record<string, string>): Utterance {
  return { text: prompt(line.language, id, vars), language: line.language, voice: line.voice };
}

/** From the menu: the choice is logged, and the send gets a webhook (and a time budget) of its own. */
export async function emailHandOff({ request, line, row }: HandOffInput): Promise<Step> {
  await saveCallRow(request, row);
  return { kind: 'say-and-redirect', say: [utter(line, 'email.sending')], url: `/email/send?${carriedQuery(request.params)}` };
}

/**
 * Sends the contact-information email to `to` and resolves with SendGrid's message id, or throws
 * MailNotSent. A dynamic template when SENDGRID_TEMPLATE_ID is set, else our own text and HTML.
 */
export async function sendContactEmail(config: Config, line: Line, to: string, caseNumber: string, deadline: number): Promise<string> {
  const { apiKey, apiBaseUrl, emailFrom, templateId } = config.sendgrid;
  if (!apiKey || !emailFrom) throw new MailNotSent({ status: 'no-answer' });
  const content = composeContactEmail(line, caseNumber);
  const timeoutMs = Math.min(DEFAULT_SENDGRID_TIMEOUT_MS, Math.max(deadline - Date.now() - WRITE_RESERVE_MS, MIN_SEND_MS));
  const common = { to, from: { email: emailFrom, name: line.name }, categories: ['ivr-escalation'] };
  return sendMail(
    { apiKey, apiBaseUrl, timeoutMs },
    templateId
      ? { ...common, templateId, dynamicTemplateData: content.templateData }
      : { ...common, subject: content.subject, text: content.text, html: content.html },
  );
}

function caseNumberStep(line: Line, caseNumber: string, first: PromptId, request: WebhookRequest): Step {
  const query = new URLSearchParams({ case: caseNumber, ...(request.params.Line ? { Line: request.params.Line } : {}) });
  return {
    kind: 'gather',
    prompt: [utter(line, first), utter(line, 'email.case-number', { code: speakableCaseNumber(caseNumber) }), utter(line, 'email.case-number.offer-repeat')],
    action: `/email/case-number?${query}`,
    onSilence: `/email/case-number?${query}&silence=1`,
    language: line.language,
    numDigits: 1,
    hints: line.language === 'es-US' ? ['repetir'] : ['repeat'],
  };
}

function emailAllowed(request: WebhookRequest, line: Line, caller: CallerFacts): boolean {
  const features = featuresFromEnv(request.config.featureFlags);
  const offers = decideOffers({ features, line, caller, now: request.now, defaultTimezone: request.config.defaultTimezone });
  return offers.some((o) => o.path === 'email' && o.available);
}

export async function handleEmailSend(request: WebhookRequest): Promise<Step> {
  const { params, log } = request;
  const callSid = params.CallSid ?? '';
  const [{ line, caller }, ledger] = await Promise.all([loadCallFacts(request), loadLedger(request, callSid)]);
  if (!line) return unknownLineStep();
  const to = emailOnFile(caller);
  if (!to || !emailAllowed(request, line, caller)) return menuWithout(params, 'email', 'path-unavailable');
  const caseNumber = caseNumberHere(callSid) ?? ledger.caseNumber;
  const alreadySent = () => caseNumberStep(line, caseNumberHere(callSid) ?? caseNumber, 'email.already-sent', request);
  if (sentOn(ledger.entries, 'Email') || !claimSend(callSid, 'Email', caseNumber)) return alreadySent();
  const entries = sentSoFar(callSid, ledger.entries);
  try {
    if (sentOn(entries, 'Email')) return alreadySent();
    const id = await sendContactEmail(request.config, line, to, caseNumber, request.deadline);
    await recordSent(request, callSid, withEntry(entries, { channel: 'Email', id, status: 'accepted' }), {
      'Case Number': caseNumber,
      Outcome: 'Email sent',
    });
    log.info('email-sent', { callSid, id, to: maskEmailForLog(to) });
    return caseNumberStep(line, caseNumber, 'email.sent', request);
  } catch (error) {
    const status = error instanceof MailNotSent ? error.failure.status : 'error';
    log.warn('email-not-sent', { callSid, status, to: maskEmailForLog(to) });
    await recordSent(request, callSid, entries, { Outcome: `Email not sent (${status})` });
    return menuWithout(params, 'email', 'other-paths', [utter(line, 'email.failed')]);
  } finally {
    releaseSend(callSid, 'Email');
  }
}

/** After the case number: pressing 1 or saying "repeat" hears it once more; then goodbye. */
export async function handleCaseNumber(request: WebhookRequest): Promise<Step> {
  const { params } = request;
  const line = await resolveLine(request, params.Line ?? params.To);
  if (!line) return unknownLineStep();
  const caseNumber = readCaseNumber(params.case);
  const wantsRepeat = !params.silence && (params.Digits === '1' || REPEAT_WORDS.test(params.SpeechResult ?? ''));
  const say: Utterance[] = [];
  if (caseNumber && wantsRepeat) say.push(utter(line, 'email.case-number', { code: speakableCaseNumber(caseNumber) }));
  return { kind: 'say-and-hangup', say: [...say, utter(line, 'goodbye')] };
}
