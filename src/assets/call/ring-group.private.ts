// A Simultaneous ring group's Twilio side (issue 16): the agent legs placed at once with the whisper,
// the checks an accepting agent makes, the recording of the connected call, and what the room's and the
// legs' status callbacks do. Twilio is
// the source of truth for who is where; nothing here writes Airtable.
//
// Who takes the caller is decided by Twilio, not by us: an agent who accepts joins the caller's room
// with the one agent participant label, and Twilio adds at most one participant per label to a room
// (16025: the second is not added and its call goes on to the next verb). So two agents who press 1 at
// the same moment, on two instances, cannot both get the caller; no conditional write is needed.
//
// When is the group over with nobody? Every leg's status callback asks Twilio: the room still waiting
// (conference `init`: only the caller, who never starts it) and every leg of the group ended. The legs
// are the calls from the line to its agents created within the few seconds the group was placed in
// (`t`): two groups of one line placed in the same seconds could wait for each other's last leg.
// A leg can end before the caller is in the room (a number that fails or is busy at once, while the
// caller still hears "connecting you"): its callback finds no room and lets the group go on. So the
// caller's own arrival in the room asks too: if every leg (their SIDs are in the room's URL) has
// already ended, the caller leaves for the apology at once instead of holding for nobody. One of the
// two checks sees both facts, whichever comes first; where both do, the instance redirects the caller
// once (the call memory). Only two instances seeing it in the same few milliseconds redirect twice,
// and the caller hears the apology start again.
import { twilioClientFor } from '../adapters/twilio-client.private';
import { carriedQuery } from '../core/carried-query.private';
import { agentNumbersOf } from '../core/policy.private';
import { AGENT_LABEL, CALLER_LABEL, callerOfRoom, everyLegOver, isFinalCallStatus, legsOf, type AcceptCheck } from '../core/ring-group.private';
import { TRANSFER_OUTCOMES } from '../core/rows.private';
import { functionUrl, stepUrl } from '../core/urls.private';
import { callMemory } from './memory.private';
import type { EventAnswer, EventRequest } from './request.private';
import type { CallSession } from './session.private';

/** The legs of a group are created within one webhook's budget. */
const PLACING_WINDOW_MS = 6000;
const MIN_TIMEOUT_MS = 200;
/** Twilio's "Requested resource is not eligible for recording": the call is not in progress. */
const NOT_RECORDABLE = 21220;

const twilioFor = (call: CallSession) => twilioClientFor(call.request.config, Math.max(MIN_TIMEOUT_MS, call.request.deadline - Date.now() - 100));

export interface AgentLegs {
  readonly from: string;
  readonly agents: readonly string[];
  readonly whisperUrl: string;
  readonly statusCallback: string;
  readonly ringSeconds: number;
}

/** Calls every agent at once; a leg Twilio refuses (or no Twilio client) is `undefined`, the others ring. */
export async function placeAgentLegs(call: CallSession, legs: AgentLegs): Promise<(string | undefined)[]> {
  const client = twilioFor(call);
  if (!client) return legs.agents.map(() => undefined);
  return Promise.all(
    legs.agents.map(async (to, position) => {
      try {
        const placed = await client.calls.create({
          to,
          from: legs.from,
          url: legs.whisperUrl,
          method: 'POST',
          timeout: legs.ringSeconds,
          statusCallback: legs.statusCallback,
          statusCallbackMethod: 'POST',
          statusCallbackEvent: ['completed'],
        });
        return placed.sid;
      } catch (error) {
        call.request.log.warn('agent-leg-refused', { callSid: call.callSid, position, error });
        return undefined;
      }
    }),
  );
}

/**
 * Ends legs: `canceled` stops only those still ringing (an agent in the whisper goes on, and hears that
 * someone else took the call if they accept); `completed` hangs up answered ones too. Errors (a leg
 * already over) are expected and ignored.
 */
export async function endLegs(call: CallSession, sids: readonly (string | undefined)[], status: 'canceled' | 'completed'): Promise<void> {
  const client = twilioFor(call);
  if (!client) return;
  await Promise.all(sids.map((sid) => (sid ? client.calls(sid).update({ status }).then(() => undefined, () => undefined) : undefined)));
}

