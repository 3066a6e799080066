// The calls `npm run bench` plays whole: every escalation path as a simulated call (the simulator posts
// every webhook Twilio would, the number's status callback included), for
// - Airtable requests per complete call of each path, cold and warm, split at the moment the caller's
//   part ends (the conversation with an agent over, the message left, the goodbye) from the events after;
// - 30 calls through a realistic mix of paths, arriving at random over a minute, each caller taking
//   a few seconds before each answer, with the Airtable emulator enforcing 5 requests/second/base.
// Every script says what the caller must hear, so "played as scripted" means the path worked.
import { performance } from 'node:perf_hooks';
import { DEMO_AGENT_NUMBER, DEMO_DESK_AGENTS, DEMO_LINES, demoBaseWithHours, type DemoBase } from '../sandbox/demo-data';
import type { Sandbox } from '../sandbox/sandbox';
import { call, signedTransport, type CallScript, type TranscriptEvent } from '../sandbox/simulator';
import type { RequestReason } from '../sandbox/simulator/transcript';
import { newCallSid } from '../sandbox/webhook-catalog';
import { seededRandom } from '../sandbox/webhook-fuzz';
import { percentile } from './latency-stats';

/** A ring group rung one agent after another: the demo Service Desk's agents, In Order. */
export const IN_ORDER_DESK = '+12025550170';

export type Counts = Record<string, Record<string, number>>;

export interface Caller {
  readonly number: string;
  /** On file in Contacts (with an email), or a stranger to the base. */
  readonly known: boolean;
}

/** The demo base, open at any hour, with an In Order copy of the Service Desk and `callers` on file. */
export function benchBase(callers: readonly Caller[] = []): DemoBase {
  const base = demoBaseWithHours('open');
  const desk = base.Lines.find((line) => line['Phone Number'] === DEMO_LINES.serviceDesk)!;
  base.Lines.push({ ...desk, Name: 'Service Desk In Order', 'Phone Number': IN_ORDER_DESK, 'Ring Strategy': 'In Order' });
  callers.forEach((caller, i) => {
    if (caller.known) base.Contacts.push({ Name: `Caller ${i + 1}`, Phone: caller.number, Email: `caller${i + 1}@example.com` });
  });
  return base;
}

const fieldsOf = (sandbox: Sandbox, table: string) => sandbox.airtable.records(table).map((r) => r.fields as Record<string, unknown>);
const callRow = (sandbox: Sandbox, callSid: string) => fieldsOf(sandbox, 'Calls').find((f) => f['Call SID'] === callSid);

interface PathPlay {
  readonly line: string;
  readonly knownOnly?: boolean;
  readonly script: (c: CallScript) => CallScript;
  /** What must be in Airtable, Twilio or SendGrid once the call and its events are over: undefined when it is. */
  readonly missing: (sandbox: Sandbox, callSid: string, caller: Caller) => string | undefined;
}

const connected = (sandbox: Sandbox, callSid: string) => (callRow(sandbox, callSid)?.Outcome === 'Connected' ? undefined : 'the Calls row saying Connected');
const atMenu = (c: CallScript) => c.say('agent').expectSay(/To talk to a person now, press \d or say agent\./);

