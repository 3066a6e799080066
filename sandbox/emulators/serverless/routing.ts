// How the Serverless emulator's resource modules describe their part of the API: routes (a path pattern,
// the host that serves it, one handler per method) over the shared state, and the lookups and paged lists
// they share. Errors are Twilio's JSON errors (../twilio/validate), lists page like Twilio's v1 APIs.
import type http from 'node:http';
import { one, sendJson, type FormParams } from '../shared/http';
import { badPage, fail, notFound } from '../twilio/routing';
import { filtersOf, pageRequest, pageV2 } from '../twilio/resources/paging';
import { twilioError } from '../twilio/validate';
import { SERVERLESS_API, type EnvironmentResource, type ServiceResource } from './resources';
import type { ServerlessState } from './state';

export { fail, notFound } from '../twilio/routing';
export { twilioError } from '../twilio/validate';

export interface Ctx {
  readonly state: ServerlessState;
  readonly req: http.IncomingMessage;
  readonly res: http.ServerResponse;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly params: FormParams;
  /** The file part of a multipart upload (a Version's Content). */
  readonly upload?: { readonly content: Buffer; readonly type: string };
  readonly match: RegExpExecArray;
}

export type Handler = (ctx: Ctx) => void | Promise<void>;

export interface Route {
  readonly pattern: RegExp;
  /** serverless-upload.twilio.com takes the Version uploads, serverless.twilio.com everything else. */
  readonly host: 'api' | 'upload';
  readonly methods: Readonly<Record<string, Handler>>;
}

/** The start of every path under a Service; group 1 is its SID or unique name. */
export const SERVICE = '^/v1/Services/([^/]+)';

export const text = (params: FormParams, key: string): string | undefined => one(params, key)?.trim() || undefined;

/** A required text parameter of at most `max` characters, or the error Twilio answers. */
export function required(ctx: Ctx, key: string, max: number): string | undefined {
  const value = text(ctx.params, key);
  if (value === undefined) fail(ctx.res, twilioError(20001, `Missing required parameter ${key} in the post body`));
  else if (value.length > max) fail(ctx.res, twilioError(20001, `${key} must be at most ${max} characters`));
  else return value;
  return undefined;
}

/** The Service of the path (by SID or unique name), or a 20404 answered. */
export function serviceOf(ctx: Ctx): ServiceResource | undefined {
  const key = ctx.match[1];
  const service = ctx.state.services.find((s) => s.sid === key || s.unique_name === key);
  if (!service) notFound(ctx.res, ctx.path);
  return service;
}

/** The Environment of the path (group 2) under its Service, or a 20404 answered. */
export function environmentOf(ctx: Ctx): { service: ServiceResource; environment: EnvironmentResource } | undefined {
  const service = serviceOf(ctx);
  if (!service) return undefined;
  const environment = ctx.state.environments.find((e) => e.service_sid === service.sid && e.sid === ctx.match[2]);
  if (!environment) return void notFound(ctx.res, ctx.path);
  return { service, environment };
}

/** One item of a list by SID (the path's group `index`), or a 20404 answered. */
export function itemOf<T extends { sid: string }>(ctx: Ctx, items: readonly T[], index: number): T | undefined {
  const item = items.find((i) => i.sid === ctx.match[index]);
  if (!item) notFound(ctx.res, ctx.path);
  return item;
}

/** A page of `items` under `key` with its `meta`, as Twilio's v1 lists answer. */
export function sendPage<T extends { sid: string }>(ctx: Ctx, items: readonly T[], key: string): void {
  const req = pageRequest(ctx.query, 1000);
  if (typeof req === 'string') return badPage(ctx.res, req);
  sendJson(ctx.res, 200, pageV2({ items, key, filters: filtersOf(ctx.query, []), req, sidOf: (i) => i.sid, url: `${SERVERLESS_API}${ctx.path.replace(/^\/v1/, '')}` }));
}
