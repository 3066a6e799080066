// The webhook catalog (sandbox/webhook-catalog.ts) that the fuzzer, the fault matrix and the benchmark
// read: it lists every Function, each realistic request is answered 200 with a valid document, and
// every protected one refuses what Twilio did not sign for it.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { demoBaseWithHours } from '../../sandbox/demo-data';
import { newCallSid, send, webhookCatalog } from '../../sandbox/webhook-catalog';
import { checkAnswer } from '../../sandbox/webhook-fuzz';
import { requestExactly, signatureFor, withBodyHash } from '../../sandbox/webhook-client';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox(() => demoBaseWithHours('open'));
const catalog = webhookCatalog();

test('the catalog has one entry per built Function, each with a realistic request', () => {
  const built = readdirSync(path.resolve(__dirname, '../../dist/functions'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .map((file) => `/${file.split(path.sep).join('/').replace(/(\.protected)?\.js$/, '')}`);
  expect(catalog.map((e) => e.path).sort()).toEqual(built.sort());
  expect(catalog.filter((e) => !e.realistic).map((e) => e.path)).toEqual([]);
});

test.each(catalog.map((entry) => [entry.path, entry] as const))('%s: its realistic request is answered 200 with a valid answer of its kind', async (_path, entry) => {
  const callSid = newCallSid();
  const request = await entry.request(sandbox, callSid);
  const answer = await send(sandbox, request);
  expect({ status: answer.status, body: answer.body.slice(0, 300) }).toEqual({ status: 200, body: expect.any(String) });
  expect(await checkAnswer(entry.kind, answer)).toEqual([]);
  // With everything healthy, a step that can promise something does, and keeps it (the fault matrix relies on both).
  if (entry.promises) {
    const heard = entry.promises.filter((p) => p.heard.test(answer.body));
    expect(heard.length).toBeGreaterThan(0);
    expect(heard.filter((p) => !p.kept(sandbox, callSid)).map((p) => p.what)).toEqual([]);
  }
});

test.each(catalog.filter((e) => e.access === 'protected').map((entry) => [entry.path, entry] as const))(
  '%s: unsigned 401; signed for another URL, or its body altered after signing, 403',
  async (_path, entry) => {
    const request = await entry.request(sandbox, newCallSid());
    const url = `${sandbox.baseUrl}${request.pathAndQuery}`;
    if (request.json !== undefined) {
      const body = JSON.stringify(request.json);
      const signedUrl = withBodyHash(url, body);
      const signature = signatureFor(sandbox.authToken, signedUrl, {});
      const altered = JSON.stringify({ ...(request.json as object), transcript_sid: `GT${'0'.repeat(32)}` });
      const answer = await requestExactly(signedUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-twilio-signature': signature }, body: altered, timeoutMs: 5000 });
      expect(answer.status).toBe(403);
      return;
    }
    const params = request.params ?? {};
    expect((await sandbox.post(request.pathAndQuery, params, { sign: false })).status).toBe(401);
    const forOther = signatureFor(sandbox.authToken, `${sandbox.baseUrl}/escalate/elsewhere`, params);
    expect((await sandbox.post(request.pathAndQuery, params, { signature: forOther })).status).toBe(403);
  },
);
