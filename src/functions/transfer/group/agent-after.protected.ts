// The room is over for an agent: someone else took the call (the agent hears so), or the caller left.
import type * as Ivr from '../../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('transfer/group/agent-after', ivr.handleGroupAgentAfter);
