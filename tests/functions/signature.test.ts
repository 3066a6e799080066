// Protected Functions accept only webhooks Twilio signed, as Twilio enforces in production.
import { startSandbox } from '../../sandbox/sandbox';
import { signatureFor } from '../../sandbox/webhook-client';
import { voiceParams } from '../helpers/call-params';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox();

test('a correctly signed webhook is answered with TwiML', async () => {
  const answer = await sandbox.post('/voice/incoming', voiceParams(sandbox.accountSid));
  expect(answer.status).toBe(200);
  expect(answer.contentType).toMatch(/xml/);
});

test('an unsigned webhook is refused with 401', async () => {
  const answer = await sandbox.post('/voice/incoming', voiceParams(sandbox.accountSid), { sign: false });
  expect(answer.status).toBe(401);
  expect(answer.body).not.toMatch(/<Response/);
});

test('a webhook signed with another token is refused with 403', async () => {
  const params = voiceParams(sandbox.accountSid);
  const forged = signatureFor('some-other-token', `${sandbox.baseUrl}/voice/incoming`, params);
  const answer = await sandbox.post('/voice/incoming', params, { signature: forged });
  expect(answer.status).toBe(403);
});

test('a signature made for other parameters is refused', async () => {
  const params = voiceParams(sandbox.accountSid);
  const signature = signatureFor(sandbox.authToken, `${sandbox.baseUrl}/voice/incoming`, { ...params, From: '+19995550000' });
  const answer = await sandbox.post('/voice/incoming', params, { signature });
  expect(answer.status).toBe(403);
});

test('the query string is part of what is signed', async () => {
  const params = voiceParams(sandbox.accountSid);
  const signedWithoutQuery = signatureFor(sandbox.authToken, `${sandbox.baseUrl}/voice/incoming`, params);
  const refused = await sandbox.post('/voice/incoming?turn=1', params, { signature: signedWithoutQuery });
  expect(refused.status).toBe(403);
  const accepted = await sandbox.post('/voice/incoming?turn=1', params);
  expect(accepted.status).toBe(200);
});

test('the token comes from the environment: a shell AUTH_TOKEN replaces the development token', async () => {
  const custom = await startSandbox({ env: { AUTH_TOKEN: 'a-token-from-the-shell' } });
  try {
    const params = voiceParams(custom.accountSid);
    expect((await custom.post('/voice/incoming', params)).status).toBe(200);
    const withDevToken = signatureFor(sandbox.authToken, `${custom.baseUrl}/voice/incoming`, params);
    expect((await custom.post('/voice/incoming', params, { signature: withDevToken })).status).toBe(403);
  } finally {
    await custom.close();
  }
});

test('a signed request replayed to another URL is refused: the signature covers the URL', async () => {
  const params = voiceParams(sandbox.accountSid);
  const signedForIncoming = signatureFor(sandbox.authToken, `${sandbox.baseUrl}/voice/incoming`, params);
  for (const other of ['/escalate', '/text/send?number=%2B14155550142', '/voice/incoming?turn=1']) {
    const replayed = await sandbox.post(other, params, { signature: signedForIncoming });
    expect({ other, status: replayed.status }).toEqual({ other, status: 403 });
  }
});
