// /voice/incoming: greets each line with its own greeting and listens; never an error page.
import { DEMO_LINES, demoBase } from '../../sandbox/demo-data';
import { voiceParams } from '../helpers/call-params';
import { useSandbox } from '../helpers/sandbox';
import { parseTwiml, spoken, verbNames } from '../helpers/twiml';

const sandbox = useSandbox(demoBase);

const lines = demoBase().Lines.map((l) => [l.Name as string, l['Phone Number'] as string, l.Greeting as string, l.Language as string]);

test.each(lines)('%s line: greets with its Greeting in its language and gathers speech and keys', async (_name, number, greeting, language) => {
  const answer = await sandbox.post('/voice/incoming', voiceParams(sandbox.accountSid, { To: number }));
  expect(answer.status).toBe(200);
  const [gather, next] = parseTwiml(answer.body);
  expect(gather.name).toBe('Gather');
  expect(gather.attributes.input).toBe('speech dtmf');
  expect(gather.attributes.language).toBe(language);
  expect(gather.attributes.action).toMatch(/^\/voice\/incoming\?turn=1/);
  expect(gather.children[0]).toMatchObject({ name: 'Say', text: greeting, attributes: expect.objectContaining({ language }) });
  // Silence must never be dead air: the verb after the Gather runs.
  expect(next.name).toBe('Redirect');
});

test('a line whose number arrives as a SIP URI is found by its user part', async () => {
  const answer = await sandbox.post(
    '/voice/incoming',
    voiceParams(sandbox.accountSid, { To: `sip:${DEMO_LINES.support}@pbx.example.com`, From: 'sip:+14155550142@carrier.example.net' }),
  );
  expect(spoken(answer.body)[0]).toMatch(/Acme Support/);
});

test('an unknown line hears a clear message and the call ends', async () => {
  const answer = await sandbox.post('/voice/incoming', voiceParams(sandbox.accountSid, { To: '+19995550123' }));
  expect(answer.status).toBe(200);
  expect(verbNames(answer.body)).toEqual(['Say', 'Hangup']);
  expect(spoken(answer.body)[0]).toMatch(/not set up/);
});

test.each([
  ['missing To', { To: undefined }],
  ['missing From', { From: undefined }],
  ['a To that is not a phone number', { To: "'); DROP TABLE Lines; --" }],
])('%s: valid TwiML, no crash', async (_case, overrides) => {
  const params = voiceParams(sandbox.accountSid);
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete params[k];
  else params[k] = v;
  const answer = await sandbox.post('/voice/incoming', params);
  expect(answer.status).toBe(200);
  expect(parseTwiml(answer.body).length).toBeGreaterThan(0);
});

test('a 10 kB SpeechResult is answered with TwiML', async () => {
  const answer = await sandbox.post('/voice/incoming?turn=1', voiceParams(sandbox.accountSid, { SpeechResult: 'blah '.repeat(2048) }));
  expect(answer.status).toBe(200);
  expect(verbNames(answer.body)).toContain('Gather');
});

test('bytes that are not UTF-8 get a 4xx or TwiML, and the server keeps answering', async () => {
  const params = new URLSearchParams(voiceParams(sandbox.accountSid, { To: DEMO_LINES.sales })).toString();
  const body = Buffer.concat([Buffer.from(`${params}&SpeechResult=`), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80])]);
  const raw = await fetch(`${sandbox.baseUrl}/voice/incoming`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'not-computable-for-raw-bytes' },
    body,
  });
  expect(raw.status).toBeGreaterThanOrEqual(400);
  expect(raw.status).toBeLessThan(500);
  const latin1 = await fetch(`${sandbox.baseUrl}/voice/incoming`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=latin1' },
    body,
  });
  expect(latin1.status).toBeGreaterThanOrEqual(400);
  expect(latin1.status).toBeLessThan(500);
  const after = await sandbox.post('/voice/incoming', voiceParams(sandbox.accountSid));
  expect(after.status).toBe(200);
});

test('invalid UTF-8 inside a signed form is cleaned, not fatal', async () => {
  const answer = await sandbox.post('/voice/incoming?turn=1', voiceParams(sandbox.accountSid, { SpeechResult: 'caf\uFFFD \u0000\u0007agent' }));
  expect(answer.status).toBe(200);
  expect(parseTwiml(answer.body).length).toBeGreaterThan(0);
});
