// Test helpers for callbacks: run the dispatcher, read and edit Callbacks rows in the emulator.
import Airtable from 'airtable';
import { DEMO_BASE_ID } from '../../sandbox/demo-data';
import type { Sandbox } from '../../sandbox/sandbox';
import { SANDBOX_AIRTABLE_API_KEY, SANDBOX_DISPATCH_SECRET } from '../../sandbox/sandbox-env';

export interface DispatchAnswer {
  readonly status: number;
  readonly json: { dialled?: { id: string; callSid?: string }[]; skipped?: { id: string; reason: string }[]; left?: number; errors?: string[]; error?: string };
}

/** One dispatcher run, as an external scheduler calls it (`null`: without an Authorization header). */
export async function runDispatch(sandbox: Sandbox, secret: string | null = SANDBOX_DISPATCH_SECRET): Promise<DispatchAnswer> {
  const response = await fetch(`${sandbox.baseUrl}/jobs/dispatch-callbacks`, {
    method: 'POST',
    headers: secret === null ? {} : { authorization: `Bearer ${secret}` },
  });
  return { status: response.status, json: (await response.json()) as DispatchAnswer['json'] };
}

function base(sandbox: Sandbox): Airtable.Base {
  return new Airtable({ apiKey: SANDBOX_AIRTABLE_API_KEY, endpointUrl: sandbox.airtable.url, noRetryIfRateLimited: true }).base(DEMO_BASE_ID);
}

/** Edits a row as an operator (or time passing) would. */
export async function setFields(sandbox: Sandbox, table: string, id: string, fields: Record<string, unknown>): Promise<void> {
  await base(sandbox)(table).update(id, fields as never, { typecast: true });
}

export function setCallbackFields(sandbox: Sandbox, id: string, fields: Record<string, unknown>): Promise<void> {
  return setFields(sandbox, 'Callbacks', id, fields);
}

/** Adds rows (ten per request), returning their ids. */
export async function addCallbacks(sandbox: Sandbox, rows: readonly Record<string, unknown>[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += 10) {
    const created = await base(sandbox)('Callbacks').create(rows.slice(i, i + 10).map((fields) => ({ fields })) as never, { typecast: true });
    ids.push(...(created as unknown as { id: string }[]).map((r) => r.id));
  }
  return ids;
}

export function callbackRows(sandbox: Sandbox): { id: string; fields: Record<string, unknown> }[] {
  return sandbox.airtable.records('Callbacks');
}

export const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
