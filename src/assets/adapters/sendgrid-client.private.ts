// Builds the SendGrid mailer the email adapter uses: its own MailService and Client (never the
// module-wide singletons, which every importer would share), pointed at `apiBaseUrl` when given
// (SENDGRID_API_BASE_URL: the local sandbox and tests). Config is passed in, not read from env.
//
// @sendgrid/mail is required inside createMailer, not imported at the top: the asset bundle keeps
// npm packages external, so a top-level import would load it (and its HTTP stack) in every Function,
// /voice/incoming and /escalate included. Only the email path pays for it (see bench/module-load.ts).
// Both packages export an instance (`export =`), so their default export's type is the class's.
import type SendGridClient from '@sendgrid/client';
import type { MailDataRequired } from '@sendgrid/helpers/classes/mail';
import type SendGridMail from '@sendgrid/mail';
import { composeContactEmail } from '../core/contact-email.private';
import type { Config, Line } from '../core/model.private';

export interface MailerOptions {
  readonly apiKey: string;
  /** Send to this base instead of https://api.sendgrid.com. */
  readonly apiBaseUrl?: string;
  /** Per-request timeout: webhooks answer within 4 s, so sending must give up well before. */
  readonly timeoutMs?: number;
}

export const DEFAULT_SENDGRID_TIMEOUT_MS = 2500;

type MailService = typeof SendGridMail;

export function createMailer(opts: MailerOptions): MailService {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on the email path only (see above) */
  const { Client } = require('@sendgrid/client') as { Client: new () => typeof SendGridClient };
  const { MailService: Service } = require('@sendgrid/mail') as { MailService: new () => MailService };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const client = new Client();
  // setApiKey resets the base URL to SendGrid's, so the override must come after it.
  client.setApiKey(opts.apiKey);
  if (opts.apiBaseUrl) client.setDefaultRequest('baseUrl', opts.apiBaseUrl);
  const mailer = new Service();
  mailer.setClient(client);
  mailer.setTimeout(opts.timeoutMs ?? DEFAULT_SENDGRID_TIMEOUT_MS);
  return mailer;
}

/** Why SendGrid did not take a mail: its HTTP status, or `timeout` when no answer came in time. */
export type MailFailure = { readonly status: number } | { readonly status: 'timeout' } | { readonly status: 'no-answer' };

export class MailNotSent extends Error {
  constructor(readonly failure: MailFailure) {
    super(`SendGrid did not accept the mail: ${failure.status}`);
    this.name = 'MailNotSent';
  }
}

/**
 * Sends one mail; resolves with SendGrid's message id (the `X-Message-Id` header of its 202), or
 * throws MailNotSent. Never retried here: SendGrid has no idempotency key, so a resend could duplicate.
 */
export async function sendMail(opts: MailerOptions, mail: MailDataRequired): Promise<string> {
  const mailer = createMailer(opts);
  try {
    const [response] = await mailer.send(mail);
    const header = response.headers?.['x-message-id'] as unknown;
    const id = Array.isArray(header) ? header[0] : header;
    return typeof id === 'string' && id !== '' ? id : 'accepted';
  } catch (error) {
    const { code } = error as { code?: unknown };
    if (typeof code === 'number') throw new MailNotSent({ status: code });
    const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(String((error as Error)?.message));
    throw new MailNotSent({ status: timedOut ? 'timeout' : 'no-answer' });
  }
}

/** Time kept after the send for writing the call log before the webhook's deadline. */
const WRITE_RESERVE_MS = 400;
const MIN_SEND_MS = 500;

/**
 * Sends the contact-information email to `to` and resolves with SendGrid's message id, or throws
 * MailNotSent. A dynamic template when SENDGRID_TEMPLATE_ID is set, else our own text and HTML.
 */
export async function sendContactEmail(config: Pick<Config, 'sendgrid'>, line: Line, to: string, caseNumber: string, deadline: number): Promise<string> {
  const { apiKey, apiBaseUrl, emailFrom, templateId } = config.sendgrid;
  if (!apiKey || !emailFrom) throw new MailNotSent({ status: 'no-answer' });
  const content = composeContactEmail(line, caseNumber);
  const timeoutMs = sendTimeoutMs(deadline);
  const common = { to, from: { email: emailFrom, name: line.name }, categories: ['ivr-escalation'] };
  return sendMail(
    { apiKey, apiBaseUrl, timeoutMs },
    templateId
      ? { ...common, templateId, dynamicTemplateData: content.templateData }
      : { ...common, subject: content.subject, text: content.text, html: content.html },
  );
}

/** How long a send may wait for SendGrid, leaving time to write the call log before `deadline`. */
function sendTimeoutMs(deadline: number): number {
  return Math.min(DEFAULT_SENDGRID_TIMEOUT_MS, Math.max(deadline - Date.now() - WRITE_RESERVE_MS, MIN_SEND_MS));
}

/** A mail to the business's own team (a new voicemail), from EMAIL_FROM as the line; resolves with SendGrid's message id, or throws MailNotSent. */
export async function sendTeamEmail(
  config: Pick<Config, 'sendgrid'>,
  line: Pick<Line, 'name'>,
  to: string,
  content: { readonly subject: string; readonly text: string; readonly html: string },
  deadline: number,
): Promise<string> {
  const { apiKey, apiBaseUrl, emailFrom } = config.sendgrid;
  if (!apiKey || !emailFrom) throw new MailNotSent({ status: 'no-answer' });
  const mail = { to, from: { email: emailFrom, name: line.name }, categories: ['ivr-escalation', 'voicemail'], ...content };
  return sendMail({ apiKey, apiBaseUrl, timeoutMs: sendTimeoutMs(deadline) }, mail);
}
