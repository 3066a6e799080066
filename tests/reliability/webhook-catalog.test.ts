// The webhook catalog (sandbox/webhook-catalog.ts) that the fuzzer, the fault matrix and the benchmark
// read: it lists every Function, and each realistic request is answered 200 with a valid document.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { demoBaseWithHours } from '../../sandbox/demo-data';
import { newCallSid, send, webhookCatalog } from '../../sandbox/webhook-catalog';
import { checkAnswer } from '../../sandbox/webhook-fuzz';
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
