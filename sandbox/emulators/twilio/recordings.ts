// Recordings (api v2010): list, fetch and delete, account-wide or under a call; start one on a call in
// progress (the Call Recordings API), finished with its signed status callback when the call ends; plus
// adding a finished recording (as when a recorded <Dial> ends) and the parameters of its status callback.
import { one, sendEmpty, sendJson } from '../shared/http';
import type { CallResource } from './resources/call';
import { newSid } from './resources/common';
import { filtersOf, page2010, pageRequest } from './resources/paging';
import { callRecordingView, recordingResource, type RecordingResource, type RecordingSource } from './resources/recording';
import { ACCOUNT, badPage, fail, notFound, type Ctx, type Route } from './routing';
import { startedAtMs, type EmulatorState } from './state';
import { checkCallRecordingCreate, recordingEventsOf, twilioError } from './validate';
import { sendCallback } from './webhooks';

export interface RecordingOptions {
  readonly sid?: string;
  readonly durationSeconds?: number;
  readonly channels?: number;
  readonly source?: RecordingSource;
  readonly track?: string;
  readonly startTime?: Date;
  /** `absent`: Twilio kept no audio (e.g. silence); its callback carries `errorCode`. Default completed. */
  readonly status?: 'completed' | 'absent';
  readonly errorCode?: number;
}

export function listRecordings({ state, res, query, match }: Ctx, callSid?: string) {
  const req = pageRequest(query, 1000);
  if (typeof req === 'string') return badPage(res, req);
  const filterCall = callSid ?? query.get('CallSid');
  const filters = filtersOf(query, callSid ? [] : ['CallSid']);
  const items = [...state.recordings].reverse().filter((r) => !filterCall || r.call_sid === filterCall);
  const path = callSid
    ? `/2010-04-01/Accounts/${match[1]}/Calls/${callSid}/Recordings.json`
    : `/2010-04-01/Accounts/${match[1]}/Recordings.json`;
  sendJson(res, 200, page2010({ items, key: 'recordings', path, filters, req, sidOf: (r) => r.sid }));
}

function findRecording({ state, res, path }: Ctx, sid: string, callSid?: string): RecordingResource | undefined {
  const recording = state.recordings.find((r) => r.sid === sid && (!callSid || r.call_sid === callSid));
  if (!recording) notFound(res, path);
  return recording;
}

export function fetchRecording(ctx: Ctx, sid: string, callSid?: string) {
  const recording = findRecording(ctx, sid, callSid);
  if (recording) sendJson(ctx.res, 200, recording);
}

export function deleteRecording(ctx: Ctx, sid: string, callSid?: string) {
  const recording = findRecording(ctx, sid, callSid);
  if (!recording) return;
  ctx.state.recordings = ctx.state.recordings.filter((r) => r !== recording);
  sendEmpty(ctx.res, 204);
}

/** Where a recording started through the API reports, and on which of its events. */
export interface RecordingCallback {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  /** in-progress, completed, absent (default completed). */
  readonly events: readonly string[];
}

/** Twilio's "too short" error on an absent recording. */
const RECORDING_TOO_SHORT = 16101;

/**
 * POST .../Calls/{CallSid}/Recordings.json: starts recording a call in progress (a queued, ringing or
 * finished call is 21220). Dual channels need both tracks: the call's own audio (what its party says) on
 * the first channel, what Twilio plays to it on the second (for a caller in a conference, the others).
 */
function createCallRecording({ state, res, path, params, match }: Ctx) {
  const call = state.calls.find((c) => c.sid === match[2]);
  if (!call) return notFound(res, path);
  const error = checkCallRecordingCreate(params);
  if (error) return fail(res, error);
  if (call.resource.status !== 'in-progress') return fail(res, twilioError(21220, 'Requested resource is not eligible for recording'));
  const track = one(params, 'RecordingTrack') ?? 'both';
  const at = state.config.now();
  const resource = recordingResource({
    accountSid: state.config.accountSid,
    sid: newSid('RE'),
    callSid: call.sid,
    durationSeconds: undefined,
    channels: one(params, 'RecordingChannels') === 'dual' && track === 'both' ? 2 : 1,
    source: 'StartCallRecordingAPI',
    status: 'in-progress',
    track,
    startTime: at,
    now: at,
  });
  state.recordings.push(resource);
  startedAtMs.set(resource, at.getTime());
  const url = one(params, 'RecordingStatusCallback');
  const method = one(params, 'RecordingStatusCallbackMethod')?.toUpperCase() === 'GET' ? 'GET' : 'POST';
  const callback: RecordingCallback | undefined = url ? { url, method, events: recordingEventsOf(params) } : undefined;
  if (callback) state.recordingCallbacks.set(resource.sid, callback);
  sendJson(res, 201, callRecordingView(resource));
  if (callback?.events.includes('in-progress')) res.once('finish', () => void sendRecordingCallback(state, resource.sid));
}

