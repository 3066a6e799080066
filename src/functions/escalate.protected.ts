// The escalation menu: offers the paths this caller can use on this line now.
// Optional params: Reason (said to the agent in the whisper), Line (the line's number when `To` is not it).
import type * as Ivr from '../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('escalate', ivr.handleEscalate);
