// The one private asset the Functions load (`Runtime.getAssets()['/ivr.js']`). The build bundles
// this file and everything it imports into dist/assets/ivr.private.js: deployed assets live under
// hashed names, so they could not require one another.
export { voiceWebhook } from './shell/webhook.private';
export { resolveLine } from './shell/line-lookup.private';
export { decideIncoming, decideDialEnded } from './core/incoming.private';
export { asksForPerson } from './core/intent.private';
export { handleEscalate, handleMenuChoice } from './escalate/escalation.private';
export { eventWebhook } from './shell/event-webhook.private';
export { handleWhisper, handleWhisperAnswer, handleDialEnded, handleReferEnded } from './transfer/live-transfer.private';
export { EVENT_BUDGET_MS, handleCallStatus, handleRecording, handleTranscript } from './transfer/transfer-events.private';
export { handleNumberAnswer } from './number-entry/number-entry.private';
export { handleTextSend } from './text/text-send.private';
export { handleMessageStatus, MESSAGE_STATUS_BUDGET_MS } from './text/message-status.private';
export { handleEmailSend, handleCaseNumber } from './email/email-send.private';
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
export { handleScheduleStart, handleScheduleTime, handleScheduleConfirm, handleScheduleCheck } from './schedule/schedule-call.private';
export { handleIncomingSms, SMS_BUDGET_MS } from './schedule/sms-replies.private';
