// The one private asset the Functions load (`Runtime.getAssets()['/ivr.js']`). The build bundles
// this file and everything it imports into dist/assets/ivr.private.js: deployed assets live under
// hashed names, so they could not require one another. Exports are grouped by folder.

// shell: the webhook wrappers (voice, and events/SMS/jobs) and the line lookup.
export { voiceWebhook } from './shell/webhook.private';
export { eventWebhook } from './shell/event-webhook.private';
export { resolveLine } from './shell/line-lookup.private';

// core: /voice/incoming's pure decisions and the "asks for a person" intent.
export { decideIncoming, decideDialEnded } from './core/incoming.private';
export { asksForPerson } from './core/intent.private';

// escalate: the menu (/escalate) and the caller's choice (/escalate/choice).
export { handleEscalate, handleMenuChoice } from './escalate/escalation.private';

// number-entry: the shared "which number?" conversation (/number/answer).
export { handleNumberAnswer } from './number-entry/number-entry.private';

// transfer: the live transfer's steps, and the events after it (call status, recording, transcript).
export { handleWhisper, handleWhisperAnswer, handleDialEnded, handleReferEnded } from './transfer/live-transfer.private';
export { EVENT_BUDGET_MS, handleCallStatus, handleRecording, handleTranscript } from './transfer/transfer-events.private';

// callback: immediate callbacks (agent first, then the customer) and the dispatcher job.
export { handleCallbackNow } from './callback/callback-now.private';
export {
  handleAgentLeg,
  handleAgentAnswer,
  handleCustomerLeg,
  handleCustomerAnswer,
  handleCallbackDialEnded,
  handleCallbackStatus,
  agentLegTrouble,
  customerLegTrouble,
} from './callback/callback-legs.private';
export { handleDispatchCallbacks, DISPATCH_BUDGET_MS } from './callback/dispatch-callbacks.private';

// schedule: booking a callback for later, and the replies to booking texts (/sms/incoming).
export { handleScheduleStart, handleScheduleTime, handleScheduleConfirm, handleScheduleCheck } from './schedule/schedule-call.private';
export { handleIncomingSms, SMS_BUDGET_MS } from './schedule/sms-replies.private';

// text: texting a link or number, and its delivery status (/events/message-status).
export { handleTextSend } from './text/text-send.private';
export { handleMessageStatus, MESSAGE_STATUS_BUDGET_MS } from './text/message-status.private';

// email: emailing contact information and repeating the case number.
export { handleEmailSend, handleCaseNumber } from './email/email-send.private';
