// Fuzzing every webhook of the catalog (sandbox/webhook-catalog.ts): hostile variants of realistic
// requests, signed as Twilio signs, against healthy emulators. Each answers 4xx or a valid answer of
// its kind, never 5xx, and the server keeps serving. `npm run fuzz -- --count 100000` runs the same
// generator at scale; a failure here names the seed and index that replay it.
import { demoBaseWithHours } from '../../sandbox/demo-data';
import { newCallSid, send, webhookCatalog } from '../../sandbox/webhook-catalog';
import { fuzzWebhooks } from '../../sandbox/webhook-fuzz';
import { captureLogs } from '../helpers/log-capture';
import { resetSandbox, useSandbox } from '../helpers/sandbox';

const SEED = 17;
/** About 50 hostile requests per webhook: enough to hit every mutation kind on each, in ~20 s on two shared cores. */
const REQUESTS_PER_WEBHOOK = 50;

const seed = () => demoBaseWithHours('open');
const sandbox = useSandbox(seed, { resetEachTest: false });
const logs = captureLogs();

test('every webhook answers hostile requests with 4xx or a valid answer, never 5xx', async () => {
  const catalog = webhookCatalog();
  const figures = await fuzzWebhooks(sandbox, catalog, { seed: SEED, count: REQUESTS_PER_WEBHOOK * catalog.length, concurrency: 4, restore: () => resetSandbox(sandbox, seed()) });
  expect(figures.failures).toEqual([]);
  expect(figures.requests).toBe(REQUESTS_PER_WEBHOOK * catalog.length);
  // Both kinds of answer happen: the generator reaches the handlers, not only the signature check.
  expect(figures.statuses['200']).toBeGreaterThan(figures.requests / 3);
  // Still serving afterwards.
  const entry = catalog.find((e) => e.path === '/voice/incoming')!;
  expect((await send(sandbox, await entry.request(sandbox, newCallSid()))).status).toBe(200);
}, 120_000);

test('nothing the fuzzed Functions logged holds a full phone number, an email address or a token', () => {
  expect(logs.lines.length).toBeGreaterThan(0);
  expect(logs.leaks([sandbox.authToken, sandbox.env.AIRTABLE_API_KEY, sandbox.env.SENDGRID_API_KEY, sandbox.env.DISPATCH_SECRET])).toEqual([]);
});
