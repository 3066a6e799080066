// /voice/incoming and /escalate never load @sendgrid/mail or chrono-node; /email/send loads @sendgrid/mail (bench/module-load.ts,
// in a fresh process, against the built Functions).
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

test('@sendgrid/mail is loaded by the email path only, chrono-node by the scheduling steps only', () => {
  const out = execFileSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'bench/module-load.ts', '--json'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const line = out.split('\n').find((l) => l.startsWith('{"afterVoiceAndMenu"'));
  expect(JSON.parse(line ?? '{}')).toMatchObject({ afterVoiceAndMenu: false, afterEmail: true, chronoAfterVoiceAndMenu: false, sendgridRequireMs: expect.any(Number) });
});
