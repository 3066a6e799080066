// <Dial><Conference>: the leg joins a room of the Twilio emulator (which sends the conference status
// callbacks) and stays there until it leaves. Per Twilio's <Conference> documentation: before the
// conference starts the leg hears the waitUrl (default: Twilio's hold-music playlist; "" is silence);
// when it ends (endConferenceOnExit, the last one out, the API) or the leg is kicked, the call goes on
// to the <Dial> action or the next verb; a REST redirect (calls.update Url/Twiml) runs the new TwiML;
// a REST hang-up ends the call. A leg that talks (an agent whose script says how long) talks once the
// conference has started (long enough for the room's callbacks to be answered), then it (or the caller)
// hangs up. Calls the Participants API placed join the same way, with no TwiML to go on to.
import type { ConferenceExit, ParticipantSettings } from '../../emulators/twilio';
import type { TwimlElement } from '../twiml-document';
import { CONTINUE, methodOf, type LegEnd, type LegState, type VerbOutcome } from './leg';
import type { SimulatedCall } from './simulated-call';

/** Twilio's default waitUrl: its classical hold-music playlist. */
export const DEFAULT_HOLD_MUSIC = 'https://s3.amazonaws.com/com.twilio.sounds.music/index.xml';
/** How long (real time) a leg waits in a room where nothing happens before the driver gives up. */
const IDLE_LIMIT_MS = 10_000;

const AUDIO_FILE = /\.(mp3|wav|aiff?|gsm|ulaw)(\?|$)/i;

/** The <Conference> attributes as the emulator's participant settings. */
function settingsOf(call: SimulatedCall, state: LegState, attributes: Readonly<Record<string, string>>, documentUrl: string): ParticipantSettings {
  const callbackUrl = attributes.statusCallback ? call.resolve(state.leg, attributes.statusCallback, documentUrl) : undefined;
  return {
    label: attributes.participantLabel,
    startConferenceOnEnter: attributes.startConferenceOnEnter !== 'false',
    endConferenceOnExit: attributes.endConferenceOnExit === 'true',
    muted: attributes.muted === 'true',
    beep: attributes.beep ?? 'true',
    coaching: attributes.coach !== undefined,
    callSidToCoach: attributes.coach,
    statusCallback: callbackUrl
      ? { url: callbackUrl, method: methodOf(attributes.statusCallbackMethod), events: (attributes.statusCallbackEvent ?? '').split(/\s+/).filter(Boolean) }
      : undefined,
  };
}

/** What the leg hears while the conference has not started: the waitUrl's audio or TwiML, once through. */
async function holdAudio(call: SimulatedCall, state: LegState, attributes: Readonly<Record<string, string>>, documentUrl: string): Promise<void> {
  const waitUrl = attributes.waitUrl;
  if (waitUrl === '') {
    call.note(state.leg, 'waitUrl="": silence until the conference starts');
    return;
  }
  const url = waitUrl === undefined ? DEFAULT_HOLD_MUSIC : call.resolve(state.leg, waitUrl, documentUrl);
  if (!url) return;
  if (waitUrl === undefined || AUDIO_FILE.test(url)) {
    call.emit({ kind: 'play', leg: state.leg, url });
    return;
  }
  const method = attributes.waitMethod ? methodOf(attributes.waitMethod) : 'POST';
  const answer = await call.request(state.leg, 'wait url', url, method, { ...state.params }, {});
  if (!answer) return;
  if (AUDIO_FILE.test(answer.contentType) || /^audio\//.test(answer.contentType)) {
    call.emit({ kind: 'play', leg: state.leg, url });
    return;
  }
  const document = await call.readTwiml(state.leg, answer, url);
  for (const verb of document?.children ?? []) {
    if (verb.tag === 'Say' || verb.tag === 'Play' || verb.tag === 'Pause') call.play(state.leg, verb);
    else if (verb.tag === 'Redirect') call.note(state.leg, 'the wait music loops (<Redirect>) until the conference starts');
    else call.flag(state.leg, `<${verb.tag}> cannot run in a conference waitUrl (only <Play>, <Say>, <Pause>, <Redirect>)`);
  }
}

