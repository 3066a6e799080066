// Lines for pure-decision tests, as the Airtable adapter maps a row: every path switched off and the
// callback settings at their defaults, unless `fields` says otherwise.
import type { Line } from '../../src/assets/core/model.private';

export function testLine(fields: Partial<Line> = {}): Line {
  return {
    name: '',
    phoneNumber: '',
    language: 'en-US',
    timezone: 'UTC',
    holidays: [],
    moreAgentNumbers: [],
    ringStrategy: 'In Order',
    ringSeconds: 20,
    transferMethod: 'Bridge',
    liveTransfer: false,
    phoneCallback: false,
    scheduledCallback: false,
    textLink: false,
    emailContact: false,
    recordAgentLeg: false,
    agentMustAccept: false,
    callbackSlotMinutes: 30,
    callbackSlotCapacity: 2,
    callbackDaysAhead: 7,
    callbackMaxAttempts: 3,
    voicemail: false,
    voicemailMaxSeconds: 120,
    ...fields,
  };
}
