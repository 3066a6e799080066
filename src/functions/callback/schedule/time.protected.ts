// The time the caller said or keyed: read back for a yes, or the nearest open times when it cannot be booked.
import type * as Ivr from '../../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('callback/schedule/time', ivr.handleScheduleTime);
