// Scheduled callback, after number entry: asks when to call (speech, or keys for the next open times).
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('callback/schedule', ivr.handleScheduleStart);
