// `npm run fuzz -- --count 100000 [--seed 17] [--from 0] [--concurrency 8]`: the reliability suite's
// fuzzer (sandbox/webhook-fuzz.ts) at scale, over every webhook of the catalog, against a sandbox of
// its own. Prints the figures and the first failures (each with the seed and index that replay it:
// `--seed S --from I --count 1`); exits 1 when any request failed or a log line leaked a number,
// an email or a token.
import { demoBaseWithHours } from '../sandbox/demo-data';
import { logLeaks } from '../sandbox/log-leaks';
import { startSandbox } from '../sandbox/sandbox';
import { closeTwimlValidator } from '../sandbox/simulator/twiml-validator';
import { webhookCatalog } from '../sandbox/webhook-catalog';
import { fuzzWebhooks } from '../sandbox/webhook-fuzz';

const out = (line = '') => process.stdout.write(`${line}\n`);

function option(name: string, fallback: number, max: number): number {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return fallback;
  const raw = args[at]!.includes('=') ? args[at]!.split('=')[1] : args[at + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`--${name} must be an integer from 0 to ${max}`);
  return n;
}

async function main(): Promise<void> {
  const count = option('count', 10_000, 10_000_000);
  const seed = option('seed', 17, 2 ** 31);
  const from = option('from', 0, 10_000_000);
  const concurrency = Math.max(1, option('concurrency', 8, 64));
  const seedBase = () => demoBaseWithHours('open');
  const sandbox = await startSandbox({ seed: seedBase() });
  const lines: string[] = [];
  const original = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  const keep = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  try {
    const catalog = webhookCatalog();
    out(`Fuzzing ${catalog.length} webhooks: ${count} signed hostile requests, seed ${seed}, from #${from}, ${concurrency} at a time`);
    Object.assign(console, { log: keep, info: keep, warn: keep, error: keep });
    const step = Math.max(1000, Math.round(count / 20));
    const figures = await fuzzWebhooks(sandbox, catalog, {
      seed,
      count,
      from,
      concurrency,
      restore: () => sandbox.airtable.reset(seedBase()),
      onProgress: (done) => {
        if (done % step === 0) process.stdout.write(`  ${done} requests\n`);
        // Keep memory flat over long runs: only the leaks are needed, so scan and drop as we go.
        if (lines.length > 20_000) lines.splice(0, lines.length, ...logLeaks(lines, [sandbox.authToken, sandbox.env.AIRTABLE_API_KEY, sandbox.env.SENDGRID_API_KEY, sandbox.env.DISPATCH_SECRET]));
      },
    });
    Object.assign(console, original);
    const leaks = logLeaks(lines, [sandbox.authToken, sandbox.env.AIRTABLE_API_KEY, sandbox.env.SENDGRID_API_KEY, sandbox.env.DISPATCH_SECRET]);
    out();
    out(`requests: ${figures.requests} in ${figures.seconds.toFixed(1)} s (${figures.perSecond.toFixed(0)}/s)`);
    out(`answers by status: ${Object.entries(figures.statuses).map(([s, n]) => `${s} ×${n}`).join(', ')}`);
    out(`slowest answer: ${figures.slowest.ms} ms (${figures.slowest.path})`);
    out(`failures (5xx, no answer, or an invalid document): ${figures.failureCount}`);
    for (const failure of figures.failures.slice(0, 10)) out(`  #${failure.index} ${failure.path}: ${failure.problems.join('; ')}\n    ${failure.request}`);
    out(`log lines leaking a number, an email or a token: ${leaks.length}`);
    for (const line of leaks.slice(0, 5)) out(`  ${line.slice(0, 300)}`);
    if (figures.failureCount > 0 || leaks.length > 0) process.exitCode = 1;
  } finally {
    Object.assign(console, original);
    await sandbox.close();
    await closeTwimlValidator();
  }
}

main().catch((error: unknown) => {
  console.error('Fuzz run failed:', error);
  process.exitCode = 1;
});
