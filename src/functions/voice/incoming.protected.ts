// "A call comes in": greet with the line's greeting and listen for a request for a person.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('voice/incoming', async (call) => {
  const { params, log } = call.request;
  const line = await call.line(params.Line ?? params.To);
  const heardInput = Boolean(params.SpeechResult || params.Digits);
  const asksForPerson =
    heardInput && ivr.asksForPerson({ speech: params.SpeechResult, digits: params.Digits, language: line?.language ?? 'en-US' });
  const turn = Math.min(Math.max(Number.parseInt(params.turn ?? '0', 10) || 0, 0), 10);
  if (!line) log.warn('unknown-line', { to: params.To });
  return ivr.decideIncoming({ line, turn, heardInput, asksForPerson });
});
