import { createLogger, redact } from '../../src/assets/shell/log.private';

test.each([
  ['an E.164 number keeps only its last four digits', 'caller +14155550142 asked', 'caller ***0142 asked'],
  ['a formatted number too', 'call (415) 555-0142 back', 'call ***0142 back'],
  ['a number behind several plus signs (a forged parameter)', 'callSid ++14155550142 sent', 'callSid ***0142 sent'],
  ['an email keeps only its domain', 'sent to dana@example.com', 'sent to ***@example.com'],
  ['a Twilio auth token is removed', 'token 0123456789abcdef0123456789abcdef used', 'token [redacted] used'],
  ['a SendGrid key is removed', 'key SG.abcdefghijklmnop.qrstuvwxyz0123456789', 'key [redacted]'],
])('%s', (_name, input, output) => {
  expect(redact(input)).toBe(output);
});

test('logged fields are redacted, secrets by their key, errors by their message', () => {
  const lines: string[] = [];
  const sink = { log: (l: string) => lines.push(l), warn: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
  createLogger('test', sink).error('failed', {
    from: '+14155550142',
    authToken: 'anything at all',
    nested: { email: 'luis.ortega@example.org' },
    error: new Error('could not call +12125550199'),
  });
  const entry = JSON.parse(lines[0]);
  expect(entry).toEqual({
    level: 'error',
    scope: 'test',
    event: 'failed',
    from: '***0142',
    authToken: '[redacted]',
    nested: { email: '***@example.org' },
    error: 'Error: could not call ***0199',
  });
  expect(lines[0]).not.toMatch(/4155550142|luis\.ortega|anything at all/);
});

test('a Call SID is not mistaken for a phone number', () => {
  expect(redact('CA5b0e81f4215768ebe098cf0725e35ea1')).toBe('CA5b0e81f4215768ebe098cf0725e35ea1');
});
