// /voice/incoming and /escalate never load @sendgrid/mail or chrono-node, and no Function loads twilio's REST client until it makes a request; /email/send loads @sendgrid/mail (bench/module-load.ts,
// in a fresh process, against the built Functions).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { runScript } from '../helpers/run-script';

const root = path.resolve(__dirname, '..', '..');

test('@sendgrid/mail is loaded by the email path only, chrono-node by the scheduling steps only', async () => {
  const { stdout: out } = await runScript('bench/module-load.ts', ['--json'], { timeoutMs: 60_000 });
  const line = out.split('\n').find((l) => l.startsWith('{"afterVoiceAndMenu"'));
  expect(JSON.parse(line ?? '{}')).toMatchObject({ afterVoiceAndMenu: false, afterEmail: true, chronoAfterVoiceAndMenu: false, sendgridRequireMs: expect.any(Number) });
});

test("requiring a compiled Function loads twilio's TwiML builders, not its REST client (about 200 ms of a cold start)", () => {
  // A fresh process with the runtime's globals, as the load cost in bench/proof-bench is measured.
  const asset = path.join(root, 'dist', 'assets', 'ivr.private.js');
  const script = [
    `global.Runtime = { getAssets: () => ({ '/ivr.js': { path: ${JSON.stringify(asset)} } }) };`,
    'global.Twilio = { Response: class {} };',
    `for (const f of ['voice/incoming.protected.js', 'escalate.protected.js', 'text/send.protected.js']) require(${JSON.stringify(path.join(root, 'dist', 'functions'))} + '/' + f);`,
    "const loaded = Object.keys(require.cache).map((f) => f.split(require('node:path').sep).join('/'));",
    "process.stdout.write(JSON.stringify({ builders: loaded.some((f) => f.includes('/twilio/lib/twiml/')), rest: loaded.some((f) => f.includes('/twilio/lib/rest/')) }));",
  ].join('\n');
  const out = execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  expect(JSON.parse(out)).toEqual({ builders: true, rest: false });
});
