// Conference Participants (api v2010): create ("dial an agent into a conference": Twilio places the
// call and, once answered, puts it in the room), list, fetch, update (Hold, Muted, EndConferenceOnExit...)
// and delete (kick), addressed by call SID or by label. The conference is named by its SID, or, at
// create, by a friendly name: an active one of that name, else a new one (as Twilio does). The call a
// create places goes to the call driver through `onCallCreated` with its conference; the driver reports
// back with `joinConference` (answered) or `setCallStatus` (busy, no answer...).
import { all, one, sendEmpty, sendJson, type FormParams } from '../shared/http';
import { statusCallbackEventsOf, type CallCreatedEvent } from './calls';
import {
  addParticipant,
  CONFERENCE_EVENTS,
  conferenceEvent,
  conferenceNamed,
  findConference,
  labelTaken,
  participantResourceFor,
  removeParticipant,
  type ConferenceCallback,
  type MutableConference,
  type ParticipantSettings,
} from './conferences';
import { callResource } from './resources/call';
import { newSid, rfc2822 } from './resources/common';
import { filtersOf, page2010, pageRequest } from './resources/paging';
import { ACCOUNT, badPage, fail, notFound, type Ctx, type Route } from './routing';
import { notify } from './state';
import { checkParticipantCreate, twilioError } from './validate';

const bool = (params: FormParams, name: string, fallback: boolean): boolean => {
  const value = one(params, name);
  return value === undefined ? fallback : value === 'true';
};

/** ConferenceStatusCallbackEvent: repeated values, or one value with the events separated by spaces. */
function conferenceEventsOf(params: FormParams): string[] {
  return all(params, 'ConferenceStatusCallbackEvent').flatMap((value) => value.split(/\s+/)).filter(Boolean);
}

function activeConference(ctx: Ctx): MutableConference | undefined {
  const conference = findConference(ctx.state, decodeURIComponent(ctx.match[2]));
  if (!conference || conference.resource.status === 'completed') {
    notFound(ctx.res, ctx.path);
    return undefined;
  }
  return conference;
}

function findParticipant(conference: MutableConference, callSidOrLabel: string) {
  const key = decodeURIComponent(callSidOrLabel);
  return conference.participants.find((p) => p.resource.call_sid === key || p.resource.label === key);
}

function createParticipant({ state, res, params, match, path }: Ctx) {
  const { accountSid, numbers, now } = state.config;
  const error = checkParticipantCreate(params, { ...state.recipients, numbers });
  if (error) return fail(res, error);
  const events = conferenceEventsOf(params);
  const unknown = events.find((event) => !CONFERENCE_EVENTS.includes(event));
  if (unknown) return fail(res, twilioError(20001, `Invalid ConferenceStatusCallbackEvent: ${unknown}`));
  const key = decodeURIComponent(match[2]);
  const bySid = /^CF[0-9a-fA-F]{32}$/.test(key);
  const existing = findConference(state, key);
  if (bySid && (!existing || existing.resource.status === 'completed')) return notFound(res, path);
  const conference = existing ?? conferenceNamed(state, key);
  const label = one(params, 'Label');
  if (labelTaken(conference, label)) {
    // The same as a <Conference participantLabel> already in the room (16025): labels are unique per conference.
    return fail(res, twilioError(16025, `A participant with the label "${label}" already exists in this conference`));
  }
  const callbackUrl = one(params, 'ConferenceStatusCallback');
  const statusCallback: ConferenceCallback | undefined = callbackUrl
    ? { url: callbackUrl, method: (one(params, 'ConferenceStatusCallbackMethod') ?? 'POST').toUpperCase() === 'GET' ? 'GET' : 'POST', events: events.length ? events : ['start', 'end'] }
    : undefined;
  const settings: ParticipantSettings = {
    label,
    startConferenceOnEnter: bool(params, 'StartConferenceOnEnter', true),
    endConferenceOnExit: bool(params, 'EndConferenceOnExit', false),
    muted: bool(params, 'Muted', false),
    beep: one(params, 'Beep') ?? 'true',
    statusCallback,
    coaching: one(params, 'Coaching') === 'true' || one(params, 'CallSidToCoach') !== undefined,
    callSidToCoach: one(params, 'CallSidToCoach'),
  };
  const callSid = newSid('CA');
  const call = callResource({ accountSid, sid: callSid, to: one(params, 'To')!, from: one(params, 'From')!, now: now() });
  const { events: progress, warnings } = statusCallbackEventsOf(params);
  state.calls.push({ sid: callSid, params, updates: [], resource: call, warnings, conference: conference.resource.sid });
  state.created.calls += 1;
  const participant = addParticipant(state, conference, callSid, settings, participantResourceFor(state, conference, callSid, settings, now()));
  sendJson(res, 201, { ...participant.resource, queue_time: '0' });
  const event: CallCreatedEvent = {
    call: structuredClone(call),
    params,
    method: 'POST',
    statusCallback: one(params, 'StatusCallback'),
    statusCallbackMethod: (one(params, 'StatusCallbackMethod') ?? 'POST').toUpperCase(),
    statusCallbackEvents: progress,
    machineDetection: one(params, 'MachineDetection'),
    timeoutSeconds: Number(one(params, 'Timeout') ?? 60),
    record: one(params, 'Record') === 'true',
    recordingStatusCallback: one(params, 'RecordingStatusCallback'),
    conference: { sid: conference.resource.sid, friendlyName: conference.resource.friendly_name, label },
  };
  res.once('finish', () => notify(state.listeners.callCreated, event));
}

