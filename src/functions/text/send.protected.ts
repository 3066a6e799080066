// Number entry confirmed a number (`?number=`): send one text with the line's support details.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('text/send', ivr.handleTextSend);
