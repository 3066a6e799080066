// The customer's key: 1 bridges (the callback is Connected); anything else declines, so no voicemail is bridged.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('callback/customer-answer', ivr.handleCustomerAnswer);
