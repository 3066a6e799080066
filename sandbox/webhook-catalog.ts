// Every webhook the Functions serve, each with a realistic valid request for the sandbox's demo base
// (open hours): the one list the fuzzer, the fault matrix, the duplicate-delivery test and the
// benchmark read. The list itself comes from `src/functions` (one file per webhook): a new Function is
// in the catalog as soon as it exists, with its kind read from the wrapper it uses (`voiceWebhook`:
// voice; `eventWebhook`: event, or sms and job by folder) and a default request of that kind. A request
// below makes it realistic (its query, the state it needs); steps that follow another take their URL
// from that step's real answer, so they follow the code as it changes.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_AGENT_NUMBER, DEMO_CALLERS, DEMO_LINES } from './demo-data';
import { SANDBOX_DISPATCH_SECRET } from './sandbox-env';
import type { Sandbox } from './sandbox';
import { inboundCallParams } from './simulator/call-params';
import { requestExactly, type WebhookAnswer } from './webhook-client';

export type WebhookKind = 'voice' | 'event' | 'sms' | 'job';

/** One request to a webhook: form parameters (signed as Twilio signs), a JSON body (signed with bodySHA256) or the dispatcher's bearer. */
export interface WebhookRequest {
  readonly pathAndQuery: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  readonly bearer?: string;
}

/** What a step can tell the caller it did, and how to see that it did: Airtable's rows read in-process (past any fault), Twilio's and SendGrid's records. */
export interface CallerPromise {
  /** The answer says it (e.g. "An agent will call you back in a moment"). */
  readonly heard: RegExp;
  readonly what: string;
  kept(sandbox: Sandbox, callSid: string): boolean;
}

export interface WebhookEntry {
  /** The URL path, e.g. `/escalate/choice`. */
  readonly path: string;
  readonly kind: WebhookKind;
  readonly access: 'protected' | 'public';
  /** Whether the request below is written for it (false: the kind's default request). */
  readonly realistic: boolean;
  /** A valid request as Twilio (or the scheduler) would make it in a call `callSid`, on the demo base as seeded (open hours); may prepare state first. */
  request(sandbox: Sandbox, callSid: string): Promise<WebhookRequest>;
  /** What a 200 answer may promise the caller and must then be in Airtable. */
  readonly promises?: readonly CallerPromise[];
}

const FUNCTIONS_DIR = path.resolve(__dirname, '..', 'src', 'functions');

export const newCallSid = (): string => `CA${randomBytes(16).toString('hex')}`;

/** A call from Dana (a known contact) to the Support line (every path on). */
export function danaParams(accountSid: string, callSid: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...inboundCallParams({ accountSid, from: DEMO_CALLERS.dana, to: DEMO_LINES.support }), CallSid: callSid, ...extra };
}

/** Sends one catalog request to the sandbox's Functions. */
export function send(sandbox: Pick<Sandbox, 'baseUrl' | 'post' | 'postJson'>, request: WebhookRequest, timeoutMs?: number): Promise<WebhookAnswer> {
  if (request.json !== undefined) return sandbox.postJson(request.pathAndQuery, request.json, timeoutMs ? { timeoutMs } : {});
  if (request.bearer !== undefined) {
    return requestExactly(`${sandbox.baseUrl}${request.pathAndQuery}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${request.bearer}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(request.params ?? {}).toString(),
      timeoutMs: timeoutMs ?? 15_000,
    });
  }
  return sandbox.post(request.pathAndQuery, request.params ?? {}, timeoutMs ? { timeoutMs } : {});
}

/** The first URL an answer asks Twilio to request next (Gather action, Redirect, Dial action), `&amp;` decoded. */
export function nextUrlOf(twiml: string, verb: 'Gather' | 'Redirect' | 'Dial' | 'Number'): string {
  const pattern =
    verb === 'Redirect' ? /<Redirect[^>]*>([^<]+)<\/Redirect>/ : verb === 'Number' ? /<Number[^>]* url="([^"]+)"/ : new RegExp(`<${verb}[^>]* action="([^"]+)"`);
  const match = pattern.exec(twiml);
  if (!match) throw new Error(`no <${verb}> URL in ${twiml.slice(0, 400)}`);
  return match[1]!.replace(/&amp;/g, '&');
}

