// Finds the line a call is for, keeping callers moving when Airtable cannot answer: the cached line
// first (the store keeps lines in the call memory), then a stand-in line that transfers to
// FALLBACK_TRANSFER_NUMBER.
import type { AirtableStore } from '../adapters/airtable-store.private';
import { LINE_DEFAULTS, type Config, type Line } from '../core/model.private';
import { toE164Shape } from '../core/phone.private';
import type { WebhookRequest } from './request.private';

/** The line used when Airtable is unreachable and nothing is cached: live transfer to the env fallback only. */
export function fallbackLine(config: Config, phoneNumber: string): Line | undefined {
  if (!config.fallbackTransferNumber) return undefined;
  return {
    ...LINE_DEFAULTS,
    name: 'our team',
    phoneNumber,
    language: 'en-US',
    timezone: config.defaultTimezone,
    fallbackTransferNumber: config.fallbackTransferNumber,
    liveTransfer: true,
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
