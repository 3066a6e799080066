// Where the safety-net transfer (a failed or late webhook) reports back: end the call kindly.
import type * as Ivr from '../../assets/ivr.private';

const ivr: typeof Ivr = require(Runtime.getAssets()['/ivr.js'].path);

export const handler = ivr.voiceWebhook('voice/dial-ended', async ({ params }) => ivr.decideDialEnded(params.DialBridged === 'true'));
