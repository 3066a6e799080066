// The booking's recount: kept → confirmed and texted; past capacity → withdrawn and the next slot offered.
import type * as Ivr from '../../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('callback/schedule/check', ivr.handleScheduleCheck);
