// Conferences (api v2010): list, fetch and update (Status=completed ends one), and the rooms themselves:
// who is in them, when they start and end, and the status callbacks Twilio sends about them
// (statusCallback of <Conference>, ConferenceStatusCallback of a participant), signed like every
// callback. A conference is made by its first participant, from TwiML (<Dial><Conference>, which the
// call driver reports with `joinConference`) or from the Participants API (conference-participants.ts).
// Per Twilio's <Conference> documentation: it starts when two participants are in and one of them has
// startConferenceOnEnter; it ends when a participant with endConferenceOnExit leaves, when the last one
// leaves, or through the API; the statusCallback and its events are the first joiner's.
import { one, sendJson, type FormParams } from '../shared/http';
import { newSid, rfc2822 } from './resources/common';
import { conferenceResource, participantResource, type ConferenceEndReason, type ConferenceResource, type ParticipantResource } from './resources/conference';
import { filtersOf, page2010, pageRequest } from './resources/paging';
import { ACCOUNT, badPage, fail, notFound, type Ctx, type Route } from './routing';
import type { EmulatorState } from './state';
import { sendCallback } from './webhooks';
import { twilioError } from './validate';

/** The events a conference statusCallback may ask for (statusCallbackEvent, ConferenceStatusCallbackEvent). */
export const CONFERENCE_EVENTS: readonly string[] = ['start', 'end', 'join', 'leave', 'mute', 'hold', 'modify', 'speaker', 'announcement'];

export interface ConferenceCallback {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  /** Events asked for; none means no callback at all. */
  readonly events: readonly string[];
}

/** How a participant takes part (the <Conference> attributes, or the Participants API's parameters). */
export interface ParticipantSettings {
  readonly label?: string;
  readonly startConferenceOnEnter: boolean;
  readonly endConferenceOnExit: boolean;
  readonly muted: boolean;
  /** true, false, onEnter, onExit. */
  readonly beep: string;
  /** The conference's statusCallback, when this participant is the first to join. */
  readonly statusCallback?: ConferenceCallback;
  readonly coaching?: boolean;
  readonly callSidToCoach?: string;
}

/** Why a participant's call left its conference, as its call driver needs to know. */
export type ConferenceExit =
  /** The conference ended: a TwiML participant goes on to the verb after <Dial> (or its action). */
  | { readonly reason: 'conference-ended'; readonly ended: ConferenceEndReason }
  /** Removed through the Participants API (DELETE): the call goes on like after an ended conference. */
  | { readonly reason: 'kicked' }
  /** calls.update with Url or Twiml: the call leaves and runs the new instructions. */
  | { readonly reason: 'redirected'; readonly params: FormParams }
  /** The call hung up: its party did, or calls.update Status=completed. */
  | { readonly reason: 'hung-up'; readonly byApi: boolean };

interface MutableParticipant {
  resource: ParticipantResource;
  settings: ParticipantSettings;
  /** Connected to the room (not only dialled by the Participants API). */
  joined: boolean;
  readonly exit: Promise<ConferenceExit>;
  readonly leave: (exit: ConferenceExit) => void;
}

export interface MutableConference {
  resource: ConferenceResource;
  participants: MutableParticipant[];
  /** Set by the first participant to join. */
  callback?: ConferenceCallback;
  callbackSet: boolean;
  sequence: number;
  /** Callbacks go out one after another, in SequenceNumber order. */
  delivery: Promise<void>;
}

/** What `conferences()` shows: the resource and the participants in it now. */
export interface ConferenceRecord {
  readonly resource: ConferenceResource;
  readonly participants: readonly ParticipantResource[];
}

export type JoinResult =
  | { readonly joined: true; readonly conferenceSid: string; readonly started: boolean; readonly exit: Promise<ConferenceExit>; readonly started$: Promise<void> }
  | { readonly joined: false; readonly code: number; readonly message: string };

const active = (c: MutableConference) => c.resource.status !== 'completed';

/** A conference by SID, or the active one of that friendly name. */
export function findConference(state: EmulatorState, sidOrName: string): MutableConference | undefined {
  return state.conferences.find((c) => c.resource.sid === sidOrName) ?? state.conferences.find((c) => active(c) && c.resource.friendly_name === sidOrName);
}

