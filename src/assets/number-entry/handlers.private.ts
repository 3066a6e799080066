// The webhooks of the number conversation: `startNumberEntry` is a path's first step after the menu
// (it writes the choice's Calls row), `handleNumberAnswer` serves /number/answer. The decisions are in
// ./decisions; here only loading, saving a keyed number on the contact, and redirecting.
import type { CallSession, HandOff } from '../call/session.private';
import { unknownLineStep } from '../core/incoming.private';
import { maskForLog } from '../core/phone.private';
import type { CallerFacts } from '../core/policy.private';
import type { Step } from '../core/steps.private';
import { stepUrl } from '../core/urls.private';
import { decideNumberAnswer, decideNumberStart, NUMBER_NEXT, readNumberTurn, type NumberPurpose } from './decisions.private';

/** A path's hand-off: write the choice, then ask about the number on file or for one on the keypad. */
export async function startNumberEntry({ call, line, caller, row }: HandOff, purpose: NumberPurpose): Promise<Step> {
  await call.saveCallRow(row);
  return decideNumberStart(line, purpose, caller, call.carry());
}

/** A keyed number becomes the contact's Callback Number; failing to save it never stops the caller. */
async function saveKeyedNumber(call: CallSession, caller: CallerFacts, number: string): Promise<void> {
  const { request, store } = call;
  try {
    if (!store) throw new Error('Airtable is not configured');
    await store.saveContactNumber({ contactId: caller.contact?.id, callerId: caller.callerId, number, now: request.now }, request.deadline);
  } catch (error) {
    request.log.warn('contact-number-not-saved', { callSid: call.callSid, number: maskForLog(number), error });
  }
}

export async function handleNumberAnswer(call: CallSession): Promise<Step> {
  const { params } = call;
  const { line, caller } = await call.facts();
  if (!line) return unknownLineStep();
  const turn = readNumberTurn(params);
  if (!turn) return { kind: 'say-and-redirect', say: [], url: stepUrl('/escalate', call.carry()) };
  const decision = decideNumberAnswer({ line, turn, caller, carry: call.carry(), digits: params.Digits, speech: params.SpeechResult, silence: Boolean(params.silence) });
  switch (decision.kind) {
    case 'ask':
      return decision.step;
    case 'give-up':
      return call.menuWithout(turn.purpose, 'other-paths', decision.apology);
    case 'confirmed': {
      if (decision.keyed) await saveKeyedNumber(call, caller, decision.number);
      return { kind: 'say-and-redirect', say: [], url: stepUrl(NUMBER_NEXT[turn.purpose], call.carry({ number: decision.number, keyed: decision.keyed ? '1' : undefined })) };
    }
    default: {
      const unreachable: never = decision;
      return unreachable;
    }
  }
}
