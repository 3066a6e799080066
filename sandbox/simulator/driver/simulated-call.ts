// One simulated call as Twilio runs it: requests TwiML, reads and checks it, and executes its verbs
// on a leg (<Say>, <Play>, <Pause>, <Gather>, <Redirect>, <Hangup>, <Reject> here; <Dial>, <Record>
// and <Refer> in their own modules), keeping the transcript and the simulated clock.
import type { CallStatus } from '../../emulators/twilio';
import { parseTwiml, type TwimlElement } from '../twiml-document';
import { validateTwiml } from '../twiml-validator';
import type { Leg, LegLabels, PartyInput, RequestReason, TranscriptEvent } from '../transcript';
import { signedTransport, withQuery, type Transport, type WebhookAnswer } from '../webhook-transport';
import { APPLICATION_ERROR_PROMPT, type CallActor, type CallResult, type DriverOptions } from './actor-api';
import type { CallbackPost } from './callbacks';
import { dial } from './dial';
import { CONTINUE, integerOf, methodOf, type LegEnd, type LegState, type NextRequest, type VerbOutcome } from './leg';
import { record } from './record';
import { refer } from './refer';

const WHISPER_VERBS = new Set(['Say', 'Play', 'Pause', 'Gather', 'Redirect', 'Hangup']);
const SPEAKING_WORDS_PER_SECOND = 2.5;

function isXml(answer: WebhookAnswer): boolean {
  return /\bxml\b/i.test(answer.contentType) || answer.body.trimStart().startsWith('<');
}

export class SimulatedCall {
  readonly events: TranscriptEvent[] = [];
  readonly errors: string[] = [];
  clock = 0;
  /** Callbacks held until the call has ended (DriverOptions.callbacks.defer), and whether they are going out. */
  readonly deferredCallbacks: CallbackPost[] = [];
  flushingCallbacks = false;
  private readonly transport: Transport;

  constructor(
    readonly options: DriverOptions,
    readonly actor: CallActor,
    readonly labels: LegLabels,
  ) {
    this.transport = options.transport ?? signedTransport(options.authToken);
  }

  emit(event: TranscriptEvent): void {
    this.events.push(event);
    this.options.onEvent?.(event);
  }

  flag(leg: Leg, text: string, code?: number): void {
    this.errors.push(code ? `Twilio error ${code}: ${text}` : text);
    this.emit({ kind: 'error', leg, text, code });
  }

  note(leg: Leg, text: string): void {
    this.emit({ kind: 'note', leg, text });
  }

  /** One HTTP request as Twilio makes it; undefined when it failed (already flagged). */
  async request(leg: Leg, reason: RequestReason, url: string, method: 'GET' | 'POST', params: Record<string, string>, extra: Readonly<Record<string, string>>): Promise<WebhookAnswer | undefined> {
    this.emit({ kind: 'request', leg, reason, method, url, extra, params });
    let answer: WebhookAnswer;
    const started = performance.now();
    try {
      answer = await this.transport(method === 'GET' ? { method, url: withQuery(url, params), params: {} } : { method, url, params });
    } catch (error) {
      this.flag(leg, `${method} ${url} failed: ${(error as Error).message}`, 11200);
      return undefined;
    }
    this.emit({ kind: 'response', leg, status: answer.status, contentType: answer.contentType, body: answer.body, ms: Math.round(performance.now() - started) });
    if (answer.status < 200 || answer.status >= 300) {
      this.flag(leg, `${method} ${url} answered HTTP ${answer.status}: ${answer.body.slice(0, 300)}`, 11200);
      return undefined;
    }
    return answer;
  }

  /** A request whose answer must be TwiML. */
  async fetchTwiml(state: LegState, next: NextRequest): Promise<TwimlElement | undefined> {
    const params = { ...state.params, ...next.extra };
    const answer = await this.request(state.leg, next.reason, next.url, next.method, params, next.extra);
    if (!answer) return undefined;
    return this.readTwiml(state.leg, answer, next.url);
  }

  async readTwiml(leg: Leg, answer: WebhookAnswer, url: string): Promise<TwimlElement | undefined> {
    if (!isXml(answer)) {
      this.flag(leg, `${url} answered ${answer.contentType || 'no content type'}, not TwiML: ${answer.body.slice(0, 200)}`, 12300);
      return undefined;
    }
    let document: TwimlElement;
    try {
      document = parseTwiml(answer.body);
    } catch (error) {
      this.flag(leg, `${url} answered XML that does not parse: ${(error as Error).message}`, 12100);
      return undefined;
    }
    if (document.tag !== 'Response') {
      this.flag(leg, `${url} answered <${document.tag}>, not <Response>`, 12100);
      return undefined;
    }
    if (this.options.validate !== false) {
      const validation = await validateTwiml(answer.body);
      // Twilio logs schema violations as warning 12200 and goes on as best it can; so does the driver.
      if (!validation.valid) this.flag(leg, `invalid TwiML from ${url}:\n  ${validation.errors.join('\n  ')}\n${answer.body}`, 12200);
    }
    return document;
  }

