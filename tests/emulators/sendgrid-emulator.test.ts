// The SendGrid emulator, driven by the real @sendgrid/mail client our factory builds.
import type { ResponseError } from '@sendgrid/helpers/classes';
import { createMailer } from '../../src/assets/adapters/sendgrid-client.private';
import { checkMailSend, startSendGridEmulator, type SendGridEmulator } from '../../sandbox/emulators/sendgrid';

const API_KEY = 'SG.emulator-test.key';
const FROM = 'support@example.com';
const TO = 'dana@example.org';

let emulator: SendGridEmulator;
let mailer: ReturnType<typeof createMailer>;

beforeAll(async () => {
  emulator = await startSendGridEmulator({ apiKey: API_KEY });
  mailer = createMailer({ apiKey: API_KEY, apiBaseUrl: emulator.url, timeoutMs: 1500 });
});

afterEach(() => {
  emulator.reset();
  emulator.verifiedSenders.clear();
  emulator.keysWithoutMailSend.clear();
});
afterAll(() => emulator.close());

const contactEmail = {
  to: TO,
  from: { email: FROM, name: 'Acme Support' },
  subject: 'How to reach Acme Sales',
  text: 'Call +1 202 555 0120 or visit https://example.com/help. Case number C-1042.',
  html: '<p>Call +1 202 555 0120 or visit <a href="https://example.com/help">our help page</a>.</p>',
};

async function sendError(promise: Promise<unknown>): Promise<ResponseError> {
  try {
    await promise;
  } catch (err) {
    return err as ResponseError;
  }
  throw new Error('expected the send to fail');
}

const errorsOf = (err: ResponseError) => (err.response.body as unknown as { errors: { message: string; field: string | null }[] }).errors;

test('accepts a mail with 202 and an X-Message-Id, and keeps what was sent', async () => {
  const [response] = await mailer.send(contactEmail);
  expect(response.statusCode).toBe(202);
  const messageId = response.headers['x-message-id'];
  expect(messageId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(emulator.mails()).toEqual([
    expect.objectContaining({
      messageId,
      to: [TO],
      from: FROM,
      subject: 'How to reach Acme Sales',
      text: contactEmail.text,
      html: contactEmail.html,
    }),
  ]);
});

test('rejects a recipient address that is not valid, naming the field', async () => {
  const err = await sendError(mailer.send({ ...contactEmail, to: 'dana at example.org' }));
  expect(err.code).toBe(400);
  expect(errorsOf(err)).toEqual([
    expect.objectContaining({ field: 'personalizations.0.to.0.email', message: 'Does not contain a valid address.' }),
  ]);
  expect(emulator.mails()).toHaveLength(0);
});

test('requires a subject and content unless a template is used', async () => {
  const err = await sendError(mailer.send({ to: TO, from: FROM } as never));
  expect(err.code).toBe(400);
  expect(errorsOf(err).map((e) => e.field)).toEqual(['subject', 'content']);

  const [templated] = await mailer.send({ to: TO, from: FROM, templateId: 'd-0123456789abcdef0123456789abcdef' });
  expect(templated.statusCode).toBe(202);
});

test.each([
  ['no personalizations', 'personalizations', { from: { email: FROM }, subject: 's', content: [{ type: 'text/plain', value: 'x' }] }],
  ['no from', 'from.email', { personalizations: [{ to: [{ email: TO }] }], subject: 's', content: [{ type: 'text/plain', value: 'x' }] }],
  ['an empty content value', 'content.0.value', { personalizations: [{ to: [{ email: TO }] }], from: { email: FROM }, subject: 's', content: [{ type: 'text/plain', value: '' }] }],
  ['over 1000 personalizations', 'personalizations', { personalizations: Array.from({ length: 1001 }, () => ({ to: [{ email: TO }] })), from: { email: FROM }, subject: 's', content: [{ type: 'text/plain', value: 'x' }] }],
  ['the same address in to and cc', 'personalizations.0', { personalizations: [{ to: [{ email: TO }], cc: [{ email: TO }] }], from: { email: FROM }, subject: 's', content: [{ type: 'text/plain', value: 'x' }] }],
  ['a from name that is not a string', 'from.name', { personalizations: [{ to: [{ email: TO }] }], from: { email: FROM, name: 42 }, subject: 's', content: [{ type: 'text/plain', value: 'x' }] }],
  ['a recipient name that is not a string', 'personalizations.0.to.0.name', { personalizations: [{ to: [{ email: TO, name: ['Dana'] }] }], from: { email: FROM }, subject: 's', content: [{ type: 'text/plain', value: 'x' }] }],
])('SendGrid checks a body with %s (field %s)', (_name, field, body) => {
  expect(checkMailSend(body as Record<string, unknown>).map((e) => e.field)).toEqual([field]);
});

test('answers a body the client cannot build with 400 over HTTP too', async () => {
  const response = await fetch(`${emulator.url}/v3/mail/send`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ personalizations: [], from: { email: FROM }, subject: 's', content: [{ type: 'text/plain', value: 'x' }] }),
  });
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({
    errors: [expect.objectContaining({ field: 'personalizations', help: expect.stringContaining('sendgrid.com') })],
  });
});

test('rejects a wrong API key with 401 and SendGrid’s message', async () => {
  const wrong = createMailer({ apiKey: 'SG.wrong.key', apiBaseUrl: emulator.url });
  const err = await sendError(wrong.send(contactEmail));
  expect(err.code).toBe(401);
  expect(err.response.body).toEqual({
    errors: [{ message: 'The provided authorization grant is invalid, expired, or revoked', field: null, help: null }],
  });
  expect(emulator.mails()).toHaveLength(0);
});

