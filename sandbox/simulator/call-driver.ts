// Plays Twilio's part in a voice call: requests TwiML the way Twilio does and executes it with
// Twilio's semantics, asking a CallActor what the people on the line do. Time is simulated.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { dialedLegParams, inboundCallParams, isSipAddress, newSid, outboundCallParams, type InboundCall } from './call-params';
import { parseTwiml, type TwimlElement } from './twiml-document';
import { validateTwiml } from './twiml-validator';
import { INBOUND_LABELS, type Leg, type LegLabels, type PartyInput, type RequestReason, type TranscriptEvent } from './transcript';
import { signedTransport, withQuery, type Transport, type WebhookAnswer } from './webhook-transport';
import type { CallCreatedEvent, CallStatus, TwilioEmulator } from '../emulators/twilio';

export interface DriverOptions {
  readonly authToken: string;
  readonly accountSid: string;
  /** Defaults to signed HTTP requests. */
  readonly transport?: Transport;
  /** Check every TwiML document against the schema of the installed twilio package (default true). */
  readonly validate?: boolean;
  /** Sees each event as it happens (the interactive CLI prints them). */
  readonly onEvent?: (event: TranscriptEvent) => void;
  /**
   * The Twilio emulator, when the application runs against one: the driver registers inbound calls,
   * moves calls through their statuses and files recordings there, as Twilio would, so the
   * application can fetch them.
   */
  readonly twilio?: TwilioHooks;
}

export type TwilioHooks = Pick<TwilioEmulator, 'addInboundCall' | 'setCallStatus' | 'addRecording' | 'recordingCallbackParams'>;

export interface SimulatedRecording {
  readonly sid: string;
  readonly callSid: string;
  readonly url: string;
  readonly duration: number;
  readonly channels: number;
  /** What the emulator says Twilio posts for this recording, when there is an emulator. */
  readonly callbackParams?: Readonly<Record<string, string>>;
}

export interface GatherPrompt {
  readonly leg: Leg;
  readonly input: readonly string[];
  readonly numDigits?: number;
  readonly finishOnKey: string;
  readonly timeout: number;
  readonly language: string;
  /** What this party has heard since it last acted. */
  readonly heard: readonly string[];
  readonly events: readonly TranscriptEvent[];
}

export interface DialTarget {
  readonly kind: 'number' | 'sip' | 'client' | 'conference' | 'queue' | 'other';
  readonly address: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface DialRequest {
  readonly targets: readonly DialTarget[];
  readonly callerId: string;
  readonly timeout: number;
  readonly record?: string;
  readonly events: readonly TranscriptEvent[];
}

export type DialAnswer =
  | {
      readonly result: 'answered';
      /** Which target answers when several ring; the first by default. */
      readonly target?: string;
      /** A machine answered: it hears the whisper and never presses anything. */
      readonly machine?: boolean;
      /** How long the bridged parties talk (default 45 s). */
      readonly talkSeconds?: number;
      /** Who ends a bridged call (default the caller); when the agent does, the caller goes on to the action. */
      readonly hungUpBy?: 'caller' | 'agent';
      /** Report another DialCallStatus than `completed` (e.g. `answered`). */
      readonly reportStatus?: string;
    }
  | { readonly result: 'busy' | 'no-answer' | 'failed' | 'canceled'; readonly reportStatus?: string };

export interface ReferRequest {
  readonly target: string;
  readonly events: readonly TranscriptEvent[];
}

export interface ReferAnswer {
  /** accepted: the SIP side took the call (the call leaves Twilio). */
  readonly result: 'accepted' | 'busy' | 'no-answer' | 'rejected' | 'failed';
  readonly referSipResponseCode?: string;
  readonly notifySipResponseCode?: string;
}

/** The people on the line: what they press or say, and how the far end of a <Dial> or <Refer> answers. */
export interface CallActor {
  gather(prompt: GatherPrompt): Promise<PartyInput>;
  dial(request: DialRequest): Promise<DialAnswer>;
  refer(request: ReferRequest): Promise<ReferAnswer>;
}

export interface CallResult {
  readonly callSid: string;
  readonly params: Readonly<Record<string, string>>;
  readonly events: readonly TranscriptEvent[];
  /** Problems Twilio would log (HTTP errors, invalid TwiML, error codes): a test should fail on any. */
  readonly errors: readonly string[];
  readonly status: string;
  readonly endedBy: 'app' | 'party' | 'transfer';
  readonly duration: number;
  readonly labels: LegLabels;
}

/** Thrown when the actor (a script) cannot go on; carries what happened so far. */
export class CallAborted extends Error {
  constructor(
    message: string,
    readonly record: CallResult,
  ) {
    super(message);
    this.name = 'CallAborted';
  }
}

export const APPLICATION_ERROR_PROMPT = "We're sorry, an application error has occurred. Goodbye.";

interface LegState {
  readonly leg: Leg;
  readonly params: Record<string, string>;
  answered: boolean;
  readonly sip: boolean;
  readonly machine: boolean;
  lastActedAt: number;
}

interface NextRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly reason: RequestReason;
  readonly extra: Readonly<Record<string, string>>;
  /** Runs once the next document has arrived (Twilio posts the recording callback after the dial action). */
  readonly afterResponse?: () => Promise<void>;
}

