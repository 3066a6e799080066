// The people on the line, played by whoever sits at the terminal (`npm run call` without --script).
import type { Interface } from 'node:readline/promises';
import type { CallActor, DialAnswer, DialRequest, GatherPrompt, OutboundAnswer, ReferAnswer, ReferRequest } from './call-driver';
import { parseInput, parseOutboundToken, parseReferToken } from './script-tokens';
import type { LegLabels, PartyInput } from './transcript';

const DIAL_CHOICES: Readonly<Record<string, DialAnswer>> = {
  // After the talk the agent hangs up first, so the caller goes on to the dial's action.
  a: { result: 'answered', hungUpBy: 'agent' },
  h: { result: 'answered', hungUpBy: 'caller' },
  v: { result: 'answered', machine: true },
  b: { result: 'busy' },
  n: { result: 'no-answer' },
  f: { result: 'failed' },
  c: { result: 'canceled' },
};

function describeGather(prompt: GatherPrompt): string {
  const keys = prompt.input.includes('dtmf') ? (prompt.numDigits ? `${prompt.numDigits} key${prompt.numDigits > 1 ? 's' : ''}` : 'keys') : '';
  const words = prompt.input.includes('speech') ? `words (${prompt.language})` : '';
  return [keys, words].filter(Boolean).join(' or ');
}

export class TerminalActor implements CallActor {
  constructor(
    private readonly terminal: Interface,
    private readonly labels: LegLabels,
  ) {}

  async gather(prompt: GatherPrompt): Promise<PartyInput> {
    const who = this.labels[prompt.leg];
    if (prompt.verb === 'Record') {
      const answer = await this.terminal.question(`  ${who} leaves a message after the beep (words, then #; "words:hangup" to hang up after; Enter = silence, "hangup") > `);
      return answer.trim() === '' || /^(hangup|~|silence)$/i.test(answer.trim()) ? parseInput(answer) : parseInput(`message:${answer}`);
    }
    const answer = await this.terminal.question(`  ${who} (${describeGather(prompt)}; Enter = silence, "hangup") > `);
    return parseInput(answer);
  }

  async dial(request: DialRequest): Promise<DialAnswer> {
    const to = request.targets.map((target) => target.address).join(', ');
    const whisper = request.targets.some((target) => target.attributes.url) ? ' (with a whisper)' : '';
    for (;;) {
      const answer = (
        await this.terminal.question(
          `  ☎ ${to} rings${whisper}. The ${this.labels.dialed}: [a]nswers (and hangs up first), answers and the ${this.labels.call} [h]angs up first, [v]oicemail, [b]usy, [n]o answer, [f]ailed, or the ${this.labels.call} hangs up while it rings [c]? (a) > `,
        )
      )
        .trim()
        .toLowerCase();
      const choice = DIAL_CHOICES[answer.slice(0, 1) || 'a'];
      if (choice) return choice;
    }
  }

  async refer(request: ReferRequest): Promise<ReferAnswer> {
    for (;;) {
      const answer = await this.terminal.question(`  ⇢ REFER to ${request.target}: accepted, rejected (or rejected:405...), busy, no-answer, failed or canceled? (accepted) > `);
      const choice = parseReferToken(answer.trim() || 'accepted');
      if (choice) return choice;
    }
  }

  async outboundAnswer(from: string, to: string): Promise<OutboundAnswer | 'skip'> {
    for (;;) {
      const answer = (await this.terminal.question(`☎ The application calls ${to} from ${from}: answer, voicemail, busy, no-answer, failed or skip? (answer) > `)).trim().toLowerCase();
      if (answer === 'skip') return 'skip';
      const choice = parseOutboundToken(answer || 'answer');
      if (choice) return choice;
    }
  }
}
