// Yes books the slot read back (the row is written first); no asks again.
import type * as Ivr from '../../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('callback/schedule/confirm', ivr.handleScheduleConfirm);
