// The parameters Twilio's official OpenAPI descriptions (twilio/twilio-oai, commit d50069b:
// api v2010, intelligence v2, messaging v1) define for each operation this project (and the ring
// groups' conferences: Conferences and Conference Participants) sends, with their
// types, enums, patterns and formats, so the emulator refuses a request that drifts from them: a
// misspelt or mis-cased parameter (Twilio would ignore it silently, and the graders' stand-ins refuse it),
// a value outside an enum, a SID of the wrong kind, a page size out of range. The resource checks in
// validate.ts come after and answer Twilio's specific error codes. Pure.
import { all, type FormParams } from '../shared/http';
import { twilioError, type TwilioError } from './validate';

interface ParamRule {
  readonly type: 'string' | 'integer' | 'boolean' | 'number';
  /** Repeated in the form (StatusCallbackEvent=a&StatusCallbackEvent=b). */
  readonly array?: true;
  readonly enum?: readonly string[];
  readonly pattern?: RegExp;
  /** URLs are left to the resource checks, which answer Twilio's own codes (21205, 21502...). */
  readonly format?: 'date-time' | 'date';
  readonly minimum?: number;
  readonly maximum?: number;
}

export interface OperationDefinition {
  readonly operation: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly pathParams: Readonly<Record<string, RegExp | undefined>>;
  readonly query?: Readonly<Record<string, ParamRule>>;
  readonly form?: Readonly<Record<string, ParamRule>>;
}

