// "Email contact information", as calls: success with the case number said slowly and once more on
// request, every SendGrid failure, who is not offered it, once-only, and the Spanish line.
import { DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import { call, heardBy } from '../../sandbox/simulator/call-script';
import { CASE_NUMBER } from '../../src/assets/core/sent-ledger.private';
import { voiceParams } from '../helpers/call-params';
import { useSandbox } from '../helpers/sandbox';
import { SPANISH_CALLER, spanishLineBase } from '../helpers/seeds';
import { redirectOf, spoken } from '../helpers/twiml';

/** The demo base, always open, with email on the Spanish line and a Spanish-speaking contact. */
const sandbox = useSandbox(() => spanishLineBase({ 'Email Contact': true }));

const callsRow = () => {
  const rows = sandbox.airtable.records('Calls');
  expect(rows).toHaveLength(1);
  return rows[0].fields as Record<string, unknown>;
};

/** Dana on the Support line, at the menu: 5 is email. */
const danaAtMenu = () =>
  call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana }).expectSay('Welcome to Acme Support').say('agent').expectSay(/press 5 or say email/);

describe('success', () => {
  test('the email goes to the address on file (never said), the case number is said slowly and once more on request', async () => {
    const record = await danaAtMenu()
      .press('5')
      .expectSay('I will email our contact information to the email address we have on file')
      .expectSay('Done. I have emailed our contact information to the email address we have on file.')
      .expectSay(/Your case number is: [2-9FHKLRUWXY](, [2-9FHKLRUWXY]){2}\. [2-9FHKLRUWXY](, [2-9FHKLRUWXY]){2}\./)
      .expectSay('To hear your case number again, press 1 or say repeat.')
      .press('1')
      .expectSay(/Your case number is/)
      .expectSay('Goodbye')
      .expectNotSay('dana@example.com')
      .expectNotSay(/example\.com/)
      .expectHangup();

    const [mail] = sandbox.sendgrid.mails();
    expect(sandbox.sendgrid.mails()).toHaveLength(1);
    expect(mail.to).toEqual(['dana@example.com']);
    expect(mail.from).toBe('support@example.com');
    expect(mail.subject).toBe('Support: how to reach us');
    // text/plain first, as SendGrid requires, then text/html.
    expect((mail.body.content as { type: string }[]).map((c) => c.type)).toEqual(['text/plain', 'text/html']);
    const row = callsRow();
    expect(row['Case Number']).toMatch(CASE_NUMBER);
    expect(mail.text).toContain('https://support.example.com/help');
    expect(mail.text).toContain('+1 202 555 0102');
    expect(mail.text).toContain(String(row['Case Number']));
    expect(mail.html).toContain('<a href="https://support.example.com/help">');
    expect(row).toMatchObject({ Chosen: 'Email Contact', Outcome: 'Email sent', Sent: `Email ${mail.messageId}: accepted` });
    expect(JSON.stringify(row)).not.toMatch(/dana@|example\.com/);
    // The case number heard is the one stored.
    const heard = heardBy(record).join(' ');
    expect(heard.replace(/[^2-9A-Z]/g, '')).toContain(String(row['Case Number']).replace('-', ''));
  });

  test('silence after the case number ends the call with a goodbye, no repeat', async () => {
    const record = await danaAtMenu().press('5').expectSay(/case number is/).silence().expectSay('Goodbye').expectHangup();
    expect(heardBy(record).filter((s) => /case number is/.test(s))).toHaveLength(1);
  });

  test('Spanish line: prompts and email in Spanish', async () => {
    await call(sandbox, { to: DEMO_LINES.afterHours, from: SPANISH_CALLER })
      .say('agente')
      .expectSay(/Para recibir nuestra información por correo electrónico, marque 3/)
      .press('3')
      .expectSay('Le enviaré nuestra información de contacto al correo electrónico que tenemos registrado')
      .expectSay('Su número de caso es')
      .silence()
      .expectSay('Adiós')
      .expectHangup();
    const [mail] = sandbox.sendgrid.mails();
    expect(mail.subject).toBe('After-hours: cómo comunicarse con nosotros');
    expect(mail.text).toContain('Gracias por llamar a After-hours');
    expect(mail.text).toContain('Su número de caso');
  });
});

