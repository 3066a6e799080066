// `npm run call` (sandbox/call.ts). As a user runs it, in a child process, where the process is what is
// checked (its exit codes, stdout and stderr); the options' behaviour is checked in this process, through
// the command's `main`, which a child process only runs with a second start of node and tsx.
import { main } from '../../sandbox/call';
import { callCommand } from '../helpers/call-command';
import { runScript, type ScriptRun } from '../helpers/run-script';
import { useSandbox } from '../helpers/sandbox';

function npmRunCall(args: readonly string[], env: Record<string, string> = {}): Promise<ScriptRun> {
  return runScript('sandbox/call.ts', args, { env: { ...process.env, ...env } });
}

test('--script reproduces the Support line scenario against a sandbox of its own, and shows what it recorded', async () => {
  const run = await npmRunCall(['--line', 'support', '--from', 'dana', '--hours', 'open', '--script', 'agent,~,~,~']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const lines = run.stdout.split('\n').map((line) => line.trim());
  expect(lines).toEqual(
    expect.arrayContaining([
      'caller hears: "Welcome to Acme Support. Tell me what you need, or say agent at any time." [en-US]',
      'caller says "agent"',
      'caller hears: "Hi Dana." [en-US]',
      'call ended (completed): <Hangup>',
      'The sandbox recorded:',
    ]),
  );
  expect(run.stdout).toMatch(/Airtable Calls: new row rec\w+ .*From=\+14155550142/);
});

test('--from riley: the text to the demo landline is accepted, then undelivered (30006), and the email that follows is listed', async () => {
  const run = await callCommand(['--line', 'support', '--from', 'riley', '--hours', 'open', '--script', 'agent,4,1']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/SMS \+12025550120 → \+16465550133 \(undelivered\)/);
  expect(run.stdout).toContain('Email → riley.chen@example.com');
  expect(run.stdout).toMatch(/Sent=Text SM\w+: undelivered 30006 Email \S+: accepted/);
});

test('--status-callback posts the number\'s status callback when the call ends; --duplicate delivers it twice', async () => {
  const run = await callCommand(['--line', 'support', '--script', 'hangup', '--status-callback', '/voice/incoming', '--duplicate', 'call-status', '--verbose']);
  expect(run.code).toBe(0);
  expect(run.stdout.match(/→ POST \/voice\/incoming \(call status\) {2}CallStatus=completed/g)).toHaveLength(2);
  expect(run.stdout).toContain('the call-status callback is delivered again');
});

test('--sip --transfer sip-refer plays a REFER: refused with 405, then the bridge the application falls back to', async () => {
  const run = await callCommand(['--line', 'sales', '--from', 'dana', '--hours', 'open', '--sip', '--transfer', 'sip-refer', '--script', 'agent,1,@rejected:405,@busy']);
  expect(run.code).toBe(0);
  const lines = run.stdout.split('\n').map((line) => line.trim());
  expect(lines).toEqual(expect.arrayContaining(['refer ended: failed (SIP 405)', 'dial ended: busy, not bridged, 0s']));
  expect(lines.indexOf('refer ended: failed (SIP 405)')).toBeLessThan(lines.indexOf('dial ended: busy, not bridged, 0s'));
});

test('run inside another process, it mutes the Functions\' log lines only while the call lasts', async () => {
  const before = [console.log, console.info, console.warn, console.error];
  const run = await callCommand(['--line', 'support', '--script', 'hangup']);
  expect(run.code).toBe(0);
  expect([console.log, console.info, console.warn, console.error]).toEqual(before);
});

// Usage errors are refused before anything starts: checked in this process (the exit code 2 and the message
// on stderr are checked once, in a child process, by "an unknown line is a usage error").
test('--duplicate names the kinds of callback it knows', async () => {
  await expect(main(['--script', 'hangup', '--duplicate', 'sms'])).rejects.toThrow('--duplicate takes call-status, dialed-call-status, recording, not "sms"');
});

describe('against a running server (--url)', () => {
  const sandbox = useSandbox();

  test('signs with AUTH_TOKEN and plays the script', async () => {
    const run = await callCommand(['--url', sandbox.baseUrl, '--line', 'after-hours', '--from', 'luis', '--script', 'hangup'], { AUTH_TOKEN: sandbox.authToken });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('caller hears: "Gracias por llamar a Acme.');
    expect(run.stdout).toContain('call ended (completed): caller hung up');
  });

  test('a wrong AUTH_TOKEN is refused by the server, reported, and fails the command', async () => {
    const run = await npmRunCall(['--url', sandbox.baseUrl, '--line', 'support', '--script', 'hangup'], { AUTH_TOKEN: 'not-the-token' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Twilio error 11200: POST http:\/\/localhost:\d+\/voice\/incoming answered HTTP 403/);
    expect(run.stdout).toContain("We're sorry, an application error has occurred. Goodbye.");
  });
});

test('an unknown line is a usage error', async () => {
  const run = await npmRunCall(['--line', 'nowhere', '--script', '1']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('npm run call: unknown line "nowhere"');
  expect(run.stdout).toBe('');
});

test('--agents takes agent tokens only, and only for the sandbox it starts', async () => {
  await expect(main(['--script', 'hangup', '--agents', '@accept,sms'])).rejects.toThrow('--agents takes agent tokens (@accept, @decline, @voicemail, @busy, @no-answer...), not "sms"');
  await expect(main(['--script', 'hangup', '--agents', '@accept', '--url', 'http://127.0.0.1:9'])).rejects.toThrow('--agents answers calls through the sandbox this command starts');
});
