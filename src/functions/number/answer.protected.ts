// The caller's answers about the number to call or text: confirm the one on file, or key one in.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('number/answer', ivr.handleNumberAnswer);
