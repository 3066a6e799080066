// The email path's webhooks: the hand-off from the menu, /email/send (one email with the line's contact
// details and a case number, to the address on file, never read aloud) and /email/case-number (said
// once more on request). The send goes through the CallSession's send-once sequence.
import { MailNotSent, sendContactEmail } from '../adapters/sendgrid-client.private';
import { caseNumberHere } from '../call/sent-log.private';
import type { CallSession, HandOff } from '../call/session.private';
import { unknownLineStep } from '../core/incoming.private';
import { maskEmailForLog } from '../core/phone.private';
import { emailOnFile } from '../core/policy.private';
import { utter } from '../core/prompts.private';
import { readCaseNumber, sentOn, withEntry } from '../core/sent-ledger.private';
import type { Step } from '../core/steps.private';
import { stepUrl } from '../core/urls.private';
import { caseNumberStep, decideCaseNumberAnswer } from './decisions.private';

/** From the menu: the choice is logged, and the send gets a webhook (and a time budget) of its own. */
export async function emailHandOff({ call, line, row }: HandOff): Promise<Step> {
  await call.saveCallRow(row);
  return { kind: 'say-and-redirect', say: [utter(line, 'email.sending')], url: stepUrl('/email/send', call.carry()) };
}

export async function handleEmailSend(call: CallSession): Promise<Step> {
  const { callSid, request } = call;
  const [{ line, caller }, ledger] = await Promise.all([call.facts(), call.ledger()]);
  if (!line) return unknownLineStep();
  const to = emailOnFile(caller);
  if (!to || !call.isOffered('email', line, caller)) return call.menuWithout('email', 'path-unavailable');
  const now = request.now.getTime();
  const caseNumber = caseNumberHere(callSid, now) ?? ledger.caseNumber;
  const alreadySent = () => caseNumberStep(line, caseNumberHere(callSid, now) ?? caseNumber, 'email.already-sent', call.params.Line);
  if (sentOn(ledger.entries, 'Email')) return alreadySent();
  const once = await call.sendOnce('Email', { ...ledger, caseNumber }, async (entries) => {
    if (sentOn(entries, 'Email')) return { result: alreadySent() };
    try {
      const id = await sendContactEmail(request.config, line, to, caseNumber, request.deadline);
      request.log.info('email-sent', { callSid, id, to: maskEmailForLog(to) });
      const fields = { 'Case Number': caseNumber, Outcome: 'Email sent' };
      return { result: caseNumberStep(line, caseNumber, 'email.sent', call.params.Line), record: { entries: withEntry(entries, { channel: 'Email', id, status: 'accepted' }), fields } };
    } catch (error) {
      const status = error instanceof MailNotSent ? error.failure.status : 'error';
      request.log.warn('email-not-sent', { callSid, status, to: maskEmailForLog(to) });
      const failed = call.menuWithout('email', 'other-paths', [utter(line, 'email.failed')]);
      return { result: failed, record: { entries, fields: { Outcome: `Email not sent (${status})` } } };
    }
  });
  return once.claimed ? once.result : alreadySent();
}

/** After the case number: pressing 1 or saying "repeat" hears it once more; then goodbye. */
export async function handleCaseNumber(call: CallSession): Promise<Step> {
  const { params } = call;
  const line = await call.line(params.Line ?? params.To);
  if (!line) return unknownLineStep();
  return decideCaseNumberAnswer(line, { caseNumber: readCaseNumber(params.case), digits: params.Digits, speech: params.SpeechResult, silence: Boolean(params.silence) });
}
