// A local SendGrid v3 Mail Send API (POST /v3/mail/send) for the real @sendgrid/mail client
// (pointed here by SENDGRID_API_BASE_URL): bearer auth, SendGrid's request checks and error
// bodies, 202 with X-Message-Id, and fault injection. It keeps what it "sent" for tests.
// Like SendGrid it answers 403 for a sender that is not a verified Sender Identity and for a key
// without the mail.send scope, and enforces the documented limits (text/plain before text/html,
// send_at within 72 hours, 10 categories, 1000 recipients per request).
//
// Control over HTTP (no auth): GET /__emulator/{mails,requests,stats,faults},
// POST /__emulator/reset, POST|DELETE /__emulator/faults.
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { FaultInjector, parseFaults, type FaultControls } from '../shared/faults';
import { BodyTooLargeError, listen, readBody, sendEmpty, sendJson } from '../shared/http';

export type { Fault } from '../shared/faults';

export const DEFAULT_SENDGRID_API_KEY = 'SG.sandbox.sandbox';

/** SendGrid accepts up to 30 MB per request (413 above). */
const MAX_REQUEST_BYTES = 30 * 1024 * 1024;
const MAX_PERSONALIZATIONS = 1000;
const MAX_RECIPIENTS = 1000;
const MAX_CATEGORIES = 10;
const MAX_CATEGORY_LENGTH = 255;
const MAX_SEND_AT_AHEAD_SECONDS = 72 * 60 * 60;
/** A dynamic template id (d- and 32 hex digits) or a legacy template's GUID. */
const TEMPLATE_ID = /^(d-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const HELP = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html';
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export interface SendGridError {
  readonly message: string;
  readonly field: string | null;
  readonly help: string | null;
}

export interface SentMail {
  readonly messageId: string;
  readonly at: string;
  /** The request body as sent (SendGrid's snake_case JSON). */
  readonly body: Record<string, unknown>;
  /** Every `to` address across the personalizations. */
  readonly to: string[];
  readonly from: string;
  /** The first personalization's subject, or the message's. */
  readonly subject?: string;
  readonly text?: string;
  readonly html?: string;
}

export interface SendGridRequestLogEntry {
  readonly at: string;
  readonly method: string;
  readonly path: string;
  body?: unknown;
  status?: number;
  errors?: SendGridError[];
  fault?: 'latency' | 'hang' | 'status';
}

export interface SendGridEmulatorStats {
  readonly requests: number;
  readonly sent: number;
  readonly errors: number;
  readonly faults: number;
}

export interface SendGridEmulatorOptions {
  readonly port?: number;
  readonly host?: string;
  readonly apiKey?: string;
  /**
   * Verified Sender Identities: addresses, or `@domain` for an authenticated domain. A from address
   * outside them is refused with 403. Absent: every sender counts as verified.
   */
  readonly verifiedSenders?: readonly string[];
  /** Other valid keys that lack the mail.send scope: 403 "access forbidden". */
  readonly keysWithoutMailSend?: readonly string[];
  /** The emulator's clock (send_at window). */
  readonly now?: () => Date;
}

export interface SendGridEmulator {
  readonly url: string;
  readonly apiKey: string;
  readonly faults: FaultControls;
  /** Verified senders (addresses or `@domain`), changeable while running; empty means all are verified. */
  readonly verifiedSenders: Set<string>;
  /** Valid keys without the mail.send scope, changeable while running. */
  readonly keysWithoutMailSend: Set<string>;
  close(): Promise<void>;
  reset(): void;
  mails(): SentMail[];
  requests(): SendGridRequestLogEntry[];
  stats(): SendGridEmulatorStats;
}

const error = (message: string, field: string | null, anchor?: string): SendGridError => ({
  message,
  field,
  help: anchor ? `${HELP}#${anchor}` : null,
});

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function checkAddresses(list: unknown, field: string, errors: SendGridError[]): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    errors.push(error(`The ${field.split('.').pop()} field must be an array of email objects.`, field, 'message.personalizations'));
    return [];
  }
  const emails: string[] = [];
  list.forEach((entry, j) => {
    const email = isObject(entry) ? entry.email : undefined;
    if (typeof email !== 'string' || !EMAIL.test(email)) {
      errors.push(error('Does not contain a valid address.', `${field}.${j}.email`, 'message.personalizations'));
    } else emails.push(email);
    // The definition's MailTo: `name` is a string when present.
    if (isObject(entry) && entry.name !== undefined && typeof entry.name !== 'string') {
      errors.push(error('The name must be a string.', `${field}.${j}.name`, 'message.personalizations'));
    }
  });
  return emails;
}

