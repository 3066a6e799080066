// A number's "A message comes in" webhook: replies to booking texts (CANCEL, CHANGE, a number) as <Message>.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.eventWebhook('sms/incoming', ivr.handleIncomingSms, ivr.SMS_BUDGET_MS);
