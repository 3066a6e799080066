// The agents' phones while a call is on: the calls the application places during it (a ring group's
// REST legs — calls.create with a whisper, or Participants API calls into the caller's conference) are
// answered one after another, each as its plan says (accept, decline, voicemail, busy...). A leg starts
// once the one before it has ended or joined a conference, so "who picks up first" is the plans' order,
// as it is the tokens' order of a multi-number <Dial>. And the first starts only once the call that
// placed them waits (PlacingCall): a real phone rings for seconds, while Twilio runs the TwiML the
// placing webhook answered, so no agent answers before the caller is in the room they are to join.
import type { CallCreatedEvent } from '../emulators/twilio';
import { placedCallOf, runOutboundCall, type CallActor, type CallResult, type DialAnswer, type DriverOptions, type OutboundAnswer } from './call-driver';
import type { ConferenceTalk } from './driver/conference';
import type { LegLabels, PartyInput, RequestReason, TranscriptEvent } from './transcript';

/** How the dialed party (the agent, for an inbound call) answers a <Dial> or a call placed to it. */
export interface AgentAnswer {
  /**
   * accept: answers and presses `press` (default 1) at the whisper's prompt;
   * decline: answers and hangs up during the whisper; ignore (or silent): answers and presses nothing;
   * voicemail: a machine answers, hears the whisper and presses nothing;
   * canceled (or caller-hangup): the caller hangs up while the agent's phone rings;
   * busy, no-answer, failed: the agent's leg is never answered.
   */
  readonly answer: 'accept' | 'decline' | 'ignore' | 'silent' | 'voicemail' | 'busy' | 'no-answer' | 'failed' | 'canceled' | 'caller-hangup';
  readonly press?: string;
  /** Exact inputs for the whisper's <Gather>s, instead of what `answer` implies. */
  readonly whisper?: readonly (string | PartyInput)[];
  readonly target?: string;
  /** How long the parties talk once bridged, or once the conference has started (default 45 s). */
  readonly talkSeconds?: number;
  readonly hungUpBy?: 'caller' | 'agent';
  /** Report this DialCallStatus instead of the natural one. */
  readonly status?: string;
  /**
   * A phone the application placed (agentCalls) picked up at the same moment as the one before it, not
   * once that one has ended or joined: both whisper, and both press their keys, at once.
   */
  readonly together?: boolean;
}

/** What one placed agent call does: how it is answered, the keys at its prompts, how long it talks. */
export interface AgentCallPlan {
  readonly answer: OutboundAnswer;
  readonly inputs: readonly PartyInput[];
  readonly talk: ConferenceTalk;
  /** How the plan was written, for the transcript. */
  readonly label: string;
  /** Answered with the call before it, not after it (AgentAnswer.together). */
  readonly together?: boolean;
}

