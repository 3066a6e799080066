// Plays Twilio's part in a voice call: requests TwiML the way Twilio does and executes it with
// Twilio's semantics, asking a CallActor what the people on the line do. Time is simulated.
//
// The driver lives in ./driver, one concern a file: actor-api (the types a caller and an actor
// use), simulated-call (requests, TwiML and the verbs of one leg), dial (<Dial> and its whisper),
// refer (<Refer>), recordings, status-callbacks, finish-call, inbound-call and outbound-call.
// This file keeps the names importers use.
export {
  APPLICATION_ERROR_PROMPT,
  CallAborted,
  type CallActor,
  type CallResult,
  type DialAnswer,
  type DialRequest,
  type DialTarget,
  type DriverOptions,
  type GatherPrompt,
  type HoldRequest,
  type ReferAnswer,
  type ReferRequest,
  type SimulatedRecording,
  type TwilioHooks,
} from './driver/actor-api';
export { runInboundCall, type InboundCallStart } from './driver/inbound-call';
export { OUTBOUND_LABELS, placedCallOf, runOutboundCall, type OutboundAnswer, type PlacedCall } from './driver/outbound-call';
export type { StatusCallbackConfig } from './driver/status-callbacks';
