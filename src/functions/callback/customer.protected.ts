// The customer's <Number url> whisper: "this is <line> returning your call, press 1 to be connected".
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('callback/customer', ivr.handleCustomerLeg);