  resolve(leg: Leg, relative: string, base: string): string | undefined {
    try {
      return new URL(relative, base).toString();
    } catch {
      this.flag(leg, `cannot resolve URL "${relative}" against ${base}`, 11100);
      return undefined;
    }
  }

  /** Executes documents on one leg until it ends. */
  async runLeg(state: LegState, first: NextRequest): Promise<LegEnd> {
    let next: NextRequest = first;
    for (let hops = 0; hops < 100; hops++) {
      const document = await this.fetchTwiml(state, next);
      await next.afterResponse?.();
      if (!document) return this.applicationError(state);
      const outcome = await this.runVerbs(state, document.children, next.url);
      if (outcome.kind === 'end') return outcome.end;
      if (outcome.kind === 'continue') return { by: 'app', cause: 'end of the TwiML document', status: 'completed' };
      next = outcome.request;
    }
    this.flag(state.leg, 'more than 100 documents in one call: a redirect loop?');
    return { by: 'app', cause: 'redirect loop', status: 'completed' };
  }

  /** Runs an inline document (calls.create with Twiml) then follows it like any other. */
  async runInline(state: LegState, twiml: string, baseUrl: string): Promise<LegEnd> {
    const document = await this.readTwiml(state.leg, { status: 200, body: twiml, contentType: 'text/xml' }, 'the call\'s inline Twiml');
    if (!document) return this.applicationError(state);
    const outcome = await this.runVerbs(state, document.children, baseUrl);
    if (outcome.kind === 'end') return outcome.end;
    if (outcome.kind === 'continue') return { by: 'app', cause: 'end of the TwiML document', status: 'completed' };
    return this.runLeg(state, outcome.request);
  }

  applicationError(state: LegState): LegEnd {
    this.emit({ kind: 'say', leg: state.leg, text: APPLICATION_ERROR_PROMPT });
    return { by: 'app', cause: 'application error', status: 'completed' };
  }

  async runVerbs(state: LegState, verbs: readonly TwimlElement[], documentUrl: string): Promise<VerbOutcome> {
    for (const verb of verbs) {
      if (state.leg === 'dialed' && !WHISPER_VERBS.has(verb.tag)) {
        this.flag('dialed', `<${verb.tag}> cannot run in a <Dial> whisper (the dialed party's TwiML)`);
        return { kind: 'end', end: { by: 'app', cause: `<${verb.tag}> in a whisper`, status: 'completed' } };
      }
      const outcome = await this.runVerb(state, verb, documentUrl);
      if (outcome.kind !== 'continue') return outcome;
    }
    return CONTINUE;
  }

  async runVerb(state: LegState, verb: TwimlElement, documentUrl: string): Promise<VerbOutcome> {
    const attributes = verb.attributes;
    // Any verb but <Redirect> and <Reject> answers a ringing call; later requests say in-progress.
    if (!state.answered && verb.tag !== 'Redirect' && verb.tag !== 'Reject') {
      state.answered = true;
      state.params.CallStatus = 'in-progress';
      this.setStatus(state.params.CallSid ?? '', 'in-progress');
    }
    switch (verb.tag) {
      case 'Say':
      case 'Play':
      case 'Pause':
        this.play(state.leg, verb);
        return CONTINUE;
      case 'Gather':
        return this.gather(state, verb, documentUrl);
      case 'Redirect': {
        if (!verb.text) {
          this.flag(state.leg, '<Redirect> without a URL');
          return CONTINUE;
        }
        const url = this.resolve(state.leg, verb.text, documentUrl);
        if (!url) return { kind: 'end', end: this.applicationError(state) };
        this.emit({ kind: 'redirect', leg: state.leg, url });
        return { kind: 'next', request: { url, method: methodOf(attributes.method), reason: 'redirect', extra: {} } };
      }
      case 'Hangup':
        return { kind: 'end', end: { by: 'app', cause: '<Hangup>', status: 'completed' } };
      case 'Reject': {
        if (state.answered) {
          this.note(state.leg, '<Reject> after the call was answered acts as a hang-up');
          return { kind: 'end', end: { by: 'app', cause: '<Reject> (call already answered)', status: 'completed' } };
        }
        const reason = attributes.reason ?? 'rejected';
        return { kind: 'end', end: { by: 'app', cause: `<Reject reason="${reason}">`, status: reason === 'busy' ? 'busy' : 'no-answer' } };
      }
      case 'Dial':
        return dial(this, state, verb, documentUrl);
      case 'Refer':
        return refer(this, state, verb, documentUrl);
      case 'Record':
        return record(this, state, verb, documentUrl);
      case 'Start':
      case 'Stop':
        this.note(state.leg, `<${verb.tag}> is not simulated (media streams, recordings, transcriptions): skipped`);
        return CONTINUE;
      default:
        this.flag(state.leg, `the simulator does not implement <${verb.tag}>`);
        return { kind: 'end', end: { by: 'app', cause: `unsupported <${verb.tag}>`, status: 'completed' } };
    }
  }