type RequestMaker = (sandbox: Sandbox, callSid: string) => Promise<WebhookRequest>;

const voice =
  (pathAndQuery: string, extra: Record<string, string> = {}): RequestMaker =>
  async (sandbox, callSid) => ({ pathAndQuery, params: danaParams(sandbox.accountSid, callSid, extra) });

/** The step a `verb` of `parent`'s answer leads to, posted with `input`. */
const after =
  (parent: RequestMaker, verb: 'Gather' | 'Redirect' | 'Dial' | 'Number', input: Record<string, string> = {}): RequestMaker =>
  async (sandbox, callSid) => {
    const answer = await send(sandbox, await parent(sandbox, callSid));
    return { pathAndQuery: nextUrlOf(answer.body, verb), params: danaParams(sandbox.accountSid, callSid, input) };
  };

/** The menu's choice of `path` (the key it was offered under, read from the menu). */
const choosing =
  (pathName: RegExp): RequestMaker =>
  async (sandbox, callSid) => {
    const menu = await send(sandbox, await voice('/escalate')(sandbox, callSid));
    const key = new RegExp(`(?:${pathName.source})[^.]*?press (\\d)`, 'i').exec(menu.body)?.[1];
    if (!key) throw new Error(`the menu offers no ${pathName}: ${menu.body.slice(0, 400)}`);
    return { pathAndQuery: nextUrlOf(menu.body, 'Gather'), params: danaParams(sandbox.accountSid, callSid, { Digits: key }) };
  };

const dana = encodeURIComponent(DEMO_CALLERS.dana);
/** Booked for another number than the immediate callback's, so neither step finds the other's row already open. */
const SCHEDULED_NUMBER = DEMO_CALLERS.stranger;
/**
 * The check step follows a booking, made while its request is prepared, which the steps before it (prepared
 * at the same time, for a fault matrix) must not find already open: it books a number of its own.
 */
const CHECKED_NUMBER = '+17185550123';
const scheduleAsk = (number: string): RequestMaker => voice(`/callback/schedule?number=${encodeURIComponent(number)}&keyed=1`);
const scheduleTime = (number: string): RequestMaker => after(scheduleAsk(number), 'Gather', { Digits: '1' });
const scheduleConfirm = (number: string): RequestMaker => after(scheduleTime(number), 'Gather', { Digits: '1' });

/** A Callbacks row being dialled (attempt 1), for the legs of an immediate callback. */
function dialingRow(sandbox: Sandbox): Promise<string> {
  return airtableCreate(sandbox, 'Callbacks', {
    Line: DEMO_LINES.support,
    Phone: DEMO_CALLERS.dana,
    Kind: 'Now',
    Status: 'Dialing',
    Attempts: 1,
    'Next Attempt At': new Date(Date.now() + 10 * 60_000).toISOString(),
  });
}

