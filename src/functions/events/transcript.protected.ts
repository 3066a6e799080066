// The Voice Intelligence service's webhook (JSON, signed with bodySHA256): transcript and wrap-up notes on the row.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.eventWebhook('events/transcript', ivr.handleTranscript, ivr.EVENT_BUDGET_MS);
