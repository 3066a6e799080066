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
  type DriverOptions,
  type OutboundAnswer,
  type PlacedCall,
  type ReferAnswer,
  type StatusCallbackConfig,
  type TwilioHooks,
} from './call-driver';
import { answerAgentCalls, PlacingCall, planOf, type AgentAnswer, type AgentCalls } from './agent-calls';
import type { CallbackDeliveryOptions } from './driver/callbacks';
import type { CallCreatedEvent } from '../emulators/twilio';
import { formatTranscript, type Leg, type TranscriptEvent } from './transcript';
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
  /**
   * agentCalls() answers only the calls the application places for this call (their URLs name
   * `callSid`, which must be given), not those of other calls running at the same time.
   */
  readonly ownAgentCallsOnly?: boolean;
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

import { matches, ScriptedActor, ScriptFailure, type Pattern, type Step } from './scripted-actor';
export type { Pattern } from './scripted-actor';

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
    private readonly placedFor?: string,
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

  /** The caller hangs up while holding in a conference that has not started (after its hold audio). */
  hangupOnHold(): this {
    return this.add({ kind: 'hangup-on-hold' });
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

  private startAgentCalls(driver: DriverOptions, placing: PlacingCall): AgentCalls | undefined {
    if (this.agentCallAnswers.length === 0) return undefined;
    const source = this.target.twilio;
    if (!source?.onCallCreated) throw new Error('agentCalls() needs the Twilio emulator: call a sandbox (or a target with `twilio`)');
    const placedFor = this.placedFor;
    const belongs = placedFor ? (event: CallCreatedEvent) => [event.url, event.twiml, event.statusCallback].some((text) => text?.includes(placedFor)) : undefined;
    return answerAgentCalls({ onCallCreated: source.onCallCreated }, driver, this.agentCallAnswers.map(planOf), placing, belongs);
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
    const placing = new PlacingCall();
    const agents = this.startAgentCalls(driver, placing);
    let record: CallResult;
    try {
      record = await this.runner(actor, { ...driver, onEvent: placing.follow(driver.onEvent) });
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
  if (options.ownAgentCallsOnly && !options.callSid) throw new Error('ownAgentCallsOnly needs the callSid');
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
    options.ownAgentCallsOnly ? options.callSid : undefined,
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
