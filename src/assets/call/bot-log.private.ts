// The call's conversation with the bot ("Bot Log" on the Calls row): what the bot said and what the
// caller said or pressed, up to the hand-off. Kept in the call memory of the warm instance that serves
// the call; a call whose webhooks land on several instances keeps the part each saw.
import type { Step } from '../core/steps.private';
import { callMemory } from './memory.private';

const MAX_LINES_PER_CALL = 60;

function spokenBy(step: Step): string[] {
  switch (step.kind) {
    case 'gather':
      return step.prompt.map((u) => u.text);
    case 'say-and-hangup':
    case 'say-and-redirect':
    case 'say-and-connect':
    case 'dial':
    case 'refer':
    case 'record':
    case 'conference':
      return step.say.map((u) => u.text);
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
}

function append(callSid: string, now: number, lines: readonly string[]): void {
  const log = callMemory.call(callSid, now).botLines;
  log.push(...lines);
  log.splice(0, Math.max(0, log.length - MAX_LINES_PER_CALL));
}

/** What the caller said or pressed, noted before the webhook decides, so a write in that webhook has it. */
export function noteCaller(callSid: string, now: number, input: { speech?: string; digits?: string }): void {
  const lines = [];
  if (input.speech) lines.push(`Caller said: ${input.speech}`);
  if (input.digits) lines.push(`Caller pressed: ${input.digits}`);
  if (lines.length > 0) append(callSid, now, lines);
}

/** What the bot answered. */
export function noteBot(callSid: string, now: number, step: Step): void {
  append(callSid, now, spokenBy(step).map((text) => `Bot: ${text}`));
}

/** When this instance first saw the call (epoch ms), or undefined: the call's `Started At`, the same on every write. */
export function callStartedAt(callSid: string, now: number): number | undefined {
  return callMemory.known(callSid, now)?.startedAt;
}

/** The conversation so far, one line a turn, or undefined when this instance has seen none of it. */
export function botLogOf(callSid: string, now: number): string | undefined {
  const lines = callMemory.known(callSid, now)?.botLines;
  return lines && lines.length > 0 ? lines.join('\n') : undefined;
}
