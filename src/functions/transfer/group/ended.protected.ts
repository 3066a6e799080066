// The caller's room is over: goodbye after the talk, or, nobody having accepted, the apology and the other paths.
import type * as Ivr from '../../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('transfer/group/ended', ivr.handleGroupEnded);
