// The agent's <Dial> to the customer ended: bridged, or the attempt is missed (Retry or Failed).
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('callback/dial-ended', ivr.handleCallbackDialEnded);
