// The agent's side of a live transfer, before the caller is connected: who is calling and why; maybe "press 1".
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('transfer/whisper', ivr.handleWhisper);