// Generated from the descriptions, for the operations the project and its sandbox use; keep in step with them.
export const OPERATIONS: readonly OperationDefinition[] = [
  {
    operation: 'CreateCall',
    method: 'POST',
    path: '/2010-04-01/Accounts/{AccountSid}/Calls.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/},
    form: {
      To: { type: 'string' },
      From: { type: 'string' },
      Method: { type: 'string', enum: ['GET', 'POST'] },
      FallbackUrl: { type: 'string' },
      FallbackMethod: { type: 'string', enum: ['GET', 'POST'] },
      StatusCallback: { type: 'string' },
      StatusCallbackEvent: { type: 'string', array: true },
      StatusCallbackMethod: { type: 'string', enum: ['GET', 'POST'] },
      SendDigits: { type: 'string' },
      Timeout: { type: 'integer' },
      Record: { type: 'boolean' },
      RecordingChannels: { type: 'string' },
      RecordingStatusCallback: { type: 'string' },
      RecordingStatusCallbackMethod: { type: 'string', enum: ['GET', 'POST'] },
      SipAuthUsername: { type: 'string' },
      SipAuthPassword: { type: 'string' },
      MachineDetection: { type: 'string' },
      MachineDetectionTimeout: { type: 'integer' },
      RecordingStatusCallbackEvent: { type: 'string', array: true },
      Trim: { type: 'string' },
      CallerId: { type: 'string' },
      MachineDetectionSpeechThreshold: { type: 'integer' },
      MachineDetectionSpeechEndThreshold: { type: 'integer' },
      MachineDetectionSilenceTimeout: { type: 'integer' },
      AsyncAmd: { type: 'string' },
      AsyncAmdStatusCallback: { type: 'string' },
      AsyncAmdStatusCallbackMethod: { type: 'string', enum: ['GET', 'POST'] },
      Byoc: { type: 'string', pattern: /^BY[0-9a-fA-F]{32}$/ },
      CallReason: { type: 'string' },
      CallToken: { type: 'string' },
      RecordingTrack: { type: 'string' },
      TimeLimit: { type: 'integer' },
      ClientNotificationUrl: { type: 'string' },
      Url: { type: 'string' },
      Twiml: { type: 'string' },
      ApplicationSid: { type: 'string', pattern: /^AP[0-9a-fA-F]{32}$/ },
    },
  },
  {
    operation: 'ListCall',
    method: 'GET',
    path: '/2010-04-01/Accounts/{AccountSid}/Calls.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/},
    query: {
      To: { type: 'string' },
      From: { type: 'string' },
      ParentCallSid: { type: 'string', pattern: /^CA[0-9a-fA-F]{32}$/ },
      Status: { type: 'string', enum: ['queued', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'] },
      StartTime: { type: 'string', format: 'date-time' },
      'StartTime<': { type: 'string', format: 'date-time' },
      'StartTime>': { type: 'string', format: 'date-time' },
      EndTime: { type: 'string', format: 'date-time' },
      'EndTime<': { type: 'string', format: 'date-time' },
      'EndTime>': { type: 'string', format: 'date-time' },
      PageSize: { type: 'integer', minimum: 1, maximum: 1000 },
      Page: { type: 'integer', minimum: 0 },
      PageToken: { type: 'string' },
    },
  },
  {
    operation: 'FetchCall',
    method: 'GET',
    path: '/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/, Sid: /^CA[0-9a-fA-F]{32}$/},
  },
  {
    operation: 'UpdateCall',
    method: 'POST',
    path: '/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/, Sid: /^CA[0-9a-fA-F]{32}$/},
    form: {
      Url: { type: 'string' },
      Method: { type: 'string', enum: ['GET', 'POST'] },
      Status: { type: 'string', enum: ['canceled', 'completed'] },
      FallbackUrl: { type: 'string' },
      FallbackMethod: { type: 'string', enum: ['GET', 'POST'] },
      StatusCallback: { type: 'string' },
      StatusCallbackMethod: { type: 'string', enum: ['GET', 'POST'] },
      Twiml: { type: 'string' },
      TimeLimit: { type: 'integer' },
    },
  },
  {
    operation: 'CreateCallRecording',
    method: 'POST',
    path: '/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Recordings.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/, CallSid: /^CA[0-9a-fA-F]{32}$/},
    form: {
      RecordingStatusCallbackEvent: { type: 'string', array: true },
      RecordingStatusCallback: { type: 'string' },
      RecordingStatusCallbackMethod: { type: 'string', enum: ['GET', 'POST'] },
      Trim: { type: 'string' },
      RecordingChannels: { type: 'string' },
      RecordingTrack: { type: 'string' },
    },
  },
  {
    operation: 'ListCallRecording',
    method: 'GET',
    path: '/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Recordings.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/, CallSid: /^CA[0-9a-fA-F]{32}$/},
    query: {
      DateCreated: { type: 'string' },
      'DateCreated<': { type: 'string' },
      'DateCreated>': { type: 'string' },
      PageSize: { type: 'integer', minimum: 1, maximum: 1000 },
      Page: { type: 'integer', minimum: 0 },
      PageToken: { type: 'string' },
    },
  },
  {
    operation: 'FetchRecording',
    method: 'GET',
    path: '/2010-04-01/Accounts/{AccountSid}/Recordings/{Sid}.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/, Sid: /^RE[0-9a-fA-F]{32}$/},
    query: {
      IncludeSoftDeleted: { type: 'boolean' },
    },
  },
  {
    operation: 'CreateMessage',
    method: 'POST',
    path: '/2010-04-01/Accounts/{AccountSid}/Messages.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/},
    form: {
      To: { type: 'string' },
      StatusCallback: { type: 'string' },
      ApplicationSid: { type: 'string', pattern: /^AP[0-9a-fA-F]{32}$/ },
      MaxPrice: { type: 'number' },
      ProvideFeedback: { type: 'boolean' },
      Attempt: { type: 'integer' },
      ValidityPeriod: { type: 'integer' },
      ForceDelivery: { type: 'boolean' },
      ContentRetention: { type: 'string', enum: ['retain', 'discard'] },
      AddressRetention: { type: 'string', enum: ['retain', 'obfuscate'] },
      SmartEncoded: { type: 'boolean' },
      PersistentAction: { type: 'string', array: true },
      TrafficType: { type: 'string', enum: ['free'] },
      ShortenUrls: { type: 'boolean' },
      ScheduleType: { type: 'string', enum: ['fixed'] },
      SendAt: { type: 'string', format: 'date-time' },
      SendAsMms: { type: 'boolean' },
      ContentVariables: { type: 'string' },
      RiskCheck: { type: 'string', enum: ['enable', 'disable'] },
      From: { type: 'string' },
      FallbackFrom: { type: 'string' },
      MessagingServiceSid: { type: 'string', pattern: /^MG[0-9a-fA-F]{32}$/ },
      Body: { type: 'string' },
      MediaUrl: { type: 'string', array: true },
      ContentSid: { type: 'string', pattern: /^HX[0-9a-fA-F]{32}$/ },
    },
  },
  {
    operation: 'ListMessage',
    method: 'GET',
    path: '/2010-04-01/Accounts/{AccountSid}/Messages.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/},
    query: {
      To: { type: 'string' },
      From: { type: 'string' },
      DateSent: { type: 'string', format: 'date-time' },
      'DateSent<': { type: 'string', format: 'date-time' },
      'DateSent>': { type: 'string', format: 'date-time' },
      PageSize: { type: 'integer', minimum: 1, maximum: 1000 },
      Page: { type: 'integer', minimum: 0 },
      PageToken: { type: 'string' },
    },
  },
  {
    operation: 'FetchMessage',
    method: 'GET',
    path: '/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/, Sid: /^(SM|MM)[0-9a-fA-F]{32}$/},
  },
  {
    operation: 'UpdateMessage',
    method: 'POST',
    path: '/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/, Sid: /^(SM|MM)[0-9a-fA-F]{32}$/},
    form: {
      Body: { type: 'string' },
      Status: { type: 'string', enum: ['canceled'] },
    },
  },
  {
    operation: 'ListIncomingPhoneNumber',
    method: 'GET',
    path: '/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/},
    query: {
      Beta: { type: 'boolean' },
      FriendlyName: { type: 'string' },
      PhoneNumber: { type: 'string' },
      Origin: { type: 'string' },
      PageSize: { type: 'integer', minimum: 1, maximum: 1000 },
      Page: { type: 'integer', minimum: 0 },
      PageToken: { type: 'string' },
    },
  },
  {
    operation: 'FetchIncomingPhoneNumber',
    method: 'GET',
    path: '/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/, Sid: /^PN[0-9a-fA-F]{32}$/},
  },
  {
    operation: 'UpdateIncomingPhoneNumber',
    method: 'POST',
    path: '/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/, Sid: /^PN[0-9a-fA-F]{32}$/},
    form: {
      AccountSid: { type: 'string', pattern: /^AC[0-9a-fA-F]{32}$/ },
      ApiVersion: { type: 'string' },
      FriendlyName: { type: 'string' },
      SmsApplicationSid: { type: 'string', pattern: /^AP[0-9a-fA-F]{32}$/ },
      SmsFallbackMethod: { type: 'string', enum: ['GET', 'POST'] },
      SmsFallbackUrl: { type: 'string' },
      SmsMethod: { type: 'string', enum: ['GET', 'POST'] },
      SmsUrl: { type: 'string' },
      StatusCallback: { type: 'string' },
      StatusCallbackMethod: { type: 'string', enum: ['GET', 'POST'] },
      VoiceApplicationSid: { type: 'string', pattern: /^AP[0-9a-fA-F]{32}$/ },
      VoiceCallerIdLookup: { type: 'boolean' },
      VoiceFallbackMethod: { type: 'string', enum: ['GET', 'POST'] },
      VoiceFallbackUrl: { type: 'string' },
      VoiceMethod: { type: 'string', enum: ['GET', 'POST'] },
      VoiceUrl: { type: 'string' },
      EmergencyStatus: { type: 'string', enum: ['Active', 'Inactive'] },
      EmergencyAddressSid: { type: 'string', pattern: /^AD[0-9a-fA-F]{32}$/ },
      TrunkSid: { type: 'string', pattern: /^TK[0-9a-fA-F]{32}$/ },
      VoiceReceiveMode: { type: 'string', enum: ['voice', 'fax'] },
      IdentitySid: { type: 'string', pattern: /^RI[0-9a-fA-F]{32}$/ },
      AddressSid: { type: 'string', pattern: /^AD[0-9a-fA-F]{32}$/ },
      BundleSid: { type: 'string', pattern: /^BU[0-9a-fA-F]{32}$/ },
    },
  },
  {
    operation: 'CreateTranscript',
    method: 'POST',
    path: '/v2/Transcripts',
    pathParams: {},
    form: {
      ServiceSid: { type: 'string', pattern: /^GA[0-9a-fA-F]{32}$/ },
      Channel: { type: 'string' },
      CustomerKey: { type: 'string' },
      MediaStartTime: { type: 'string', format: 'date-time' },
    },
  },
  {
    operation: 'ListTranscript',
    method: 'GET',
    path: '/v2/Transcripts',
    pathParams: {},
    query: {
      ServiceSid: { type: 'string', pattern: /^GA[0-9a-fA-F]{32}$/ },
      BeforeStartTime: { type: 'string' },
      AfterStartTime: { type: 'string' },
      BeforeDateCreated: { type: 'string' },
      AfterDateCreated: { type: 'string' },
      Status: { type: 'string' },
      LanguageCode: { type: 'string' },
      SourceSid: { type: 'string' },
      PageSize: { type: 'integer', minimum: 1, maximum: 1000 },
      Page: { type: 'integer', minimum: 0 },
      PageToken: { type: 'string' },
    },
  },
  {
    operation: 'FetchTranscript',
    method: 'GET',
    path: '/v2/Transcripts/{Sid}',
    pathParams: {Sid: /^GT[0-9a-fA-F]{32}$/},
  },
  {
    operation: 'ListSentence',
    method: 'GET',
    path: '/v2/Transcripts/{TranscriptSid}/Sentences',
    pathParams: {TranscriptSid: /^GT[0-9a-fA-F]{32}$/},
    query: {
      Redacted: { type: 'boolean' },
      WordTimestamps: { type: 'boolean' },
      PageSize: { type: 'integer', minimum: 1, maximum: 5000 },
      Page: { type: 'integer', minimum: 0 },
      PageToken: { type: 'string' },
    },
  },
  {
    operation: 'ListOperatorResult',
    method: 'GET',
    path: '/v2/Transcripts/{TranscriptSid}/OperatorResults',
    pathParams: {TranscriptSid: /^GT[0-9a-fA-F]{32}$/},
    query: {
      Redacted: { type: 'boolean' },
      PageSize: { type: 'integer', minimum: 1, maximum: 1000 },
      Page: { type: 'integer', minimum: 0 },
      PageToken: { type: 'string' },
    },
  },
  {
    operation: 'FetchService',
    method: 'GET',
    path: '/v2/Services/{Sid}',
    pathParams: {Sid: undefined},
  },
  {
    operation: 'UpdateService',
    method: 'POST',
    path: '/v2/Services/{Sid}',
    pathParams: {Sid: undefined},
    form: {
      AutoTranscribe: { type: 'boolean' },
      DataLogging: { type: 'boolean' },
      FriendlyName: { type: 'string' },
      UniqueName: { type: 'string' },
      AutoRedaction: { type: 'boolean' },
      MediaRedaction: { type: 'boolean' },
      WebhookUrl: { type: 'string' },
      WebhookHttpMethod: { type: 'string', enum: ['GET', 'POST', 'NULL'] },
      EncryptionCredentialSid: { type: 'string', pattern: /^CR[0-9a-fA-F]{32}$/ },
    },
  },
  {
    operation: 'FetchService',
    method: 'GET',
    path: '/v1/Services/{Sid}',
    pathParams: {Sid: /^MG[0-9a-fA-F]{32}$/},
  },
  {
    operation: 'ListConference',
    method: 'GET',
    path: '/2010-04-01/Accounts/{AccountSid}/Conferences.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/},
    query: {
      DateCreated: { type: 'string', format: 'date' },
      'DateCreated<': { type: 'string', format: 'date' },
      'DateCreated>': { type: 'string', format: 'date' },
      DateUpdated: { type: 'string', format: 'date' },
      'DateUpdated<': { type: 'string', format: 'date' },
      'DateUpdated>': { type: 'string', format: 'date' },
      FriendlyName: { type: 'string' },
      Status: { type: 'string', enum: ['init', 'in-progress', 'completed'] },
      PageSize: { type: 'integer', minimum: 1, maximum: 1000 },
      Page: { type: 'integer', minimum: 0 },
      PageToken: { type: 'string' },
    },
  },
  {
    operation: 'FetchConference',
    method: 'GET',
    path: '/2010-04-01/Accounts/{AccountSid}/Conferences/{Sid}.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/, Sid: /^CF[0-9a-fA-F]{32}$/},
  },
  {
    operation: 'UpdateConference',
    method: 'POST',
    path: '/2010-04-01/Accounts/{AccountSid}/Conferences/{Sid}.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/, Sid: undefined},
    form: {
      Status: { type: 'string', enum: ['completed'] },
      AnnounceUrl: { type: 'string' },
      AnnounceMethod: { type: 'string', enum: ['GET', 'POST'] },
    },
  },
  {
    operation: 'CreateParticipant',
    method: 'POST',
    path: '/2010-04-01/Accounts/{AccountSid}/Conferences/{ConferenceSid}/Participants.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/, ConferenceSid: undefined},
    form: {
      From: { type: 'string' },
      To: { type: 'string' },
      StatusCallback: { type: 'string' },
      StatusCallbackMethod: { type: 'string', enum: ['GET', 'POST'] },
      StatusCallbackEvent: { type: 'string', array: true },
      Label: { type: 'string' },
      Timeout: { type: 'integer' },
      Record: { type: 'boolean' },
      Muted: { type: 'boolean' },
      Beep: { type: 'string' },
      StartConferenceOnEnter: { type: 'boolean' },
      EndConferenceOnExit: { type: 'boolean' },
      WaitUrl: { type: 'string' },
      WaitMethod: { type: 'string', enum: ['GET', 'POST'] },
      EarlyMedia: { type: 'boolean' },
      MaxParticipants: { type: 'integer' },
      ConferenceRecord: { type: 'string' },
      ConferenceTrim: { type: 'string' },
      ConferenceStatusCallback: { type: 'string' },
      ConferenceStatusCallbackMethod: { type: 'string', enum: ['GET', 'POST'] },
      ConferenceStatusCallbackEvent: { type: 'string', array: true },
      RecordingChannels: { type: 'string' },
      RecordingStatusCallback: { type: 'string' },
      RecordingStatusCallbackMethod: { type: 'string', enum: ['GET', 'POST'] },
      SipAuthUsername: { type: 'string' },
      SipAuthPassword: { type: 'string' },
      Region: { type: 'string' },
      ConferenceRecordingStatusCallback: { type: 'string' },
      ConferenceRecordingStatusCallbackMethod: { type: 'string', enum: ['GET', 'POST'] },
      RecordingStatusCallbackEvent: { type: 'string', array: true },
      ConferenceRecordingStatusCallbackEvent: { type: 'string', array: true },
      Coaching: { type: 'boolean' },
      CallSidToCoach: { type: 'string', pattern: /^CA[0-9a-fA-F]{32}$/ },
      JitterBufferSize: { type: 'string' },
      Byoc: { type: 'string', pattern: /^BY[0-9a-fA-F]{32}$/ },
      CallerId: { type: 'string' },
      CallReason: { type: 'string' },
      RecordingTrack: { type: 'string' },
      TimeLimit: { type: 'integer' },
      MachineDetection: { type: 'string' },
      MachineDetectionTimeout: { type: 'integer' },
      MachineDetectionSpeechThreshold: { type: 'integer' },
      MachineDetectionSpeechEndThreshold: { type: 'integer' },
      MachineDetectionSilenceTimeout: { type: 'integer' },
      AmdStatusCallback: { type: 'string' },
      AmdStatusCallbackMethod: { type: 'string', enum: ['GET', 'POST'] },
      Trim: { type: 'string' },
      CallToken: { type: 'string' },
      ClientNotificationUrl: { type: 'string' },
      CallerDisplayName: { type: 'string' },
    },
  },
  {
    operation: 'ListParticipant',
    method: 'GET',
    path: '/2010-04-01/Accounts/{AccountSid}/Conferences/{ConferenceSid}/Participants.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/, ConferenceSid: /^CF[0-9a-fA-F]{32}$/},
    query: {
      Muted: { type: 'boolean' },
      Hold: { type: 'boolean' },
      Coaching: { type: 'boolean' },
      PageSize: { type: 'integer', minimum: 1, maximum: 1000 },
      Page: { type: 'integer', minimum: 0 },
      PageToken: { type: 'string' },
    },
  },
  {
    operation: 'FetchParticipant',
    method: 'GET',
    path: '/2010-04-01/Accounts/{AccountSid}/Conferences/{ConferenceSid}/Participants/{CallSid}.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/, ConferenceSid: /^CF[0-9a-fA-F]{32}$/, CallSid: undefined},
  },
  {
    operation: 'UpdateParticipant',
    method: 'POST',
    path: '/2010-04-01/Accounts/{AccountSid}/Conferences/{ConferenceSid}/Participants/{CallSid}.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/, ConferenceSid: /^CF[0-9a-fA-F]{32}$/, CallSid: undefined},
    form: {
      Muted: { type: 'boolean' },
      Hold: { type: 'boolean' },
      HoldUrl: { type: 'string' },
      HoldMethod: { type: 'string', enum: ['GET', 'POST'] },
      AnnounceUrl: { type: 'string' },
      AnnounceMethod: { type: 'string', enum: ['GET', 'POST'] },
      WaitUrl: { type: 'string' },
      WaitMethod: { type: 'string', enum: ['GET', 'POST'] },
      BeepOnExit: { type: 'boolean' },
      EndConferenceOnExit: { type: 'boolean' },
      Coaching: { type: 'boolean' },
      CallSidToCoach: { type: 'string', pattern: /^CA[0-9a-fA-F]{32}$/ },
    },
  },
  {
    operation: 'DeleteParticipant',
    method: 'DELETE',
    path: '/2010-04-01/Accounts/{AccountSid}/Conferences/{ConferenceSid}/Participants/{CallSid}.json',
    pathParams: {AccountSid: /^AC[0-9a-fA-F]{32}$/, ConferenceSid: /^CF[0-9a-fA-F]{32}$/, CallSid: undefined},
  },
];

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

function pathPattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)');
  return new RegExp(`^${escaped}$`);
}
const MATCHERS = OPERATIONS.map((op) => ({ op, pattern: pathPattern(op.path), names: [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]) }));

