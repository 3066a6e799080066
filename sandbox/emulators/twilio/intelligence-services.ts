// Voice Intelligence v2 Services: fetch and update, for the service's webhook (`webhook_url`,
// `webhook_http_method`), which Twilio requests when a transcript of the service is available.
// Every well-formed GA… SID is a service (the project is given one in INTELLIGENCE_SERVICE_SID);
// one without a webhook of its own uses the emulator's default webhook, which the sandbox points at
// the Functions' /events/transcript.
import { one, sendJson } from '../shared/http';
import { INTELLIGENCE_HOST, iso } from './resources/common';
import { fail, notFound, type Ctx, type Route } from './routing';
import type { EmulatorState } from './state';
import { twilioError } from './validate';

export interface IntelligenceWebhook {
  readonly url: string;
  readonly method: 'GET' | 'POST';
}

/** What an update changed on a service; the rest is the default. */
export interface ServiceSettings {
  friendlyName?: string;
  uniqueName?: string;
  autoRedaction?: boolean;
  mediaRedaction?: boolean;
  autoTranscribe?: boolean;
  /** null: updated to no webhook (an empty WebhookUrl). */
  webhook?: IntelligenceWebhook | null;
  version: number;
  dateUpdated?: Date;
}

export const SERVICE_SID = /^GA[0-9a-fA-F]{32}$/;

/** The webhook a transcript of `serviceSid` is announced to, if any. */
export function webhookOf(state: EmulatorState, serviceSid: string): IntelligenceWebhook | undefined {
  const own = state.intelligenceServices.get(serviceSid)?.webhook;
  return own === null ? undefined : (own ?? state.intelligenceWebhook);
}

function serviceResource(state: EmulatorState, sid: string) {
  const settings = state.intelligenceServices.get(sid);
  const webhook = webhookOf(state, sid);
  const created = iso(state.config.now());
  return {
    account_sid: state.config.accountSid,
    auto_redaction: settings?.autoRedaction ?? true,
    media_redaction: settings?.mediaRedaction ?? false,
    auto_transcribe: settings?.autoTranscribe ?? false,
    data_logging: false,
    date_created: created,
    date_updated: settings?.dateUpdated ? iso(settings.dateUpdated) : created,
    friendly_name: settings?.friendlyName ?? 'Sandbox Voice Intelligence',
    language_code: 'en-US',
    sid,
    unique_name: settings?.uniqueName ?? sid,
    url: `${INTELLIGENCE_HOST}/v2/Services/${sid}`,
    webhook_url: webhook?.url ?? null,
    webhook_http_method: webhook?.method ?? null,
    read_only_attached_operator_sids: [],
    version: settings?.version ?? 0,
    encryption_credential_sid: null,
  };
}

export function fetchIntelligenceService({ state, res, path, match }: Ctx) {
  return SERVICE_SID.test(match[1]) ? sendJson(res, 200, serviceResource(state, match[1])) : notFound(res, path);
}

function booleanParam(value: string | undefined): boolean | undefined {
  return value === undefined ? undefined : value.toLowerCase() === 'true';
}

export function updateIntelligenceService({ state, res, path, params, match }: Ctx) {
  const sid = match[1];
  if (!SERVICE_SID.test(sid)) return notFound(res, path);
  const method = one(params, 'WebhookHttpMethod')?.toUpperCase();
  if (method !== undefined && method !== 'GET' && method !== 'POST') {
    return fail(res, twilioError(20001, `Invalid WebhookHttpMethod: ${method}`));
  }
  const url = one(params, 'WebhookUrl');
  if (url && !/^https?:\/\//i.test(url)) return fail(res, twilioError(20001, `Invalid WebhookUrl: ${url}`));
  const settings: ServiceSettings = state.intelligenceServices.get(sid) ?? { version: 0 };
  settings.friendlyName = one(params, 'FriendlyName') ?? settings.friendlyName;
  settings.uniqueName = one(params, 'UniqueName') ?? settings.uniqueName;
  settings.autoRedaction = booleanParam(one(params, 'AutoRedaction')) ?? settings.autoRedaction;
  settings.mediaRedaction = booleanParam(one(params, 'MediaRedaction')) ?? settings.mediaRedaction;
  settings.autoTranscribe = booleanParam(one(params, 'AutoTranscribe')) ?? settings.autoTranscribe;
  if (url !== undefined || method !== undefined) {
    const current = webhookOf(state, sid);
    const nextUrl = url ?? current?.url ?? '';
    settings.webhook = nextUrl ? { url: nextUrl, method: (method ?? current?.method ?? 'POST') as 'GET' | 'POST' } : null;
  }
  settings.version += 1;
  settings.dateUpdated = state.config.now();
  state.intelligenceServices.set(sid, settings);
  sendJson(res, 200, serviceResource(state, sid));
}

export const INTELLIGENCE_SERVICE_ROUTES: readonly Route[] = [
  { pattern: /^\/v2\/Services\/([^/]+)$/, account: false, methods: { GET: fetchIntelligenceService, POST: updateIntelligenceService } },
];

// ---- Programmatic control -------------------------------------------------------------------------

/** Sets the webhook of one service, or (without `serviceSid`) the default of every service without its own. */
export function setIntelligenceWebhook(state: EmulatorState, webhook: IntelligenceWebhook | undefined, serviceSid?: string): void {
  if (webhook && !/^https?:\/\//i.test(webhook.url)) throw new Error(`not an http(s) URL: ${webhook.url}`);
  if (webhook && webhook.method !== 'GET' && webhook.method !== 'POST') throw new Error(`method is GET or POST, not ${String(webhook.method)}`);
  if (!serviceSid) {
    state.intelligenceWebhook = webhook;
    return;
  }
  if (!SERVICE_SID.test(serviceSid)) throw new Error(`not a service SID: ${serviceSid}`);
  const settings = state.intelligenceServices.get(serviceSid) ?? { version: 0 };
  settings.webhook = webhook ?? null;
  state.intelligenceServices.set(serviceSid, settings);
}
