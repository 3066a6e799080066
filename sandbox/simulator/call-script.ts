// Scenario tests as scripts: what the caller does, what they must hear, how the agent answers.
//
//   await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
//     .expectSay(/Welcome/).say('agent')
//     .expectSay(/press 1/).press('1')
//     .agent({ answer: 'accept' }).expectWhisper(/Dana/)
//     .expectHangup();
//
// Expectations are checked in order against what was heard since the previous input, each one after
// the previous match; inputs are given to the <Gather>s in order. A failure names the step and
// prints the transcript.
import {
  CallAborted,
  runInboundCall,
  runOutboundCall,
  type CallActor,
  type CallResult,
  type DialAnswer,
  type DialRequest,
  type DriverOptions,
  type GatherPrompt,
  type OutboundAnswer,
  type PlacedCall,
  type ReferAnswer,
  type ReferRequest,
  type StatusCallbackConfig,
  type TwilioHooks,
} from './call-driver';
import { answerAgentCalls, planOf, whisperInputs, type AgentAnswer, type AgentCalls } from './agent-calls';
import type { CallbackDeliveryOptions } from './driver/callbacks';
import { formatTranscript, type Leg, type PartyInput, type TranscriptEvent } from './transcript';
import type { Transport } from './webhook-transport';

/** Where the application runs: a sandbox, `npm start`, or a test server. */
export interface CallTarget {
  readonly baseUrl: string;
  readonly authToken: string;
  readonly accountSid?: string;
  readonly transport?: Transport;
  /** The Twilio emulator the application talks to (a Sandbox has one): calls and recordings are filed there. */
  readonly twilio?: TwilioHooks;
}

export interface CallOptions {
  readonly to: string;
  readonly from: string;
  /** Path (or absolute URL) of the number's voice webhook; default /voice/incoming. */
  readonly path?: string;
  readonly method?: 'GET' | 'POST';
  readonly callSid?: string;
  readonly sipHeaders?: Readonly<Record<string, string>>;
  /** The number's status callback: a path, or a full config. */
  readonly statusCallback?: string | StatusCallbackConfig;
  /**
   * Callbacks delivered as Twilio may: `{ duplicate: ['recording'] }` sends each recording callback
   * twice; `{ defer: ['recording'] }` sends them after the call's final status callback.
   */
  readonly callbacks?: CallbackDeliveryOptions;
  /** Extra driver options (live event printing, recording and call-status hooks). */
  readonly driver?: Partial<Pick<DriverOptions, 'onEvent' | 'validate' | 'callbacks'>>;
}

export type { AgentAnswer } from './agent-calls';

export type Pattern = string | RegExp;

type Step =
  | { readonly kind: 'input'; readonly input: PartyInput }
  /** One answer per <Number> of the next <Dial> (one answer: the whole <Dial>). */
  | { readonly kind: 'agent'; readonly answers: readonly AgentAnswer[] }
  | { readonly kind: 'refer'; readonly answer: ReferAnswer }
  | { readonly kind: 'hear'; readonly leg: Leg; readonly pattern: Pattern }
  | { readonly kind: 'not-hear'; readonly leg: Leg; readonly pattern: Pattern }
  | { readonly kind: 'request'; readonly path: Pattern; readonly params?: Readonly<Record<string, Pattern>> }
  | { readonly kind: 'dial'; readonly to?: Pattern }
  | { readonly kind: 'end'; readonly by?: 'app' | 'party' | 'transfer' }
  | { readonly kind: 'check'; readonly name: string; readonly check: (events: readonly TranscriptEvent[]) => void };

type Checkpoint = { readonly kind: 'gather'; readonly leg: Leg } | { readonly kind: 'dial' } | { readonly kind: 'refer' } | { readonly kind: 'end' };

class ScriptFailure extends Error {}

