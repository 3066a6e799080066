// /voice/incoming as a pure decision: greet with the line's greeting, listen, and hand a request for
// a person to /escalate. Other input loops at most twice; then the caller gets the menu anyway.
import type { Line } from './model.private';
import { prompt, sayAs } from './prompts.private';
import type { Step } from './steps.private';
import { stepUrl } from './urls.private';

/** Re-prompts after the greeting before the caller is given the menu regardless. */
export const MAX_LISTEN_LOOPS = 2;

export interface IncomingInput {
  readonly line: Line | undefined;
  /** 0 for the call's first request; the Gather's action carries the next turn. */
  readonly turn: number;
  /** True when the caller said or pressed something that asks for a person. */
  readonly asksForPerson: boolean;
  /** True when the caller said or pressed anything at all this turn. */
  readonly heardInput: boolean;
}

export function escalateUrl(line: Line): string {
  return stepUrl('/escalate', { Line: line.phoneNumber });
}

/** A number no line has: say so clearly and end the call. */
export function unknownLineStep(): Step {
  return { kind: 'say-and-hangup', say: [{ text: prompt('en-US', 'line.unknown'), language: 'en-US' }] };
}

export function decideIncoming({ line, turn, asksForPerson, heardInput }: IncomingInput): Step {
  if (!line) return unknownLineStep();
  if (asksForPerson || turn > MAX_LISTEN_LOOPS) {
    return { kind: 'say-and-redirect', say: [], url: escalateUrl(line) };
  }
  const next = turn + 1;
  const text = turn === 0 && !heardInput ? (line.greeting ?? prompt(line.language, 'greeting.default')) : prompt(line.language, 'listen.again');
  return {
    kind: 'gather',
    prompt: [sayAs(line, text)],
    action: stepUrl('/voice/incoming', { turn: String(next) }),
    onSilence: stepUrl('/voice/incoming', { turn: String(next), silence: '1' }),
    language: line.language,
    hints: line.language === 'es-US' ? ['agente', 'representante', 'operador', 'persona'] : ['agent', 'representative', 'operator', 'person'],
  };
}

/** After the safety-net transfer: a caller who was connected hears goodbye; one who was not hears why. */
export function decideDialEnded(bridged: boolean): Step {
  return {
    kind: 'say-and-hangup',
    say: [{ text: prompt('en-US', bridged ? 'goodbye' : 'transfer.unanswered'), language: 'en-US' }],
  };
}