/** Each path as a caller who knows what they want goes through it, by the words the menu offers. */
export const PATHS = {
  'live transfer': {
    line: DEMO_LINES.support,
    script: (c) => atMenu(c).say('agent').expectSay(/Connecting you to a person/).expectDial(DEMO_AGENT_NUMBER).agent({ answer: 'accept' }).expectEnd('party'),
    missing: connected,
  },
  'ring group, In Order': {
    line: IN_ORDER_DESK,
    script: (c) =>
      atMenu(c)
        .say('agent')
        .expectDial(DEMO_DESK_AGENTS[0])
        .agent({ answer: 'no-answer' })
        .expectSay('Still trying. Please hold.')
        .expectDial(DEMO_DESK_AGENTS[1])
        .agent({ answer: 'accept' })
        .expectEnd('party'),
    missing: connected,
  },
  'ring group, Simultaneous': {
    line: DEMO_LINES.serviceDesk,
    script: (c) =>
      atMenu(c)
        .say('agent')
        .agentCalls({ answer: 'no-answer' }, { answer: 'accept', hungUpBy: 'agent', talkSeconds: 60 })
        .expectSay(/Connecting you to a person/)
        .expectSay('Goodbye')
        .expectHangup(),
    missing: connected,
  },
  'immediate callback': {
    line: DEMO_LINES.support,
    script: (c) => atMenu(c).say('call me back').expectSay(/Shall we call you at the number ending in/).press('1').expectSay(/call you back in a moment/).expectHangup(),
    missing: (sandbox, _sid, caller) =>
      fieldsOf(sandbox, 'Callbacks').some((f) => f.Phone === caller.number && f.Kind === 'Now') ? undefined : 'the Callbacks row (Now)',
  },
  'scheduled callback': {
    line: DEMO_LINES.support,
    script: (c) =>
      atMenu(c)
        .say('schedule')
        .expectSay(/number ending in/)
        .press('1')
        .expectSay(/When should we call you back/)
        .press('1')
        .expectSay(/Is that right/)
        .press('1')
        .expectSay(/You are all set/)
        .expectHangup(),
    missing: (sandbox, _sid, caller) => {
      if (!fieldsOf(sandbox, 'Callbacks').some((f) => f.Phone === caller.number && f.Status === 'Booked')) return 'the Booked Callbacks row';
      return sandbox.twilio.messages().some((m) => m.params.To === caller.number) ? undefined : 'the booking text';
    },
  },
  text: {
    line: DEMO_LINES.support,
    script: (c) => atMenu(c).say('text').expectSay(/Shall I text it to the number ending in/).press('1').expectSay(/I have sent a text/).expectHangup(),
    missing: (sandbox, callSid, caller) => {
      if (!sandbox.twilio.messages().some((m) => m.params.To === caller.number)) return 'the text at Twilio';
      return callRow(sandbox, callSid)?.Sent ? undefined : "the Calls row's Sent";
    },
  },
  email: {
    line: DEMO_LINES.support,
    knownOnly: true,
    script: (c) => atMenu(c).say('email').expectSay(/I have emailed our contact information/).press('1').expectSay(/Goodbye/).expectHangup(),
    missing: (sandbox, callSid) => (callRow(sandbox, callSid)?.Sent ? undefined : "the Calls row's Sent (the email)"),
  },
  voicemail: {
    line: DEMO_LINES.serviceDesk,
    script: (c) =>
      atMenu(c)
        .say('message')
        .expectSay(/leave your message after the beep/)
        .leaveMessage('Hi, my order never came. Please call me back this afternoon.')
        .expectSay(/We got your message/)
        .expectHangup(),
    missing: (sandbox, callSid, caller) => {
      if (!callRow(sandbox, callSid)?.['Voicemail URL']) return "the Calls row's Voicemail URL";
      return fieldsOf(sandbox, 'Callbacks').some((f) => f.Phone === caller.number && f.Kind === 'Voicemail') ? undefined : 'the Voicemail callback row';
    },
  },
} satisfies Record<string, PathPlay>;

export type PathName = keyof typeof PATHS;

/** Twilio's reports after the fact, not steps of the caller's conversation. */
const REPORTS: ReadonlySet<RequestReason> = new Set(['recording status', 'call status', 'dialed call status']);

/**
 * Sorts each webhook of a call into the caller's conversation (the steps the caller waits on) or
 * Twilio's reports (status and recording callbacks, the <Dial> action once a bridged conversation is
 * over, and whatever Twilio posts by itself: message statuses, conference events, transcripts).
 */
class ConversationMeter {
  private opened?: Counts;
  private bridged = false;
  readonly during: Counts = {};
  reports = 0;

  constructor(private readonly counts: () => Counts) {}

  onEvent(event: TranscriptEvent): void {
    if (event.kind === 'dial-result') this.bridged = event.bridged;
    if (event.kind === 'request') {
      const report = REPORTS.has(event.reason) || (event.reason === 'dial action' && this.bridged);
      if (report) this.reports++;
      else this.opened = this.counts();
    }
    if (event.kind === 'response' && this.opened) {
      add(this.during, minus(this.counts(), this.opened));
      this.opened = undefined;
    }
  }
}

function add(into: Counts, from: Counts): void {
  for (const [table, methods] of Object.entries(from)) {
    for (const [method, n] of Object.entries(methods)) (into[table] ??= {})[method] = (into[table]?.[method] ?? 0) + n;
  }
}

interface Played {
  readonly callSid: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly heard: string;
}

interface PlayOptions {
  /** Runs before each webhook Twilio posts for the call (its caller's think time, a timer). */
  readonly beforeRequest?: (request: { url: string; params: Readonly<Record<string, string>> }) => Promise<void>;
  readonly afterRequest?: (url: string, ms: number) => void;
  readonly onEvent?: (event: TranscriptEvent) => void;
}