export function toPartyInput(value: string | PartyInput): PartyInput {
  if (typeof value !== 'string') return value;
  if (value === 'hangup') return { kind: 'hangup' };
  if (value === 'silence' || value === '') return { kind: 'silence' };
  return /^[0-9*#]+$/.test(value) ? { kind: 'digits', digits: value } : { kind: 'speech', text: value };
}

export function whisperInputs(answer: AgentAnswer): PartyInput[] {
  if (answer.whisper) return answer.whisper.map(toPartyInput);
  if (answer.answer === 'accept') return [{ kind: 'digits', digits: answer.press ?? '1' }];
  if (answer.answer === 'decline') return [{ kind: 'hangup' }];
  return [];
}

const OUTBOUND: Readonly<Record<AgentAnswer['answer'], OutboundAnswer>> = {
  accept: 'answer',
  decline: 'answer',
  ignore: 'answer',
  silent: 'answer',
  voicemail: 'voicemail',
  busy: 'busy',
  'no-answer': 'no-answer',
  failed: 'failed',
  canceled: 'no-answer',
  'caller-hangup': 'no-answer',
};

export function planOf(answer: AgentAnswer): AgentCallPlan {
  return {
    answer: OUTBOUND[answer.answer],
    inputs: whisperInputs(answer),
    talk: { seconds: answer.talkSeconds ?? 45, hungUpBy: answer.hungUpBy ?? 'caller' },
    label: `@${answer.answer}${answer.together ? ' (with the one before)' : ''}`,
    together: answer.together,
  };
}

/** A `npm run call` agent token (@accept, @decline, @voicemail...) as a placed call's plan. */
export function planOfChoice(token: string, choice: { readonly answer: DialAnswer; readonly whisper: readonly PartyInput[] }): AgentCallPlan {
  const result = choice.answer.result;
  const answer: OutboundAnswer = result === 'answered' ? (choice.answer.machine ? 'voicemail' : 'answer') : result === 'busy' || result === 'failed' ? result : 'no-answer';
  return { answer, inputs: choice.whisper, talk: { seconds: 45, hungUpBy: 'caller' }, label: token };
}

/** The agent at a placed call: its keys at the prompts in order, then silence; any <Dial> it makes is accepted. */
class AgentCallActor implements CallActor {
  private readonly inputs: PartyInput[];

  constructor(plan: AgentCallPlan) {
    this.inputs = [...plan.inputs];
  }

  async gather(): Promise<PartyInput> {
    return this.inputs.shift() ?? { kind: 'silence' };
  }

  async dial(): Promise<DialAnswer> {
    return { result: 'answered' };
  }

  async refer() {
    return { result: 'accepted' as const };
  }
}

/** Requests for the TwiML a call runs next: while one is answered and run, the call is busy. */
const TWIML_REQUESTS: ReadonlySet<RequestReason> = new Set(['call start', 'gather action', 'redirect', 'dial action', 'refer action', 'record action']);

/** Whether a call's event leaves it waiting on someone: a <Gather>, a <Record>, a <Dial> (or its room), a <Refer>, or its end. */
function waits(event: TranscriptEvent): boolean {
  if (event.kind === 'conference') return event.action === 'join';
  return event.kind === 'listen' || event.kind === 'record' || event.kind === 'dial' || event.kind === 'refer' || event.kind === 'ended';
}

/**
 * The call that places the agents' calls, followed through its events (`follow` wraps its onEvent): it
 * is busy from a TwiML request until it waits again. A webhook that places calls answers only after
 * Twilio took them, so without this the simulator could answer an agent's phone, whisper and all,
 * before the caller's next TwiML has run — before the room they are to join even exists.
 */
export class PlacingCall {
  private busy = false;
  private readonly waiting: (() => void)[] = [];

  follow(next?: (event: TranscriptEvent) => void): (event: TranscriptEvent) => void {
    return (event) => {
      this.observe(event);
      next?.(event);
    };
  }

  observe(event: TranscriptEvent): void {
    if (event.leg !== 'call') return;
    if (event.kind === 'request' && TWIML_REQUESTS.has(event.reason)) this.busy = true;
    else if (waits(event)) {
      this.busy = false;
      for (const resume of this.waiting.splice(0)) resume();
    }
  }

  /** Resolves once the call waits (at once when it already does). */
  settled(): Promise<void> {
    return this.busy ? new Promise((resolve) => this.waiting.push(resolve)) : Promise.resolve();
  }
}

export interface AgentCalls {
  /** Every placed call answered so far, once each has ended. */
  settled(): Promise<CallResult[]>;
  /** Placed calls that found no plan left (they ring out unanswered). */
  readonly unplanned: string[];
  stop(): void;
}

export const AGENT_CALL_LABELS: LegLabels = { call: 'agent', dialed: 'dialed party' };

/**
 * Answers the calls placed from now on, in the order they are placed, with `plans` in order, each once
 * `placing` (the call that places them, when given) waits; a call with no plan left rings out (no-answer).
 * `belongs`: only the placed calls it accepts (several calls at once, each answering its own agents);
 * default every call.
 */
export function answerAgentCalls(
  source: { onCallCreated(listener: (event: CallCreatedEvent) => void): () => void },
  options: DriverOptions,
  plans: readonly AgentCallPlan[],
  placing?: PlacingCall,
  belongs: (event: CallCreatedEvent) => boolean = () => true,
): AgentCalls {
  const queue = [...plans];
  const runs: Promise<CallResult>[] = [];
  const unplanned: string[] = [];
  // `gate`: what the next call waits for; `lastWaited`: what the call before it waited for (a call
  // answered together with it waits for the same).
  let gate: Promise<unknown> = Promise.resolve();
  let lastWaited: Promise<unknown> = gate;
  const stop = source.onCallCreated((event) => {
    if (!belongs(event)) return;
    const placed = placedCallOf(event);
    const plan: AgentCallPlan = queue.shift() ?? { answer: 'no-answer', inputs: [], talk: { seconds: 0, hungUpBy: 'caller' }, label: '(no plan: rings out)' };
    if (plan.label.startsWith('(no plan')) unplanned.push(placed.to);
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = plan.together ? lastWaited : gate;
    lastWaited = previous;
    gate = plan.together ? Promise.all([gate, turn]) : turn;
    const onEvent = (transcriptEvent: TranscriptEvent) => {
      options.onEvent?.(transcriptEvent);
      if (transcriptEvent.kind === 'conference' && transcriptEvent.action === 'join') release();
    };
    runs.push(
      previous.then(async () => {
        await placing?.settled();
        options.onEvent?.({ kind: 'note', leg: 'call', text: `the application calls ${placed.to}: ${plan.label}` });
        try {
          return await runOutboundCall({ ...options, onEvent }, placed, plan.answer, new AgentCallActor(plan), AGENT_CALL_LABELS, plan.talk);
        } finally {
          release();
        }
      }),
    );
  });
  return {
    settled: async () => {
      const results: CallResult[] = [];
      for (let i = 0; i < runs.length; i++) results.push(await runs[i]!);
      return results;
    },
    unplanned,
    stop,
  };
}
