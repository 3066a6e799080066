// The caller's side of a scripted call: the steps a scenario lists (inputs, expectations, checkpoints)
// and the actor that answers the call driver's <Gather>s, <Dial>s and <Refer>s from them.
import type { CallActor, CallResult, DialAnswer, DialRequest, GatherPrompt, HoldRequest, ReferAnswer, ReferRequest } from './call-driver';
import { whisperInputs, type AgentAnswer } from './agent-calls';
import type { Leg, PartyInput, TranscriptEvent } from './transcript';


export type Pattern = string | RegExp;

export type Step =
  | { readonly kind: 'input'; readonly input: PartyInput }
  /** One answer per <Number> of the next <Dial> (one answer: the whole <Dial>). */
  | { readonly kind: 'agent'; readonly answers: readonly AgentAnswer[] }
  | { readonly kind: 'refer'; readonly answer: ReferAnswer }
  /** The caller hangs up while holding in a conference that has not started. */
  | { readonly kind: 'hangup-on-hold' }
  | { readonly kind: 'hear'; readonly leg: Leg; readonly pattern: Pattern }
  | { readonly kind: 'not-hear'; readonly leg: Leg; readonly pattern: Pattern }
  | { readonly kind: 'request'; readonly path: Pattern; readonly params?: Readonly<Record<string, Pattern>> }
  | { readonly kind: 'dial'; readonly to?: Pattern }
  | { readonly kind: 'end'; readonly by?: 'app' | 'party' | 'transfer' }
  | { readonly kind: 'check'; readonly name: string; readonly check: (events: readonly TranscriptEvent[]) => void };

export type Checkpoint = { readonly kind: 'gather'; readonly leg: Leg } | { readonly kind: 'dial' } | { readonly kind: 'refer' } | { readonly kind: 'hold' } | { readonly kind: 'end' };

export class ScriptFailure extends Error {}

export function matches(pattern: Pattern, text: string): boolean {
  return typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
}

/** Where a match of `pattern` in `text` at or after `offset` ends, or undefined. */
function matchEnd(pattern: Pattern, text: string, offset: number): number | undefined {
  const rest = text.slice(offset);
  if (typeof pattern === 'string') {
    const at = rest.indexOf(pattern);
    return at < 0 ? undefined : offset + at + pattern.length;
  }
  const match = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(rest);
  return match ? offset + match.index + match[0].length : undefined;
}

export function show(pattern: Pattern): string {
  return typeof pattern === 'string' ? JSON.stringify(pattern) : String(pattern);
}

function describeInput(input: PartyInput): string {
  switch (input.kind) {
    case 'digits':
      return `press('${input.digits}')`;
    case 'speech':
      return `say('${input.text}')`;
    case 'silence':
      return 'silence()';
    case 'hangup':
      return 'hangup()';
    case 'message':
      return `leaveMessage('${input.text}'${input.end && input.end !== 'key' ? `, { end: '${input.end}' }` : ''})`;
  }
}

export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'input':
      return describeInput(step.input);
    case 'agent':
      return `agent(${step.answers.map((answer) => JSON.stringify(answer)).join(', ')})`;
    case 'refer':
      return step.answer.referSipResponseCode ? `refer(${JSON.stringify(step.answer)})` : `refer('${step.answer.result}')`;
    case 'hangup-on-hold':
      return 'hangupOnHold()';
    case 'hear':
      return `${step.leg === 'call' ? 'expectSay' : 'expectWhisper'}(${show(step.pattern)})`;
    case 'not-hear':
      return `expectNotSay(${show(step.pattern)})`;
    case 'request':
      return `expectRequest(${show(step.path)}${step.params ? `, ${JSON.stringify(Object.fromEntries(Object.entries(step.params).map(([k, v]) => [k, String(v)])))}` : ''})`;
    case 'dial':
      return `expectDial(${step.to ? show(step.to) : ''})`;
    case 'end':
      return step.by === 'party' ? 'expectEnd(party)' : 'expectHangup()';
    case 'check':
      return `check(${step.name})`;
  }
}

export function isAction(step: Step): boolean {
  return step.kind === 'input' || step.kind === 'agent' || step.kind === 'refer' || step.kind === 'hangup-on-hold';
}

function toDialAnswer(answer: AgentAnswer): DialAnswer {
  switch (answer.answer) {
    case 'caller-hangup':
      return { result: 'canceled', reportStatus: answer.status };
    case 'accept':
    case 'decline':
    case 'ignore':
    case 'silent':
    case 'voicemail':
      return {
        result: 'answered',
        machine: answer.answer === 'voicemail',
        target: answer.target,
        talkSeconds: answer.talkSeconds,
        hungUpBy: answer.hungUpBy,
        reportStatus: answer.status,
      };
    default:
      return { result: answer.answer, reportStatus: answer.status };
  }
}

/** Plays a script against the driver's questions, checking expectations at each one. */
export class ScriptedActor implements CallActor {
  private next = 0;
  private readonly cursor: Record<Leg, { index: number; offset: number }> = { call: { index: 0, offset: 0 }, dialed: { index: 0, offset: 0 } };
  private segmentStart = 0;
  private requestCursor = 0;
  private errorCursor = 0;
  private whisper: PartyInput[] = [];
  private lastAction = 'the call started';

