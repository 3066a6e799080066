// The agent's key at the callback whisper: 1 dials the customer.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('callback/agent-answer', ivr.handleAgentAnswer);
