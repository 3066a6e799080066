// Recordings (api v2010): list, fetch and delete, account-wide or under a call, plus adding a
// finished recording (as when a recorded <Dial> ends) and the parameters of its status callback.
import { sendEmpty, sendJson } from '../shared/http';
import { newSid } from './resources/common';
import { filtersOf, page2010, pageRequest } from './resources/paging';
import { recordingResource, type RecordingResource, type RecordingSource } from './resources/recording';
import { ACCOUNT, badPage, notFound, type Ctx, type Route } from './routing';
import type { EmulatorState } from './state';

export interface RecordingOptions {
  readonly sid?: string;
  readonly durationSeconds?: number;
  readonly channels?: number;
  readonly source?: RecordingSource;
  readonly track?: string;
  readonly startTime?: Date;
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

export const RECORDING_ROUTES: readonly Route[] = [
  {
    pattern: new RegExp(`${ACCOUNT}/Calls/([^/]+)/Recordings\\.json$`),
    account: true,
    methods: { GET: (ctx) => listRecordings(ctx, ctx.match[2]) },
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
    status: 'completed',
    track: opts.track ?? 'both',
    startTime: opts.startTime ?? new Date(at.getTime() - duration * 1000),
    now: at,
  });
  state.recordings.push(resource);
  return structuredClone(resource);
}

/** The form parameters Twilio posts to a recordingStatusCallback for this recording. */
export function recordingCallbackParams(state: EmulatorState, recordingSid: string): Record<string, string> {
  const r = state.recordings.find((x) => x.sid === recordingSid);
  if (!r) throw new Error(`no recording ${recordingSid}`);
  return {
    AccountSid: r.account_sid,
    CallSid: r.call_sid,
    RecordingSid: r.sid,
    RecordingUrl: r.media_url,
    RecordingStatus: r.status,
    RecordingDuration: r.duration,
    RecordingChannels: String(r.channels),
    RecordingStartTime: r.start_time,
    RecordingSource: r.source,
    RecordingTrack: r.track,
  };
}
