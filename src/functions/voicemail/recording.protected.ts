// recordingStatusCallback of the voicemail: the recording on the Calls row, the call back, the team's email, the transcript.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.eventWebhook('voicemail/recording', ivr.handleVoicemailRecording, ivr.VOICEMAIL_RECORDING_BUDGET_MS);