async function playPath(sandbox: Sandbox, name: PathName, caller: Caller, options: PlayOptions = {}): Promise<Played> {
  const signed = signedTransport(sandbox.authToken);
  const target = {
    baseUrl: sandbox.baseUrl,
    authToken: sandbox.authToken,
    accountSid: sandbox.accountSid,
    twilio: sandbox.twilio,
    transport: async (request: Parameters<typeof signed>[0]) => {
      await options.beforeRequest?.(request);
      const started = performance.now();
      const answer = await signed(request);
      options.afterRequest?.(request.url, performance.now() - started);
      return answer;
    },
  };
  const callSid = newCallSid();
  const path: PathPlay = PATHS[name];
  const script = call(target, {
    to: path.line,
    from: caller.number,
    callSid,
    ownAgentCallsOnly: true,
    statusCallback: '/events/call-status',
    driver: options.onEvent ? { onEvent: options.onEvent } : undefined,
  });
  try {
    const record = await path.script(script);
    return { callSid, ok: true, heard: record.events.flatMap((e) => (e.kind === 'say' && e.leg === 'call' ? [e.text] : [])).join(' ') };
  } catch (error) {
    const message = (error as Error).message;
    return { callSid, ok: false, error: message.split('\n').slice(0, 2).join(' '), heard: message };
  }
}

export const totalOf = (counts: Counts) => Object.values(counts).reduce((sum, m) => sum + Object.values(m).reduce((a, b) => a + b, 0), 0);
export const readsOf = (counts: Counts) => Object.values(counts).reduce((sum, m) => sum + (m.GET ?? 0), 0);

function minus(after: Counts, before: Counts): Counts {
  const out: Counts = {};
  for (const [table, methods] of Object.entries(after)) {
    for (const [method, n] of Object.entries(methods)) {
      const left = n - (before[table]?.[method] ?? 0);
      if (left > 0) (out[table] ??= {})[method] = left;
    }
  }
  return out;
}

export const describeCounts = (counts: Counts) =>
  Object.entries(counts)
    .flatMap(([table, methods]) => Object.entries(methods).map(([method, n]) => `${table} ${method}${n > 1 ? ` ×${n}` : ''}`))
    .join(', ') || 'none';

export interface CallCount {
  readonly during: Counts;
  readonly after: Counts;
  /** Twilio's reports after the caller's part: status and recording callbacks, transcripts announced. */
  readonly events: number;
}

/** One call of `name` by `caller`: Airtable requests of the caller's conversation, and of Twilio's reports once every one is in. */
export async function countCall(sandbox: Sandbox, name: PathName, caller: Caller): Promise<CallCount> {
  sandbox.airtable.stats.reset();
  const posted = { transcripts: sandbox.twilio.transcripts().length, messages: sandbox.twilio.messages().length };
  const meter = new ConversationMeter(() => sandbox.airtable.stats.counts());
  const played = await playPath(sandbox, name, caller, { onEvent: (event) => meter.onEvent(event) });
  if (!played.ok) throw new Error(`${name} did not play as scripted: ${played.error}`);
  await Promise.all([sandbox.twilio.callbacksSettled(), sandbox.twilio.messagesSettled()]);
  // Twilio's own posts: a transcript announced, a text's delivery report (one a message).
  const ownPosts = sandbox.twilio.transcripts().length - posted.transcripts + sandbox.twilio.messages().length - posted.messages;
  return { during: meter.during, after: minus(sandbox.airtable.stats.counts(), meter.during), events: meter.reports + ownPosts };
}

export const writesOf = (counts: Counts) => totalOf(counts) - readsOf(counts);


/** 30 calls: each path in about the share a support line sees; emails only from callers on file. */
export const CALL_MIX: readonly PathName[] = [
  ...Array<PathName>(7).fill('live transfer'),
  ...Array<PathName>(3).fill('ring group, In Order'),
  ...Array<PathName>(3).fill('ring group, Simultaneous'),
  ...Array<PathName>(5).fill('immediate callback'),
  ...Array<PathName>(4).fill('scheduled callback'),
  ...Array<PathName>(4).fill('text'),
  ...Array<PathName>(2).fill('email'),
  ...Array<PathName>(2).fill('voicemail'),
];
export const ARRIVAL_WINDOW_MS = 60_000;
/** How long a caller takes before each answer (listening to the prompt, pressing or saying): 1 to 4 s. */
const THINK_MS = [1000, 4000] as const;