function idle(ms: number): { promise: Promise<'idle'>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<'idle'>((resolve) => (timer = setTimeout(() => resolve('idle'), ms)));
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Waits (real time) for `what`, giving up after IDLE_LIMIT_MS. */
async function within<T>(what: Promise<T>): Promise<T | 'idle'> {
  const timer = idle(IDLE_LIMIT_MS);
  try {
    return await Promise.race([what, timer.promise]);
  } finally {
    timer.cancel();
  }
}

/** How long an agent's leg talks once the conference starts, and who hangs up after (default the caller). */
export interface ConferenceTalk {
  readonly seconds: number;
  readonly hungUpBy: 'caller' | 'agent';
}

/**
 * The leg joins `name` and stays until it leaves. Returns how the <Dial> (or the placed call) goes on:
 * `undefined` when the conference is over for it and the call goes on (action or next verb).
 */
export async function inConference(
  call: SimulatedCall,
  state: LegState,
  name: string,
  settings: ParticipantSettings,
  hold: () => Promise<void>,
  talk?: ConferenceTalk,
): Promise<{ readonly exit?: ConferenceExit; readonly end?: LegEnd }> {
  const twilio = call.options.twilio;
  const callSid = state.params.CallSid ?? '';
  if (!twilio?.joinConference || !twilio.leaveConference) {
    call.flag(state.leg, `<Conference> ${name} needs the Twilio emulator (DriverOptions.twilio) to hold its room`);
    return {};
  }
  const joined = twilio.joinConference(callSid, name, settings);
  if (!joined.joined) {
    call.flag(state.leg, joined.message, joined.code);
    return {};
  }
  call.emit({ kind: 'conference', leg: state.leg, name, action: 'join', conferenceSid: joined.conferenceSid });
  if (!joined.started) await hold();
  if (!joined.started && !talk && (await call.actor.hold?.({ room: name, events: call.events })) === 'hangup') {
    call.note(state.leg, `the ${call.labels.call} hangs up while holding`);
    twilio.leaveConference(callSid);
  }
  if (!talk) {
    const exit = await within(joined.exit);
    if (exit === 'idle') return giveUp(call, state, name);
    return { exit };
  }
  const started = await within(Promise.race([joined.started$.then(() => 'started' as const), joined.exit]));
  if (started === 'idle') return giveUp(call, state, name);
  if (started !== 'started') return { exit: started };
  const others = twilio.conferences?.().find((c) => c.resource.sid === joined.conferenceSid)?.participants.filter((p) => p.call_sid !== callSid) ?? [];
  if (others.length === 0) return { exit: await joined.exit };
  const who = talk.hungUpBy === 'agent' ? call.labels.call : 'caller';
  call.note(state.leg, `the conference has started: they talk for ${talk.seconds}s, then the ${who} hangs up`);
  call.clock += talk.seconds;
  // Seconds of talk are long enough for Twilio's callbacks about the room (the join, the start) to be
  // answered before anyone hangs up, as they are at Twilio; the simulated talk takes no real time.
  if (twilio.callbacksSettled) await within(twilio.callbacksSettled());
  if (talk.hungUpBy === 'caller') for (const other of others) twilio.leaveConference(other.call_sid);
  twilio.leaveConference(callSid);
  return { exit: await joined.exit };
}

function giveUp(call: SimulatedCall, state: LegState, name: string): { end: LegEnd } {
  call.flag(state.leg, `nothing happened in the conference ${name} for ${IDLE_LIMIT_MS / 1000}s (real time): the party hangs up`);
  call.options.twilio?.leaveConference?.(state.params.CallSid ?? '');
  return { end: { by: 'party', cause: `left the conference ${name}: nothing happened`, status: 'completed' } };
}

/** <Dial><Conference>: joins, waits, then the <Dial> action, the next verb, or the REST instructions. */
export async function dialConference(call: SimulatedCall, state: LegState, verb: TwimlElement, noun: TwimlElement, documentUrl: string): Promise<VerbOutcome> {
  const attributes = noun.attributes;
  if (attributes.record && attributes.record !== 'do-not-record') call.note(state.leg, 'conference recording is not simulated');
  const settings = settingsOf(call, state, attributes, documentUrl);
  const { exit, end } = await inConference(call, state, noun.text, settings, () => holdAudio(call, state, attributes, documentUrl), state.talk);
  if (end) return { kind: 'end', end };
  if (!exit) return CONTINUE;
  call.emit({ kind: 'conference', leg: state.leg, name: noun.text, action: 'leave', reason: exit.reason });
  switch (exit.reason) {
    case 'hung-up':
      return { kind: 'end', end: exit.byApi ? { by: 'app', cause: 'hung up by the REST API', status: 'completed' } : { by: 'party', cause: 'hung up in the conference', status: 'completed' } };
    case 'redirected':
      return afterRedirect(call, state, exit.params, documentUrl);
    case 'conference-ended':
    case 'kicked': {
      const action = verb.attributes.action ? call.resolve(state.leg, verb.attributes.action, documentUrl) : undefined;
      if (action) return { kind: 'next', request: { url: action, method: methodOf(verb.attributes.method), reason: 'dial action', extra: {} } };
      return CONTINUE;
    }
  }
}

/** calls.update with Url (and Method) or Twiml: the call runs that instead of the rest of its document. */
export async function afterRedirect(call: SimulatedCall, state: LegState, params: Readonly<Record<string, string | string[]>>, documentUrl: string): Promise<VerbOutcome> {
  const first = (name: string) => [params[name]].flat()[0];
  const url = first('Url');
  if (url) return { kind: 'next', request: { url, method: methodOf(first('Method')), reason: 'redirect', extra: {} } };
  const twiml = first('Twiml') ?? '';
  call.note(state.leg, 'the REST API redirected the call to new TwiML');
  const document = await call.readTwiml(state.leg, { status: 200, body: twiml, contentType: 'text/xml' }, 'the Twiml of calls.update');
  if (!document) return { kind: 'end', end: call.applicationError(state) };
  const outcome = await call.runVerbs(state, document.children, documentUrl);
  return outcome.kind === 'continue' ? { kind: 'end', end: { by: 'app', cause: 'end of the TwiML document', status: 'completed' } } : outcome;
}
