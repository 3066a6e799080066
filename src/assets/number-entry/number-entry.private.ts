// The shell of the number conversation: `startNumberEntry` is a path's first step after the menu
// (it writes the choice's Calls row), `handleNumberAnswer` serves /number/answer. The decisions are
// in decide-number-entry; here only loading, saving a keyed number on the contact, and redirecting.
import { createAirtableStore } from '../adapters/airtable-store.private';
import { unknownLineStep } from '../core/incoming.private';
import type { Step } from '../core/steps.private';
import { saveCallRow } from '../shell/call-log.private';
import { maskForLog } from '../core/phone.private';
import type { WebhookRequest } from '../shell/webhook.private';
import { carriedQuery, loadCallFacts, menuWithout, type HandOffInput } from '../escalate/hand-off.private';
import type { CallerFacts } from '../core/policy.private';
import { decideNumberAnswer, decideNumberStart, NUMBER_NEXT, readNumberTurn, type NumberPurpose } from './decide-number-entry.private';

/** A path's hand-off: write the choice, then ask about the number on file or for one on the keypad. */
export async function startNumberEntry({ request, line, caller, row }: HandOffInput, purpose: NumberPurpose): Promise<Step> {
  await saveCallRow(request, row);
  return decideNumberStart(line, purpose, caller, carriedQuery(request.params));
}

/** A keyed number becomes the contact's Callback Number; failing to save it never stops the caller. */
async function saveKeyedNumber(request: WebhookRequest, caller: CallerFacts, number: string): Promise<void> {
  const store = createAirtableStore(request.config);
  try {
    if (!store) throw new Error('Airtable is not configured');
    await store.saveContactNumber({ contactId: caller.contact?.id, callerId: caller.callerId, number, now: request.now }, request.deadline);
  } catch (error) {
    request.log.warn('contact-number-not-saved', { callSid: request.params.CallSid, number: maskForLog(number), error });
  }
}

export async function handleNumberAnswer(request: WebhookRequest): Promise<Step> {
  const { params } = request;
  const { line, caller } = await loadCallFacts(request);
  if (!line) return unknownLineStep();
  const turn = readNumberTurn(params);
  if (!turn) return { kind: 'say-and-redirect', say: [], url: `/escalate?${carriedQuery(params)}` };
  const carry = carriedQuery(params);
  const decision = decideNumberAnswer({ line, turn, caller, carry, digits: params.Digits, speech: params.SpeechResult, silence: Boolean(params.silence) });
  switch (decision.kind) {
    case 'ask':
      return decision.step;
    case 'give-up':
      return menuWithout(params, turn.purpose, 'other-paths', decision.apology);
    case 'confirmed': {
      if (decision.keyed) await saveKeyedNumber(request, caller, decision.number);
      const next = carriedQuery(params, { number: decision.number, ...(decision.keyed ? { keyed: '1' } : {}) });
      return { kind: 'say-and-redirect', say: [], url: `${NUMBER_NEXT[turn.purpose]}?${next}` };
    }
    default: {
      const unreachable: never = decision;
      return unreachable;
    }
  }
}
