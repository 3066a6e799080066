// The call simulator: Twilio's part in a voice call, for flow tests and `npm run call`.
export { call, answer, heardBy, ScenarioError, CallScript, type AgentAnswer, type CallOptions, type CallTarget, type Pattern } from './call-script';
export {
  runInboundCall,
  runOutboundCall,
  placedCallOf,
  CallAborted,
  APPLICATION_ERROR_PROMPT,
  type CallActor,
  type CallResult,
  type DialAnswer,
  type DriverOptions,
  type OutboundAnswer,
  type PlacedCall,
  type ReferAnswer,
  type TwilioHooks,
} from './call-driver';
export { ANONYMOUS_CALLER_IDS } from './call-params';
export { demoBaseWithHours, type DemoHours } from '../demo-data';
export { watchPlacedCalls, type PlacedCallWatch } from './placed-calls';
export { answerAgentCalls, PlacingCall, planOf, planOfChoice, type AgentCallPlan, type AgentCalls } from './agent-calls';
export { DEFAULT_HOLD_MUSIC } from './driver/conference';
export { formatTranscript, formatEvent, type TranscriptEvent, type PartyInput, type Leg } from './transcript';
export { validateTwiml, closeTwimlValidator, type TwimlValidation } from './twiml-validator';
export { signedTransport, type Transport } from './webhook-transport';
