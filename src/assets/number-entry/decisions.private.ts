// Which number to call or text, as pure decisions: confirm the number on file ("ending in 4567"), or
// have the caller key one in, read it back digit by digit and confirm it. The conversation's state
// travels in the Gather's action URL (purpose, stage, tries, the keyed candidate), so any instance can
// take the next turn. Shared by immediate callbacks, scheduled callbacks and texts.
import { yesNo } from '../core/intent.private';
import { speakableNumber } from '../core/menu.private';
import type { Line, Path } from '../core/model.private';
import { countryOf, lastFour, parseDialableNumber, type CountryCode } from '../core/phone.private';
import { numberToCall, numberToText, type CallerFacts } from '../core/policy.private';
import { utter, type PromptId } from '../core/prompts.private';
import { stepUrl } from '../core/urls.private';
import type { Step, Utterance } from '../core/steps.private';

export const NUMBER_PURPOSES = ['callback-now', 'callback-scheduled', 'text-link'] as const satisfies readonly Path[];
export type NumberPurpose = (typeof NUMBER_PURPOSES)[number];

/** Where each path takes over once the number is confirmed (`?number=<E.164>`, plus `keyed=1` when typed). */
export const NUMBER_NEXT: Readonly<Record<NumberPurpose, string>> = {
  'callback-now': '/callback/now',
  'callback-scheduled': '/callback/schedule',
  'text-link': '/text/send',
};

/** on-file: yes/no about the number we have; enter: keypad entry; keyed: yes/no about the read-back. */
export const NUMBER_STAGES = ['on-file', 'enter', 'keyed'] as const;
export type NumberStage = (typeof NUMBER_STAGES)[number];

/** Re-asks after an invalid entry, silence or an unclear answer, before the caller is offered the other paths. */
export const MAX_NUMBER_RETRIES = 2;

export interface NumberTurn {
  readonly purpose: NumberPurpose;
  readonly stage: NumberStage;
  /** Re-asks so far in this conversation, whatever their cause: bounds every loop. */
  readonly tries: number;
  /** The keyed number being confirmed (stage keyed), E.164. */
  readonly candidate?: string;
}

/** What the caller's answer leads to. The shell acts on it (saves a keyed number, redirects, renders). */
export type NumberDecision =
  | { readonly kind: 'ask'; readonly step: Step }
  | { readonly kind: 'confirmed'; readonly number: string; readonly keyed: boolean }
  | { readonly kind: 'give-up'; readonly apology: readonly Utterance[] };

/** The number we would use without asking for one: the caller ID first for a text, the callback number first for a call. */
export function numberOnFile(purpose: NumberPurpose, caller: CallerFacts): string | undefined {
  return purpose === 'text-link' ? numberToText(caller) : numberToCall(caller);
}

/** Keyed numbers are read in the line's country, and only numbers of that country are accepted (toll fraud). */
export function lineCountry(line: Line): CountryCode {
  return countryOf(line.phoneNumber) ?? 'US';
}

function gather(line: Line, turn: NumberTurn, carry: string, say: Utterance[], keysOnly: boolean): Step {
  const turnQuery = { purpose: turn.purpose, stage: turn.stage, tries: String(turn.tries), candidate: turn.candidate };
  return {
    kind: 'gather',
    prompt: say,
    action: stepUrl('/number/answer', turnQuery, carry),
    onSilence: stepUrl('/number/answer', turnQuery, carry, { silence: '1' }),
    language: line.language,
    ...(keysOnly
      ? { keysOnly: true, timeoutSeconds: 10 }
      : { numDigits: 1, hints: line.language === 'es-US' ? ['sí', 'no'] : ['yes', 'no'] }),
  };
}

const isText = (purpose: NumberPurpose) => purpose === 'text-link';

/** Ask about the number on file. */
export function askOnFile(line: Line, turn: NumberTurn, number: string, carry: string, before: Utterance[] = []): Step {
  const id: PromptId = isText(turn.purpose) ? 'number.on-file.text' : 'number.on-file.call';
  return gather(line, { ...turn, stage: 'on-file', candidate: undefined }, carry, [...before, utter(line, id, { last4: lastFour(number) })], false);
}

/** Ask for a number on the keypad. */
export function askToEnter(line: Line, turn: NumberTurn, carry: string, before: Utterance[] = []): Step {
  const id: PromptId = isText(turn.purpose) ? 'number.enter.text' : 'number.enter.call';
  return gather(line, { ...turn, stage: 'enter', candidate: undefined }, carry, [...before, utter(line, id)], true);
}

