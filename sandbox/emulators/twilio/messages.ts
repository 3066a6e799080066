// Messages (api v2010): create (sent, scheduled or handed to a Messaging Service), fetch, update
// (cancel a scheduled message, redact the body), delete and list, plus `setMessageStatus` for
// moving a message on as a carrier would.
import { all, one, sendEmpty, sendJson, type FormParams } from '../shared/http';
import { serviceExists } from './messaging-services';
import { newSid, rfc2822 } from './resources/common';
import { messageResource, MESSAGE_STATUSES, type MessageResource, type MessageStatus } from './resources/message';
import { filtersOf, page2010, pageRequest } from './resources/paging';
import { ACCOUNT, badPage, fail, notFound, type Ctx, type Route } from './routing';
import { notify, type EmulatorState } from './state';
import { checkMessageCreate, checkMessageUpdate } from './validate';

export interface MessageRecord {
  readonly sid: string;
  readonly params: FormParams;
  readonly updates: readonly FormParams[];
  readonly resource: MessageResource;
}

export interface MutableMessage {
  sid: string;
  params: FormParams;
  updates: FormParams[];
  resource: MessageResource;
}

const findMessage = (state: EmulatorState, sid: string) => state.messages.find((m) => m.sid === sid);

export function createMessage({ state, res, params }: Ctx) {
  const { accountSid, numbers, now, scheduleMinLeadSeconds } = state.config;
  const error = checkMessageCreate(params, {
    ...state.recipients,
    numbers,
    now: now(),
    scheduleMinLeadSeconds,
    serviceExists: (sid) => serviceExists(state, sid),
  });
  if (error) return fail(res, error);
  const from = one(params, 'From') ?? null;
  const serviceSid = one(params, 'MessagingServiceSid') ?? null;
  const numMedia = all(params, 'MediaUrl').length;
  // Twilio: a scheduled message waits as `scheduled`; one given to a Messaging Service to pick a
  // sender is `accepted`; one with a sender is `queued`.
  const status: MessageStatus = one(params, 'ScheduleType') === 'fixed' ? 'scheduled' : from === null ? 'accepted' : 'queued';
  const resource = messageResource({
    accountSid,
    sid: newSid(numMedia > 0 ? 'MM' : 'SM'),
    to: one(params, 'To')!,
    from,
    body: one(params, 'Body') ?? '',
    numMedia,
    messagingServiceSid: serviceSid,
    status,
    now: now(),
  });
  const record: MutableMessage = { sid: resource.sid, params, updates: [], resource };
  state.messages.push(record);
  state.created.messages += 1;
  sendJson(res, 201, resource);
  const snapshot = structuredClone(record);
  res.once('finish', () => notify(state.listeners.messageCreated, snapshot));
}

export function fetchMessage({ state, res, path, match }: Ctx) {
  const message = findMessage(state, match[2]);
  return message ? sendJson(res, 200, message.resource) : notFound(res, path);
}

export function updateMessage({ state, res, path, match, params }: Ctx) {
  const message = findMessage(state, match[2]);
  if (!message) return notFound(res, path);
  const error = checkMessageUpdate(params, message.resource.status);
  if (error) return fail(res, error);
  message.updates.push(params);
  if (one(params, 'Status') === 'canceled') message.resource.status = 'canceled';
  if (one(params, 'Body') === '') message.resource.body = '';
  message.resource.date_updated = rfc2822(state.config.now());
  sendJson(res, 200, message.resource);
}

export function deleteMessage({ state, res, path, match }: Ctx) {
  const message = findMessage(state, match[2]);
  if (!message) return notFound(res, path);
  state.messages = state.messages.filter((m) => m !== message);
  sendEmpty(res, 204);
}

export function listMessages({ state, res, query }: Ctx) {
  const req = pageRequest(query, 1000);
  if (typeof req === 'string') return badPage(res, req);
  const filters = filtersOf(query, ['To', 'From']);
  const items = [...state.messages]
    .reverse()
    .map((m) => m.resource)
    .filter((m) => (!query.get('To') || m.to === query.get('To')) && (!query.get('From') || m.from === query.get('From')));
  const path = `/2010-04-01/Accounts/${state.config.accountSid}/Messages.json`;
  sendJson(res, 200, page2010({ items, key: 'messages', path, filters, req, sidOf: (m) => m.sid }));
}

export const MESSAGE_ROUTES: readonly Route[] = [
  { pattern: new RegExp(`${ACCOUNT}/Messages\\.json$`), account: true, methods: { GET: listMessages, POST: createMessage } },
  {
    pattern: new RegExp(`${ACCOUNT}/Messages/([^/]+)\\.json$`),
    account: true,
    methods: { GET: fetchMessage, POST: updateMessage, DELETE: deleteMessage },
  },
];

// ---- Programmatic control -------------------------------------------------------------------------

export function setMessageStatus(
  state: EmulatorState,
  sid: string,
  status: MessageStatus,
  extra: { errorCode?: number; errorMessage?: string } = {},
): MessageResource {
  const message = findMessage(state, sid);
  if (!message) throw new Error(`no message ${sid}`);
  if (!MESSAGE_STATUSES.includes(status)) throw new Error(`not a message status: ${status}`);
  const at = state.config.now();
  message.resource.status = status;
  if (status === 'sent' || status === 'delivered') message.resource.date_sent ??= rfc2822(at);
  if (extra.errorCode !== undefined) message.resource.error_code = extra.errorCode;
  if (extra.errorMessage !== undefined) message.resource.error_message = extra.errorMessage;
  message.resource.date_updated = rfc2822(state.config.now());
  return structuredClone(message.resource);
}