/** The active conference of that friendly name, created when there is none (names are the account's). */
export function conferenceNamed(state: EmulatorState, name: string): MutableConference {
  const existing = state.conferences.find((c) => active(c) && c.resource.friendly_name === name);
  if (existing) return existing;
  const conference: MutableConference = {
    resource: conferenceResource({ accountSid: state.config.accountSid, sid: newSid('CF'), friendlyName: name, now: state.config.now() }),
    participants: [],
    callbackSet: false,
    sequence: 0,
    delivery: Promise.resolve(),
  };
  state.conferences.push(conference);
  return conference;
}

export function participantOf(state: EmulatorState, callSid: string): { conference: MutableConference; participant: MutableParticipant } | undefined {
  for (const conference of state.conferences.filter(active)) {
    const participant = conference.participants.find((p) => p.resource.call_sid === callSid);
    if (participant) return { conference, participant };
  }
  return undefined;
}

/** A participant whose call is placed (Participants API) or about to join (TwiML); not in the room yet. */
export function addParticipant(state: EmulatorState, conference: MutableConference, callSid: string, settings: ParticipantSettings, resource: ParticipantResource): MutableParticipant {
  let leave!: (exit: ConferenceExit) => void;
  const exit = new Promise<ConferenceExit>((resolve) => (leave = resolve));
  const participant: MutableParticipant = { resource, settings, joined: false, exit, leave };
  conference.participants.push(participant);
  return participant;
}

export function labelTaken(conference: MutableConference, label: string | undefined, callSid?: string): boolean {
  return label !== undefined && conference.participants.some((p) => p.resource.label === label && p.resource.call_sid !== callSid);
}

// ---- Status callbacks -----------------------------------------------------------------------------

const EVENT_FILTER: Readonly<Record<string, string>> = {
  'conference-start': 'start',
  'conference-end': 'end',
  'participant-join': 'join',
  'participant-leave': 'leave',
  'participant-mute': 'mute',
  'participant-unmute': 'mute',
  'participant-hold': 'hold',
  'participant-unhold': 'hold',
  'participant-modify': 'modify',
};

function participantParams(participant: MutableParticipant): Record<string, string> {
  const r = participant.resource;
  return {
    CallSid: r.call_sid,
    Muted: String(r.muted),
    Hold: String(r.hold),
    Coaching: String(r.coaching),
    EndConferenceOnExit: String(r.end_conference_on_exit),
    StartConferenceOnEnter: String(r.start_conference_on_enter),
    ...(r.label ? { ParticipantLabel: r.label } : {}),
  };
}

/** Sends one conference event to the conference's statusCallback, when it asked for that event. */
export function conferenceEvent(state: EmulatorState, conference: MutableConference, event: string, extra: Record<string, string> = {}): void {
  const callback = conference.callback;
  if (!callback || !callback.events.includes(EVENT_FILTER[event] ?? event)) return;
  const params = {
    ConferenceSid: conference.resource.sid,
    FriendlyName: conference.resource.friendly_name,
    AccountSid: state.config.accountSid,
    SequenceNumber: String(++conference.sequence),
    Timestamp: rfc2822(state.config.now()),
    StatusCallbackEvent: event,
    ...extra,
  };
  const next = conference.delivery.then(() => sendCallback(state, { kind: 'conference-status', url: callback.url, method: callback.method, params }).then(() => undefined));
  conference.delivery = next;
  // Counted as in flight from now on, so that callbacksSettled waits for the whole chain.
  state.pendingCallbacks.add(next);
  void next.finally(() => state.pendingCallbacks.delete(next));
}

// ---- What happens in a room -----------------------------------------------------------------------

/** The participant's call connects to the room: join, and the start when it makes two with a starter. */
export function connectParticipant(state: EmulatorState, conference: MutableConference, participant: MutableParticipant): void {
  const now = rfc2822(state.config.now());
  participant.joined = true;
  participant.resource = { ...participant.resource, status: 'connected', date_updated: now };
  if (!conference.callbackSet) {
    conference.callbackSet = true;
    conference.callback = participant.settings.statusCallback;
  }
  conferenceEvent(state, conference, 'participant-join', participantParams(participant));
  const inRoom = conference.participants.filter((p) => p.joined);
  if (conference.resource.status === 'init' && inRoom.length >= 2 && inRoom.some((p) => p.settings.startConferenceOnEnter)) {
    conference.resource = { ...conference.resource, status: 'in-progress', date_updated: now };
    conferenceEvent(state, conference, 'conference-start');
    for (const waiting of startWaiters.get(conference.resource.sid) ?? []) waiting();
    startWaiters.delete(conference.resource.sid);
  }
}

/** Resolvers of `started$` promises, per conference SID (not state: they are not data). */
const startWaiters = new Map<string, (() => void)[]>();

