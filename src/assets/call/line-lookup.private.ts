// Finds the line a call is for, keeping callers moving when Airtable cannot answer: the cached line
// first (the store keeps lines in the call memory), then a stand-in line that transfers to
// FALLBACK_TRANSFER_NUMBER.
import type { AirtableStore } from '../adapters/airtable-store.private';
import type { Config, Line } from '../core/model.private';
import { toE164Shape } from '../core/phone.private';
import type { WebhookRequest } from './request.private';

/** The line used when Airtable is unreachable and nothing is cached: live transfer to the env fallback only. */
export function fallbackLine(config: Config, phoneNumber: string): Line | undefined {
  if (!config.fallbackTransferNumber) return undefined;
  return {
    name: 'our team',
    phoneNumber,
    language: 'en-US',
    timezone: config.defaultTimezone,
    holidays: [],
    fallbackTransferNumber: config.fallbackTransferNumber,
    moreAgentNumbers: [],
    ringStrategy: 'In Order',
    ringSeconds: 20,
    transferMethod: 'Bridge',
    liveTransfer: true,
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
  };
}

/**
 * The line for `rawNumber` (a call's `To`, a SIP URI, or Studio's `Line`), undefined when no line has
 * that number. Throws only when Airtable failed, nothing is cached and there is no fallback number:
 * the webhook wrapper then answers its safe TwiML.
 */
export async function findLine(request: WebhookRequest, store: AirtableStore | undefined, rawNumber: string | undefined): Promise<Line | undefined> {
  const number = toE164Shape(rawNumber ?? '');
  if (!number) return undefined;
  try {
    if (!store) throw new Error('Airtable is not configured');
    return await store.findLine(number, request.deadline);
  } catch (error) {
    const line = fallbackLine(request.config, number);
    request.log.warn('line-unavailable', { error, fallback: Boolean(line) });
    if (!line) throw error;
    return line;
  }
}