/** Read a keyed number back digit by digit and ask whether it is right. */
export function askReadBack(line: Line, turn: NumberTurn, number: string, carry: string, before: Utterance[] = []): Step {
  const vars = { digits: speakableNumber(number) };
  return gather(line, { ...turn, stage: 'keyed', candidate: number }, carry, [...before, utter(line, 'number.read-back', vars)], false);
}

/** The first question of the conversation: about the number on file, else a request to key one in. */
export function decideNumberStart(line: Line, purpose: NumberPurpose, caller: CallerFacts, carry: string): Step {
  const turn: NumberTurn = { purpose, stage: 'on-file', tries: 0 };
  const onFile = numberOnFile(purpose, caller);
  return onFile ? askOnFile(line, turn, onFile, carry) : askToEnter(line, turn, carry);
}

export interface NumberAnswer {
  readonly line: Line;
  readonly turn: NumberTurn;
  readonly caller: CallerFacts;
  readonly digits?: string;
  readonly speech?: string;
  /** Twilio's Gather timed out: the Redirect after it ran. */
  readonly silence: boolean;
  /** Query carried to every next step (Reason, Line, exclude), already encoded. */
  readonly carry: string;
}

/** What the caller's answer at one stage means, and the next question when there is one. */
export function decideNumberAnswer({ line, turn, caller, digits, speech, silence, carry }: NumberAnswer): NumberDecision {
  const retry = { ...turn, tries: turn.tries + 1 };
  const exhausted = turn.tries >= MAX_NUMBER_RETRIES;
  const giveUp: NumberDecision = { kind: 'give-up', apology: [utter(line, 'number.give-up')] };
  const heard = silence ? undefined : yesNo({ digits, speech, language: line.language });
  const unclear = (ask: (before: Utterance[]) => Step): NumberDecision =>
    exhausted ? giveUp : { kind: 'ask', step: ask([utter(line, silence ? 'menu.silence' : 'menu.no-match')]) };

  switch (turn.stage) {
    case 'on-file': {
      const onFile = numberOnFile(turn.purpose, caller);
      if (!onFile) return { kind: 'ask', step: askToEnter(line, turn, carry) };
      if (heard === 'yes') return { kind: 'confirmed', number: onFile, keyed: false };
      if (heard === 'no') return { kind: 'ask', step: askToEnter(line, turn, carry) };
      return unclear((before) => askOnFile(line, retry, onFile, carry, before));
    }
    case 'enter': {
      const keys = silence ? '' : (digits ?? '');
      if (keys.replace(/[#*]/g, '') === '') {
        return exhausted ? giveUp : { kind: 'ask', step: askToEnter(line, retry, carry, [utter(line, 'number.no-digits')]) };
      }
      const parsed = parseDialableNumber(keys, lineCountry(line));
      if (!parsed.ok) return exhausted ? giveUp : { kind: 'ask', step: askToEnter(line, retry, carry, [utter(line, 'number.invalid')]) };
      return { kind: 'ask', step: askReadBack(line, turn, parsed.e164, carry) };
    }
    case 'keyed': {
      // The candidate comes back in a URL we wrote, but it is checked again: nothing from a request is trusted.
      const parsed = parseDialableNumber(turn.candidate, lineCountry(line));
      if (!parsed.ok) return { kind: 'ask', step: askToEnter(line, turn, carry) };
      if (heard === 'yes') return { kind: 'confirmed', number: parsed.e164, keyed: true };
      if (heard === 'no') return exhausted ? giveUp : { kind: 'ask', step: askToEnter(line, retry, carry) };
      return unclear((before) => askReadBack(line, retry, parsed.e164, carry, before));
    }
    default: {
      const unreachable: never = turn.stage;
      return unreachable;
    }
  }
}

/** The turn carried in the action URL, or undefined when it is not one we wrote. */
export function readNumberTurn(params: Readonly<Record<string, string | undefined>>): NumberTurn | undefined {
  const purpose = NUMBER_PURPOSES.find((p) => p === params.purpose);
  const stage = NUMBER_STAGES.find((s) => s === params.stage);
  if (!purpose || !stage) return undefined;
  const tries = Math.min(Math.max(Number.parseInt(params.tries ?? '0', 10) || 0, 0), MAX_NUMBER_RETRIES);
  return { purpose, stage, tries, candidate: params.candidate || undefined };
}