function matches(pattern: Pattern, text: string): boolean {
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

function show(pattern: Pattern): string {
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

function describeStep(step: Step): string {
  switch (step.kind) {
    case 'input':
      return describeInput(step.input);
    case 'agent':
      return `agent(${step.answers.map((answer) => JSON.stringify(answer)).join(', ')})`;
    case 'refer':
      return step.answer.referSipResponseCode ? `refer(${JSON.stringify(step.answer)})` : `refer('${step.answer.result}')`;
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

function isAction(step: Step): boolean {
  return step.kind === 'input' || step.kind === 'agent' || step.kind === 'refer';
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
class ScriptedActor implements CallActor {
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
          const now = at.kind === 'gather' ? 'waiting at a <Gather>' : at.kind === 'dial' ? 'dialing' : 'transferring by <Refer>';
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
        throw new Error('unreachable: actions are taken, not checked');
    }
  }
}

function requestMatches(step: Extract<Step, { kind: 'request' }>, url: string, params: Readonly<Record<string, string>>): boolean {
  const parsed = new URL(url);
  const pathMatches = typeof step.path === 'string' ? parsed.pathname === step.path || url === step.path : step.path.test(`${parsed.pathname}${parsed.search}`);
  if (!pathMatches) return false;
  return Object.entries(step.params ?? {}).every(([name, pattern]) => {
    const value = params[name];
    return value !== undefined && (typeof pattern === 'string' ? value === pattern : pattern.test(value));
  });
}

/** A scenario failed: the message says which step and why, then prints the transcript. */
export class ScenarioError extends Error {
  constructor(
    reason: string,
    readonly record: CallResult,
  ) {
    super(`${reason}\n\nTranscript:\n${formatTranscript(record.events, record.labels)}\n`);
    this.name = 'ScenarioError';
  }
}

type Runner = (actor: CallActor, driver: DriverOptions) => Promise<CallResult>;

export class CallScript implements PromiseLike<CallResult> {
  private readonly steps: Step[] = [];
  private readonly allowedErrors: Pattern[] = [];
  private readonly agentCallAnswers: AgentAnswer[] = [];
  private agentCallResults: CallResult[] = [];
  private running?: Promise<CallResult>;

  constructor(
    private readonly target: CallTarget,
    private readonly runner: Runner,
    private readonly labels: { call: string; dialed: string },
    private readonly driverExtras: CallOptions['driver'] = {},
  ) {}

  private add(step: Step): this {
    if (this.running) throw new Error('this call script is already running: add steps before awaiting it');
    this.steps.push(step);
    return this;
  }

  /** The caller hears a <Say> containing `pattern` (a string) or matching it (a RegExp). */
  expectSay(pattern: Pattern): this {
    return this.add({ kind: 'hear', leg: 'call', pattern });
  }

  /** Nothing the caller heard since their previous input matches `pattern`. */
  expectNotSay(pattern: Pattern): this {
    return this.add({ kind: 'not-hear', leg: 'call', pattern });
  }

  /** The dialed party (the agent) hears this in the whisper. */
  expectWhisper(pattern: Pattern): this {
    return this.add({ kind: 'hear', leg: 'dialed', pattern });
  }

  /** A request (path, or RegExp over path and query) was made, with these parameters. */
  expectRequest(path: Pattern, params?: Readonly<Record<string, Pattern>>): this {
    return this.add({ kind: 'request', path, params });
  }

  expectDial(to?: Pattern): this {
    return this.add({ kind: 'dial', to });
  }

  /** The application ends the call here (<Hangup>, end of document, <Reject>). */
  expectHangup(): this {
    return this.add({ kind: 'end' });
  }

  /** The call ends here, by whoever. */
  expectEnd(by: 'app' | 'party' | 'transfer'): this {
    return this.add({ kind: 'end', by });
  }

  /** Any assertion over the events so far (throw to fail). */
  check(name: string, check: (events: readonly TranscriptEvent[]) => void): this {
    return this.add({ kind: 'check', name, check });
  }

  /** Errors matching `pattern` do not fail the scenario (e.g. when the test is about them). */
  allowError(pattern: Pattern): this {
    this.allowedErrors.push(pattern);
    return this;
  }

  press(digits: string): this {
    if (!/^[0-9*#]+$/.test(digits)) throw new Error(`press('${digits}'): keys are 0-9, * and #`);
    return this.add({ kind: 'input', input: { kind: 'digits', digits } });
  }

  say(text: string, confidence?: number): this {
    return this.add({ kind: 'input', input: { kind: 'speech', text, confidence } });
  }

  silence(): this {
    return this.add({ kind: 'input', input: { kind: 'silence' } });
  }

  hangup(): this {
    return this.add({ kind: 'input', input: { kind: 'hangup' } });
  }

  /**
   * The caller leaves a message at a <Record>: these words (2.5 a second unless `seconds` says), then
   * presses # (`end: 'key'`, or `key`), hangs up (`end: 'hangup'`) or stays silent until the timeout
   * (`end: 'silence'`). An empty message is `.silence()`.
   */
  leaveMessage(text: string, options: { readonly end?: 'key' | 'hangup' | 'silence'; readonly key?: string; readonly seconds?: number } = {}): this {
    return this.add({ kind: 'input', input: { kind: 'message', text, ...options } });
  }

  /**
   * How the next <Dial> is answered (by the agent, for an inbound call). A <Dial> of several numbers
   * takes one answer per <Number>, in order: they ring at once and the first that picks up (accept,
   * decline, ignore or voicemail) is connected, the others are cancelled, as at Twilio.
   */
  agent(answer: AgentAnswer, ...more: AgentAnswer[]): this {
    return this.add({ kind: 'agent', answers: [answer, ...more] });
  }

  /** The caller hangs up while the <Dial> rings: the same as agent({ answer: 'caller-hangup' }). */
  hangupWhileRinging(): this {
    return this.agent({ answer: 'caller-hangup' });
  }

  /** The same as agent(), read better in a placed call that dials the customer. */
  dialed(answer: AgentAnswer, ...more: AgentAnswer[]): this {
    return this.agent(answer, ...more);
  }

  /**
   * How the calls the application places while this call is on are answered, in the order they are
   * placed (a ring group's REST legs: calls.create with a whisper, or Participants API calls into the
   * caller's conference). Each starts once the one before has ended or joined a conference, so the
   * first plan that picks up is the first phone to pick up. Needs the Twilio emulator (a sandbox).
   */
  agentCalls(answer: AgentAnswer, ...more: AgentAnswer[]): this {
    if (this.running) throw new Error('this call script is already running: add steps before awaiting it');
    this.agentCallAnswers.push(answer, ...more);
    return this;
  }

  /** What the agent calls of `agentCalls` did, once the call has run. */
  agentCallRecords(): readonly CallResult[] {
    return this.agentCallResults;
  }

  /** The caller hears hold audio (a <Play>, e.g. a conference's wait music) since their previous input. */
  expectHoldAudio(): this {
    return this.add({ kind: 'check', name: 'expectHoldAudio()', check: (events) => {
      if (!events.some((event) => event.leg === 'call' && event.kind === 'play')) throw new Error('the caller heard no hold audio');
    } });
  }

  /**
   * How the SIP side answers the next <Refer>: 'accepted', 'busy', 'no-answer', 'failed', 'canceled',
   * or refused with a code: `{ result: 'rejected', referSipResponseCode: '405' }` (default 603).
   */
  refer(answer: ReferAnswer['result'] | ReferAnswer): this {
    return this.add({ kind: 'refer', answer: typeof answer === 'string' ? { result: answer } : answer });
  }

  /** Runs the call; rejects with a ScenarioError (reason + transcript) when the script does not hold. */
  run(): Promise<CallResult> {
    this.running ??= this.execute();
    return this.running;
  }

  then<TResult1 = CallResult, TResult2 = never>(
    onfulfilled?: ((value: CallResult) => TResult1 | PromiseLike<TResult1>) | null,
    onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    return this.run().then(onfulfilled, onrejected);
  }

  private startAgentCalls(driver: DriverOptions): AgentCalls | undefined {
    if (this.agentCallAnswers.length === 0) return undefined;
    const source = this.target.twilio;
    if (!source?.onCallCreated) throw new Error('agentCalls() needs the Twilio emulator: call a sandbox (or a target with `twilio`)');
    return answerAgentCalls({ onCallCreated: source.onCallCreated }, driver, this.agentCallAnswers.map(planOf));
  }

  private async execute(): Promise<CallResult> {
    const actor = new ScriptedActor(this.steps, this.allowedErrors, this.labels);
    const driver: DriverOptions = {
      authToken: this.target.authToken,
      accountSid: this.target.accountSid ?? 'AC00000000000000000000000000000000',
      transport: this.target.transport,
      twilio: this.target.twilio,
      ...this.driverExtras,
    };
    const agents = this.startAgentCalls(driver);
    let record: CallResult;
    try {
      record = await this.runner(actor, driver);
    } catch (error) {
      agents?.stop();
      if (error instanceof CallAborted) throw new ScenarioError(error.message, error.record);
      throw error;
    }
    if (agents) {
      agents.stop();
      this.agentCallResults = await agents.settled();
      const problems = this.agentCallResults.flatMap((leg) => leg.errors.filter((text) => !this.allowedErrors.some((pattern) => matches(pattern, text))));
      if (problems.length) throw new ScenarioError(`Twilio would report a problem on an agent's call:\n${problems.join('\n')}`, record);
      const unused = this.agentCallAnswers.length - this.agentCallResults.length;
      if (unused > 0) throw new ScenarioError(`The application placed ${this.agentCallResults.length} agent call(s), but agentCalls() plans ${this.agentCallAnswers.length}`, record);
    }
    try {
      actor.finish(record);
    } catch (error) {
      if (error instanceof ScriptFailure) throw new ScenarioError(error.message, record);
      throw error;
    }
    return record;
  }
}

function absolute(target: CallTarget, path: string): string {
  return new URL(path, target.baseUrl.endsWith('/') ? target.baseUrl : `${target.baseUrl}/`).toString();
}

/** An inbound call to `options.to` from `options.from`, to script with expectations and inputs. */
export function call(target: CallTarget, options: CallOptions): CallScript {
  const statusCallback = typeof options.statusCallback === 'string' ? { url: options.statusCallback } : options.statusCallback;
  return new CallScript(
    target,
    (actor, driver) =>
      runInboundCall(
        driver,
        {
          url: absolute(target, options.path ?? '/voice/incoming'),
          method: options.method,
          from: options.from,
          to: options.to,
          callSid: options.callSid,
          sipHeaders: options.sipHeaders,
          statusCallback: statusCallback ? { ...statusCallback, url: absolute(target, statusCallback.url) } : undefined,
        },
        actor,
      ),
    { call: 'caller', dialed: 'agent' },
    options.callbacks ? { ...options.driver, callbacks: options.callbacks } : options.driver,
  );
}

/** A call the project placed (calls.create), answered (or not) as `how` says, then scripted. */
export function answer(target: CallTarget, placed: PlacedCall, how: OutboundAnswer = 'answer', driver?: CallOptions['driver']): CallScript {
  const labels = { call: 'callee', dialed: 'dialed party' };
  return new CallScript(target, (actor, options) => runOutboundCall(options, placed, how, actor, labels), labels, driver);
}

/** What one leg heard, in order. */
export function heardBy(record: CallResult, leg: Leg = 'call'): string[] {
  return record.events.flatMap((event) => (event.leg === leg && event.kind === 'say' ? [event.text] : []));
}
