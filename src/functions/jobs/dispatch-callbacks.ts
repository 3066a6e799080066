// The callback dispatcher, for an external scheduler every minute. Public (not .protected: a scheduler
// cannot sign like Twilio) behind `Authorization: Bearer $DISPATCH_SECRET`.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.eventWebhook('jobs/dispatch-callbacks', ivr.handleDispatchCallbacks, ivr.DISPATCH_BUDGET_MS);
