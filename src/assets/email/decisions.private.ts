// The email path as pure decisions: what the caller hears once the email went (the case number, which
// they may hear once more), and what their answer to "press 1 to hear it again" means. The email's
// content is core/contact-email; the case number is made with the ledger (core/sent-ledger).
import type { Line } from '../core/model.private';
import { utter, type PromptId } from '../core/prompts.private';
import type { Step, Utterance } from '../core/steps.private';
import { stepUrl } from '../core/urls.private';

const REPEAT_WORDS = /\b(repeat|again|one more time|what|repetir|repita|otra vez)\b/i;

/** "K, 7, F. 4, 9, X": one character at a time, with a pause between the halves, so it can be written down. */
export function speakableCaseNumber(caseNumber: string): string {
  return caseNumber
    .split('-')
    .map((half) => half.split('').join(', '))
    .join('. ');
}

/** `first` (sent, or already sent), the case number, and the offer to hear it again. `lineParam`: Studio's `Line`, carried. */
export function caseNumberStep(line: Line, caseNumber: string, first: PromptId, lineParam: string | undefined): Step {
  const query = { case: caseNumber, Line: lineParam };
  return {
    kind: 'gather',
    prompt: [utter(line, first), utter(line, 'email.case-number', { code: speakableCaseNumber(caseNumber) }), utter(line, 'email.case-number.offer-repeat')],
    action: stepUrl('/email/case-number', query),
    onSilence: stepUrl('/email/case-number', query, { silence: '1' }),
    language: line.language,
    numDigits: 1,
    hints: line.language === 'es-US' ? ['repetir'] : ['repeat'],
  };
}

export interface CaseNumberAnswer {
  readonly caseNumber: string | undefined;
  readonly digits?: string;
  readonly speech?: string;
  readonly silence: boolean;
}

/** Pressing 1 or saying "repeat" hears the case number once more; then goodbye. */
export function decideCaseNumberAnswer(line: Line, { caseNumber, digits, speech, silence }: CaseNumberAnswer): Step {
  const wantsRepeat = !silence && (digits === '1' || REPEAT_WORDS.test(speech ?? ''));
  const say: Utterance[] = [];
  if (caseNumber && wantsRepeat) say.push(utter(line, 'email.case-number', { code: speakableCaseNumber(caseNumber) }));
  return { kind: 'say-and-hangup', say: [...say, utter(line, 'goodbye')] };
}