async function airtableCreate(sandbox: Sandbox, table: string, fields: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${sandbox.airtable.url}/v0/${sandbox.env.AIRTABLE_BASE_ID}/${encodeURIComponent(table)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sandbox.env.AIRTABLE_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ records: [{ fields }], typecast: true }),
  });
  if (!response.ok) throw new Error(`could not seed ${table}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { records: { id: string }[] }).records[0]!.id;
}

/** A leg of the immediate callback's attempt: the agent's call (CallSid) to the row's number, parent of the customer's. */
const callbackLeg =
  (step: string, extra: Record<string, string> = {}): RequestMaker =>
  async (sandbox, callSid) => {
    const rowId = await dialingRow(sandbox);
    const params = { ...danaParams(sandbox.accountSid, callSid, extra), From: DEMO_LINES.support, To: DEMO_CALLERS.dana, Direction: 'outbound-api' };
    return { pathAndQuery: `/callback/${step}?callback=${rowId}&attempt=1`, params };
  };

/** A call in the log (an escalated call), for the events that write on its row; once per call. */
async function loggedCall(sandbox: Sandbox, callSid: string): Promise<void> {
  if (sandbox.airtable.records('Calls').some((r) => r.fields['Call SID'] === callSid)) return;
  await airtableCreate(sandbox, 'Calls', { 'Call SID': callSid, Line: DEMO_LINES.support, Outcome: 'Connected', Chosen: 'Live Transfer' });
}

/** A Simultaneous group's agent leg for Dana's room on the Service Desk (Dana's call is in progress there). */
const groupLeg =
  (pathName: string, extra: Record<string, string> = {}): RequestMaker =>
  async (sandbox, callSid) => {
    sandbox.twilio.addInboundCall({ from: DEMO_CALLERS.dana, to: DEMO_LINES.serviceDesk, sid: callSid, status: 'in-progress' });
    const params = { AccountSid: sandbox.accountSid, CallSid: newCallSid(), CallStatus: 'in-progress', From: DEMO_LINES.serviceDesk, To: DEMO_AGENT_NUMBER, Direction: 'outbound-api', ApiVersion: '2010-04-01', ...extra };
    return { pathAndQuery: `${pathName}?lang=en-US&room=ring-${callSid}`, params };
  };

const REQUESTS: Readonly<Record<string, RequestMaker>> = {
  '/voice/incoming': voice('/voice/incoming'),
  '/voice/dial-ended': voice('/voice/dial-ended', { DialCallStatus: 'no-answer' }),
  '/escalate': voice('/escalate'),
  '/escalate/choice': choosing(/text/),
  '/number/answer': after(choosing(/text/), 'Gather', { Digits: '1' }),
  '/callback/now': voice(`/callback/now?number=${dana}`),
  '/callback/schedule': scheduleAsk(SCHEDULED_NUMBER),
  '/callback/schedule/time': scheduleTime(SCHEDULED_NUMBER),
  '/callback/schedule/confirm': scheduleConfirm(SCHEDULED_NUMBER),
  '/callback/schedule/check': after(scheduleConfirm(CHECKED_NUMBER), 'Redirect'),
  '/callback/agent': callbackLeg('agent'),
  '/callback/agent-answer': callbackLeg('agent-answer', { Digits: '1' }),
  '/callback/customer': callbackLeg('customer'),
  '/callback/customer-answer': callbackLeg('customer-answer', { Digits: '1' }),
  '/callback/dial-ended': callbackLeg('dial-ended', { DialCallStatus: 'completed', DialBridged: 'true', DialCallDuration: '42' }),
  '/callback/status': callbackLeg('status', { CallStatus: 'completed', CallDuration: '42' }),
  '/text/send': voice(`/text/send?number=${dana}`),
  '/email/send': voice('/email/send'),
  '/email/case-number': after(voice('/email/send'), 'Gather', { Digits: '1' }),
  '/transfer/whisper': after(choosing(/talk to a person/), 'Number'),
  '/transfer/whisper-answer': after(after(choosing(/talk to a person/), 'Number'), 'Gather', { Digits: '1' }),
  '/transfer/dial-ended': after(choosing(/talk to a person/), 'Dial', { DialCallStatus: 'completed', DialBridged: 'true', DialCallDuration: '60' }),
  '/transfer/refer-ended': voice('/transfer/refer-ended?caller=Dana&tail=0142', { NotifySipResponseCode: '202', ReferCallStatus: 'completed' }),
  '/events/call-status': async (sandbox, callSid) => {
    await loggedCall(sandbox, callSid);
    return { pathAndQuery: '/events/call-status', params: danaParams(sandbox.accountSid, callSid, { CallStatus: 'completed', CallDuration: '75' }) };
  },
  '/events/message-status': async (sandbox, callSid) => {
    await loggedCall(sandbox, callSid);
    const sid = `SM${randomBytes(16).toString('hex')}`;
    return {
      pathAndQuery: `/events/message-status?CallSid=${callSid}`,
      params: { AccountSid: sandbox.accountSid, MessageSid: sid, SmsSid: sid, MessageStatus: 'delivered', SmsStatus: 'delivered', From: DEMO_LINES.support, To: DEMO_CALLERS.dana, ApiVersion: '2010-04-01' },
    };
  },
  '/events/recording': async (sandbox, callSid) => {
    await loggedCall(sandbox, callSid);
    sandbox.twilio.addInboundCall({ from: DEMO_CALLERS.dana, to: DEMO_LINES.support, sid: callSid, status: 'completed' });
    const recording = sandbox.twilio.addRecording(callSid, { channels: 2, durationSeconds: 60 });
    return { pathAndQuery: '/events/recording', params: sandbox.twilio.recordingCallbackParams(recording.sid) };
  },
  '/events/transcript': async (sandbox, callSid) => {
    const recording = await REQUESTS['/events/recording']!(sandbox, callSid);
    await send(sandbox, recording);
    const transcript = sandbox.twilio.transcripts().find((t) => t.sourceSid === recording.params?.RecordingSid);
    if (!transcript) throw new Error('the recording event created no transcript');
    return { pathAndQuery: '/events/transcript', json: { account_sid: sandbox.accountSid, transcript_sid: transcript.sid, customer_key: callSid, event_type: 'voice_intelligence_transcript_available' } };
  },
  // A Simultaneous ring group on the Service Desk: Dana waits in her room while an agent's leg (its own
  // CallSid, from the line to the agent) hears the whisper, accepts, or ends.
  '/transfer/group/accept': groupLeg('/transfer/group/accept', { Digits: '1' }),
  '/transfer/group/agent-after': groupLeg('/transfer/group/agent-after'),
  '/transfer/group/ended': async (sandbox, callSid) => ({
    pathAndQuery: `/transfer/group/ended?lang=en-US&none=1&Line=${encodeURIComponent(DEMO_LINES.serviceDesk)}`,
    params: { ...danaParams(sandbox.accountSid, callSid, { DialCallStatus: 'completed' }), To: DEMO_LINES.serviceDesk },
  }),
  '/transfer/group/room': async (sandbox, callSid) => {
    const agentSid = newCallSid();
    const query = `legs=${agentSid},&Line=${encodeURIComponent(DEMO_LINES.serviceDesk)}`;
    return {
      pathAndQuery: `/transfer/group/room?${query}`,
      params: { AccountSid: sandbox.accountSid, ConferenceSid: `CF${randomBytes(16).toString('hex')}`, FriendlyName: `ring-${callSid}`, StatusCallbackEvent: 'participant-join', CallSid: agentSid, ParticipantLabel: 'agent', Timestamp: new Date().toUTCString(), SequenceNumber: '2' },
    };
  },
  '/transfer/group/agent-status': async (sandbox, callSid) => {
    const query = `lang=en-US&Line=${encodeURIComponent(DEMO_LINES.serviceDesk)}&room=ring-${callSid}&t=${Date.now()}`;
    return {
      pathAndQuery: `/transfer/group/agent-status?${query}`,
      params: { AccountSid: sandbox.accountSid, CallSid: newCallSid(), CallStatus: 'no-answer', From: DEMO_LINES.serviceDesk, To: DEMO_AGENT_NUMBER, Direction: 'outbound-api', ApiVersion: '2010-04-01' },
    };
  },
  // Voicemail: Dana's message on Support, as the <Record> action and its recording callback carry it.
  '/voicemail/recorded': async (sandbox, callSid) => {
    const recording = sandbox.twilio.addRecording(callSid, { channels: 1, durationSeconds: 12 });
    const params = sandbox.twilio.recordingCallbackParams(recording.sid);
    return { pathAndQuery: '/voicemail/recorded?try=1', params: danaParams(sandbox.accountSid, callSid, { RecordingUrl: params.RecordingUrl!, RecordingDuration: '12', RecordingSid: recording.sid, Digits: '#' }) };
  },
  '/voicemail/recording': async (sandbox, callSid) => {
    await loggedCall(sandbox, callSid);
    sandbox.twilio.addInboundCall({ from: DEMO_CALLERS.dana, to: DEMO_LINES.support, sid: callSid, status: 'completed' });
    const recording = sandbox.twilio.addRecording(callSid, { channels: 1, durationSeconds: 12 });
    const query = `Line=${encodeURIComponent(DEMO_LINES.support)}&number=${dana}&name=Dana&tail=0142`;
    return { pathAndQuery: `/voicemail/recording?${query}`, params: sandbox.twilio.recordingCallbackParams(recording.sid) };
  },
  '/sms/incoming': async (sandbox) => ({
    pathAndQuery: '/sms/incoming',
    params: { AccountSid: sandbox.accountSid, MessageSid: `SM${randomBytes(16).toString('hex')}`, From: DEMO_CALLERS.dana, To: DEMO_LINES.support, Body: 'CHANGE', NumMedia: '0', ApiVersion: '2010-04-01' },
  }),
  '/jobs/dispatch-callbacks': async () => ({ pathAndQuery: '/jobs/dispatch-callbacks', bearer: SANDBOX_DISPATCH_SECRET }),
};

const fields = (sandbox: Sandbox, table: string) => sandbox.airtable.records(table).map((r) => r.fields as Record<string, unknown>);
const OPEN_CALLBACK = new Set(['Queued', 'Dialing', 'Retry']);

/** What the steps that do something for the caller promise, and where it must be afterwards. */
const PROMISES: Readonly<Record<string, readonly CallerPromise[]>> = {
  '/callback/now': [
    {
      heard: /call you back in a moment|call you back when we open|already have a call back/,
      what: 'an open Callbacks row for the number',
      kept: (sandbox) => fields(sandbox, 'Callbacks').some((f) => f.Phone === DEMO_CALLERS.dana && f.Kind === 'Now' && OPEN_CALLBACK.has(String(f.Status))),
    },
  ],
  '/callback/schedule/check': [
    { heard: /You are all set/, what: 'a Booked row for the number', kept: (sandbox) => fields(sandbox, 'Callbacks').some((f) => f.Phone === CHECKED_NUMBER && f.Status === 'Booked') },
    { heard: /We sent you a text/, what: 'the confirmation text', kept: (sandbox) => sandbox.twilio.messages().some((m) => m.params.To === CHECKED_NUMBER) },
  ],
  '/text/send': [{ heard: /I have sent a text/, what: 'the text at Twilio', kept: (sandbox) => sandbox.twilio.messages().some((m) => m.params.To === DEMO_CALLERS.dana) }],
  '/email/send': [{ heard: /I have emailed/, what: 'the email at SendGrid', kept: (sandbox) => sandbox.sendgrid.mails().length > 0 }],
};

const DEFAULTS: Readonly<Record<WebhookKind, (entryPath: string) => RequestMaker>> = {
  voice: (p) => voice(p),
  event: (p) => async (sandbox, callSid) => ({ pathAndQuery: p, params: danaParams(sandbox.accountSid, callSid, { CallStatus: 'completed' }) }),
  sms: (p) => async (sandbox) => ({ pathAndQuery: p, params: { AccountSid: sandbox.accountSid, MessageSid: `SM${'0'.repeat(32)}`, From: DEMO_CALLERS.dana, To: DEMO_LINES.support, Body: 'HELP' } }),
  job: (p) => async () => ({ pathAndQuery: p, bearer: SANDBOX_DISPATCH_SECRET }),
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

function kindOf(webhookPath: string, source: string): WebhookKind {
  if (/\bvoiceWebhook\(/.test(source)) return 'voice';
  if (webhookPath.startsWith('/sms/')) return 'sms';
  if (webhookPath.startsWith('/jobs/')) return 'job';
  return 'event';
}

/** The catalog, one entry per file of `src/functions`, sorted by path. */
export function webhookCatalog(): WebhookEntry[] {
  return filesUnder(FUNCTIONS_DIR)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => {
      const relative = path.relative(FUNCTIONS_DIR, file).split(path.sep).join('/');
      const access = relative.endsWith('.protected.ts') ? ('protected' as const) : ('public' as const);
      const webhookPath = `/${relative.replace(/(\.protected)?\.ts$/, '')}`;
      const kind = kindOf(webhookPath, readFileSync(file, 'utf8'));
      const maker = REQUESTS[webhookPath];
      return {
        path: webhookPath,
        kind,
        access,
        realistic: maker !== undefined,
        request: maker ?? DEFAULTS[kind](webhookPath),
        promises: PROMISES[webhookPath],
      };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}
