// Calls (api v2010): create, fetch, update (redirect, hang up), delete and list, plus what the call
// driver uses to move calls on. The emulator never places calls: it tells `onCallCreated`
// listeners how Twilio would answer, and they report back through `setCallStatus`.
import { all, one, sendEmpty, sendJson, type FormParams } from '../shared/http';
import { callResource, CALL_STATUSES, ENDED_CALL_STATUSES, type CallResource, type CallStatus } from './resources/call';
import { newSid, rfc2822 } from './resources/common';
import { filtersOf, page2010, pageRequest } from './resources/paging';
import { callUpdated, leaveConference } from './conferences';
import { finishCallRecordings } from './recordings';
import { ACCOUNT, badPage, fail, notFound, type Ctx, type Route } from './routing';
import { notify, startedAtMs, type EmulatorState } from './state';
import { CALL_EVENTS, checkCallCreate, checkCallUpdate } from './validate';

export interface CallRecord {
  readonly sid: string;
  /** The form parameters of the create request, exactly as sent. */
  readonly params: FormParams;
  /** The form parameters of each later update (redirects, hang-ups), in order. */
  readonly updates: readonly FormParams[];
  readonly resource: CallResource;
  /** Warnings Twilio would log for this call (its debugger), e.g. 21626 for an ignored StatusCallbackEvent. */
  readonly warnings: readonly CallWarning[];
  /** The conference a Participants API create placed this call into (its SID). */
  readonly conference?: string;
}

export interface CallWarning {
  readonly code: number;
  readonly message: string;
}

export interface MutableCall {
  sid: string;
  params: FormParams;
  updates: FormParams[];
  resource: CallResource;
  warnings: CallWarning[];
  conference?: string;
}

/** What a call driver needs to "answer" an outbound call the project placed. */
export interface CallCreatedEvent {
  readonly call: CallResource;
  readonly params: FormParams;
  readonly url?: string;
  readonly method: string;
  readonly twiml?: string;
  readonly statusCallback?: string;
  readonly statusCallbackMethod: string;
  /**
   * Events the project asked for, one valid event name per StatusCallbackEvent value; Twilio sends
   * only `completed` when none.
   */
  readonly statusCallbackEvents: readonly string[];
  readonly machineDetection?: string;
  readonly timeoutSeconds: number;
  readonly record: boolean;
  readonly recordingStatusCallback?: string;
  /**
   * A call the Participants API placed: once answered it joins this conference (the driver calls
   * `joinConference` with the friendly name); it has no Url or Twiml of its own.
   */
  readonly conference?: { readonly sid: string; readonly friendlyName: string; readonly label?: string };
}

export interface CallUpdatedEvent {
  readonly call: CallResource;
  readonly params: FormParams;
}

const findCall = (state: EmulatorState, sid: string) => state.calls.find((c) => c.sid === sid);

/**
 * Twilio takes StatusCallbackEvent only as repeated parameters, one event per value. A value that is
 * not exactly one event name (such as "initiated answered", space-joined) is accepted with 201 but
 * ignored, with warning 21626: no callback is sent for it.
 */
export function statusCallbackEventsOf(params: FormParams): { events: string[]; warnings: CallWarning[] } {
  const events: string[] = [];
  const warnings: CallWarning[] = [];
  for (const value of all(params, 'StatusCallbackEvent')) {
    if (CALL_EVENTS.includes(value)) events.push(value);
    else warnings.push({ code: 21626, message: `Invalid StatusCallbackEvent ignored: "${value}"` });
  }
  return { events, warnings };
}

function moveCall(state: EmulatorState, call: CallResource, status: CallStatus, extra: { answeredBy?: string; durationSeconds?: number } = {}) {
  const at = state.config.now();
  if (status === 'in-progress' && !call.start_time) {
    call.start_time = rfc2822(at);
    startedAtMs.set(call, at.getTime());
  }
  if (ENDED_CALL_STATUSES.includes(status)) {
    call.end_time = rfc2822(at);
    const started = call.start_time ? startedAtMs.get(call) ?? Date.parse(call.start_time) : undefined;
    const seconds = extra.durationSeconds ?? (started === undefined ? 0 : Math.max(0, Math.round((at.getTime() - started) / 1000)));
    call.duration = String(seconds);
  }
  if (extra.answeredBy !== undefined) call.answered_by = extra.answeredBy;
  call.status = status;
  call.date_updated = rfc2822(at);
  // Recordings started through the API end with the call.
  if (ENDED_CALL_STATUSES.includes(status)) finishCallRecordings(state, call);
}