/** SendGrid's checks for a Mail Send body: every problem found, as SendGrid lists them. */
export function checkMailSend(body: Json, now: Date = new Date()): SendGridError[] {
  const errors: SendGridError[] = [];
  const templated = nonEmptyString(body.template_id);
  const personalizations = body.personalizations;
  let everySubject = false;
  if (!Array.isArray(personalizations) || personalizations.length === 0) {
    errors.push(
      error(
        'The personalizations field is required and must have at least one personalization.',
        'personalizations',
        '-Personalizations-Errors',
      ),
    );
  } else if (personalizations.length > MAX_PERSONALIZATIONS) {
    errors.push(
      error(
        `The personalizations field must have no more than ${MAX_PERSONALIZATIONS} personalizations.`,
        'personalizations',
        '-Personalizations-Errors',
      ),
    );
  } else {
    const recipients = personalizations.reduce<number>(
      (n, p) => n + (isObject(p) ? ['to', 'cc', 'bcc'].reduce((m, kind) => m + (Array.isArray(p[kind]) ? (p[kind] as unknown[]).length : 0), 0) : 0),
      0,
    );
    if (recipients > MAX_RECIPIENTS) {
      errors.push(error(`There is a limit of ${MAX_RECIPIENTS} total recipients (to + cc + bcc) per request.`, 'personalizations', '-Personalizations-Errors'));
    }
    everySubject = personalizations.every((p) => isObject(p) && nonEmptyString(p.subject));
    personalizations.forEach((p, i) => {
      const field = `personalizations.${i}`;
      if (!isObject(p)) {
        errors.push(error('Each personalization must be an object.', field, '-Personalizations-Errors'));
        return;
      }
      if (!Array.isArray(p.to) || p.to.length === 0) {
        errors.push(
          error(
            'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
            `${field}.to`,
            'message.personalizations.to',
          ),
        );
      }
      const seen = new Map<string, string>();
      for (const kind of ['to', 'cc', 'bcc']) {
        for (const email of checkAddresses(p[kind], `${field}.${kind}`, errors)) {
          const key = email.toLowerCase();
          if (seen.has(key)) {
            errors.push(
              error(
                'Each email address in the personalization block should be unique between to, cc, and bcc. ' +
                  `We found the first duplicate instance of [${email}] in the ${field}.${kind} field.`,
                field,
                'message.recipient-errors',
              ),
            );
          }
          seen.set(key, kind);
        }
      }
    });
  }
  const from = body.from;
  if (!isObject(from) || from.email === undefined) {
    errors.push(
      error(
        'The from object must be provided for every email send. It is an object that requires the email parameter, ' +
          'but may also contain a name parameter.  e.g. {"email" : "example@example.com"}  or ' +
          '{"email" : "example@example.com", "name" : "Example Recipient"}.',
        'from.email',
        'message.from',
      ),
    );
  } else if (typeof from.email !== 'string' || !EMAIL.test(from.email)) {
    errors.push(error('The from email does not contain a valid address.', 'from.email', 'message.from'));
  }
  if (isObject(from) && from.name !== undefined && typeof from.name !== 'string') {
    errors.push(error('The from name must be a string.', 'from.name', 'message.from'));
  }
  const replyTo = body.reply_to;
  if (replyTo !== undefined && (!isObject(replyTo) || typeof replyTo.email !== 'string' || !EMAIL.test(replyTo.email))) {
    errors.push(error('The reply_to email does not contain a valid address.', 'reply_to.email', 'message.reply_to'));
  }
  if (!templated && !nonEmptyString(body.subject) && !everySubject) {
    errors.push(
      error(
        'The subject is required. You can get around this requirement if you use a template with a subject defined ' +
          'or if every personalization has a subject defined.',
        'subject',
        'message.subject',
      ),
    );
  }
  const content = body.content;
  if (!templated && (!Array.isArray(content) || content.length === 0)) {
    errors.push(
      error(
        'Unless a valid template_id is provided, the content parameter is required. There must be at least one ' +
          'defined content block. We typically suggest both text/plain and text/html blocks are included, but only ' +
          'one block is required.',
        'content',
        'message.content',
      ),
    );
  }
  if (Array.isArray(content)) {
    // text/plain first, then text/html, then anything else; each of the two at most once.
    const types = content.map((block) => (isObject(block) && typeof block.type === 'string' ? block.type.toLowerCase() : ''));
    const expected = [...types.filter((t) => t === 'text/plain'), ...types.filter((t) => t === 'text/html'), ...types.filter((t) => t !== 'text/plain' && t !== 'text/html')];
    if (types.filter((t) => t === 'text/plain').length > 1 || types.filter((t) => t === 'text/html').length > 1) {
      errors.push(error('If present, text/plain and text/html may only be provided once.', 'content', 'message.content'));
    } else if (types.some((t, i) => t !== expected[i])) {
      errors.push(error('If present, text/plain must be first, followed by text/html, followed by any other content.', 'content', 'message.content'));
    }
    content.forEach((block, i) => {
      if (!isObject(block) || !nonEmptyString(block.type)) {
        errors.push(error('The content type must be a string at least one character in length.', `content.${i}.type`, 'message.content.type'));
      }
      if (!isObject(block) || !nonEmptyString(block.value)) {
        errors.push(error('The content value must be a string at least one character in length.', `content.${i}.value`, 'message.content.value'));
      }
    });
  }
  if (body.template_id !== undefined && (typeof body.template_id !== 'string' || !TEMPLATE_ID.test(body.template_id))) {
    errors.push(error(`The template_id must be a valid GUID, you provided '${String(body.template_id)}'.`, 'template_id', 'message.template_id'));
  }
  const categories = body.categories;
  if (categories !== undefined) {
    if (!Array.isArray(categories) || categories.some((c) => typeof c !== 'string' || c.length === 0 || c.length > MAX_CATEGORY_LENGTH)) {
      errors.push(error(`Each category must be a string of at most ${MAX_CATEGORY_LENGTH} characters.`, 'categories', 'message.categories'));
    } else if (categories.length > MAX_CATEGORIES) {
      errors.push(error(`Too many categories. You can only provide up to ${MAX_CATEGORIES} categories per request.`, 'categories', 'message.categories'));
    } else if (new Set(categories.map((c: string) => c.toLowerCase())).size < categories.length) {
      errors.push(error('The categories must be unique.', 'categories', 'message.categories'));
    }
  }
  const sendAts = [body.send_at, ...(Array.isArray(personalizations) ? personalizations.map((p) => (isObject(p) ? p.send_at : undefined)) : [])];
  for (const sendAt of sendAts.filter((v) => v !== undefined)) {
    const ahead = typeof sendAt === 'number' && Number.isInteger(sendAt) ? sendAt - now.getTime() / 1000 : Number.NaN;
    if (!(ahead <= MAX_SEND_AT_AHEAD_SECONDS)) {
      errors.push(error('The send_at parameter must be a unix timestamp no more than 72 hours in the future.', 'send_at', 'message.send_at'));
      break;
    }
  }
  return errors;
}

