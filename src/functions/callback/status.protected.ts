// Status callback of an agent-first call (initiated, completed): records its SID, rings a group's next agent, or records a missed attempt. Idempotent.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.eventWebhook('callback/status', ivr.handleCallbackStatus, ivr.CALLBACK_STATUS_BUDGET_MS);
