// Reads of the Calls table (the call log). Writes go through shell/call-log (one upsert per write,
// deferred and sent again when it fails).
import { airtableRequests, formulaString, type AirtableFields } from './airtable-store.private';
import type { Config } from '../shell/config.private';

export interface CallLogRow {
  readonly id: string;
  readonly fields: AirtableFields;
}

/** The Calls row of `callSid`, undefined when the call has none. Throws when Airtable fails or is not configured. */
export async function loadCallRow(config: Config, callSid: string, deadline: number): Promise<CallLogRow | undefined> {
  const requests = airtableRequests(config);
  if (!requests) throw new Error('Airtable is not configured');
  const [record] = await requests.select('Calls', `{Call SID} = ${formulaString(callSid)}`, 1, deadline);
  return record;
}
