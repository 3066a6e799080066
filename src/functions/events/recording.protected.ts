// recordingStatusCallback of the bridge: stores the recording and starts its Voice Intelligence transcript.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.eventWebhook('events/recording', ivr.handleRecording, ivr.EVENT_BUDGET_MS);