interface LegEnd {
  readonly by: 'app' | 'party' | 'transfer';
  readonly cause: string;
  readonly status: CallStatus;
}

type VerbOutcome = { readonly kind: 'continue' } | { readonly kind: 'next'; readonly request: NextRequest } | { readonly kind: 'end'; readonly end: LegEnd };

const CONTINUE: VerbOutcome = { kind: 'continue' };

interface DialOutcome {
  readonly status: string;
  readonly bridged: boolean;
  readonly duration: number;
  readonly callerHungUp: boolean;
  readonly recording?: SimulatedRecording;
}

const NOUN_KINDS: Readonly<Record<string, DialTarget['kind']>> = { Number: 'number', Sip: 'sip', Client: 'client', Conference: 'conference', Queue: 'queue' };

/** What a <Dial> calls: its nouns, or the number in its text. */
function dialTargets(verb: TwimlElement): DialTarget[] {
  if (verb.children.length) return verb.children.map((child) => ({ kind: NOUN_KINDS[child.tag] ?? 'other', address: child.text, attributes: child.attributes }));
  return verb.text ? [{ kind: 'number', address: verb.text, attributes: {} }] : [];
}
const WHISPER_VERBS = new Set(['Say', 'Play', 'Pause', 'Gather', 'Redirect', 'Hangup']);
const SPEAKING_WORDS_PER_SECOND = 2.5;

function methodOf(value: string | undefined): 'GET' | 'POST' {
  return value?.toUpperCase() === 'GET' ? 'GET' : 'POST';
}

function integerOf(value: string | undefined, fallback: number): number {
  const parsed = value === undefined ? NaN : Number.parseInt(value, 10);
  return Number.isFinite(parsed) ? parsed : fallback;
}

function isXml(answer: WebhookAnswer): boolean {
  return /\bxml\b/i.test(answer.contentType) || answer.body.trimStart().startsWith('<');
}

class SimulatedCall {
  readonly events: TranscriptEvent[] = [];
  readonly errors: string[] = [];
  clock = 0;
  private readonly transport: Transport;

