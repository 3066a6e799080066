// The voicemail's <Record> action: a message long enough is kept; an empty or too-short one is asked for once more.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('voicemail/recorded', ivr.handleVoicemailRecorded);
