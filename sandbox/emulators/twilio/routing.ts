// How a resource module describes its part of the API: routes (a path pattern and one handler per
// HTTP method) whose handlers get the request context and the shared emulator state.
import type http from 'node:http';
import { sendJson, type FormParams } from '../shared/http';
import type { EmulatorState } from './state';
import { errorBody, twilioError, type TwilioError } from './validate';

export interface Ctx {
  readonly state: EmulatorState;
  readonly req: http.IncomingMessage;
  readonly res: http.ServerResponse;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly params: FormParams;
  readonly match: RegExpExecArray;
}

export type Handler = (ctx: Ctx) => void;

export interface Route {
  readonly pattern: RegExp;
  /** Whether group 1 is an account SID that must be the emulator's. */
  readonly account: boolean;
  readonly methods: Readonly<Record<string, Handler>>;
}

/** The start of every api v2010 path; group 1 is the account SID. */
export const ACCOUNT = '^/2010-04-01/Accounts/([^/]+)';

export function fail(res: http.ServerResponse, error: TwilioError): void {
  sendJson(res, error.status, errorBody(error));
}

export function notFound(res: http.ServerResponse, path: string): void {
  fail(res, twilioError(20404, `The requested resource ${path} was not found`, 404));
}

export function badPage(res: http.ServerResponse, message: string): void {
  fail(res, twilioError(20001, message));
}
