// The agent's key in the whisper: 1 takes the call; anything else, or nothing, declines it.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('transfer/whisper-answer', ivr.handleWhisperAnswer);
