// Builds the SendGrid mailer the email adapter uses: its own MailService and Client (never the
// module-wide singletons, which every importer would share), pointed at `apiBaseUrl` when given
// (SENDGRID_API_BASE_URL: the local sandbox and tests). Config is passed in, not read from env.
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';

export interface MailerOptions {
  readonly apiKey: string;
  /** Send to this base instead of https://api.sendgrid.com. */
  readonly apiBaseUrl?: string;
  /** Per-request timeout: webhooks answer within 4 s, so sending must give up well before. */
  readonly timeoutMs?: number;
}

export const DEFAULT_SENDGRID_TIMEOUT_MS = 2500;

export function createMailer(opts: MailerOptions): MailService {
  const client = new Client();
  // setApiKey resets the base URL to SendGrid's, so the override must come after it.
  client.setApiKey(opts.apiKey);
  if (opts.apiBaseUrl) client.setDefaultRequest('baseUrl', opts.apiBaseUrl);
  const mailer = new MailService();
  mailer.setClient(client);
  mailer.setTimeout(opts.timeoutMs ?? DEFAULT_SENDGRID_TIMEOUT_MS);
  return mailer;
}
