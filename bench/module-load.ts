// `npx tsx bench/module-load.ts` (after `npm run build`): which npm packages a Function loads, and
// what @sendgrid/mail would cost every cold start if the bundle loaded it at the top.
// In a fresh process it serves the built Functions (as `npm start` does), plays /voice/incoming and
// /escalate, and looks at Node's module cache; then /email/send, and looks again. Prints the
// figures; `--json` prints them as one JSON line (tests/bench/module-load.test.ts reads it).
import { performance } from 'node:perf_hooks';
import { DEMO_CALLERS, DEMO_LINES, demoBaseWithHours } from '../sandbox/demo-data';
import { startSandbox } from '../sandbox/sandbox';
import { inboundCallParams } from '../sandbox/simulator/call-params';

const SENDGRID = /[\\/]node_modules[\\/]@sendgrid[\\/]mail[\\/]/;
const CHRONO = /[\\/]node_modules[\\/]chrono-node[\\/]/;

const loaded = (pattern: RegExp): boolean => Object.keys(require.cache).some((file) => pattern.test(file));
const sendgridLoaded = (): boolean => loaded(SENDGRID);

/** Milliseconds a fresh process spends requiring @sendgrid/mail (with its client and helpers). */
function sendgridRequireMs(): number {
  const started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a require is what is being timed
  require('@sendgrid/mail');
  return performance.now() - started;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({ seed: demoBaseWithHours('open') });
  try {
    const params = inboundCallParams({ accountSid: sandbox.accountSid, from: DEMO_CALLERS.dana, to: DEMO_LINES.support });
    const incoming = await sandbox.post('/voice/incoming', params);
    const escalate = await sandbox.post(`/escalate?Line=${encodeURIComponent(DEMO_LINES.support)}`, params);
    if (incoming.status !== 200 || escalate.status !== 200) throw new Error('the voice webhooks did not answer');
    const afterVoiceAndMenu = sendgridLoaded();
    // chrono-node reads spoken times: the scheduling steps require it, no other Function.
    const chronoAfterVoiceAndMenu = loaded(CHRONO);
    const email = await sandbox.post('/email/send', params);
    if (email.status !== 200 || sandbox.sendgrid.mails().length !== 1) throw new Error('the email was not sent');
    const afterEmail = sendgridLoaded();
    const figures = { afterVoiceAndMenu, afterEmail, chronoAfterVoiceAndMenu };
    await sandbox.close();
    // Timed last: the @sendgrid modules are dropped from the cache and required again. Shared
    // dependencies (axios, which twilio loads too) stay cached, so this is @sendgrid's own share.
    for (const file of Object.keys(require.cache)) if (/[\\/]node_modules[\\/]@sendgrid[\\/]/.test(file)) delete require.cache[file];
    const requireMs = Math.round(sendgridRequireMs() * 10) / 10;
    if (process.argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify({ ...figures, sendgridRequireMs: requireMs })}\n`);
      return;
    }
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out(`@sendgrid/mail loaded after /voice/incoming and /escalate: ${afterVoiceAndMenu ? 'YES (MISS)' : 'no (PASS)'}`);
    out(`@sendgrid/mail loaded after /email/send:                  ${afterEmail ? 'yes (the email path pays for it)' : 'NO?'}`);
    out(`require('@sendgrid/mail') costs about ${requireMs} ms on this machine (warm disk cache); only the email path pays it.`);
    out(`chrono-node loaded after /voice/incoming and /escalate:    ${chronoAfterVoiceAndMenu ? 'YES (MISS)' : 'no (PASS): only the scheduling steps load it'}`);
    if (afterVoiceAndMenu || !afterEmail || chronoAfterVoiceAndMenu) process.exitCode = 1;
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
