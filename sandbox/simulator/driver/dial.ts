// <Dial> to numbers or SIP addresses: the actor decides how each far end answers, the first to pick up
// gets the whisper on its leg, and the bridge, its recording and the dial action follow Twilio's order.
// <Dial><Conference> is in conference.ts.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { dialedLegParams, newSid } from '../call-params';
import type { TwimlElement } from '../twiml-document';
import type { DialAnswer, DialTarget, SimulatedRecording } from './actor-api';
import { dialConference } from './conference';
import { CONTINUE, integerOf, methodOf, type LegState, type VerbOutcome } from './leg';
import { makeRecording, postRecording } from './recordings';
import type { SimulatedCall } from './simulated-call';
import { LegStatusCallbacks } from './status-callbacks';

export interface DialOutcome {
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

export async function dial(call: SimulatedCall, state: LegState, verb: TwimlElement, documentUrl: string): Promise<VerbOutcome> {
  const attributes = verb.attributes;
  const targets = dialTargets(verb);
  const callerId = attributes.callerId ?? state.params.From ?? '';
  const record = attributes.record && attributes.record !== 'do-not-record' ? attributes.record : undefined;
  call.emit({ kind: 'dial', leg: state.leg, targets: targets.map((target) => target.address), callerId, record });

  if (targets.length === 0) {
    call.flag(state.leg, '<Dial> with nothing to dial');
    return CONTINUE;
  }
  const conference = verb.children.find((child) => child.tag === 'Conference');
  if (conference) return dialConference(call, state, verb, conference, documentUrl);
  const unsupported = targets.find((target) => target.kind !== 'number' && target.kind !== 'sip');
  if (unsupported) {
    call.flag(state.leg, `the simulator does not implement dialing a ${unsupported.kind} (${unsupported.address})`);
    return { kind: 'end', end: { by: 'app', cause: 'unsupported <Dial> target', status: 'completed' } };
  }
  const badNumber = targets.find((target) => target.kind === 'number' && !parsePhoneNumberFromString(target.address, 'US')?.isPossible());
  if (badNumber) call.flag(state.leg, `<Dial> to an invalid phone number "${badNumber.address}"`, 13223);
  const answer: DialAnswer = badNumber
    ? { result: 'failed' }
    : await call.actor.dial({ targets, callerId, timeout: integerOf(attributes.timeout, 30), record, events: call.events });

  const legs = legAnswers(answer, targets);
  const winner = legs.findIndex((leg) => leg.result === 'answered');
  const placed = targets.map((target) => {
    const sid = newSid('CA');
    const params = dialedLegParams({ accountSid: call.options.accountSid, callSid: sid, parentCallSid: state.params.CallSid ?? '', from: callerId, to: target.address });
    return { target, sid, params, status: new LegStatusCallbacks(call, target, params, documentUrl) };
  });
  // Status callbacks name the first event's status `initiated` (the call resource says queued).
  for (const leg of placed) await leg.status.post('initiated', 'initiated');
  if (targets.length > 1 && winner >= 0) {
    call.note(state.leg, `${targets.length} numbers ring at once: ${targets[winner]!.address} picks up first, the others are cancelled`);
  }
  // When one leg picks up, Twilio hangs up the others (those not already busy or failed).
  const cancelOthers = async () => {
    for (const [i, leg] of placed.entries()) {
      if (i === winner) continue;
      const result = legs[i]!.result;
      await leg.status.post('ringing', 'ringing');
      await leg.status.post('completed', result === 'busy' || result === 'failed' ? result : 'canceled', { CallDuration: '0' });
    }
  };
  const picked = legs[winner];
  const outcome: DialOutcome =
    picked?.result === 'answered'
      ? await connect(call, state, picked, placed[winner]!.target, placed[winner]!.params, placed[winner]!.status, record, attributes, documentUrl, cancelOthers)
      : await notConnected(call, legs, placed.map((leg) => leg.status), attributes);
  const dialCallSid = placed[Math.max(winner, 0)]!.sid;

  const extra: Record<string, string> = {
    DialCallStatus: outcome.status,
    DialCallSid: dialCallSid,
    DialCallDuration: String(outcome.duration),
    DialBridged: String(outcome.bridged),
  };
  const recording = outcome.recording;
  if (recording) Object.assign(extra, { RecordingUrl: recording.url, RecordingSid: recording.sid, RecordingDuration: String(recording.duration) });
  const afterResponse = recording ? () => postRecording(call, state, attributes, recording, documentUrl, 'completed') : undefined;

  if (attributes.action) {
    const url = call.resolve(state.leg, attributes.action, documentUrl);
    if (!url) return { kind: 'end', end: call.applicationError(state) };
    if (!outcome.callerHungUp) return { kind: 'next', request: { url, method: methodOf(attributes.method), reason: 'dial action', extra, afterResponse } };
    // Twilio still reports the dial to its action once the caller has gone; the answer is not executed.
    state.params.CallStatus = 'completed';
    const answered = await call.request(state.leg, 'dial action', url, methodOf(attributes.method), { ...state.params, ...extra }, extra);
    if (answered?.body.trim()) await call.readTwiml(state.leg, answered, url);
    call.note(state.leg, "the caller has hung up: the dial action's TwiML is not executed");
  }
  await afterResponse?.();
  if (!outcome.callerHungUp) return CONTINUE;
  return { kind: 'end', end: { by: 'party', cause: answer.result === 'canceled' ? 'hung up while the dial rang' : 'hung up after the bridge', status: 'completed' } };
}

/** The dialed party answered: the whisper runs on its leg, and only a whisper that runs to its end bridges. */
async function connect(
  call: SimulatedCall,
  state: LegState,
  answer: Extract<DialAnswer, { result: 'answered' }>,
  target: DialTarget,
  legParams: Record<string, string>,
  legStatus: LegStatusCallbacks,
  record: string | undefined,
  dialAttributes: Readonly<Record<string, string>>,
  documentUrl: string,
  onPickup: () => Promise<void>,
): Promise<DialOutcome> {
  await legStatus.post('ringing', 'ringing');
  call.clock += 4;
  await legStatus.post('answered', 'in-progress');
  await onPickup();
  const started = call.clock;
  const whisper: LegState = { leg: 'dialed', params: legParams, answered: true, sip: target.kind === 'sip', machine: answer.machine === true, lastActedAt: call.events.length };
  if (answer.machine) call.note('dialed', 'a voicemail answers the dialed leg');
  let bridged = true;
  if (target.attributes.url) {
    const whisperUrl = call.resolve('dialed', target.attributes.url, documentUrl);
    const end = whisperUrl
      ? await call.runLeg(whisper, { url: whisperUrl, method: methodOf(target.attributes.method), reason: 'whisper', extra: {} })
      : call.applicationError(whisper);
    // A hang-up, from the whisper's TwiML or from the agent, declines the call.
    bridged = end.by === 'app' && end.cause === 'end of the TwiML document';
    if (!bridged) call.emit({ kind: 'ended', leg: 'dialed', by: end.by, cause: end.cause, status: 'completed' });
  }
  let recording: SimulatedRecording | undefined;
  if (bridged) {
    const talk = answer.talkSeconds ?? 45;
    if (record) {
      recording = makeRecording(call, state, record, talk);
      await postRecording(call, state, dialAttributes, recording, documentUrl, 'in-progress');
    }
    const endedBy = answer.hungUpBy === 'agent' ? call.labels.dialed : call.labels.call;
    call.note(state.leg, `${call.labels.call} and ${call.labels.dialed} talk for ${talk}s, then the ${endedBy} hangs up`);
    call.clock += talk;
  }
  const duration = call.clock - started;
  const status = answer.reportStatus ?? 'completed';
  call.emit({ kind: 'dial-result', leg: state.leg, status, bridged, duration, answeredBy: answer.machine ? 'machine' : undefined });
  await legStatus.post('completed', 'completed', { CallDuration: String(duration) });
  return { status, bridged, duration, callerHungUp: bridged && answer.hungUpBy !== 'agent', recording };
}

/**
 * Nobody picked up: the legs end busy, unanswered, failed, or cancelled by the caller hanging up; the
 * <Dial> reports no-answer when a leg rang out, else busy, else failed (canceled when the caller left).
 */
async function notConnected(call: SimulatedCall, legs: readonly DialAnswer[], statuses: readonly LegStatusCallbacks[], dialAttributes: Readonly<Record<string, string>>): Promise<DialOutcome> {
  const results = legs.map((leg) => (leg.result === 'answered' || leg.result === 'legs' ? 'no-answer' : leg.result));
  if (results.includes('no-answer')) call.clock += integerOf(dialAttributes.timeout, 30);
  for (const [i, result] of results.entries()) {
    if (result === 'busy' || result === 'canceled') await statuses[i]!.post('ringing', 'ringing');
  }
  const natural = (['canceled', 'no-answer', 'busy', 'failed'] as const).find((result) => results.includes(result)) ?? 'failed';
  const reported = legs.length === 1 && legs[0]!.result !== 'answered' && legs[0]!.result !== 'legs' ? legs[0]!.reportStatus : undefined;
  const status = reported ?? natural;
  call.emit({ kind: 'dial-result', leg: 'call', status, bridged: false, duration: 0 });
  for (const [i, result] of results.entries()) await statuses[i]!.post('completed', result, { CallDuration: '0' });
  return { status, bridged: false, duration: 0, callerHungUp: natural === 'canceled' };
}

/** One answer per dialed noun: the actor's per-leg answers, or its one answer for the whole <Dial>. */
function legAnswers(answer: DialAnswer, targets: readonly DialTarget[]): DialAnswer[] {
  if (answer.result === 'legs') return targets.map((_target, i) => answer.legs[i] ?? { result: 'no-answer' });
  if (answer.result !== 'answered') return targets.map(() => answer);
  // The named target (else the first) picks up; the others would have rung on.
  const picked = Math.max(0, targets.findIndex((target) => target.address === answer.target));
  return targets.map((_target, i) => (i === picked ? answer : { result: 'no-answer' }));
}