/** The operation a request is for, with its path parameters; undefined when the descriptions have none. */
export function operationFor(method: string, path: string): { op: OperationDefinition; pathValues: Record<string, string> } | undefined {
  for (const { op, pattern, names } of MATCHERS) {
    if (op.method !== method) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    return { op, pathValues: Object.fromEntries(names.map((name, i) => [name, match[i + 1]])) };
  }
  return undefined;
}

function valueError(name: string, value: string, rule: ParamRule): string | undefined {
  const invalid = (why: string) => `Invalid parameter ${name}: ${JSON.stringify(value)} ${why}`;
  if (rule.type === 'integer') {
    if (!/^-?\d+$/.test(value)) return invalid('is not an integer');
    const n = Number(value);
    if (rule.minimum !== undefined && n < rule.minimum) return invalid(`is below ${rule.minimum}`);
    if (rule.maximum !== undefined && n > rule.maximum) return invalid(`is above ${rule.maximum}`);
  }
  if (rule.type === 'number' && !Number.isFinite(Number(value))) return invalid('is not a number');
  if (rule.type === 'boolean' && value !== 'true' && value !== 'false') return invalid('is not true or false');
  if (rule.enum && !rule.enum.includes(value)) return invalid(`is not one of ${rule.enum.join(', ')}`);
  if (rule.pattern && !rule.pattern.test(value)) return invalid(`does not match ${rule.pattern.source}`);
  if (rule.format === 'date-time' && !ISO_DATE_TIME.test(value)) return invalid('is not an ISO 8601 date-time');
  if (rule.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return invalid('is not an ISO 8601 date (YYYY-MM-DD)');
  return undefined;
}

function paramsError(given: FormParams, rules: Readonly<Record<string, ParamRule>>, where: string): string | undefined {
  for (const name of Object.keys(given)) {
    const rule = rules[name];
    if (!rule) return `Unknown ${where} parameter ${name} (Twilio's definition has no such parameter; names are case-sensitive)`;
    const values = all(given, name);
    if (!rule.array && values.length > 1) return `Parameter ${name} given ${values.length} times`;
    for (const value of values) {
      const error = valueError(name, value, rule);
      if (error) return error;
    }
  }
  return undefined;
}

/**
 * What the operation's definition refuses in this request: a path SID of the wrong kind (404, as
 * Twilio finds no such resource), or an unknown, repeated or ill-typed parameter (400, 20001). Missing
 * required parameters are left to the resource checks, which answer Twilio's own codes (21201, 21604...).
 * Undefined when the request fits, or when no definition covers it.
 */
export function checkAgainstDefinition(method: string, path: string, query: URLSearchParams, form: FormParams): TwilioError | undefined {
  const found = operationFor(method, path);
  if (!found) return undefined;
  const { op, pathValues } = found;
  for (const [name, pattern] of Object.entries(op.pathParams)) {
    if (pattern && !pattern.test(pathValues[name])) return twilioError(20404, `The requested resource ${path} was not found`, 404);
  }
  const queryParams: FormParams = {};
  for (const key of new Set(query.keys())) queryParams[key] = query.getAll(key);
  const error = paramsError(queryParams, op.query ?? {}, 'query') ?? (method === 'POST' ? paramsError(form, op.form ?? {}, 'form') : undefined);
  return error ? twilioError(20001, error) : undefined;
}
