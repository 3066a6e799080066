// Airtable's Metadata API (list tables, create table, create field). airtable.js only speaks the
// records API (its requests are scoped to /v0/{baseId}/...), so these three routes go over fetch,
// to the same endpoint airtable.js uses (AIRTABLE_ENDPOINT_URL in the sandbox, else api.airtable.com).
import type { FieldType } from '../../src/assets/core/base-schema.private';

export interface MetaField {
  readonly id: string;
  readonly name: string;
  /** Airtable may add types: anything it sends is kept as a string. */
  readonly type: FieldType | (string & {});
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface MetaTable {
  readonly id: string;
  readonly name: string;
  readonly primaryFieldId: string;
  readonly fields: readonly MetaField[];
}

/** The write format of a field (Field config). */
export interface FieldConfig {
  readonly name: string;
  readonly type: FieldType;
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface MetaClient {
  listTables(): Promise<MetaTable[]>;
  createTable(name: string, fields: readonly FieldConfig[]): Promise<MetaTable>;
  createField(tableId: string, field: FieldConfig): Promise<MetaField>;
}

export class AirtableMetaError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface MetaClientOptions {
  readonly apiKey: string;
  readonly baseId: string;
  readonly endpointUrl?: string;
  readonly timeoutMs?: number;
  /** Least time between two writes: Airtable allows 5 requests per second per base. */
  readonly writeGapMs?: number;
}

const DEFAULT_ENDPOINT = 'https://api.airtable.com';

export function createMetaClient(opts: MetaClientOptions): MetaClient {
  const root = `${(opts.endpointUrl ?? DEFAULT_ENDPOINT).replace(/\/+$/, '')}/v0/meta/bases/${encodeURIComponent(opts.baseId)}/tables`;
  const writeGapMs = opts.writeGapMs ?? 250;
  let lastWrite = 0;

  async function request<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
    if (method === 'POST') {
      const wait = lastWrite + writeGapMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      lastWrite = Date.now();
    }
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${opts.apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const error = (json as { error?: unknown } | undefined)?.error;
      const type = typeof error === 'string' ? error : typeof error === 'object' && error ? String((error as { type?: unknown }).type) : `HTTP_${response.status}`;
      const message = typeof error === 'object' && error ? String((error as { message?: unknown }).message ?? '') : '';
      throw new AirtableMetaError(response.status, type, message || type);
    }
    return json as T;
  }

  return {
    async listTables() {
      return (await request<{ tables: MetaTable[] }>('GET', root)).tables;
    },
    createTable(name, fields) {
      return request<MetaTable>('POST', root, { name, fields });
    },
    createField(tableId, field) {
      return request<MetaField>('POST', `${root}/${encodeURIComponent(tableId)}/fields`, field);
    },
  };
}

/** What to do about an Airtable error, in the user's terms (README troubleshooting says the same). */
export function explainAirtableError(error: { status?: number; statusCode?: number; type?: string; error?: string; message?: string }): string {
  const status = error.status ?? error.statusCode;
  const what = `Airtable answered ${status ?? 'no status'} ${error.type ?? error.error ?? ''}${error.message && error.message !== (error.type ?? error.error) ? `: ${error.message}` : ''}`.trim();
  switch (status) {
    case 401:
      return `${what}. AIRTABLE_API_KEY is not a valid personal access token: create one at https://airtable.com/create/tokens and put it in .env.`;
    case 403:
      return `${what}. The token may not use this base or lacks a scope: give it data.records:read, data.records:write, schema.bases:read and schema.bases:write, and add the base to its access list.`;
    case 404:
      return `${what}. No such base or table: check AIRTABLE_BASE_ID (the app… part of the base's URL) and that the token can see the base.`;
    case 422:
      return `${what}. Airtable refused the request's content: the message above names the table, field or value.`;
    case 429:
      return `${what}. Rate limited (5 requests per second per base): wait 30 seconds and run the command again.`;
    default:
      return status === undefined ? `Airtable could not be reached (${error.message ?? 'no answer'}): check your network and AIRTABLE_ENDPOINT_URL.` : what;
  }
}
