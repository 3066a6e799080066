// The caller's answer to the escalation menu.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('escalate/choice', ivr.handleMenuChoice);