/**
 * Records the connected call as a single number's recorded bridge is: dual channel, through the Call
 * Recordings API on the caller's call (the caller's voice on the first channel, what they hear in the
 * room, the agent, on the second), reported to /events/recording when the call ends. Once per call: a
 * repeated room event finds the recording already started. False when Twilio did not start it.
 */
export async function recordCaller(call: CallSession, callerSid: string): Promise<boolean> {
  const client = twilioFor(call);
  const statusCallback = functionUrl(call.request.config, '/events/recording');
  try {
    if (!client || !statusCallback) throw new Error('no Twilio client or public URL');
    const recordings = client.calls(callerSid).recordings;
    if ((await recordings.list({ limit: 20 })).some((r) => r.source === 'StartCallRecordingAPI')) return true;
    await recordings.create({ recordingChannels: 'dual', recordingStatusCallback: statusCallback, recordingStatusCallbackEvent: ['completed'] });
    return true;
  } catch (error) {
    // 21220: the caller's call is over (a late event): there is nothing left to record.
    if ((error as { code?: number }).code === NOT_RECORDABLE) return true;
    call.request.log.error('recording-not-started', { callSid: callerSid, error });
    return false;
  }
}

/** The room's conference that is not over, with its status; undefined when there is none (or Twilio cannot say). */
async function openRoom(call: CallSession, room: string): Promise<string | undefined> {
  const client = twilioFor(call);
  if (!client) return undefined;
  const [waiting, started] = await Promise.all(['init', 'in-progress'].map((status) => client.conferences.list({ friendlyName: room, status: status as 'init', limit: 1 })));
  return started!.length > 0 ? 'in-progress' : waiting!.length > 0 ? 'init' : undefined;
}

/** What an agent who accepted finds (core/ring-group decideAccept); what Twilio cannot say is left out. */
export async function checkBeforeJoining(call: CallSession, callerSid: string, room: string): Promise<AcceptCheck> {
  const client = twilioFor(call);
  if (!client) return {};
  const [caller, status] = await Promise.allSettled([client.calls(callerSid).fetch(), openRoom(call, room)]);
  const open = status.status === 'fulfilled' ? status.value : 'unknown';
  return {
    callerStatus: caller.status === 'fulfilled' ? caller.value.status : undefined,
    room: open === 'in-progress' ? 'taken' : open === 'init' ? 'waiting' : open === undefined ? 'over' : undefined,
  };
}

/** The caller's call status (undefined when Twilio cannot say). */
export async function callerStatusOf(call: CallSession, callerSid: string): Promise<string | undefined> {
  try {
    return (await twilioFor(call)?.calls(callerSid).fetch())?.status;
  } catch {
    return undefined;
  }
}

export interface GroupLegs {
  readonly room: string;
  readonly from: string;
  readonly agents: readonly string[];
  /** When the group was placed (epoch ms). */
  readonly placedAt: number;
}

/** True when the caller still waits alone in the room and every leg of the group has ended. */
export async function nobodyLeft(call: CallSession, group: GroupLegs): Promise<boolean> {
  const client = twilioFor(call);
  if (!client || (await openRoom(call, group.room)) !== 'init') return false;
  const calls = await client.calls.list({ from: group.from, limit: 50 });
  const legs = calls.filter((c) => {
    const created = c.dateCreated?.getTime() ?? 0;
    return group.agents.includes(c.to) && created >= group.placedAt - 2000 && created <= group.placedAt + PLACING_WINDOW_MS;
  });
  return everyLegOver(legs.map((c) => c.status));
}

/** True when every placed leg (by SID) has ended; false while one may still ring, or when Twilio cannot say. */
export async function everyPlacedLegOver(call: CallSession, sids: readonly (string | undefined)[]): Promise<boolean> {
  const client = twilioFor(call);
  const placed = sids.filter((sid): sid is string => sid !== undefined);
  if (!client || placed.length === 0) return false;
  const statuses = await Promise.all(placed.map((sid) => client.calls(sid).fetch().then((c) => c.status, () => 'unknown')));
  return statuses.every(isFinalCallStatus);
}

/** Sends the waiting caller out of the room to `url` (the apology and the menu). */
export async function redirectCaller(call: CallSession, callerSid: string, url: string): Promise<boolean> {
  try {
    await twilioFor(call)?.calls(callerSid).update({ url, method: 'POST' });
    return true;
  } catch (error) {
    call.request.log.warn('caller-not-redirected', { callSid: callerSid, error });
    return false;
  }
}

