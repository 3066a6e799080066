// The one private asset the Functions load (`Runtime.getAssets()['/ivr.js']`). The build bundles
// this file and everything it imports into dist/assets/ivr.private.js: deployed assets live under
// hashed names, so they could not require one another. Exports are grouped by floor and folder
// (src/assets/README.md draws the floors).
// shell: the webhook wrappers (voice, and events/SMS/jobs); each hands its handler the call's CallSession.
export { voiceWebhook } from './shell/webhook.private';
export { eventWebhook } from './shell/event-webhook.private';

// call: the instance's one call memory (reset by tests, as a recycled instance starts).
export { callMemory } from './call/memory.private';

// core: /voice/incoming's pure decisions and the "asks for a person" intent.
export { decideIncoming, decideDialEnded } from './core/incoming.private';
export { asksForPerson } from './core/intent.private';

// escalate: the menu (/escalate) and the caller's choice (/escalate/choice).
export { handleEscalate, handleMenuChoice } from './escalate/handlers.private';

// jobs: the callback dispatcher (callbacks due, then reminders). sms: replies to booking texts.
export { handleDispatchCallbacks, DISPATCH_BUDGET_MS } from './jobs/dispatch-callbacks.private';
export { handleIncomingSms, SMS_BUDGET_MS } from './sms/handlers.private';

// number-entry: the shared "which number?" conversation (/number/answer).
export { handleNumberAnswer } from './number-entry/handlers.private';

// transfer: the live transfer's steps, and the events after it (call status, recording, transcript).
export {
  handleWhisper,
  handleWhisperAnswer,
  handleDialEnded,
  handleReferEnded,
  EVENT_BUDGET_MS,
  handleCallStatus,
  handleRecording,
  handleTranscript,
  handleGroupAccept,
  handleGroupAgentAfter,
  handleGroupEnded,
} from './transfer/handlers.private';
export { handleGroupRoom, handleGroupAgentStatus } from './call/ring-group.private';

// callback: immediate callbacks (agent first, then the customer).
export {
  handleCallbackNow,
  handleAgentLeg,
  handleAgentAnswer,
  handleCustomerLeg,
  handleCustomerAnswer,
  handleCallbackDialEnded,
  handleCallbackStatus,
  CALLBACK_STATUS_BUDGET_MS,
  agentLegTrouble,
  customerLegTrouble,
} from './callback/handlers.private';

// schedule: booking a callback for later.
export { handleScheduleStart, handleScheduleTime, handleScheduleConfirm, handleScheduleCheck } from './schedule/handlers.private';

// text: texting a link or number, and its delivery status (/events/message-status).
export { handleTextSend, handleMessageStatus, MESSAGE_STATUS_BUDGET_MS } from './text/handlers.private';

// email: emailing contact information and repeating the case number.
export { handleEmailSend, handleCaseNumber } from './email/handlers.private';

// voicemail: the <Record> action, and the recording callback (Calls row, Callbacks row, team email, transcript).
export { handleVoicemailRecorded, handleVoicemailRecording, VOICEMAIL_RECORDING_BUDGET_MS } from './voicemail/handlers.private';
