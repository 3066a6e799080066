// What an operator command prints when it fails: one line that names the setting to fix, never a stack
// trace. A Twilio, Airtable or SendGrid refusal, a service that could not be reached, or our own
// CommandError (a usage or settings problem). Pure: the error in, the line and the exit code out.
import { AirtableMetaError, explainAirtableError } from '../airtable/meta-client';
import { CommandError } from './settings';

export interface CommandFailure {
  readonly line: string;
  /** 2 for a usage or settings problem found before any request, 1 for a refusal or a failure. */
  readonly exitCode: 1 | 2;
}

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** twilio-node's RestException: the HTTP status and Twilio's error code (twilio.com/docs/api/errors). */
function isTwilioRefusal(error: unknown): error is { status: number; code?: number; message: string; moreInfo?: string } {
  return error instanceof Error && error.constructor.name === 'RestException' && typeof (error as unknown as Loose).status === 'number';
}

/**
 * twilio-run reports Twilio's refusal of a deploy in a box on its standard error, not as an exception:
 * "ERROR Failed API Request 20003 │ Authenticate │ More info: …". Its status is not printed (0 here).
 */
export class TwilioRunRefusal extends Error {
  readonly status = 0;
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'TwilioRunRefusal';
  }

  /** The refusal in what twilio-run printed, if it printed one. */
  static fromOutput(output: string): TwilioRunRefusal | undefined {
    const flat = output.replace(/[│\s]+/g, ' ');
    const match = /Failed API Request (\d{5}) (.*?)(?: More info:|$)/.exec(flat);
    return match ? new TwilioRunRefusal(Number(match[1]), match[2]!.trim() || 'refused') : undefined;
  }
}

export function explainTwilioRefusal(error: { status: number; code?: number; message: string; moreInfo?: string }): string {
  const answered = error.status ? `Twilio answered ${error.status}` : 'Twilio refused the request';
  const what = `${answered}${error.code ? ` (error ${error.code})` : ''}: ${oneLine(error.message)}`;
  switch (error.code) {
    case 20003:
      return `${what}. AUTH_TOKEN is not the auth token of ACCOUNT_SID: copy both from Console › Account Info into .env (test credentials are refused too).`;
    case 20005:
    case 20008:
      return `${what}. ACCOUNT_SID names an account that cannot do this (suspended, closed or test credentials): use your live account's ACCOUNT_SID and AUTH_TOKEN.`;
    case 20404:
      return `${what}. Check that ACCOUNT_SID is the account that owns the resource (and MESSAGING_SERVICE_SID or INTELLIGENCE_SERVICE_SID when they are set).`;
    case 20429:
      return `${what}. Too many requests at once: wait a minute and run the command again.`;
    default:
      if (error.status === 401) return `${what}. Check ACCOUNT_SID and AUTH_TOKEN in .env (Console › Account Info).`;
      return `${what}${error.moreInfo ? ` (${error.moreInfo})` : ''}.`;
  }
}

/** @sendgrid/client's ResponseError: `code` is the HTTP status, the body lists SendGrid's messages. */
function isSendGridRefusal(error: unknown): error is { code: number; response: { body?: unknown } } {
  return error instanceof Error && error.constructor.name === 'ResponseError' && typeof (error as unknown as Loose).code === 'number' && isObject((error as unknown as Loose).response);
}

export function explainSendGridRefusal(error: { code: number; response: { body?: unknown } }): string {
  const body = error.response.body;
  const messages = isObject(body) && Array.isArray(body.errors) ? body.errors.flatMap((e) => (isObject(e) && typeof e.message === 'string' ? [e.message] : [])) : [];
  const said = messages.join('; ');
  const what = `SendGrid answered ${error.code}${said ? `: ${oneLine(said)}` : ''}`;
  if (error.code === 401) return `${what}. SENDGRID_API_KEY is not a valid API key: create one with Mail Send access (Settings › API Keys) and put it in .env.`;
  if (error.code === 403 && /from address|sender identity/i.test(said)) return `${what}. EMAIL_FROM is not a verified sender: verify it in SendGrid (Settings › Sender Authentication) or set EMAIL_FROM to one that is.`;
  if (error.code === 403) return `${what}. SENDGRID_API_KEY lacks Mail Send access: give the key that scope (Settings › API Keys).`;
  return `${what}.`;
}

/** A request that got no answer: the code Node or axios gives (ECONNREFUSED, ENOTFOUND, ETIMEDOUT…). */
function unreachable(error: unknown): { code: string; where?: string } | undefined {
  if (!isObject(error)) return undefined;
  const cause = isObject(error.cause) ? error.cause : undefined;
  const code = [error.code, cause?.code].find((c): c is string => typeof c === 'string' && /^E[A-Z_]+$/.test(c));
  if (!code) return undefined;
  // axios (twilio, @sendgrid/client) keeps the request's config; node-fetch (airtable.js) names the URL in its message.
  const config = isObject(error.config) ? error.config : undefined;
  const url = typeof config?.url === 'string' ? config.url : /request to (\S+) failed/.exec(String(error.message))?.[1];
  let where: string | undefined;
  try {
    where = url ? new URL(url, typeof config?.baseURL === 'string' ? config.baseURL : undefined).origin : undefined;
  } catch {
    where = undefined;
  }
  return { code, where };
}

export function explainCommandFailure(error: unknown): CommandFailure {
  // Our own messages are written for the user already (a deploy refusal lists one fix per line).
  if (error instanceof CommandError) return { line: error.message, exitCode: 2 };
  if (isTwilioRefusal(error) || error instanceof TwilioRunRefusal) return { line: explainTwilioRefusal(error), exitCode: 1 };
  if (isSendGridRefusal(error)) return { line: explainSendGridRefusal(error), exitCode: 1 };
  // airtable.js errors carry `error` (the type) and `statusCode` (null when Airtable was not reached).
  if (error instanceof AirtableMetaError || (isObject(error) && typeof error.error === 'string' && 'statusCode' in error)) {
    const airtable = error as { status?: number; statusCode?: number | null; error?: string; type?: string; message?: string };
    return { line: oneLine(explainAirtableError({ ...airtable, statusCode: airtable.statusCode ?? undefined })), exitCode: 1 };
  }
  const noAnswer = unreachable(error);
  if (noAnswer) {
    return {
      line: `${noAnswer.where ?? 'a service'} could not be reached (${noAnswer.code}): check your network, and TWILIO_API_BASE_URL, AIRTABLE_ENDPOINT_URL or SENDGRID_API_BASE_URL if you set one (the sandbox's must be running).`,
      exitCode: 1,
    };
  }
  const message = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  return { line: `${oneLine(message) || 'failed'} (run with DEBUG=1 for the stack trace)`, exitCode: 1 };
}