type Event = CallSession<EventRequest>;
const OK: EventAnswer = { status: 200, json: { ok: true } };
const ignored = (reason: string): EventAnswer => ({ status: 200, json: { ok: true, ignored: reason } });
const notWritten: EventAnswer = { status: 500, text: 'call log write deferred' };

/**
 * /transfer/group/room, the caller's room's status callback. An agent joined: the call log names them,
 * the legs still ringing stop, and with `Record Agent Leg` the call is recorded from now on. The room ended (the caller hung up, or left it): every leg still on
 * ends, so no agent's phone rings for a caller who is gone.
 */
export async function handleGroupRoom(call: Event): Promise<EventAnswer> {
  const { params } = call;
  const callerSid = callerOfRoom(params.FriendlyName);
  const legs = legsOf(params.legs);
  if (!callerSid) return ignored('not a ring group');
  if (params.StatusCallbackEvent === 'conference-end') return endLegs(call, legs, 'completed').then(() => OK);
  if (params.StatusCallbackEvent === 'participant-join' && params.ParticipantLabel === CALLER_LABEL) return callerArrived(call, callerSid, legs);
  if (params.StatusCallbackEvent !== 'participant-join' || params.ParticipantLabel !== AGENT_LABEL) return ignored('nothing to do');
  const line = await call.line(params.Line);
  const agentNumber = line && agentNumbersOf(line)[legs.indexOf(params.CallSid)];
  const [written, recording] = await Promise.all([
    call.saveCallRowFor(callerSid, { Outcome: TRANSFER_OUTCOMES.connected, 'Transfer Method': 'Bridge', 'Agent Call SID': params.CallSid ?? '', ...(agentNumber ? { 'Agent Number': agentNumber } : {}) }),
    line?.recordAgentLeg ? recordCaller(call, callerSid) : true,
    endLegs(call, legs.filter((sid) => sid !== params.CallSid), 'canceled'),
  ]);
  if (!written) return notWritten;
  return recording ? OK : { status: 500, text: 'recording not started' };
}

/** The caller reached the room: when every leg already ended (before the room existed), nobody is coming. */
async function callerArrived(call: Event, callerSid: string, legs: readonly (string | undefined)[]): Promise<EventAnswer> {
  if (!(await everyPlacedLegOver(call, legs))) return ignored('the group goes on');
  return sendToApology(call, callerSid);
}

/**
 * The caller leaves the room for the apology and the menu without the live transfer (/transfer/group/ended),
 * once: a second report that the group is over (the caller's arrival and the last leg's end, or Twilio
 * repeating either) would start the apology again, or pull the caller back out of the menu. On this
 * instance it shares the first one's redirect; a failed redirect may be tried again.
 */
function sendToApology(call: Event, callerSid: string): Promise<EventAnswer> {
  const state = callMemory.call(callerSid, call.request.now.getTime());
  state.leavingRoom ??= redirectToApology(call, callerSid).then((answer) => {
    if (answer.status !== 200) state.leavingRoom = undefined;
    return answer;
  });
  return state.leavingRoom;
}

async function redirectToApology(call: Event, callerSid: string): Promise<EventAnswer> {
  const { params } = call;
  const url = functionUrl(call.request.config, stepUrl('/transfer/group/ended', carriedQuery(params, { lang: params.lang, voice: params.voice, none: '1' })));
  return url && (await redirectCaller(call, callerSid, url)) ? OK : { status: 500, text: 'caller not redirected' };
}

/** /transfer/group/agent-status: a leg ended; when it was the last and nobody took the caller, the caller leaves the room for the apology. */
export async function handleGroupAgentStatus(call: Event): Promise<EventAnswer> {
  const { params } = call;
  const callerSid = callerOfRoom(params.room);
  const placedAt = Number(params.t);
  const line = callerSid && isFinalCallStatus(params.CallStatus) && Number.isFinite(placedAt) ? await call.line(params.Line) : undefined;
  if (!callerSid || !line) return ignored('not a final leg of a ring group');
  if (!(await nobodyLeft(call, { room: params.room!, from: line.phoneNumber, agents: agentNumbersOf(line), placedAt }))) return ignored('the group goes on');
  return sendToApology(call, callerSid);
}
