// StatusCallback of each text we send: records delivery; an undelivered text falls back to email.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.eventWebhook('events/message-status', ivr.handleMessageStatus, ivr.MESSAGE_STATUS_BUDGET_MS);
