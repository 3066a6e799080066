// A ring group's agent pressed a key in the whisper: the first to accept joins the caller's room.
import type * as Ivr from '../../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('transfer/group/accept', ivr.handleGroupAccept);
