// Immediate callback: the confirmed number arrives as `number`; stores the Callbacks row, then rings the agent (or queues for the opening).
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('callback/now', ivr.handleCallbackNow);