export function whenStarted(conference: MutableConference): Promise<void> {
  if (conference.resource.status === 'in-progress') return Promise.resolve();
  return new Promise((resolve) => startWaiters.set(conference.resource.sid, [...(startWaiters.get(conference.resource.sid) ?? []), resolve]));
}

export type LeaveReason = 'participant_hung_up' | 'participant_updated_via_api' | 'participant_add_failed' | 'conference_ended_via_api' | 'moderator_ended_conference';

/**
 * A participant leaves (or its call never connected): participant-leave, its driver told why, then the
 * end of the conference when it was the one with endConferenceOnExit, or the last one in the room.
 */
export function removeParticipant(
  state: EmulatorState,
  conference: MutableConference,
  participant: MutableParticipant,
  how: { readonly exit: ConferenceExit; readonly reason: LeaveReason; readonly callStatus: string; readonly byApi: boolean },
): void {
  conference.participants = conference.participants.filter((p) => p !== participant);
  conferenceEvent(state, conference, 'participant-leave', { ...participantParams(participant), ParticipantCallStatus: how.callStatus, ReasonParticipantLeft: how.reason });
  participant.leave(how.exit);
  if (!participant.joined || !active(conference)) return;
  const ending = participant.settings.endConferenceOnExit;
  if (ending || !conference.participants.some((p) => p.joined)) {
    const reason: ConferenceEndReason = ending
      ? how.byApi ? 'participant-with-end-conference-on-exit-kicked' : 'participant-with-end-conference-on-exit-left'
      : how.byApi ? 'last-participant-kicked' : 'last-participant-left';
    endConference(state, conference, reason, participant);
  }
}

const END_REASONS: Readonly<Record<ConferenceEndReason, string>> = {
  'conference-ended-via-api': 'Conference ended via API',
  'participant-with-end-conference-on-exit-left': 'Participant with endConferenceOnExit left the conference',
  'participant-with-end-conference-on-exit-kicked': 'Participant with endConferenceOnExit was kicked from the conference',
  'last-participant-kicked': 'Last participant was kicked from the conference',
  'last-participant-left': 'Last participant left the conference',
};

/** Ends a conference: everyone still in it leaves (their calls go on), then conference-end. */
export function endConference(state: EmulatorState, conference: MutableConference, reason: ConferenceEndReason, endedBy?: MutableParticipant): void {
  conference.resource = {
    ...conference.resource,
    status: 'completed',
    reason_conference_ended: reason,
    call_sid_ending_conference: endedBy?.resource.call_sid ?? null,
    date_updated: rfc2822(state.config.now()),
  };
  const leaveReason: LeaveReason = reason === 'conference-ended-via-api' ? 'conference_ended_via_api' : 'moderator_ended_conference';
  for (const participant of [...conference.participants]) {
    conference.participants = conference.participants.filter((p) => p !== participant);
    if (participant.joined) {
      conferenceEvent(state, conference, 'participant-leave', { ...participantParams(participant), ParticipantCallStatus: 'in-progress', ReasonParticipantLeft: leaveReason });
    }
    participant.leave({ reason: 'conference-ended', ended: reason });
  }
  conferenceEvent(state, conference, 'conference-end', {
    ...(endedBy ? { CallSidEndingConference: endedBy.resource.call_sid } : {}),
    ...(endedBy?.resource.label ? { ParticipantLabelEndingConference: endedBy.resource.label } : {}),
    ReasonConferenceEnded: reason,
    Reason: END_REASONS[reason],
  });
  for (const waiting of startWaiters.get(conference.resource.sid) ?? []) waiting();
  startWaiters.delete(conference.resource.sid);
}

// ---- The call driver's side -----------------------------------------------------------------------

/**
 * A call joins a conference: from <Dial><Conference> (a new participant with these settings), or a call
 * the Participants API placed and its callee answered (the participant made at create, its settings).
 * A label already in the room is Twilio's 16025: the call is not added and goes on to the next verb.
 */
export function joinConference(state: EmulatorState, callSid: string, name: string, settings: ParticipantSettings): JoinResult {
  const placed = participantOf(state, callSid);
  if (placed && !placed.participant.joined) {
    connectParticipant(state, placed.conference, placed.participant);
    return joined(placed.conference, placed.participant);
  }
  const byApiButGone = state.calls.some((c) => c.sid === callSid && c.conference !== undefined);
  if (byApiButGone) return { joined: false, code: 20404, message: 'The conference this participant was added to has ended' };
  const conference = conferenceNamed(state, name);
  if (labelTaken(conference, settings.label)) {
    return { joined: false, code: 16025, message: `A participant with the label "${settings.label}" is already in the conference ${name}` };
  }
  const now = state.config.now();
  const participant = addParticipant(state, conference, callSid, settings, participantResourceFor(state, conference, callSid, settings, now));
  connectParticipant(state, conference, participant);
  return joined(conference, participant);
}