describe('SendGrid fails: the caller is told and offered the other paths, a text among them', () => {
  test.each([
    ['400', { status: 400 }],
    ['401', { status: 401 }],
    ['403', { status: 403 }],
    ['413', { status: 413 }],
    ['429', { status: 429 }],
    ['500', { status: 500 }],
    ['503', { status: 503 }],
    ['a hang', { hang: true }],
  ])('%s', async (label, fault) => {
    sandbox.sendgrid.faults.set({ ...fault, times: 1 });
    const started = Date.now();
    const record = await danaAtMenu()
      .press('5')
      .expectSay('Sorry, I could not send the email right now.')
      .expectSay('Here is what else I can do.')
      .expectSay(/get a text with our support details, press 4/)
      .expectNotSay(/by email/)
      .hangup()
      .expectEnd('party');
    expect(Date.now() - started).toBeLessThan(15000);
    // SPEC §5: every webhook within 4 s, whatever SendGrid does.
    expect(Math.max(...record.events.flatMap((e) => (e.kind === 'response' ? [e.ms] : [])))).toBeLessThan(4000);
    expect(sandbox.sendgrid.mails()).toHaveLength(0);
    expect(callsRow()).toMatchObject({ Outcome: `Email not sent (${label === 'a hang' ? 'timeout' : label})` });
    expect(callsRow()['Sent']).toBeUndefined();
  });
});

test('after a failed email the caller takes the text instead, and gets it', async () => {
  sandbox.sendgrid.faults.set({ status: 500, times: 1 });
  await danaAtMenu()
    .press('5')
    .expectSay('Sorry, I could not send the email right now.')
    .expectSay(/get a text with our support details, press 4/)
    .press('4')
    .expectSay('Shall I text it to the number ending in 0142?')
    .press('1')
    .expectSay('I have sent a text with our support details to the number ending in 0142.')
    .expectHangup();
  expect(sandbox.sendgrid.mails()).toHaveLength(0);
  expect(sandbox.twilio.messages()).toHaveLength(1);
  expect(callsRow()).toMatchObject({ Chosen: 'Text Link', Outcome: 'Text sent' });
});

describe('not offered, or refused at the send step', () => {
  test('a caller with no email on file is not offered email', async () => {
    await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.stranger })
      .say('agent')
      .expectSay(/press 1/)
      .expectNotSay(/email/)
      .hangup()
      .expectEnd('party');
  });

  test('Do Not Contact: not offered, and /email/send refuses even when asked directly', async () => {
    await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.morgan }).say('agent').expectNotSay(/email/).hangup().expectEnd('party');
    const answer = await sandbox.post('/email/send', voiceParams(sandbox.accountSid, { From: DEMO_CALLERS.morgan }));
    expect(answer.status).toBe(200);
    expect(redirectOf(answer.body)).toMatch(/^\/escalate\?after=path-unavailable&exclude=email$/);
    expect(sandbox.sendgrid.mails()).toHaveLength(0);
  });
});

describe('once only', () => {
  test('asked twice in one call: one email, the second time the caller hears it was already sent and the same case number', async () => {
    const params = voiceParams(sandbox.accountSid);
    const first = await sandbox.post('/email/send', params);
    const second = await sandbox.post('/email/send', params);
    expect(spoken(second.body)[0]).toBe('I already emailed our contact information to the email address we have on file during this call.');
    expect(spoken(second.body)[1]).toBe(spoken(first.body)[1]);
    expect(sandbox.sendgrid.mails()).toHaveLength(1);
  });

  test('a webhook Twilio delivers twice at once sends one email', async () => {
    const params = voiceParams(sandbox.accountSid);
    const answers = await Promise.all([sandbox.post('/email/send', params), sandbox.post('/email/send', params)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(sandbox.sendgrid.mails()).toHaveLength(1);
    // Whichever answer Twilio plays, the caller hears the case number that was stored.
    const stored = String(sandbox.airtable.records('Calls')[0].fields['Case Number']);
    for (const answer of answers) expect(spoken(answer.body)[1].split(':')[1].replace(/[^2-9A-Z]/g, '')).toBe(stored.replace('-', ''));
  });

  test('two calls get two different case numbers', async () => {
    await sandbox.post('/email/send', voiceParams(sandbox.accountSid));
    await sandbox.post('/email/send', voiceParams(sandbox.accountSid));
    const numbers = sandbox.airtable.records('Calls').map((r) => r.fields['Case Number']);
    expect(new Set(numbers).size).toBe(2);
  });
});
