// Email the line's contact details and a case number to the address on file.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('email/send', ivr.handleEmailSend);