function joined(conference: MutableConference, participant: MutableParticipant): JoinResult {
  return { joined: true, conferenceSid: conference.resource.sid, started: conference.resource.status === 'in-progress', exit: participant.exit, started$: whenStarted(conference) };
}

export function participantResourceFor(state: EmulatorState, conference: MutableConference, callSid: string, settings: ParticipantSettings, now: Date): ParticipantResource {
  return participantResource({ ...settings, accountSid: state.config.accountSid, conferenceSid: conference.resource.sid, callSid, status: 'queued', now });
}

/** The call's party hung up while in (or dialled into) a conference. */
export function leaveConference(state: EmulatorState, callSid: string, callStatus = 'completed'): void {
  const found = participantOf(state, callSid);
  if (!found) return;
  const reason: LeaveReason = found.participant.joined ? 'participant_hung_up' : 'participant_add_failed';
  removeParticipant(state, found.conference, found.participant, { exit: { reason: 'hung-up', byApi: false }, reason, callStatus, byApi: false });
}

/** calls.update on a call in a conference: a redirect or a hang-up takes it out of the room. */
export function callUpdated(state: EmulatorState, callSid: string, params: FormParams): void {
  const found = participantOf(state, callSid);
  if (!found) return;
  const status = one(params, 'Status');
  const redirected = one(params, 'Url') !== undefined || one(params, 'Twiml') !== undefined;
  if (status !== 'completed' && status !== 'canceled' && !redirected) return;
  const exit: ConferenceExit = status ? { reason: 'hung-up', byApi: true } : { reason: 'redirected', params };
  const callStatus = found.participant.joined ? (status ? 'completed' : 'in-progress') : 'canceled';
  removeParticipant(state, found.conference, found.participant, { exit, reason: 'participant_updated_via_api', callStatus, byApi: true });
}

// ---- REST -----------------------------------------------------------------------------------------

export function conferenceRecord(conference: MutableConference): ConferenceRecord {
  return structuredClone({ resource: conference.resource, participants: conference.participants.map((p) => p.resource) });
}

function listConferences({ state, res, query, match }: Ctx) {
  const req = pageRequest(query, 1000);
  if (typeof req === 'string') return badPage(res, req);
  const filters = filtersOf(query, ['FriendlyName', 'Status', 'DateCreated', 'DateUpdated']);
  const day = (rfc: string) => new Date(rfc).toISOString().slice(0, 10);
  const items = [...state.conferences]
    .reverse()
    .map((c) => c.resource)
    .filter(
      (c) =>
        (!query.get('FriendlyName') || c.friendly_name === query.get('FriendlyName')) &&
        (!query.get('Status') || c.status === query.get('Status')) &&
        (!query.get('DateCreated') || day(c.date_created) === query.get('DateCreated')) &&
        (!query.get('DateUpdated') || day(c.date_updated) === query.get('DateUpdated')),
    );
  sendJson(res, 200, page2010({ items, key: 'conferences', path: `/2010-04-01/Accounts/${match[1]}/Conferences.json`, filters, req, sidOf: (c) => c.sid }));
}

function fetchConference({ state, res, path, match }: Ctx) {
  const conference = state.conferences.find((c) => c.resource.sid === match[2]);
  return conference ? sendJson(res, 200, conference.resource) : notFound(res, path);
}

function updateConference({ state, res, path, match, params }: Ctx) {
  const conference = state.conferences.find((c) => c.resource.sid === match[2]);
  if (!conference) return notFound(res, path);
  const status = one(params, 'Status');
  if (status !== undefined && status !== 'completed') return fail(res, twilioError(20001, 'Status can only be set to completed'));
  if (status === 'completed' && active(conference)) endConference(state, conference, 'conference-ended-via-api');
  sendJson(res, 200, conference.resource);
}

export const CONFERENCE_ROUTES: readonly Route[] = [
  { pattern: new RegExp(`${ACCOUNT}/Conferences\\.json$`), account: true, methods: { GET: listConferences } },
  { pattern: new RegExp(`${ACCOUNT}/Conferences/([^/]+)\\.json$`), account: true, methods: { GET: fetchConference, POST: updateConference } },
];
