// The SIP REFER's action: done when the far end took the call, else the caller is bridged instead.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('transfer/refer-ended', ivr.handleReferEnded);