  play(leg: Leg, verb: TwimlElement): void {
    const attributes = verb.attributes;
    const loop = Math.max(1, integerOf(attributes.loop, 1));
    if (verb.tag === 'Say') {
      this.emit({ kind: 'say', leg, text: verb.allText, voice: attributes.voice, language: attributes.language, loop: attributes.loop });
      this.clock += loop * Math.ceil(verb.allText.split(/\s+/).length / SPEAKING_WORDS_PER_SECOND);
    } else if (verb.tag === 'Play') {
      this.emit({ kind: 'play', leg, url: verb.text, digits: attributes.digits });
      this.clock += loop * 5;
    } else {
      const seconds = integerOf(attributes.length, 1);
      this.emit({ kind: 'pause', leg, seconds });
      this.clock += seconds;
    }
  }

  heardSince(leg: Leg, from: number): string[] {
    return this.events
      .slice(from)
      .flatMap((event) => (event.leg === leg && event.kind === 'say' ? [event.text] : event.leg === leg && event.kind === 'play' ? [`[audio ${event.url}]`] : []));
  }

  async gather(state: LegState, verb: TwimlElement, documentUrl: string): Promise<VerbOutcome> {
    const attributes = verb.attributes;
    const input = (attributes.input ?? 'dtmf').split(/\s+/).filter(Boolean);
    const finishOnKey = attributes.finishOnKey ?? '#';
    const numDigits = attributes.numDigits === undefined ? undefined : integerOf(attributes.numDigits, 1);
    const timeout = integerOf(attributes.timeout, 5);
    // No action: Twilio posts to the URL of the document that holds the <Gather>.
    const action = attributes.action === undefined ? documentUrl : this.resolve(state.leg, attributes.action, documentUrl);
    if (!action) return { kind: 'end', end: this.applicationError(state) };
    const method = methodOf(attributes.method);

    for (const child of verb.children) {
      if (child.tag === 'Say' || child.tag === 'Play' || child.tag === 'Pause') this.play(state.leg, child);
      else this.note(state.leg, `<${child.tag}> inside <Gather> is ignored`);
    }
    this.emit({ kind: 'listen', leg: state.leg, input, numDigits, finishOnKey, timeout, action });

    const party: PartyInput = state.machine
      ? { kind: 'silence' }
      : await this.actor.gather({
          verb: 'Gather',
          leg: state.leg,
          input,
          numDigits,
          finishOnKey,
          timeout,
          language: attributes.language ?? 'en-US',
          heard: this.heardSince(state.leg, state.lastActedAt),
          events: this.events,
        });
    this.emit({ kind: 'input', leg: state.leg, input: party });
    state.lastActedAt = this.events.length;

    let result: Record<string, string> | undefined;
    if (party.kind === 'hangup') return { kind: 'end', end: { by: 'party', cause: 'hung up', status: 'completed' } };
    if (party.kind === 'digits') {
      if (!/^[0-9*#]+$/.test(party.digits)) throw new Error(`cannot press "${party.digits}": keys are 0-9, * and #`);
      if (!input.includes('dtmf')) this.note(state.leg, 'keys ignored: this <Gather> listens for speech only');
      else result = this.collectDigits(state.leg, party.digits, numDigits, finishOnKey);
      this.clock += party.digits.length;
    } else if (party.kind === 'speech' || party.kind === 'message') {
      if (!input.includes('speech')) this.note(state.leg, 'speech ignored: this <Gather> listens for keys only');
      else result = { SpeechResult: party.text, Confidence: String(party.kind === 'speech' ? (party.confidence ?? 0.9) : 0.9) };
      this.clock += 2;
    }
    if (!result) {
      this.clock += timeout;
      if (attributes.actionOnEmptyResult !== 'true') {
        this.note(state.leg, 'no input: <Gather> falls through to the next verb');
        return CONTINUE;
      }
      result = {};
    }
    return { kind: 'next', request: { url: action, method, reason: 'gather action', extra: result } };
  }

  /** Twilio stops at the finish key or at numDigits, whichever comes first; the finish key is not sent. */
  collectDigits(leg: Leg, pressed: string, numDigits: number | undefined, finishOnKey: string): Record<string, string> | undefined {
    let digits = '';
    let finishedOnKey = '';
    let used = 0;
    for (const key of pressed) {
      used++;
      if (finishOnKey && key === finishOnKey) {
        finishedOnKey = key;
        break;
      }
      digits += key;
      if (numDigits !== undefined && digits.length >= numDigits) break;
    }
    if (used < pressed.length) this.note(leg, `keys after the <Gather> completed are lost: ${pressed.slice(used)}`);
    // A finish key alone submits nothing: the <Gather> ends as if it timed out.
    if (!digits) return undefined;
    return { Digits: digits, FinishedOnKey: finishedOnKey };
  }


  setStatus(callSid: string, status: CallStatus, extra?: { answeredBy?: string; durationSeconds?: number }): void {
    this.options.twilio?.setCallStatus(callSid, status, extra);
  }


  record(params: Record<string, string>, end: LegEnd): CallResult {
    return {
      callSid: params.CallSid ?? '',
      params,
      events: this.events,
      errors: this.errors,
      status: end.status,
      endedBy: end.by,
      duration: this.clock,
      labels: this.labels,
    };
  }
}
