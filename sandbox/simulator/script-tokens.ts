// `npm run call -- --script "0,agent,@accept,1"`: a whole call as a list of tokens.
//
//   1  123#  *      keys the caller presses
//   ~  silence      no input at the prompt
//   hangup          the caller hangs up
//   message:<words> message:<words>:hangup message:<words>:silence
//                   a message left at a <Record> (then # by default; or the caller hangs up, or stays
//                   silent until the timeout); ~ at a <Record> leaves an empty one
//   @accept @accept:2 @decline @ignore @silent @voicemail @busy @no-answer @failed @canceled @caller-hangup
//                   how the agent answers the next <Dial> (accept presses 1, or the key after ':'); a
//                   <Dial> of several numbers takes one token per number, in order (the first that
//                   picks up is connected: "@busy,@voicemail,@accept" connects the voicemail);
//                   @silent = @ignore (answers, presses nothing); @caller-hangup = @canceled (the caller
//                   hangs up while the agent's phone rings)
//   @accepted @rejected @rejected:405 @rejected:603 @busy @no-answer @failed @canceled
//                   how the SIP side answers a <Refer> (@rejected: it refuses the REFER, 603 unless
//                   another code follows ':')
//   @answer @voicemail @busy @no-answer @failed
//                   how the callee answers a call the application places (a callback)
//   anything else   words the caller says
//
// Tokens are separated by commas or new lines. When the script runs out, the caller hangs up; a
// <Dial> the script says nothing about is accepted; a placed call is answered.
import type { CallActor, DialAnswer, DialRequest, GatherPrompt, OutboundAnswer, ReferAnswer, ReferRequest } from './call-driver';
import type { PartyInput } from './transcript';

export function parseScript(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((token) => token.trim())
    .filter((token) => token !== '');
}

/** One line typed at a prompt, or one token of a script, as what the party does. */
export function parseInput(token: string): PartyInput {
  const text = token.trim();
  if (text === '' || text === '~' || text.toLowerCase() === 'silence') return { kind: 'silence' };
  if (text.toLowerCase() === 'hangup') return { kind: 'hangup' };
  const message = /^message:(.*?)(?::(hangup|silence))?$/i.exec(text);
  if (message) return { kind: 'message', text: message[1]!.trim(), end: (message[2]?.toLowerCase() as 'hangup' | 'silence' | undefined) ?? 'key' };
  if (/^[0-9*#]+$/.test(text)) return { kind: 'digits', digits: text };
  return { kind: 'speech', text };
}

export interface AgentChoice {
  readonly answer: DialAnswer;
  /** The agent's inputs to the whisper's prompts. */
  readonly whisper: readonly PartyInput[];
}

/** `@accept`, `@accept:2`, `@busy`...: how the far end of a <Dial> answers; undefined when not one. */
export function parseAgentToken(token: string): AgentChoice | undefined {
  const [name, key] = token.replace(/^@/, '').toLowerCase().split(':');
  switch (name) {
    case 'accept':
      return { answer: { result: 'answered' }, whisper: [{ kind: 'digits', digits: key || '1' }] };
    case 'decline':
      return { answer: { result: 'answered' }, whisper: [{ kind: 'hangup' }] };
    case 'ignore':
    case 'silent':
      return { answer: { result: 'answered' }, whisper: [] };
    case 'voicemail':
      return { answer: { result: 'answered', machine: true }, whisper: [] };
    case 'busy':
    case 'no-answer':
    case 'failed':
    case 'canceled':
      return { answer: { result: name }, whisper: [] };
    case 'caller-hangup':
      return { answer: { result: 'canceled' }, whisper: [] };
    default:
      return undefined;
  }
}

export function parseReferToken(token: string): ReferAnswer | undefined {
  const [name, code] = token.replace(/^@/, '').toLowerCase().split(':');
  if (name === 'rejected' && code !== undefined) return /^[3-6]\d\d$/.test(code) ? { result: 'rejected', referSipResponseCode: code } : undefined;
  if (code !== undefined) return undefined;
  if (name === 'accept' || name === 'accepted') return { result: 'accepted' };
  if (name === 'rejected' || name === 'busy' || name === 'no-answer' || name === 'failed' || name === 'canceled') return { result: name };
  return undefined;
}

export function parseOutboundToken(token: string): OutboundAnswer | undefined {
  const name = token.replace(/^@/, '').toLowerCase();
  return (['answer', 'voicemail', 'busy', 'no-answer', 'failed'] as const).find((answer) => answer === name);
}

/** Plays a token script; tells `onNote` whenever it falls back to a default. */
export class TokenActor implements CallActor {
  private readonly tokens: string[];
  private whisper: PartyInput[] = [];

  constructor(
    tokens: readonly string[],
    private readonly onNote: (text: string) => void = () => {},
  ) {
    this.tokens = [...tokens];
  }

  remaining(): readonly string[] {
    return this.tokens;
  }

  async gather(prompt: GatherPrompt): Promise<PartyInput> {
    if (prompt.leg === 'dialed') return this.whisper.shift() ?? { kind: 'silence' };
    const token = this.tokens.shift();
    if (token === undefined) {
      this.onNote('the script has ended: hanging up');
      return { kind: 'hangup' };
    }
    if (token.startsWith('@')) throw new Error(`the script says ${token}, but the call is waiting for input at a <Gather>`);
    return parseInput(token);
  }

  async dial(request: DialRequest): Promise<DialAnswer> {
    if (request.targets.length > 1) return this.dialSeveral(request);
    const choice = this.takeAgentToken();
    if (!choice) this.onNote(`the script does not say how ${request.targets[0]?.address ?? 'the dialed party'} answers: @accept`);
    const chosen = choice ?? parseAgentToken('@accept')!;
    this.whisper = [...chosen.whisper];
    return chosen.answer;
  }

  /** A <Dial> of several numbers: the next @tokens answer them in order; the first to pick up hears the whisper. */
  private dialSeveral(request: DialRequest): DialAnswer {
    const choices: AgentChoice[] = [];
    for (const target of request.targets) {
      const choice = this.takeAgentToken();
      if (!choice) {
        this.onNote(`the script does not say how ${target.address} answers: it does not pick up`);
        break;
      }
      choices.push(choice);
    }
    this.whisper = [...(choices.find((choice) => choice.answer.result === 'answered')?.whisper ?? [])];
    return { result: 'legs', legs: choices.map((choice) => choice.answer) };
  }

  private takeAgentToken(): AgentChoice | undefined {
    const token = this.tokens[0];
    if (!token?.startsWith('@')) return undefined;
    const choice = parseAgentToken(token);
    if (!choice) throw new Error(`${token} is not a way to answer a <Dial>`);
    this.tokens.shift();
    return choice;
  }

  async refer(request: ReferRequest): Promise<ReferAnswer> {
    const answer = this.tokens[0]?.startsWith('@') ? parseReferToken(this.tokens[0]) : undefined;
    if (this.tokens[0]?.startsWith('@') && !answer) throw new Error(`${this.tokens[0]} is not a way to answer a <Refer>`);
    if (answer) this.tokens.shift();
    else this.onNote(`the script does not say how ${request.target} answers the REFER: @accepted`);
    return answer ?? { result: 'accepted' };
  }

  /** How the next placed call is answered. */
  outboundAnswer(to: string): OutboundAnswer {
    const answer = this.tokens[0]?.startsWith('@') ? parseOutboundToken(this.tokens[0]) : undefined;
    if (answer) {
      this.tokens.shift();
      return answer;
    }
    this.onNote(`the script does not say how ${to} answers: @answer`);
    return 'answer';
  }
}