  constructor(
    private readonly steps: readonly Step[],
    private readonly allowedErrors: readonly Pattern[],
    private readonly labels: { call: string; dialed: string },
  ) {}

  async gather(prompt: GatherPrompt): Promise<PartyInput> {
    if (prompt.leg === 'dialed') {
      this.checkUntil(prompt.events, { kind: 'gather', leg: 'dialed' }, (step) => step.kind !== 'hear' || step.leg !== 'dialed');
      return this.whisper.shift() ?? { kind: 'silence' };
    }
    const step = this.takeAction(prompt.events, { kind: 'gather', leg: 'call' });
    if (step?.kind !== 'input') {
      const heard = prompt.heard.length ? prompt.heard.map((text) => `  "${text}"`).join('\n') : '  (nothing)';
      const waiting = prompt.verb === 'Record' ? 'at a <Record> (a message after the beep)' : 'at a <Gather>';
      const input = prompt.verb === 'Record' ? '' : ` (input ${prompt.input.join(' ')})`;
      const hint = prompt.verb === 'Record' ? '.leaveMessage(...), .silence() or .hangup()' : '.silence(), .hangup() or the input the ' + this.labels.call + ' gives';
      throw new ScriptFailure(
        step
          ? `The script's next step is ${describeStep(step)}, but the call is waiting ${waiting}${input} after the ${this.labels.call} heard:\n${heard}`
          : `The script has no more input, but the call is waiting ${waiting} after the ${this.labels.call} heard:\n${heard}\nAdd ${hint}.`,
      );
    }
    this.lastAction = `${describeInput(step.input)}`;
    return step.input;
  }

  async dial(request: DialRequest): Promise<DialAnswer> {
    const step = this.takeAction(request.events, { kind: 'dial' });
    const dialing = request.targets.map((target) => target.address).join(', ');
    if (step?.kind !== 'agent') {
      throw new ScriptFailure(
        step
          ? `The script's next step is ${describeStep(step)}, but the call is dialing ${dialing}: add .agent({ answer: ... }) first.`
          : `The call is dialing ${dialing}, but the script does not say how it is answered: add .agent({ answer: ... }).`,
      );
    }
    this.lastAction = describeStep(step);
    const [only] = step.answers;
    if (step.answers.length === 1 && only) {
      this.whisper = whisperInputs(only);
      return toDialAnswer(only);
    }
    // Several numbers ring: the first answer that picks up is the one that hears the whisper.
    const legs = step.answers.map(toDialAnswer);
    const winner = step.answers[legs.findIndex((leg) => leg.result === 'answered')];
    this.whisper = winner ? whisperInputs(winner) : [];
    return { result: 'legs', legs };
  }

  async refer(request: ReferRequest): Promise<ReferAnswer> {
    const step = this.takeAction(request.events, { kind: 'refer' });
    if (step?.kind !== 'refer') {
      throw new ScriptFailure(
        step
          ? `The script's next step is ${describeStep(step)}, but the call is being transferred by <Refer> to ${request.target}: add .refer(...) first.`
          : `The call is transferred by <Refer> to ${request.target}, but the script does not say how the SIP side answers: add .refer(...).`,
      );
    }
    this.lastAction = describeStep(step);
    return step.answer;
  }

  /** Holding in a room: the caller hangs up when the script's next action says so; otherwise it waits, taking nothing. */
  async hold(request: HoldRequest): Promise<'hangup' | 'wait'> {
    const next = this.steps.slice(this.next).find(isAction);
    if (next?.kind !== 'hangup-on-hold') return 'wait';
    this.takeAction(request.events, { kind: 'hold' });
    this.lastAction = describeStep(next);
    return 'hangup';
  }

  /** At the end of the call: every remaining step must be an expectation, and hold. */
  finish(record: CallResult): void {
    this.checkUntil(record.events, { kind: 'end' }, isAction);
    const rest = this.steps.slice(this.next);
    if (rest.length) {
      throw new ScriptFailure(
        `The call ended (${record.status}, ${record.endedBy === 'party' ? `the ${this.labels.call} hung up` : record.endedBy === 'transfer' ? 'transferred' : 'by the application'}), but the script still has: ${rest.map(describeStep).join(', ')}`,
      );
    }
    this.checkErrors(record.events);
  }

  private takeAction(events: readonly TranscriptEvent[], at: Checkpoint): Step | undefined {
    this.checkUntil(events, at, isAction);
    const step = this.steps[this.next];
    if (step) this.next++;
    this.segmentStart = events.length;
    this.cursor.call = { index: events.length, offset: 0 };
    this.cursor.dialed = { index: events.length, offset: 0 };
    this.requestCursor = events.length;
    return step;
  }

  /** Checks expectations in order until `stop` says a step belongs to a later checkpoint. */
  private checkUntil(events: readonly TranscriptEvent[], at: Checkpoint, stop: (step: Step) => boolean): void {
    this.checkErrors(events);
    while (this.next < this.steps.length) {
      const step = this.steps[this.next]!;
      if (stop(step)) return;
      this.check(step, events, at);
      this.next++;
    }
  }

