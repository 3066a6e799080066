// The number's call status callback: finalises the call log row (Duration; Outcome when the caller hung up early).
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.eventWebhook('events/call-status', ivr.handleCallStatus, ivr.EVENT_BUDGET_MS);
