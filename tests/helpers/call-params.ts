// Parameters Twilio sends with a voice webhook, for tests that post one directly.
import { randomBytes } from 'node:crypto';

export function newCallSid(): string {
  return `CA${randomBytes(16).toString('hex')}`;
}

export function voiceParams(accountSid: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    AccountSid: accountSid,
    ApiVersion: '2010-04-01',
    CallSid: newCallSid(),
    CallStatus: 'ringing',
    Direction: 'inbound',
    From: '+14155550142',
    FromCountry: 'US',
    To: '+12025550120',
    ToCountry: 'US',
    ...overrides,
  };
}
