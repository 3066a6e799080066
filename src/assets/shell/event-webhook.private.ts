// The shell around webhooks that nobody hears: status callbacks, recording and transcript events,
// message status, SMS replies and the dispatcher. Sibling of `voiceWebhook`: it owns the time budget,
// input hygiene, logging and the callback, so a handler is a few lines that read input, work through
// its CallSession, and return an EventAnswer. A handler that throws or runs out of time answers 500
// (Twilio logs it; the handler is responsible for keeping work it could not finish, see call/call-log).
import type { Context, ServerlessCallback } from '@twilio-labs/serverless-runtime-types/types';
import type { EventAnswer, EventRequest } from '../call/request.private';
import { openCallSession, type CallSession } from '../call/session.private';
import { readConfig } from './config.private';
import { createLogger } from './log.private';
import { cleanParams } from './webhook.private';

/** Status callbacks must be answered fast: Twilio waits 15 s, but a slow answer delays its queue. */
export const DEFAULT_EVENT_BUDGET_MS = 2500;
const IO_SHARE_OF_BUDGET = 0.8;

export type EventHandler = (call: CallSession<EventRequest>) => Promise<EventAnswer>;

/** The request's cookies (the runtime parses them into `event.request.cookies`), string values only. */
function cookiesOf(event: Readonly<Record<string, unknown>>): Record<string, string> {
  const raw = (event.request as { cookies?: Record<string, unknown> } | undefined)?.cookies ?? {};
  return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function headersOf(event: Readonly<Record<string, unknown>>): Record<string, string> {
  const raw = (event.request as { headers?: Record<string, unknown> } | undefined)?.headers ?? {};
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  return headers;
}

function timeout(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(resolve, ms, 'timeout').unref());
}

export function eventWebhook(name: string, handle: EventHandler, budgetMs = DEFAULT_EVENT_BUDGET_MS) {
  return async function handler(context: Context, event: Readonly<Record<string, unknown>>, callback: ServerlessCallback): Promise<void> {
    const started = Date.now();
    const config = readConfig(context as unknown as Record<string, unknown>);
    const log = createLogger(name);
    const params = cleanParams(event);
    const request: EventRequest = {
      params,
      config,
      log,
      now: new Date(started),
      deadline: started + Math.floor(budgetMs * IO_SHARE_OF_BUDGET),
      headers: headersOf(event),
      raw: event,
      cookies: cookiesOf(event),
    };
    let answer: EventAnswer;
    try {
      const outcome = await Promise.race([handle(openCallSession(request)), timeout(budgetMs)]);
      if (outcome === 'timeout') {
        log.warn('deadline-exceeded', { callSid: params.CallSid, budgetMs });
        answer = { status: 500, text: 'deadline exceeded' };
      } else {
        answer = outcome;
      }
    } catch (error) {
      log.error('handler-failed', { callSid: params.CallSid, error });
      answer = { status: 500, text: 'error' };
    }
    log.info('answered', { callSid: params.CallSid, status: answer.status, ms: Date.now() - started });
    const response = new Twilio.Response();
    response.setStatusCode(answer.status);
    if ('json' in answer) {
      response.appendHeader('Content-Type', 'application/json');
      response.setBody(JSON.stringify(answer.json));
    } else if ('xml' in answer) {
      response.appendHeader('Content-Type', 'text/xml');
      for (const [name, value] of Object.entries(answer.cookies ?? {})) response.setCookie(name, value, ['Path=/', 'Max-Age=14400']);
      response.setBody(answer.xml);
    } else {
      response.appendHeader('Content-Type', 'text/plain');
      response.setBody(answer.text ?? '');
    }
    callback(null, response);
  };
}
