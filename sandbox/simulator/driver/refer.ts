// <Refer> on a SIP leg: the actor decides how the SIP side answers; an accepted REFER ends the call
// for Twilio, anything else goes on to the refer action.
import type { TwimlElement } from '../twiml-document';
import type { ReferAnswer } from './actor-api';
import { CONTINUE, methodOf, type LegState, type VerbOutcome } from './leg';
import type { SimulatedCall } from './simulated-call';

export async function refer(call: SimulatedCall, state: LegState, verb: TwimlElement, documentUrl: string): Promise<VerbOutcome> {
  const attributes = verb.attributes;
  const target = verb.children.find((child) => child.tag === 'Sip')?.text ?? '';
  call.emit({ kind: 'refer', leg: state.leg, target });
  let extra: Record<string, string>;
  let accepted = false;
  if (!state.sip) {
    call.flag(state.leg, '<Refer> on a call that did not arrive over SIP (Refer not allowed on non-SIP call legs)', 13801);
    extra = { ReferCallStatus: 'failed' };
  } else if (!target) {
    call.flag(state.leg, '<Refer> without a <Sip> target');
    extra = { ReferCallStatus: 'failed' };
  } else {
    const answer = await call.actor.refer({ target, events: call.events });
    accepted = answer.result === 'accepted';
    const defaults: Record<ReferAnswer['result'], Record<string, string>> = {
      accepted: { ReferCallStatus: 'in-progress', ReferSipResponseCode: '202', NotifySipResponseCode: '200' },
      busy: { ReferCallStatus: 'busy', ReferSipResponseCode: '202', NotifySipResponseCode: '486' },
      'no-answer': { ReferCallStatus: 'no-answer', ReferSipResponseCode: '202', NotifySipResponseCode: '487' },
      rejected: { ReferCallStatus: 'failed', ReferSipResponseCode: '603' },
      failed: { ReferCallStatus: 'failed', ReferSipResponseCode: '500' },
    };
    extra = { ...defaults[answer.result] };
    if (answer.referSipResponseCode) extra.ReferSipResponseCode = answer.referSipResponseCode;
    if (answer.notifySipResponseCode) extra.NotifySipResponseCode = answer.notifySipResponseCode;
  }
  call.emit({ kind: 'refer-result', leg: state.leg, status: extra.ReferCallStatus!, referSipResponseCode: extra.ReferSipResponseCode });

  const url = attributes.action ? call.resolve(state.leg, attributes.action, documentUrl) : undefined;
  if (accepted) {
    // The SIP side replaced Twilio's leg: the action hears about it, but nothing more runs on this call.
    if (url) {
      const answered = await call.request(state.leg, 'refer action', url, methodOf(attributes.method), { ...state.params, ...extra }, extra);
      if (answered?.body.trim()) await call.readTwiml(state.leg, answered, url);
    }
    return { kind: 'end', end: { by: 'transfer', cause: `transferred by SIP REFER to ${target}`, status: 'completed' } };
  }
  if (url) return { kind: 'next', request: { url, method: methodOf(attributes.method), reason: 'refer action', extra } };
  return CONTINUE;
}
