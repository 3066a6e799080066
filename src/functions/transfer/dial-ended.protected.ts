// The live transfer's <Dial> action: logs the outcome; goodbye, or an apology and the other paths.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('transfer/dial-ended', ivr.handleDialEnded);
