// What an independent grader uses to drive the sandbox from the outside: the sandbox itself, the
// Airtable REST API with the sandbox's public token (as a user edits their base), and checks that
// hold for every call whatever its scenario (each webhook answered 200 within 4 s, never Twilio's
// "application error" prompt).
import { DEMO_BASE_ID, demoBaseWithHours, type DemoBase } from '../../sandbox/demo-data';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/sandbox';
import { SANDBOX_AIRTABLE_API_KEY } from '../../sandbox/sandbox-env';
import { APPLICATION_ERROR_PROMPT, type CallResult } from '../../sandbox/simulator';

/** SPEC §5 Robustness: every webhook answers valid TwiML within 4 s. */
export const WEBHOOK_LIMIT_MS = 4_000;

export function openSandbox(env: SandboxOptions['env'] = {}, options: Omit<SandboxOptions, 'env'> = {}): Promise<Sandbox> {
  return startSandbox({ seed: demoBaseWithHours('open'), ...options, env });
}

export const openBase = (): DemoBase => demoBaseWithHours('open');

export interface AirtableRecord {
  readonly id: string;
  readonly createdTime: string;
  readonly fields: Record<string, unknown>;
}

/** The Airtable Web API of the sandbox's base, as any HTTP client of the user's would call it. */
export function airtableApi(sandbox: Sandbox) {
  const base = `${sandbox.airtable.url}/v0/${DEMO_BASE_ID}`;
  const headers = { Authorization: `Bearer ${SANDBOX_AIRTABLE_API_KEY}`, 'Content-Type': 'application/json' };
  const escape = (value: string): string => value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");

  async function request(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${base}/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`Airtable ${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }

  async function list(table: string, formula?: string): Promise<AirtableRecord[]> {
    const records: AirtableRecord[] = [];
    let offset: string | undefined;
    do {
      const query = new URLSearchParams();
      if (formula) query.set('filterByFormula', formula);
      if (offset) query.set('offset', offset);
      const page = await request('GET', `${encodeURIComponent(table)}?${query}`);
      records.push(...(page.records as AirtableRecord[]));
      offset = page.offset as string | undefined;
    } while (offset);
    return records;
  }

  return {
    list,
    async create(table: string, fields: Record<string, unknown>): Promise<AirtableRecord> {
      return (await request('POST', encodeURIComponent(table), { fields, typecast: true })) as unknown as AirtableRecord;
    },
    /** Edits the line whose `Phone Number` is `phone`; `null` clears a cell (unchecks a checkbox). */
    async editLine(phone: string, fields: Record<string, unknown>): Promise<void> {
      const [line] = await list('Lines', `{Phone Number}='${escape(phone)}'`);
      if (!line) throw new Error(`no line ${phone}`);
      await request('PATCH', `Lines/${line.id}`, { fields, typecast: true });
    },
    async editContact(name: string, fields: Record<string, unknown>): Promise<void> {
      const [contact] = await list('Contacts', `{Name}='${escape(name)}'`);
      if (!contact) throw new Error(`no contact ${name}`);
      await request('PATCH', `Contacts/${contact.id}`, { fields, typecast: true });
    },
    /** The Calls row of a call, once it exists. */
    async callRow(callSid: string): Promise<Record<string, unknown> | undefined> {
      return (await list('Calls', `{Call SID}='${escape(callSid)}'`))[0]?.fields;
    },
  };
}

/** The call's SID, as the driver sent it to /voice/incoming. */
export function callSidOf(record: CallResult): string {
  for (const event of record.events) {
    if (event.kind === 'request' && event.params.CallSid) return event.params.CallSid;
  }
  throw new Error('the call made no request');
}

/** Every webhook of the call answered 200 within 4 s, and the caller never heard Twilio's error prompt. */
export function expectCallerNeverStranded(record: CallResult): void {
  let path = '';
  for (const event of record.events) {
    if (event.kind === 'request') path = new URL(event.url).pathname;
    if (event.kind === 'response') {
      // Status callbacks (/events/…) may answer an error on purpose (a deferred call-log write); TwiML may not.
      const status = path.startsWith('/events/') ? 200 : event.status;
      expect({ path, status, fast: event.ms <= WEBHOOK_LIMIT_MS }).toEqual({ path, status: 200, fast: true });
    }
    if (event.kind === 'say') expect(event.text).not.toBe(APPLICATION_ERROR_PROMPT);
  }
}

/** Everything said to the caller, as one text. */
export function heardText(record: CallResult, leg: 'call' | 'dialed' = 'call'): string {
  return record.events.flatMap((event) => (event.kind === 'say' && event.leg === leg ? [event.text] : [])).join(' ');
}

export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let sidCounter = 0;
/** A fresh CallSid for a simulated call, so a test can find what the call left behind. */
export function newCallSid(): string {
  sidCounter += 1;
  return `CA${Date.now().toString(16).padStart(16, '0')}${sidCounter.toString(16).padStart(16, '0')}`.slice(0, 34);
}
