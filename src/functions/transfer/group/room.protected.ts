// The caller's room's status callback: an agent joined (log it, stop the other legs), or the room ended (end every leg).
import type * as Ivr from '../../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.eventWebhook('transfer/group/room', ivr.handleGroupRoom, ivr.EVENT_BUDGET_MS);