/** Callers of the mix: two in three on file; the rest strangers (an email path always has one on file). */
export function mixCallers(): Caller[] {
  return CALL_MIX.map((name, i) => ({ number: `+1718555${String(2000 + i).padStart(4, '0')}`, known: (PATHS[name] as PathPlay).knownOnly === true || i % 3 !== 2 }));
}

export interface MixResult {
  readonly calls: number;
  readonly arrivalWindowSeconds: number;
  readonly seconds: number;
  readonly peakInProgress: number;
  readonly playedAsScripted: number;
  /** A step of the caller's conversation answered 5xx, invalid TwiML or nothing: what Twilio turns into "an application error". */
  readonly failed: number;
  /** Calls where one of Twilio's reports (status, recording callbacks) answered 5xx: a debugger 11200, the caller unaffected. */
  readonly reportsRefused: number;
  readonly heardAnApology: number;
  readonly rateLimited429: number;
  /** Requests that reached the Airtable emulator (refused ones included). */
  readonly airtableRequests: number;
  readonly rowsMissing: number;
  readonly p99MsPerStep: Record<string, number>;
  readonly slowestStepMs: number;
  readonly firstProblems: string[];
}

/** The simulator's words for a voice step Twilio could not use, and for a refused report (status or recording callback). */
const CALLER_FAILURE = /answered HTTP 5|invalid TwiML|no answer|application error/i;
const REPORT_REFUSED = /11200: POST \S+\/(events\/|voicemail\/recording)/;

/** The mix, arriving at uniform random times over the window (a Poisson process, given the count). */
export async function playMix(sandbox: Sandbox): Promise<MixResult> {
  const random = seededRandom(17);
  const callers = mixCallers();
  const arrivals = CALL_MIX.map(() => Math.round(random() * ARRIVAL_WINDOW_MS)).sort((a, b) => a - b);
  // Paths shuffled over the arrival times, so a burst is not one path.
  const order = CALL_MIX.map((_, i) => i).sort(() => random() - 0.5);
  const steps = new Map<string, number[]>();
  let inProgress = 0;
  let peak = 0;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const think = async (request: { params: Readonly<Record<string, string>> }) => {
    if (request.params.Digits !== undefined || request.params.SpeechResult !== undefined || request.params.RecordingUrl !== undefined) {
      await sleep(THINK_MS[0] + random() * (THINK_MS[1] - THINK_MS[0]));
    }
  };
  const timeStep = (url: string, ms: number) => {
    const step = new URL(url).pathname;
    steps.set(step, [...(steps.get(step) ?? []), ms]);
  };
  const started = performance.now();
  const results = await Promise.all(
    order.map(async (index, slot) => {
      await sleep(arrivals[slot]!);
      const name = CALL_MIX[index]!;
      inProgress++;
      peak = Math.max(peak, inProgress);
      try {
        const played = await playPath(sandbox, name, callers[index]!, { beforeRequest: think, afterRequest: timeStep });
        return { name, caller: callers[index]!, ...played };
      } finally {
        inProgress--;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await sandbox.twilio.callbacksSettled();
  const missing = results.flatMap((r) => {
    const what = r.ok ? PATHS[r.name].missing(sandbox, r.callSid, r.caller) : undefined;
    return what ? [`${r.name}: ${what}`] : [];
  });
  const p99MsPerStep = Object.fromEntries([...steps].map(([step, ms]) => [step, Math.round(percentile([...ms].sort((a, b) => a - b), 99))]));
  return {
    calls: results.length,
    arrivalWindowSeconds: ARRIVAL_WINDOW_MS / 1000,
    seconds: Math.round(seconds * 10) / 10,
    peakInProgress: peak,
    playedAsScripted: results.filter((r) => r.ok).length,
    failed: results.filter((r) => !r.ok && CALLER_FAILURE.test(r.error ?? '') && !REPORT_REFUSED.test(r.error ?? '')).length,
    reportsRefused: results.filter((r) => !r.ok && REPORT_REFUSED.test(r.error ?? '')).length,
    heardAnApology: results.filter((r) => /\b(sorry|could not|cannot|unable)\b/i.test(r.heard)).length,
    rateLimited429: sandbox.airtable.stats.rateLimited(),
    airtableRequests: Object.values(sandbox.airtable.stats.counts()).reduce((sum, methods) => sum + Object.values(methods).reduce((a, b) => a + b, 0), 0),
    rowsMissing: missing.length,
    p99MsPerStep,
    slowestStepMs: Math.max(...Object.values(p99MsPerStep)),
    firstProblems: [...results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.error}`), ...missing].slice(0, 5),
  };
}
