// After the case number: say it once more on request, then goodbye.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('email/case-number', ivr.handleCaseNumber);