test('a 429 surfaces at once; two 500s then success', async () => {
  emulator.faults.set({ status: 429, times: 1 });
  const started = Date.now();
  expect((await sendError(mailer.send(contactEmail))).code).toBe(429);
  expect(Date.now() - started).toBeLessThan(500);

  emulator.faults.set({ status: 500, times: 2 });
  expect((await sendError(mailer.send(contactEmail))).code).toBe(500);
  expect((await sendError(mailer.send(contactEmail))).code).toBe(500);
  const [ok] = await mailer.send(contactEmail);
  expect(ok.statusCode).toBe(202);
  expect(emulator.stats()).toMatchObject({ requests: 4, sent: 1, faults: 3 });
});

test('a hanging API runs into the client timeout', async () => {
  const impatient = createMailer({ apiKey: API_KEY, apiBaseUrl: emulator.url, timeoutMs: 300 });
  emulator.faults.set({ hang: true });
  const started = Date.now();
  const err = (await sendError(impatient.send(contactEmail))) as unknown as Error;
  expect(err.message).toMatch(/timeout/i);
  expect(Date.now() - started).toBeLessThan(1500);
  expect(emulator.mails()).toHaveLength(0);
});

test('mails, faults and reset are reachable over HTTP for other processes', async () => {
  await mailer.send(contactEmail);
  const mails = (await (await fetch(`${emulator.url}/__emulator/mails`)).json()) as { to: string[] }[];
  expect(mails.map((m) => m.to)).toEqual([[TO]]);
  await fetch(`${emulator.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ status: 503 }) });
  expect((await sendError(mailer.send(contactEmail))).code).toBe(503);
  await fetch(`${emulator.url}/__emulator/reset`, { method: 'POST' });
  expect(emulator.mails()).toHaveLength(0);
  expect((await mailer.send(contactEmail))[0].statusCode).toBe(202);
});

describe('what SendGrid refuses that a looser stand-in would let through', () => {
  const base = { personalizations: [{ to: [{ email: TO }] }], from: { email: FROM }, subject: 's' };
  const NOW = new Date('2026-11-29T10:00:00Z');
  const at = (hours: number) => Math.floor(NOW.getTime() / 1000) + hours * 3600;

  test.each([
    ['HTML before plain text', 'content', { ...base, content: [{ type: 'text/html', value: '<p>x</p>' }, { type: 'text/plain', value: 'x' }] }],
    ['plain text twice', 'content', { ...base, content: [{ type: 'text/plain', value: 'x' }, { type: 'text/plain', value: 'y' }] }],
    ['send_at more than 72 hours ahead', 'send_at', { ...base, content: [{ type: 'text/plain', value: 'x' }], send_at: at(73) }],
    ['a personalization send_at more than 72 hours ahead', 'send_at', { ...base, personalizations: [{ to: [{ email: TO }], send_at: at(100) }], content: [{ type: 'text/plain', value: 'x' }] }],
    ['eleven categories', 'categories', { ...base, content: [{ type: 'text/plain', value: 'x' }], categories: Array.from({ length: 11 }, (_, i) => `c${i}`) }],
    ['a category over 255 characters', 'categories', { ...base, content: [{ type: 'text/plain', value: 'x' }], categories: ['x'.repeat(256)] }],
    ['1001 recipients in one personalization', 'personalizations', { ...base, personalizations: [{ to: Array.from({ length: 1001 }, (_, i) => ({ email: `r${i}@example.org` })) }], content: [{ type: 'text/plain', value: 'x' }] }],
    ['a template id that is not one', 'template_id', { ...base, template_id: 'welcome' }],
  ])('%s (field %s)', (_name, field, body) => {
    expect(checkMailSend(body as Record<string, unknown>, NOW).map((e) => e.field)).toEqual([field]);
  });

  test.each([
    ['plain text then HTML', { ...base, content: [{ type: 'text/plain', value: 'x' }, { type: 'text/html', value: '<p>x</p>' }] }],
    ['send_at 71 hours ahead, ten categories', { ...base, content: [{ type: 'text/plain', value: 'x' }], send_at: at(71), categories: Array.from({ length: 10 }, (_, i) => `c${i}`) }],
    ['1000 recipients', { ...base, personalizations: [{ to: Array.from({ length: 1000 }, (_, i) => ({ email: `r${i}@example.org` })) }], content: [{ type: 'text/plain', value: 'x' }] }],
  ])('accepts %s', (_name, body) => {
    expect(checkMailSend(body as Record<string, unknown>, NOW)).toEqual([]);
  });

  test('403 for a from address that is not a verified Sender Identity; an authenticated domain covers its addresses', async () => {
    emulator.verifiedSenders.add('alerts@example.com');
    const err = await sendError(mailer.send(contactEmail));
    expect(err.code).toBe(403);
    expect(errorsOf(err)).toEqual([expect.objectContaining({ field: 'from', message: expect.stringMatching(/verified Sender Identity/) })]);
    emulator.verifiedSenders.add('@example.com');
    expect((await mailer.send(contactEmail))[0].statusCode).toBe(202);
  });

  test('403 "access forbidden" for a key without the mail.send scope', async () => {
    emulator.keysWithoutMailSend.add('SG.read-only.key');
    const readOnly = createMailer({ apiKey: 'SG.read-only.key', apiBaseUrl: emulator.url });
    const err = await sendError(readOnly.send(contactEmail));
    expect(err.code).toBe(403);
    expect(errorsOf(err)).toEqual([expect.objectContaining({ message: 'access forbidden' })]);
    expect(emulator.mails()).toHaveLength(0);
  });
});