function sendRecordingCallback(state: EmulatorState, recordingSid: string): Promise<unknown> | undefined {
  const callback = state.recordingCallbacks.get(recordingSid);
  const recording = state.recordings.find((r) => r.sid === recordingSid);
  if (!callback || !recording || !callback.events.includes(recording.status)) return undefined;
  return sendCallback(state, { kind: 'recording', url: callback.url, method: callback.method, params: recordingCallbackParams(state, recordingSid) });
}

/**
 * The call ended: each recording the API started on it is finished (completed, or absent when nothing
 * was recorded), and its status callback sent, signed. It lasted from its start to the call's end: the
 * call's duration (simulated, when a call driver reports it) less the time before it started.
 */
export function finishCallRecordings(state: EmulatorState, call: CallResource): void {
  for (const recording of state.recordings) {
    if (recording.call_sid !== call.sid || (recording.status !== 'in-progress' && recording.status !== 'paused')) continue;
    const callStart = startedAtMs.get(call) ?? (call.start_time ? Date.parse(call.start_time) : undefined);
    const recordingStart = startedAtMs.get(recording) ?? Date.parse(recording.start_time);
    const before = callStart === undefined ? 0 : Math.max(0, Math.round((recordingStart - callStart) / 1000));
    const seconds = Math.max(0, Number(call.duration ?? 0) - before);
    recording.status = seconds > 0 ? 'completed' : 'absent';
    recording.duration = String(seconds);
    recording.error_code = seconds > 0 ? null : RECORDING_TOO_SHORT;
    recording.date_updated = call.end_time ?? recording.date_updated;
    void sendRecordingCallback(state, recording.sid);
  }
}

export const RECORDING_ROUTES: readonly Route[] = [
  {
    pattern: new RegExp(`${ACCOUNT}/Calls/([^/]+)/Recordings\\.json$`),
    account: true,
    methods: { GET: (ctx) => listRecordings(ctx, ctx.match[2]), POST: createCallRecording },
  },
  {
    pattern: new RegExp(`${ACCOUNT}/Calls/([^/]+)/Recordings/([^/]+)\\.json$`),
    account: true,
    methods: {
      GET: (ctx) => fetchRecording(ctx, ctx.match[3], ctx.match[2]),
      DELETE: (ctx) => deleteRecording(ctx, ctx.match[3], ctx.match[2]),
    },
  },
  { pattern: new RegExp(`${ACCOUNT}/Recordings\\.json$`), account: true, methods: { GET: (ctx) => listRecordings(ctx) } },
  {
    pattern: new RegExp(`${ACCOUNT}/Recordings/([^/]+)\\.json$`),
    account: true,
    methods: {
      GET: (ctx) => fetchRecording(ctx, ctx.match[2]),
      DELETE: (ctx) => deleteRecording(ctx, ctx.match[2]),
    },
  },
];

// ---- Programmatic control -------------------------------------------------------------------------

/** Adds a finished recording of a call, as when a recorded <Dial> ends. */
export function addRecording(state: EmulatorState, callSid: string, opts: RecordingOptions = {}): RecordingResource {
  const at = state.config.now();
  const duration = opts.durationSeconds ?? 42;
  const resource = recordingResource({
    accountSid: state.config.accountSid,
    sid: opts.sid ?? newSid('RE'),
    callSid,
    durationSeconds: duration,
    channels: opts.channels ?? 2,
    source: opts.source ?? 'DialVerb',
    status: opts.status ?? 'completed',
    track: opts.track ?? 'both',
    startTime: opts.startTime ?? new Date(at.getTime() - duration * 1000),
    now: at,
  });
  if (opts.errorCode !== undefined) resource.error_code = opts.errorCode;
  state.recordings.push(resource);
  return structuredClone(resource);
}

/**
 * The form parameters Twilio posts to a recordingStatusCallback when this recording has finished
 * (its `completed` or `absent` event): the <Dial> documentation's list, with `ErrorCode` 0 unless the
 * recording failed. `RecordingTrack` is sent only for recordings started by the Recordings API
 * (StartCallRecordingAPI), whose callback documents it.
 */
export function recordingCallbackParams(state: EmulatorState, recordingSid: string): Record<string, string> {
  const r = state.recordings.find((x) => x.sid === recordingSid);
  if (!r) throw new Error(`no recording ${recordingSid}`);
  return {
    AccountSid: r.account_sid,
    CallSid: r.call_sid,
    RecordingSid: r.sid,
    RecordingUrl: r.media_url,
    RecordingStatus: r.status,
    RecordingDuration: r.duration ?? '0',
    RecordingChannels: String(r.channels),
    RecordingStartTime: r.start_time,
    RecordingSource: r.source,
    ...(r.source === 'StartCallRecordingAPI' ? { RecordingTrack: r.track } : {}),
    ErrorCode: String(r.error_code ?? 0),
  };
}