/** True when `from` is a verified Sender Identity or on an authenticated domain (`@domain`). */
function isVerifiedSender(verified: ReadonlySet<string>, from: string): boolean {
  const address = from.toLowerCase();
  return verified.size === 0 || [...verified].some((v) => (v.startsWith('@') ? address.endsWith(v.toLowerCase()) : v.toLowerCase() === address));
}

function summarize(messageId: string, at: string, body: Json): SentMail {
  const personalizations = (body.personalizations as Json[]) ?? [];
  const to = personalizations.flatMap((p) => ((p.to as Json[]) ?? []).map((r) => String(r.email)));
  const content = Array.isArray(body.content) ? (body.content as Json[]) : [];
  const ofType = (type: string) => content.find((c) => c.type === type)?.value as string | undefined;
  const subject = (personalizations[0]?.subject as string | undefined) ?? (body.subject as string | undefined);
  return {
    messageId,
    at,
    body,
    to,
    from: String((body.from as Json).email),
    subject,
    text: ofType('text/plain'),
    html: ofType('text/html'),
  };
}

const FAULT_MESSAGES: Record<number, string> = {
  429: 'too many requests',
  500: 'internal server error',
  503: 'service unavailable',
};

export async function startSendGridEmulator(options: SendGridEmulatorOptions = {}): Promise<SendGridEmulator> {
  const apiKey = options.apiKey ?? DEFAULT_SENDGRID_API_KEY;
  const now = options.now ?? (() => new Date());
  const verifiedSenders = new Set(options.verifiedSenders ?? []);
  const keysWithoutMailSend = new Set(options.keysWithoutMailSend ?? []);
  const faults = new FaultInjector();
  let mails: SentMail[] = [];
  let log: SendGridRequestLogEntry[] = [];
  let counts = { requests: 0, errors: 0 };

  const answerErrors = (res: http.ServerResponse, status: number, errors: SendGridError[], headers?: Record<string, string>) =>
    sendJson(res, status, { errors }, headers);

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: SendGridRequestLogEntry = { at: new Date().toISOString(), method, path: url.pathname };
    log.push(entry);
    counts.requests += 1;
    res.once('finish', () => {
      entry.status = res.statusCode;
      if (res.statusCode >= 400) counts.errors += 1;
    });

    const plan = faults.take('mail', method);
    if (plan) {
      entry.fault = plan.hang ? 'hang' : plan.status !== undefined ? 'status' : 'latency';
      if (plan.latencyMs > 0) await faults.delay(plan.latencyMs);
      if (plan.hang) return; // never answered; close() drops the socket
      if (plan.status !== undefined) {
        const headers: Record<string, string> =
          plan.status === 429
            ? { 'X-RateLimit-Limit': '600', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + 1) }
            : {};
        return answerErrors(res, plan.status, [error(FAULT_MESSAGES[plan.status] ?? 'error', null)], headers);
      }
    }

    let text: string;
    try {
      text = await readBody(req, MAX_REQUEST_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return answerErrors(res, 413, [error('content too large', null)]);
      throw err;
    }

    const auth = req.headers.authorization;
    if (!auth) return answerErrors(res, 401, [error('authorization required', null)]);
    const key = auth.replace(/^Bearer /, '');
    if (keysWithoutMailSend.has(key)) return answerErrors(res, 403, [error('access forbidden', null)]);
    if (key !== apiKey) {
      return answerErrors(res, 401, [error('The provided authorization grant is invalid, expired, or revoked', null)]);
    }
    if (url.pathname !== '/v3/mail/send') return answerErrors(res, 404, [error('not found', null)]);
    if (method !== 'POST') return answerErrors(res, 405, [error('method not allowed', null)]);

    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return answerErrors(res, 400, [error('Bad Request', null)]);
    }
    entry.body = body;
    if (!isObject(body)) return answerErrors(res, 400, [error('Bad Request', null)]);
    const errors = checkMailSend(body, now());
    if (errors.length > 0) {
      entry.errors = errors;
      return answerErrors(res, 400, errors);
    }
    if (!isVerifiedSender(verifiedSenders, String((body.from as Json).email))) {
      const identity = error(
        'The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved. ' +
          'Visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ to see the Sender Identity requirements',
        'from',
      );
      entry.errors = [identity];
      return answerErrors(res, 403, [identity]);
    }
    // Sandbox mode: SendGrid validates, answers 200 and delivers nothing.
    const settings = body.mail_settings as Json | undefined;
    if (isObject(settings?.sandbox_mode) && settings.sandbox_mode.enable === true) return sendEmpty(res, 200);
    const messageId = randomBytes(16).toString('base64url').slice(0, 22);
    mails.push(summarize(messageId, entry.at, body));
    sendEmpty(res, 202, { 'X-Message-Id': messageId });
  }

  const emulator: Omit<SendGridEmulator, 'url' | 'close'> = {
    apiKey,
    faults,
    verifiedSenders,
    keysWithoutMailSend,
    reset() {
      mails = [];
      log = [];
      counts = { requests: 0, errors: 0 };
      faults.clear();
      faults.resetCount();
    },
    mails: () => structuredClone(mails),
    requests: () => structuredClone(log),
    stats: () => ({ requests: counts.requests, sent: mails.length, errors: counts.errors, faults: faults.injected }),
  };

  async function handleControl(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/^\/__emulator/, '');
    const lists: Record<string, () => unknown> = {
      '/mails': emulator.mails,
      '/requests': emulator.requests,
      '/stats': emulator.stats,
      '/faults': emulator.faults.list,
    };
    if (method === 'GET' && lists[path]) return sendJson(res, 200, lists[path]());
    if (method === 'POST' && path === '/reset') {
      emulator.reset();
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'DELETE' && path === '/faults') {
      faults.clear();
      return sendJson(res, 200, []);
    }
    if (method === 'POST' && path === '/faults') {
      try {
        faults.set(parseFaults(JSON.parse(await readBody(req))));
      } catch (err) {
        return sendJson(res, 400, { error: (err as Error).message });
      }
      return sendJson(res, 200, faults.list());
    }
    sendJson(res, 404, { error: `no control endpoint ${method} ${url.pathname}` });
  }

  const server = await listen(
    (req, res) => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const handle = url.pathname.startsWith('/__emulator/') ? handleControl : handleApi;
      handle(req, res, url).catch((err: unknown) => {
        console.error('sendgrid emulator error:', err);
        answerErrors(res, 500, [error('internal server error', null)]);
      });
    },
    { port: options.port, host: options.host },
  );

  return {
    ...emulator,
    url: server.url,
    close() {
      faults.dispose();
      return server.close();
    },
  };
}