function listParticipants(ctx: Ctx) {
  const conference = activeConference(ctx);
  if (!conference) return;
  const { query, res, match } = ctx;
  const req = pageRequest(query, 1000);
  if (typeof req === 'string') return badPage(res, req);
  const filters = filtersOf(query, ['Muted', 'Hold', 'Coaching']);
  const flag = (name: string, value: boolean) => query.get(name) === null || String(value) === query.get(name);
  const items = conference.participants
    .map((p) => p.resource)
    .filter((p) => flag('Muted', p.muted) && flag('Hold', p.hold) && flag('Coaching', p.coaching));
  const listPath = `/2010-04-01/Accounts/${match[1]}/Conferences/${conference.resource.sid}/Participants.json`;
  sendJson(res, 200, page2010({ items, key: 'participants', path: listPath, filters, req, sidOf: (p) => p.call_sid }));
}

function fetchParticipant(ctx: Ctx) {
  const conference = activeConference(ctx);
  if (!conference) return;
  const participant = findParticipant(conference, ctx.match[3]);
  return participant ? sendJson(ctx.res, 200, participant.resource) : notFound(ctx.res, ctx.path);
}

/** Hold, Muted, EndConferenceOnExit, Coaching...: the participant changes, with its mute/hold/modify event. */
function updateParticipant(ctx: Ctx) {
  const conference = activeConference(ctx);
  if (!conference) return;
  const participant = findParticipant(conference, ctx.match[3]);
  if (!participant) return notFound(ctx.res, ctx.path);
  const { params, state } = ctx;
  if (one(params, 'Coaching') === 'true' && !one(params, 'CallSidToCoach') && !participant.resource.call_sid_to_coach) {
    return fail(ctx.res, twilioError(20001, 'CallSidToCoach is required when Coaching is true'));
  }
  const before = participant.resource;
  const muted = one(params, 'Muted') === undefined ? before.muted : one(params, 'Muted') === 'true';
  const hold = one(params, 'Hold') === undefined ? before.hold : one(params, 'Hold') === 'true';
  const endConferenceOnExit = bool(params, 'EndConferenceOnExit', before.end_conference_on_exit);
  const coaching = bool(params, 'Coaching', before.coaching);
  participant.resource = {
    ...before,
    muted,
    hold,
    end_conference_on_exit: endConferenceOnExit,
    coaching,
    call_sid_to_coach: one(params, 'CallSidToCoach') ?? before.call_sid_to_coach,
    date_updated: rfc2822(state.config.now()),
  };
  participant.settings = { ...participant.settings, endConferenceOnExit, muted, coaching };
  const details = () => ({ CallSid: participant.resource.call_sid, Muted: String(muted), Hold: String(hold), Coaching: String(coaching), EndConferenceOnExit: String(endConferenceOnExit), StartConferenceOnEnter: String(before.start_conference_on_enter), ...(before.label ? { ParticipantLabel: before.label } : {}) });
  if (muted !== before.muted) conferenceEvent(state, conference, muted ? 'participant-mute' : 'participant-unmute', details());
  if (hold !== before.hold) conferenceEvent(state, conference, hold ? 'participant-hold' : 'participant-unhold', details());
  const modified = ['BeepOnExit', 'EndConferenceOnExit', 'Coaching', 'WaitUrl'].some((name) => one(params, name) !== undefined);
  if (modified) conferenceEvent(state, conference, 'participant-modify', details());
  sendJson(ctx.res, 200, participant.resource);
}

/** Kicks the participant: its call leaves the room and goes on (a TwiML participant) or ends (an API one). */
function deleteParticipant(ctx: Ctx) {
  const conference = activeConference(ctx);
  if (!conference) return;
  const participant = findParticipant(conference, ctx.match[3]);
  if (!participant) return notFound(ctx.res, ctx.path);
  removeParticipant(ctx.state, conference, participant, { exit: { reason: 'kicked' }, reason: 'participant_updated_via_api', callStatus: 'in-progress', byApi: true });
  sendEmpty(ctx.res, 204);
}

export const PARTICIPANT_ROUTES: readonly Route[] = [
  { pattern: new RegExp(`${ACCOUNT}/Conferences/([^/]+)/Participants\\.json$`), account: true, methods: { GET: listParticipants, POST: createParticipant } },
  {
    pattern: new RegExp(`${ACCOUNT}/Conferences/([^/]+)/Participants/([^/]+)\\.json$`),
    account: true,
    methods: { GET: fetchParticipant, POST: updateParticipant, DELETE: deleteParticipant },
  },
];
