// What the sandbox's emulators hold (texts, emails, Airtable rows, placed calls), read in-process or
// over their /__emulator control endpoints, and what changed during a simulated call.
import type { Sandbox } from '../sandbox';
import { statusCallbackEventsOf, type CallResource, type FormParams } from '../emulators/twilio';
import type { PlacedCall } from './call-driver';

export const DEMO_TABLES = ['Lines', 'Contacts', 'Callbacks', 'Calls'] as const;

export interface SandboxRecords {
  readonly messages: readonly { readonly sid: string; readonly from: string; readonly to: string; readonly body: string; readonly status: string }[];
  readonly mails: readonly { readonly id: string; readonly to: readonly string[]; readonly subject?: string; readonly text?: string }[];
  readonly rows: Readonly<Record<string, readonly { readonly id: string; readonly fields: Readonly<Record<string, unknown>> }[]>>;
  readonly placedCalls: readonly PlacedCall[];
}

/** The endpoints `npm start` writes to .sandbox/endpoints.json. */
export interface EmulatorEndpoints {
  readonly twilio: string;
  readonly sendgrid: string;
  readonly airtable: string;
}

interface CallEntry {
  readonly sid: string;
  readonly params: FormParams;
  readonly resource: CallResource;
}

function first(params: FormParams, key: string): string | undefined {
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

/** A call the emulator holds, as the driver needs it to answer it. */
export function placedCallFromEntry(entry: CallEntry): PlacedCall {
  // As Twilio: only values that are exactly one event name count (a space-joined value is ignored).
  const list = statusCallbackEventsOf(entry.params).events;
  return {
    sid: entry.sid,
    from: entry.resource.from,
    to: entry.resource.to,
    url: first(entry.params, 'Url'),
    method: first(entry.params, 'Method'),
    twiml: first(entry.params, 'Twiml'),
    statusCallback: first(entry.params, 'StatusCallback'),
    statusCallbackMethod: first(entry.params, 'StatusCallbackMethod'),
    statusCallbackEvent: list.length ? list : undefined,
    machineDetection: first(entry.params, 'MachineDetection'),
    record: first(entry.params, 'Record') === 'true',
    recordingStatusCallback: first(entry.params, 'RecordingStatusCallback'),
  };
}

function placedOnly(calls: readonly CallEntry[]): PlacedCall[] {
  return calls.filter((entry) => entry.resource.direction === 'outbound-api').map(placedCallFromEntry);
}

export function readSandboxRecords(sandbox: Pick<Sandbox, 'twilio' | 'sendgrid' | 'airtable'>): SandboxRecords {
  return {
    messages: sandbox.twilio.messages().map(({ resource }) => ({ sid: resource.sid, from: resource.from ?? 'a Messaging Service', to: resource.to, body: resource.body, status: resource.status })),
    mails: sandbox.sendgrid.mails().map((mail) => ({ id: mail.messageId, to: mail.to, subject: mail.subject, text: mail.text })),
    rows: Object.fromEntries(DEMO_TABLES.map((table) => [table, sandbox.airtable.records(table).map(({ id, fields }) => ({ id, fields }))])),
    placedCalls: placedOnly(sandbox.twilio.calls()),
  };
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export async function fetchSandboxRecords(endpoints: EmulatorEndpoints): Promise<SandboxRecords> {
  const [messages, mails, calls, ...tables] = await Promise.all([
    getJson<{ resource: { sid: string; from: string | null; to: string; body: string; status: string } }[]>(`${endpoints.twilio}/__emulator/messages`),
    getJson<{ messageId: string; to: string[]; subject?: string; text?: string }[]>(`${endpoints.sendgrid}/__emulator/mails`),
    getJson<CallEntry[]>(`${endpoints.twilio}/__emulator/calls`),
    ...DEMO_TABLES.map((table) => getJson<{ records: { id: string; fields: Record<string, unknown> }[] }>(`${endpoints.airtable}/__emulator/tables/${table}`)),
  ]);
  return {
    messages: messages.map(({ resource }) => ({ sid: resource.sid, from: resource.from ?? 'a Messaging Service', to: resource.to, body: resource.body, status: resource.status })),
    mails: mails.map((mail) => ({ id: mail.messageId, to: mail.to, subject: mail.subject, text: mail.text })),
    rows: Object.fromEntries(DEMO_TABLES.map((table, i) => [table, tables[i]!.records.map(({ id, fields }) => ({ id, fields }))])),
    placedCalls: placedOnly(calls),
  };
}

function shortValue(value: unknown): string {
  const text = (typeof value === 'string' ? value : JSON.stringify(value)).replace(/\s+/g, ' ');
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** One line per text, email and Airtable row written between the two snapshots. */
export function describeChanges(before: SandboxRecords, after: SandboxRecords): string[] {
  const lines: string[] = [];
  const seenMessages = new Set(before.messages.map((message) => message.sid));
  for (const message of after.messages) {
    if (!seenMessages.has(message.sid)) lines.push(`SMS ${message.from} → ${message.to} (${message.status}): ${message.body}`);
  }
  const seenMails = new Set(before.mails.map((mail) => mail.id));
  for (const mail of after.mails) {
    if (!seenMails.has(mail.id)) lines.push(`Email → ${mail.to.join(', ')}: ${mail.subject ?? '(no subject)'}`);
  }
  const seenCalls = new Set(before.placedCalls.map((call) => call.sid));
  for (const call of after.placedCalls) {
    if (!seenCalls.has(call.sid)) lines.push(`Call placed ${call.from} → ${call.to} (${call.url ?? 'inline TwiML'})`);
  }
  for (const table of Object.keys(after.rows)) {
    const old = new Map((before.rows[table] ?? []).map((row) => [row.id, row.fields]));
    for (const row of after.rows[table] ?? []) {
      const previous = old.get(row.id);
      if (!previous) {
        lines.push(`Airtable ${table}: new row ${row.id} ${Object.entries(row.fields).map(([name, value]) => `${name}=${shortValue(value)}`).join(', ')}`);
        continue;
      }
      const changed = Object.entries(row.fields).filter(([name, value]) => JSON.stringify(previous[name]) !== JSON.stringify(value));
      const cleared = Object.keys(previous).filter((name) => !(name in row.fields));
      if (changed.length || cleared.length) {
        const parts = [...changed.map(([name, value]) => `${name}=${shortValue(value)}`), ...cleared.map((name) => `${name} cleared`)];
        lines.push(`Airtable ${table}: updated ${row.id} ${parts.join(', ')}`);
      }
    }
  }
  return lines;
}