  private checkErrors(events: readonly TranscriptEvent[]): void {
    for (; this.errorCursor < events.length; this.errorCursor++) {
      const event = events[this.errorCursor]!;
      if (event.kind !== 'error') continue;
      const text = event.code ? `Twilio error ${event.code}: ${event.text}` : event.text;
      if (!this.allowedErrors.some((pattern) => matches(pattern, text))) {
        throw new ScriptFailure(`Twilio would report a problem:\n${text}`);
      }
    }
  }

  private check(step: Step, events: readonly TranscriptEvent[], at: Checkpoint): void {
    const where = `after ${this.lastAction}`;
    switch (step.kind) {
      case 'hear': {
        // In order: the next match starts where the previous one ended, in the same <Say> or a later one.
        const from = this.cursor[step.leg];
        for (let i = from.index; i < events.length; i++) {
          const event = events[i]!;
          if (event.leg !== step.leg || event.kind !== 'say') continue;
          const offset = i === from.index ? from.offset : 0;
          const end = matchEnd(step.pattern, event.text, offset);
          if (end !== undefined) {
            this.cursor[step.leg] = { index: i, offset: end };
            return;
          }
        }
        const heard = events
          .slice(from.index)
          .flatMap((event) => (event.leg === step.leg && event.kind === 'say' ? [`  "${event.text}"`] : []));
        throw new ScriptFailure(
          `${describeStep(step)} failed: the ${this.labels[step.leg]} did not hear ${show(step.pattern)} ${where}. ${heard.length ? `They heard (since the previous match):\n${heard.join('\n')}` : 'They heard nothing more.'}`,
        );
      }
      case 'not-hear': {
        const said = events.slice(this.segmentStart).find((event) => event.leg === step.leg && event.kind === 'say' && matches(step.pattern, event.text));
        if (said && said.kind === 'say') throw new ScriptFailure(`${describeStep(step)} failed ${where}: the ${this.labels[step.leg]} heard "${said.text}"`);
        return;
      }
      case 'request': {
        const index = events.findIndex((event, i) => i >= this.requestCursor && event.kind === 'request' && requestMatches(step, event.url, event.params));
        if (index < 0) {
          const requests = events.slice(this.requestCursor).flatMap((event) => (event.kind === 'request' ? [`  ${event.method} ${event.url} ${JSON.stringify(event.extra)}`] : []));
          throw new ScriptFailure(`${describeStep(step)} failed: no such request ${where}. Requests made:\n${requests.join('\n') || '  (none)'}`);
        }
        this.requestCursor = index + 1;
        return;
      }
      case 'dial': {
        const dial = events.slice(this.segmentStart).find((event) => event.kind === 'dial');
        if (!dial || dial.kind !== 'dial') throw new ScriptFailure(`${describeStep(step)} failed: no <Dial> ${where}`);
        if (step.to && !dial.targets.some((target) => matches(step.to!, target))) {
          throw new ScriptFailure(`${describeStep(step)} failed: the <Dial> ${where} calls ${dial.targets.join(', ')}`);
        }
        return;
      }
      case 'end': {
        if (at.kind !== 'end') {
          const now = at.kind === 'gather' ? 'waiting at a <Gather>' : at.kind === 'dial' ? 'dialing' : at.kind === 'hold' ? 'holding in a conference' : 'transferring by <Refer>';
          throw new ScriptFailure(`${describeStep(step)} failed: the call goes on ${where} (it is ${now})`);
        }
        const ended = events.find((event) => event.kind === 'ended' && event.leg === 'call');
        if (ended?.kind === 'ended' && step.by && ended.by !== step.by) {
          throw new ScriptFailure(`${describeStep(step)} failed: the call ended by ${ended.by} (${ended.cause})`);
        }
        if (ended?.kind === 'ended' && !step.by && ended.by !== 'app') {
          throw new ScriptFailure(`${describeStep(step)} failed: the application did not end the call; ${ended.cause}`);
        }
        return;
      }
      case 'check':
        try {
          step.check(events);
        } catch (error) {
          throw new ScriptFailure(`${describeStep(step)} failed ${where}: ${(error as Error).message}`);
        }
        return;
      case 'input':
      case 'agent':
      case 'refer':
      case 'hangup-on-hold':
        throw new Error('unreachable: actions are taken, not checked');
    }
  }
}

export function requestMatches(step: Extract<Step, { kind: 'request' }>, url: string, params: Readonly<Record<string, string>>): boolean {
  const parsed = new URL(url);
  const pathMatches = typeof step.path === 'string' ? parsed.pathname === step.path || url === step.path : step.path.test(`${parsed.pathname}${parsed.search}`);
  if (!pathMatches) return false;
  return Object.entries(step.params ?? {}).every(([name, pattern]) => {
    const value = params[name];
    return value !== undefined && (typeof pattern === 'string' ? value === pattern : pattern.test(value));
  });
}