  constructor(
    private readonly options: DriverOptions,
    private readonly actor: CallActor,
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
        return this.dial(state, verb, documentUrl);
      case 'Refer':
        return this.refer(state, verb, documentUrl);
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
    } else if (party.kind === 'speech') {
      if (!input.includes('speech')) this.note(state.leg, 'speech ignored: this <Gather> listens for keys only');
      else result = { SpeechResult: party.text, Confidence: String(party.confidence ?? 0.9) };
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

  async dial(state: LegState, verb: TwimlElement, documentUrl: string): Promise<VerbOutcome> {
    const attributes = verb.attributes;
    const targets = dialTargets(verb);
    const callerId = attributes.callerId ?? state.params.From ?? '';
    const record = attributes.record && attributes.record !== 'do-not-record' ? attributes.record : undefined;
    this.emit({ kind: 'dial', leg: state.leg, targets: targets.map((target) => target.address), callerId, record });

    if (targets.length === 0) {
      this.flag(state.leg, '<Dial> with nothing to dial');
      return CONTINUE;
    }
    const unsupported = targets.find((target) => target.kind !== 'number' && target.kind !== 'sip');
    if (unsupported) {
      this.flag(state.leg, `the simulator does not implement dialing a ${unsupported.kind} (${unsupported.address})`);
      return { kind: 'end', end: { by: 'app', cause: 'unsupported <Dial> target', status: 'completed' } };
    }
    const badNumber = targets.find((target) => target.kind === 'number' && !parsePhoneNumberFromString(target.address, 'US')?.isPossible());
    if (badNumber) this.flag(state.leg, `<Dial> to an invalid phone number "${badNumber.address}"`, 13223);
    const answer: DialAnswer = badNumber
      ? { result: 'failed' }
      : await this.actor.dial({ targets, callerId, timeout: integerOf(attributes.timeout, 30), record, events: this.events });

    const target = (answer.result === 'answered' && answer.target ? targets.find((t) => t.address === answer.target) : undefined) ?? targets[0]!;
    const dialCallSid = newSid('CA');
    const legParams = dialedLegParams({ accountSid: this.options.accountSid, callSid: dialCallSid, parentCallSid: state.params.CallSid ?? '', from: callerId, to: target.address });
    const legStatus = new LegStatusCallbacks(this, target, legParams, documentUrl);
    // Status callbacks name the first event's status `initiated` (the call resource says queued).
    await legStatus.post('initiated', 'initiated');
    const outcome: DialOutcome =
      answer.result === 'answered'
        ? await this.connect(state, answer, target, legParams, legStatus, record, attributes, documentUrl)
        : await this.notConnected(answer, legStatus, attributes);

    const extra: Record<string, string> = {
      DialCallStatus: outcome.status,
      DialCallSid: dialCallSid,
      DialCallDuration: String(outcome.duration),
      DialBridged: String(outcome.bridged),
    };
    const recording = outcome.recording;
    if (recording) Object.assign(extra, { RecordingUrl: recording.url, RecordingSid: recording.sid, RecordingDuration: String(recording.duration) });
    const afterResponse = recording ? () => this.postRecording(state, attributes, recording, documentUrl, 'completed') : undefined;

    if (attributes.action) {
      const url = this.resolve(state.leg, attributes.action, documentUrl);
      if (!url) return { kind: 'end', end: this.applicationError(state) };
      if (!outcome.callerHungUp) return { kind: 'next', request: { url, method: methodOf(attributes.method), reason: 'dial action', extra, afterResponse } };
      // Twilio still reports the dial to its action once the caller has gone; the answer is not executed.
      state.params.CallStatus = 'completed';
      const answered = await this.request(state.leg, 'dial action', url, methodOf(attributes.method), { ...state.params, ...extra }, extra);
      if (answered?.body.trim()) await this.readTwiml(state.leg, answered, url);
      this.note(state.leg, "the caller has hung up: the dial action's TwiML is not executed");
    }
    await afterResponse?.();
    if (!outcome.callerHungUp) return CONTINUE;
    return { kind: 'end', end: { by: 'party', cause: answer.result === 'canceled' ? 'hung up while the dial rang' : 'hung up after the bridge', status: 'completed' } };
  }

  /** The dialed party answered: the whisper runs on its leg, and only a whisper that runs to its end bridges. */
  async connect(
    state: LegState,
    answer: Extract<DialAnswer, { result: 'answered' }>,
    target: DialTarget,
    legParams: Record<string, string>,
    legStatus: LegStatusCallbacks,
    record: string | undefined,
    dialAttributes: Readonly<Record<string, string>>,
    documentUrl: string,
  ): Promise<DialOutcome> {
    await legStatus.post('ringing', 'ringing');
    this.clock += 4;
    await legStatus.post('answered', 'in-progress');
    const started = this.clock;
    const whisper: LegState = { leg: 'dialed', params: legParams, answered: true, sip: target.kind === 'sip', machine: answer.machine === true, lastActedAt: this.events.length };
    if (answer.machine) this.note('dialed', 'a voicemail answers the dialed leg');
    let bridged = true;
    if (target.attributes.url) {
      const whisperUrl = this.resolve('dialed', target.attributes.url, documentUrl);
      const end = whisperUrl
        ? await this.runLeg(whisper, { url: whisperUrl, method: methodOf(target.attributes.method), reason: 'whisper', extra: {} })
        : this.applicationError(whisper);
      // A hang-up, from the whisper's TwiML or from the agent, declines the call.
      bridged = end.by === 'app' && end.cause === 'end of the TwiML document';
      if (!bridged) this.emit({ kind: 'ended', leg: 'dialed', by: end.by, cause: end.cause, status: 'completed' });
    }
    let recording: SimulatedRecording | undefined;
    if (bridged) {
      const talk = answer.talkSeconds ?? 45;
      if (record) {
        recording = this.makeRecording(state, record, talk);
        await this.postRecording(state, dialAttributes, recording, documentUrl, 'in-progress');
      }
      const endedBy = answer.hungUpBy === 'agent' ? this.labels.dialed : this.labels.call;
      this.note(state.leg, `${this.labels.call} and ${this.labels.dialed} talk for ${talk}s, then the ${endedBy} hangs up`);
      this.clock += talk;
    }
    const duration = this.clock - started;
    const status = answer.reportStatus ?? 'completed';
    this.emit({ kind: 'dial-result', leg: state.leg, status, bridged, duration, answeredBy: answer.machine ? 'machine' : undefined });
    await legStatus.post('completed', 'completed', { CallDuration: String(duration) });
    return { status, bridged, duration, callerHungUp: bridged && answer.hungUpBy !== 'agent', recording };
  }

  async notConnected(answer: Exclude<DialAnswer, { result: 'answered' }>, legStatus: LegStatusCallbacks, dialAttributes: Readonly<Record<string, string>>): Promise<DialOutcome> {
    if (answer.result === 'no-answer') this.clock += integerOf(dialAttributes.timeout, 30);
    if (answer.result === 'busy' || answer.result === 'canceled') await legStatus.post('ringing', 'ringing');
    const status = answer.reportStatus ?? answer.result;
    this.emit({ kind: 'dial-result', leg: 'call', status, bridged: false, duration: 0 });
    await legStatus.post('completed', answer.result, { CallDuration: '0' });
    return { status, bridged: false, duration: 0, callerHungUp: answer.result === 'canceled' };
  }

  makeRecording(state: LegState, record: string, seconds: number): SimulatedRecording {
    const callSid = state.params.CallSid ?? '';
    const channels = record.endsWith('-dual') ? 2 : 1;
    const twilio = this.options.twilio;
    if (twilio) {
      const filed = twilio.addRecording(callSid, { durationSeconds: seconds, channels, source: 'DialVerb' });
      const callbackParams = twilio.recordingCallbackParams(filed.sid);
      return { sid: filed.sid, callSid, url: callbackParams.RecordingUrl ?? '', duration: seconds, channels, callbackParams };
    }
    const sid = newSid('RE');
    return { sid, callSid, url: `https://api.twilio.com/2010-04-01/Accounts/${this.options.accountSid}/Recordings/${sid}`, duration: seconds, channels };
  }

  setStatus(callSid: string, status: CallStatus, extra?: { answeredBy?: string; durationSeconds?: number }): void {
    this.options.twilio?.setCallStatus(callSid, status, extra);
  }

  /** calls.create with Record=true: one recording of the whole call, reported when it ends. */
  async recordWholeCall(state: LegState, placed: PlacedCall): Promise<void> {
    const callSid = state.params.CallSid ?? '';
    const twilio = this.options.twilio;
    const filed = twilio?.addRecording(callSid, { durationSeconds: this.clock, channels: 1, source: 'OutboundAPI' });
    const sid = filed?.sid ?? newSid('RE');
    this.emit({ kind: 'recording', leg: 'call', recordingSid: sid, duration: this.clock, channels: 1 });
    if (!placed.recordingStatusCallback) return;
    const params: Record<string, string> = {
      AccountSid: this.options.accountSid,
      CallSid: callSid,
      RecordingSid: sid,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${this.options.accountSid}/Recordings/${sid}`,
      RecordingStatus: 'completed',
      RecordingDuration: String(this.clock),
      RecordingChannels: '1',
      RecordingSource: 'OutboundAPI',
      ...(filed && twilio ? twilio.recordingCallbackParams(sid) : {}),
      ErrorCode: '0',
    };
    await this.request('call', 'recording status', placed.recordingStatusCallback, 'POST', params, { RecordingStatus: 'completed', RecordingSid: sid });
  }

  /** recordingStatusCallback, for the events asked in recordingStatusCallbackEvent (default completed). */
  async postRecording(
    state: LegState,
    dialAttributes: Readonly<Record<string, string>>,
    recording: SimulatedRecording,
    documentUrl: string,
    event: 'in-progress' | 'completed',
  ): Promise<void> {
    if (event === 'completed') {
      this.emit({ kind: 'recording', leg: state.leg, recordingSid: recording.sid, duration: recording.duration, channels: recording.channels });
    }
    const events = (dialAttributes.recordingStatusCallbackEvent ?? 'completed').split(/[\s,]+/);
    if (!dialAttributes.recordingStatusCallback || !events.includes(event)) return;
    const url = this.resolve(state.leg, dialAttributes.recordingStatusCallback, documentUrl);
    if (!url) return;
    const params: Record<string, string> = {
      AccountSid: this.options.accountSid,
      CallSid: recording.callSid,
      RecordingSid: recording.sid,
      RecordingUrl: recording.url,
      RecordingStatus: event,
      RecordingDuration: event === 'completed' ? String(recording.duration) : '0',
      RecordingChannels: String(recording.channels),
      RecordingSource: 'DialVerb',
      RecordingTrack: 'both',
      RecordingStartTime: new Date().toUTCString(),
    };
    if (event === 'completed') Object.assign(params, recording.callbackParams, { ErrorCode: '0' });
    const extra = { RecordingStatus: event, RecordingSid: recording.sid };
    await this.request(state.leg, 'recording status', url, methodOf(dialAttributes.recordingStatusCallbackMethod), params, extra);
  }

  async refer(state: LegState, verb: TwimlElement, documentUrl: string): Promise<VerbOutcome> {
    const attributes = verb.attributes;
    const target = verb.children.find((child) => child.tag === 'Sip')?.text ?? '';
    this.emit({ kind: 'refer', leg: state.leg, target });
    let extra: Record<string, string>;
    let accepted = false;
    if (!state.sip) {
      this.flag(state.leg, '<Refer> on a call that did not arrive over SIP (Refer not allowed on non-SIP call legs)', 13801);
      extra = { ReferCallStatus: 'failed' };
    } else if (!target) {
      this.flag(state.leg, '<Refer> without a <Sip> target');
      extra = { ReferCallStatus: 'failed' };
    } else {
      const answer = await this.actor.refer({ target, events: this.events });
      accepted = answer.result === 'accepted';
      const defaults: Record<ReferAnswer['result'], Record<string, string>> = {
        accepted: { ReferCallStatus: 'in-progress', ReferSipResponseCode: '202', NotifySipResponseCode: '200' },
        busy: { ReferCallStatus: 'busy', ReferSipResponseCode: '202', NotifySipResponseCode: '486' },
        'no-answer': { ReferCallStatus: 'no-answer', ReferSipResponseCode: '202', NotifySipResponseCode: '487' },
        rejected: { ReferCallStatus: 'failed', ReferSipResponseCode: '603' },
        failed: { ReferCallStatus: 'failed', ReferSipResponseCode: '500' },
      };
      extra = { ...defaults[answer.result] };
      if (answer.referSipResponseCode) extra.ReferSipResponseCode = answer.referSipResponseCode;
      if (answer.notifySipResponseCode) extra.NotifySipResponseCode = answer.notifySipResponseCode;
    }
    this.emit({ kind: 'refer-result', leg: state.leg, status: extra.ReferCallStatus!, referSipResponseCode: extra.ReferSipResponseCode });

    const url = attributes.action ? this.resolve(state.leg, attributes.action, documentUrl) : undefined;
    if (accepted) {
      // The SIP side replaced Twilio's leg: the action hears about it, but nothing more runs on this call.
      if (url) {
        const answered = await this.request(state.leg, 'refer action', url, methodOf(attributes.method), { ...state.params, ...extra }, extra);
        if (answered?.body.trim()) await this.readTwiml(state.leg, answered, url);
      }
      return { kind: 'end', end: { by: 'transfer', cause: `transferred by SIP REFER to ${target}`, status: 'completed' } };
    }
    if (url) return { kind: 'next', request: { url, method: methodOf(attributes.method), reason: 'refer action', extra } };
    return CONTINUE;
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

/** Status callbacks of a <Number>/<Sip> leg (statusCallback + statusCallbackEvent). */
class LegStatusCallbacks {
  private readonly events: readonly string[];
  private sequence = 0;

  constructor(
    private readonly call: SimulatedCall,
    private readonly target: DialTarget,
    private readonly params: Record<string, string>,
    private readonly documentUrl: string,
  ) {
    this.events = (target.attributes.statusCallbackEvent ?? 'completed').split(/[\s,]+/);
  }

  async post(event: string, status: string, extra: Record<string, string> = {}): Promise<void> {
    const callback = this.target.attributes.statusCallback;
    if (!callback || !this.events.includes(event)) return;
    const url = this.call.resolve('dialed', callback, this.documentUrl);
    if (!url) return;
    const fields = { CallStatus: status, SequenceNumber: String(this.sequence++), CallbackSource: 'call-progress-events', Timestamp: new Date().toUTCString(), ...extra };
    await this.call.request('dialed', 'dialed call status', url, methodOf(this.target.attributes.statusCallbackMethod), { ...this.params, ...fields }, { CallStatus: status });
  }
}

export interface StatusCallbackConfig {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  /** initiated, ringing, answered, completed (default completed only, as Twilio). */
  readonly events?: readonly string[];
}

async function postCallStatus(call: SimulatedCall, config: StatusCallbackConfig | undefined, params: Record<string, string>, event: string, status: string, sequence: number): Promise<void> {
  if (!config || !(config.events ?? ['completed']).includes(event)) return;
  const extra: Record<string, string> = { CallStatus: status, CallbackSource: 'call-progress-events', SequenceNumber: String(sequence), Timestamp: new Date().toUTCString() };
  if (event === 'completed') {
    extra.CallDuration = String(call.clock);
    extra.Duration = String(Math.ceil(call.clock / 60));
  }
  await call.request('call', 'call status', config.url, config.method ?? 'POST', { ...params, ...extra }, { CallStatus: status });
}

async function finish(call: SimulatedCall, state: LegState, end: LegEnd, statusCallback: StatusCallbackConfig | undefined, sequence: number): Promise<CallResult> {
  call.emit({ kind: 'ended', leg: 'call', by: end.by, cause: end.cause, status: end.status });
  state.params.CallStatus = end.status;
  call.setStatus(state.params.CallSid ?? '', end.status, { durationSeconds: call.clock });
  await postCallStatus(call, statusCallback, state.params, 'completed', end.status, sequence);
  return call.record(state.params, end);
}

async function guarded(call: SimulatedCall, params: Record<string, string>, run: () => Promise<CallResult>): Promise<CallResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CallAborted) throw error;
    throw new CallAborted((error as Error).message, call.record(params, { by: 'party', cause: 'aborted', status: 'in-progress' }));
  }
}

export interface InboundCallStart extends Omit<InboundCall, 'accountSid'> {
  /** The number's "A call comes in" URL, absolute. */
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  /** The number's status callback, when the test wants it posted. */
  readonly statusCallback?: StatusCallbackConfig;
}

/** An inbound call: Twilio requests the number's voice URL, then executes what comes back. */
export async function runInboundCall(options: DriverOptions, start: InboundCallStart, actor: CallActor, labels: LegLabels = INBOUND_LABELS): Promise<CallResult> {
  const call = new SimulatedCall(options, actor, labels);
  const params = inboundCallParams({ ...start, accountSid: options.accountSid });
  const state: LegState = { leg: 'call', params, answered: false, sip: isSipAddress(start.to), machine: false, lastActedAt: 0 };
  options.twilio?.addInboundCall({ from: start.from, to: start.to, sid: params.CallSid, status: 'ringing' });
  return guarded(call, params, async () => {
    await postCallStatus(call, start.statusCallback, params, 'initiated', 'initiated', 0);
    const end = await call.runLeg(state, { url: start.url, method: start.method ?? 'POST', reason: 'call start', extra: {} });
    return finish(call, state, end, start.statusCallback, 1);
  });
}

/** A call the project placed with calls.create, as the Twilio emulator recorded it. */
export interface PlacedCall {
  readonly sid: string;
  readonly from: string;
  readonly to: string;
  readonly url?: string;
  readonly method?: string;
  readonly twiml?: string;
  readonly statusCallback?: string;
  readonly statusCallbackMethod?: string;
  /** Events asked for; Twilio sends only `completed` when none. */
  readonly statusCallbackEvent?: readonly string[];
  readonly machineDetection?: string;
  /** Record=true: the whole call is recorded. */
  readonly record?: boolean;
  readonly recordingStatusCallback?: string;
}

/** A call the Twilio emulator saw created, as the driver needs it. */
export function placedCallOf(event: CallCreatedEvent): PlacedCall {
  return {
    sid: event.call.sid,
    from: event.call.from,
    to: event.call.to,
    url: event.url,
    method: event.method,
    twiml: event.twiml,
    statusCallback: event.statusCallback,
    statusCallbackMethod: event.statusCallbackMethod,
    statusCallbackEvent: event.statusCallbackEvents.length ? event.statusCallbackEvents : undefined,
    machineDetection: event.machineDetection,
    record: event.record,
    recordingStatusCallback: event.recordingStatusCallback,
  };
}

export type OutboundAnswer = 'answer' | 'voicemail' | 'busy' | 'no-answer' | 'failed';

export const OUTBOUND_LABELS: LegLabels = { call: 'callee', dialed: 'dialed party' };

/** Executes a placed call as its callee answers it (or not). */
export async function runOutboundCall(
  options: DriverOptions,
  placed: PlacedCall,
  answer: OutboundAnswer,
  actor: CallActor,
  labels: LegLabels = OUTBOUND_LABELS,
): Promise<CallResult> {
  const call = new SimulatedCall(options, actor, labels);
  const machine = answer === 'voicemail';
  const answeredBy = placed.machineDetection ? (machine ? 'machine_start' : 'human') : undefined;
  const params = outboundCallParams({ accountSid: options.accountSid, callSid: placed.sid, from: placed.from, to: placed.to, answeredBy });
  const statusCallback: StatusCallbackConfig | undefined = placed.statusCallback
    ? { url: placed.statusCallback, method: methodOf(placed.statusCallbackMethod), events: placed.statusCallbackEvent }
    : undefined;
  const state: LegState = { leg: 'call', params, answered: true, sip: isSipAddress(placed.to), machine, lastActedAt: 0 };
  return guarded(call, params, async () => {
    const progress = { ...params, CallStatus: 'initiated' };
    await postCallStatus(call, statusCallback, progress, 'initiated', 'initiated', 0);
    call.setStatus(placed.sid, 'ringing');
    await postCallStatus(call, statusCallback, { ...progress, CallStatus: 'ringing' }, 'ringing', 'ringing', 1);
    if (answer === 'busy' || answer === 'no-answer' || answer === 'failed') {
      if (answer === 'no-answer') call.clock += 30;
      const cause = answer === 'failed' ? 'the call could not be placed' : `the callee did not answer (${answer})`;
      return finish(call, state, { by: 'party', cause, status: answer }, statusCallback, 2);
    }
    call.setStatus(placed.sid, 'in-progress', { answeredBy });
    if (machine) call.note('call', 'a voicemail answers');
    await postCallStatus(call, statusCallback, params, 'answered', 'in-progress', 2);
    let end: LegEnd;
    if (placed.url) {
      end = await call.runLeg(state, { url: placed.url, method: methodOf(placed.method), reason: 'call start', extra: {} });
    } else if (placed.twiml) {
      // Inline TwiML has no URL of its own: a relative URL in it cannot resolve, as at Twilio.
      end = await call.runInline(state, placed.twiml, '');
    } else {
      call.flag('call', 'the placed call has neither Url nor Twiml');
      end = { by: 'app', cause: 'nothing to execute', status: 'failed' };
    }
    if (placed.record && end.status === 'completed') await call.recordWholeCall(state, placed);
    return finish(call, state, end, statusCallback, 3);
  });
}
