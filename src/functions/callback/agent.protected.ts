// The agent-first call's TwiML (REST Url): whisper who is waiting and why, the accept key, then <Dial> the customer.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('callback/agent', ivr.handleAgentLeg);
