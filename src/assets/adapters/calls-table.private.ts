// Reads of the Calls table (the call log). Writes go through call/call-log (one upsert per write,
// deferred and sent again when it fails).
import { formulaString, type AirtableFields, type AirtableRequests } from './airtable-requests.private';

export interface CallLogRow {
  readonly id: string;
  readonly fields: AirtableFields;
}

/** The Calls row of `callSid`, undefined when the call has none. Throws when Airtable fails or is not configured. */
export async function loadCallRow(requests: AirtableRequests | undefined, callSid: string, deadline: number): Promise<CallLogRow | undefined> {
  if (!requests) throw new Error('Airtable is not configured');
  const [record] = await requests.select('Calls', `{Call SID} = ${formulaString(callSid)}`, 1, deadline);
  return record;
}

/** What the text and email paths need from the Calls table before sending. */
export interface CallSends {
  /** The `Sent` field as stored (one entry a line), empty when nothing was sent. */
  readonly sent: string;
  readonly caseNumber?: string;
  /** True when `candidateCaseNumber` is already used by another call. */
  readonly caseNumberTaken: boolean;
}

/**
 * This call's `Sent` and `Case Number`, and whether `candidateCaseNumber` belongs to another call, in
 * one request. Throws when Airtable is not configured or does not answer before `deadline`.
 */
export async function loadCallSends(
  requests: AirtableRequests | undefined,
  callSid: string,
  candidateCaseNumber: string,
  deadline: number,
): Promise<CallSends> {
  if (!requests) throw new Error('Airtable is not configured');
  const records = await requests.select(
    'Calls',
    `OR({Call SID} = ${formulaString(callSid)}, {Case Number} = ${formulaString(candidateCaseNumber)})`,
    3,
    deadline,
  );
  const own = records.find((r) => r.fields['Call SID'] === callSid);
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  return {
    sent: text(own?.fields.Sent) ?? '',
    caseNumber: text(own?.fields['Case Number']),
    caseNumberTaken: records.some((r) => r.fields['Call SID'] !== callSid && r.fields['Case Number'] === candidateCaseNumber),
  };
}
