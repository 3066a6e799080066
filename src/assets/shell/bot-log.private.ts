// The call's conversation with the bot ("Bot Log" on the Calls row): what the bot said and what the
// caller said or pressed, up to the hand-off. Kept per call on the warm instance that serves it;
// a call whose webhooks land on several instances keeps the part each saw.
import type { Step } from '../core/steps.private';

const MAX_LINES_PER_CALL = 60;
const MAX_CALLS = 500;
const MAX_AGE_MS = 60 * 60 * 1000;

interface CallLog {
  readonly lines: string[];
  readonly startedAt: number;
}
const logs = new Map<string, CallLog>();

function spokenBy(step: Step): string[] {
  switch (step.kind) {
    case 'gather':
      return step.prompt.map((u) => u.text);
    case 'say-and-hangup':
    case 'say-and-continue':
    case 'say-and-redirect':
    case 'say-and-connect':
    case 'dial':
    case 'refer':
      return step.say.map((u) => u.text);
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
}

function logFor(callSid: string, now: number): CallLog {
  for (const [sid, log] of logs) {
    if (now - log.startedAt > MAX_AGE_MS || logs.size > MAX_CALLS) logs.delete(sid);
    else break; // Map keeps insertion order: the rest are younger.
  }
  const log = logs.get(callSid) ?? { lines: [], startedAt: now };
  logs.set(callSid, log);
  return log;
}

function append(log: CallLog, lines: readonly string[]): void {
  log.lines.push(...lines);
  log.lines.splice(0, Math.max(0, log.lines.length - MAX_LINES_PER_CALL));
}

/** What the caller said or pressed, noted before the webhook decides, so a write in that webhook has it. */
export function noteCaller(callSid: string, now: number, input: { speech?: string; digits?: string }): void {
  const lines = [];
  if (input.speech) lines.push(`Caller said: ${input.speech}`);
  if (input.digits) lines.push(`Caller pressed: ${input.digits}`);
  if (lines.length > 0) append(logFor(callSid, now), lines);
}

/** What the bot answered. */
export function noteBot(callSid: string, now: number, step: Step): void {
  append(logFor(callSid, now), spokenBy(step).map((text) => `Bot: ${text}`));
}

/** When this instance first saw the call (epoch ms), or undefined: the call's `Started At`, the same on every write. */
export function callStartedAt(callSid: string): number | undefined {
  return logs.get(callSid)?.startedAt;
}

/** The conversation so far, one line a turn, or undefined when this instance has seen none of it. */
export function botLogOf(callSid: string): string | undefined {
  const lines = logs.get(callSid)?.lines;
  return lines && lines.length > 0 ? lines.join('\n') : undefined;
}
