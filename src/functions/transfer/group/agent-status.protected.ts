// A ring group's agent leg ended: when it was the last and nobody accepted, the caller leaves the room.
import type * as Ivr from '../../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.eventWebhook('transfer/group/agent-status', ivr.handleGroupAgentStatus, ivr.EVENT_BUDGET_MS);
