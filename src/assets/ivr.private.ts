// The one private asset the Functions load (`Runtime.getAssets()['/ivr.js']`). The build bundles
// this file and everything it imports into dist/assets/ivr.private.js: deployed assets live under
// hashed names, so they could not require one another.
export { voiceWebhook } from './webhook.private';
export { resolveLine } from './line-lookup.private';
export { decideIncoming, decideDialEnded } from './incoming.private';
export { asksForPerson } from './intent.private';
export { handleEscalate, handleMenuChoice } from './escalation.private';