export function createCall({ state, res, params }: Ctx) {
  const { accountSid, numbers, now } = state.config;
  const error = checkCallCreate(params, { ...state.recipients, numbers });
  if (error) return fail(res, error);
  const sid = newSid('CA');
  const resource = callResource({ accountSid, sid, to: one(params, 'To')!, from: one(params, 'From')!, now: now() });
  const { events, warnings } = statusCallbackEventsOf(params);
  state.calls.push({ sid, params, updates: [], resource, warnings });
  state.created.calls += 1;
  sendJson(res, 201, resource);
  const event: CallCreatedEvent = {
    call: structuredClone(resource),
    params,
    url: one(params, 'Url'),
    method: (one(params, 'Method') ?? 'POST').toUpperCase(),
    twiml: one(params, 'Twiml'),
    statusCallback: one(params, 'StatusCallback'),
    statusCallbackMethod: (one(params, 'StatusCallbackMethod') ?? 'POST').toUpperCase(),
    statusCallbackEvents: events,
    machineDetection: one(params, 'MachineDetection'),
    timeoutSeconds: Number(one(params, 'Timeout') ?? 60),
    record: one(params, 'Record') === 'true',
    recordingStatusCallback: one(params, 'RecordingStatusCallback'),
  };
  res.once('finish', () => notify(state.listeners.callCreated, event));
}

export function fetchCall({ state, res, path, match }: Ctx) {
  const call = findCall(state, match[2]);
  return call ? sendJson(res, 200, call.resource) : notFound(res, path);
}

export function updateCall({ state, res, path, match, params }: Ctx) {
  const call = findCall(state, match[2]);
  if (!call) return notFound(res, path);
  const current = call.resource.status;
  const error = checkCallUpdate(params, ENDED_CALL_STATUSES.includes(current));
  if (error) return fail(res, error);
  call.updates.push(params);
  const status = one(params, 'Status');
  const waiting = current === 'queued' || current === 'ringing';
  // Twilio: `canceled` only stops a call not yet answered (an answered one goes on); `completed`
  // hangs up an answered call, and a call not yet answered ends as canceled either way.
  if (status === 'canceled' && waiting) moveCall(state, call.resource, 'canceled');
  if (status === 'completed' && waiting) moveCall(state, call.resource, 'canceled');
  if (status === 'completed' && current === 'in-progress') moveCall(state, call.resource, 'completed');
  call.resource.date_updated = rfc2822(state.config.now());
  // A redirect or a hang-up takes the call out of any conference it is in.
  callUpdated(state, call.sid, params);
  sendJson(res, 200, call.resource);
  const event = { call: structuredClone(call.resource), params };
  res.once('finish', () => notify(state.listeners.callUpdated, event));
}

export function deleteCall({ state, res, path, match }: Ctx) {
  const call = findCall(state, match[2]);
  if (!call) return notFound(res, path);
  state.calls = state.calls.filter((c) => c !== call);
  sendEmpty(res, 204);
}

export function listCalls({ state, res, query }: Ctx) {
  const req = pageRequest(query, 1000);
  if (typeof req === 'string') return badPage(res, req);
  const filters = filtersOf(query, ['To', 'From', 'Status', 'ParentCallSid']);
  const items = [...state.calls]
    .reverse()
    .map((c) => c.resource)
    .filter(
      (c) =>
        (!query.get('To') || c.to === query.get('To')) &&
        (!query.get('From') || c.from === query.get('From')) &&
        (!query.get('Status') || c.status === query.get('Status')) &&
        (!query.get('ParentCallSid') || c.parent_call_sid === query.get('ParentCallSid')),
    );
  const path = `/2010-04-01/Accounts/${state.config.accountSid}/Calls.json`;
  sendJson(res, 200, page2010({ items, key: 'calls', path, filters, req, sidOf: (c) => c.sid }));
}

export const CALL_ROUTES: readonly Route[] = [
  { pattern: new RegExp(`${ACCOUNT}/Calls\\.json$`), account: true, methods: { GET: listCalls, POST: createCall } },
  {
    pattern: new RegExp(`${ACCOUNT}/Calls/([^/]+)\\.json$`),
    account: true,
    methods: { GET: fetchCall, POST: updateCall, DELETE: deleteCall },
  },
];

// ---- Programmatic control (the call driver's side) ----------------------------------------------

/** Moves a call on (ringing, in-progress, completed, busy, no-answer...), setting times and duration. */
export function setCallStatus(
  state: EmulatorState,
  sid: string,
  status: CallStatus,
  extra?: { answeredBy?: string; durationSeconds?: number },
): CallResource {
  const call = findCall(state, sid);
  if (!call) throw new Error(`no call ${sid}`);
  if (!CALL_STATUSES.includes(status)) throw new Error(`not a call status: ${status}`);
  moveCall(state, call.resource, status, extra);
  if (ENDED_CALL_STATUSES.includes(status)) leaveConference(state, sid, status);
  return structuredClone(call.resource);
}

/** Registers a call that came in (so the project can fetch it or record it). */
export function addInboundCall(state: EmulatorState, opts: { from: string; to: string; sid?: string; status?: CallStatus }): CallResource {
  const { from, to, sid, status } = opts;
  const { accountSid, now } = state.config;
  const resource = callResource({ accountSid, sid: sid ?? newSid('CA'), to, from, now: now(), direction: 'inbound' });
  state.calls.push({ sid: resource.sid, params: {}, updates: [], resource, warnings: [] });
  moveCall(state, resource, status ?? 'in-progress');
  return structuredClone(resource);
}
