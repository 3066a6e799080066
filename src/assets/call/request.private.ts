// What the shell hands down with every webhook: the request, cleaned and typed. Built by the shell's
// wrappers (shell/webhook, shell/event-webhook); everything below reads it.
import type { Config, Logger } from '../core/model.private';

export type Params = Readonly<Record<string, string>>;

export interface WebhookRequest {
  readonly params: Params;
  readonly config: Config;
  readonly log: Logger;
  readonly now: Date;
  /** Epoch ms by which the handler must have answered; I/O inside should give up before it. */
  readonly deadline: number;
}

/** A webhook nobody hears (status callbacks, events, SMS, the dispatcher). */
export interface EventRequest extends WebhookRequest {
  /** Request headers, lower-cased names (the runtime passes them in `event.request.headers`). */
  readonly headers: Readonly<Record<string, string>>;
  /** The event as the runtime parsed it (a JSON body arrives as its fields), before cleanParams. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The request's cookies (Twilio Messaging sends them back per sender/number pair), string values only. */
  readonly cookies: Readonly<Record<string, string>>;
}

/** What an event handler answers; the shell turns it into the HTTP response. */
export type EventAnswer =
  | { readonly status: number; readonly json: unknown }
  /** `cookies`: Twilio Messaging keeps them per sender/number pair and sends them back with that pair's next texts. */
  | { readonly status: number; readonly xml: string; readonly cookies?: Readonly<Record<string, string>> }
  | { readonly status: number; readonly text?: string };
