// SPEC §5 "Text and email": what is sent, from where, what the caller hears when it fails, once
// only, Do Not Contact, the Calls row's Sent and Case Number, the undelivered text's email.
import { DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import { useSandbox } from '../helpers/sandbox';
import { SANDBOX_EMAIL_FROM } from '../../sandbox/sandbox-env';
import { call } from '../../sandbox/simulator';
import { airtableApi, eventually, expectCallerNeverStranded, heardText, newCallSid, openBase } from './acceptance-kit';

const sandbox = useSandbox(openBase);
let airtable: ReturnType<typeof airtableApi>;
beforeAll(() => {
  airtable = airtableApi(sandbox);
});

const texts = () => sandbox.twilio.messages().map((message) => message.resource);

describe('text a link or number', () => {
  test('sent from the line\'s number to the caller ID, naming the line with link and support number; "sent" only after', async () => {
    const callSid = newCallSid();
    const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana, callSid })
      .press('0')
      .press('4')
      .expectSay(/ending in 0142/)
      .press('1')
      .expectSay(/sent/i)
      .expectHangup();
    expectCallerNeverStranded(record);
    expect(texts()).toHaveLength(1);
    const [text] = texts();
    expect(text).toMatchObject({ from: DEMO_LINES.support, to: DEMO_CALLERS.dana });
    expect(text!.body).toContain('Support');
    expect(text!.body).toContain('https://support.example.com/help');
    expect(text!.body).toMatch(/202\D{0,2}555\D{0,2}0102/);
    await sandbox.twilio.messagesSettled();
    const row = await eventually(async () => {
      const fields = await airtable.callRow(callSid);
      return typeof fields?.Sent === 'string' && fields.Sent.includes('delivered') ? fields : undefined;
    }, 'the delivery on the Calls row');
    expect(row.Sent).toContain(text!.sid);
    expect(row.Sent).not.toContain('support.example.com');
    expect(row.Sent).not.toContain(DEMO_CALLERS.dana);
  });

  test.each([
    ['opted out (21610)', 'optedOut', /opted out.*START/i],
    ['a landline (21614)', 'landlines', /cannot|can't|could not|not a mobile|landline/i],
    ['invalid (21211)', 'invalid', /does not look right|not valid|invalid/i],
  ] as const)('%s: the caller is told and offered another path', async (_name, set, told) => {
    sandbox.twilio.recipients[set].add(DEMO_CALLERS.dana);
    const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
      .press('0')
      .press('4')
      .press('1')
      .expectSay(told)
      .expectSay(/email.*press 4/)
      .hangup();
    expectCallerNeverStranded(record);
    expect(heardText(record)).not.toMatch(/I have sent/i);
    expect(heardText(record).split('what else')[1]).not.toMatch(/text/i);
  });

  test('the same call asking again (Twilio repeating the call\'s webhooks) never sends twice', async () => {
    const callSid = newCallSid();
    for (let i = 0; i < 2; i++) {
      await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana, callSid }).press('0').press('4').press('1').expectHangup();
    }
    expect(texts()).toHaveLength(1);
  });

  test('an undelivered text (30006, a landline found out late) is followed by one email when the line offers email', async () => {
    sandbox.twilio.recipients.undeliverable.add(DEMO_CALLERS.dana);
    await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana }).press('0').press('4').press('1').expectHangup();
    await sandbox.twilio.messagesSettled();
    const mails = await eventually(async () => (sandbox.sendgrid.mails().length ? sandbox.sendgrid.mails() : undefined), 'the fallback email');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['dana@example.com']);
  });

  test('an anonymous caller keys in the number to text; it is sent there', async () => {
    const record = await call(sandbox, { to: DEMO_LINES.support, from: 'anonymous' })
      .press('0')
      .expectSay(/text.*press 4/)
      .press('4')
      .expectSay(/enter|key/i)
      .press('4155550177#')
      .press('1')
      .expectSay(/sent/i)
      .expectHangup();
    expectCallerNeverStranded(record);
    expect(texts().map((text) => text.to)).toEqual(['+14155550177']);
  });

  test('an anonymous caller keying in a Do Not Contact number gets no text', async () => {
    const record = await call(sandbox, { to: DEMO_LINES.support, from: 'anonymous' })
      .press('0')
      .press('4')
      .press('6175550188#')
      .press('1')
      .expectNotSay(/sent/i)
      .hangup();
    expectCallerNeverStranded(record);
    expect(texts()).toHaveLength(0);
  });

  test('a stranger without a contact row is still offered a text to their caller ID, but no email', async () => {
    const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.stranger }).press('0').expectSay(/text/i).hangup();
    expect(heardText(record)).not.toMatch(/email/i);
  });
});

describe('email contact information', () => {
  test('sent from EMAIL_FROM to the address on file with link, number and a case number, which is on the Calls row', async () => {
    const callSid = newCallSid();
    const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana, callSid })
      .press('0')
      .press('5')
      .expectSay(/email/i)
      .expectSay(/case number/i)
      .hangup();
    expectCallerNeverStranded(record);
    expect(heardText(record)).not.toMatch(/dana@|example\.com/);
    const [mail] = sandbox.sendgrid.mails();
    expect(mail).toMatchObject({ from: SANDBOX_EMAIL_FROM, to: ['dana@example.com'] });
    const row = await eventually(async () => {
      const fields = await airtable.callRow(callSid);
      return fields?.['Case Number'] ? fields : undefined;
    }, 'the case number on the Calls row');
    const caseNumber = String(row['Case Number']);
    expect(mail!.text).toContain(caseNumber);
    expect(mail!.text).toContain('https://support.example.com/help');
    expect(row.Sent).toContain(mail!.messageId);
    expect(String(row.Sent)).not.toContain('dana@example.com');
  });

  test.each([
    ['SendGrid 500', { status: 500 }],
    ['SendGrid 401', { status: 401 }],
    ['SendGrid hanging', { hang: true }],
  ])('%s: the caller is told within the time limit and offered a text instead', async (_name, fault) => {
    sandbox.sendgrid.faults.set(fault);
    try {
      const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
        .press('0')
        .press('5')
        .expectSay(/could not|cannot|can't|unable|sorry/i)
        .expectSay(/text/i)
        .hangup();
      expectCallerNeverStranded(record);
      expect(heardText(record)).not.toMatch(/case number/i);
    } finally {
      sandbox.sendgrid.faults.clear();
    }
  });

  test('the same call asking again (a repeated webhook) never emails twice', async () => {
    const callSid = newCallSid();
    for (let i = 0; i < 2; i++) {
      await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana, callSid }).press('0').press('5').expectSay(/case number/i).hangup();
    }
    expect(sandbox.sendgrid.mails()).toHaveLength(1);
  });

  test('a Spanish line emails in Spanish', async () => {
    await airtable.editLine(DEMO_LINES.afterHours, { 'Email Contact': true, 'Support Link': 'https://soporte.example.com' });
    const record = await call(sandbox, { to: DEMO_LINES.afterHours, from: DEMO_CALLERS.dana }).press('0').expectSay(/correo/i).hangup();
    const option = /(\d)[^.]*correo|correo[^.]*(\d)/i.exec(heardText(record));
    const key = option?.[1] ?? option?.[2];
    expect(key).toBeDefined();
    await call(sandbox, { to: DEMO_LINES.afterHours, from: DEMO_CALLERS.dana }).press('0').press(key!).expectSay(/correo/i).hangup();
    const [mail] = sandbox.sendgrid.mails();
    expect(mail!.text).toContain('https://soporte.example.com');
    expect(mail!.text).toMatch(/caso|número|gracias|llamar/i);
  });

  test('Do Not Contact: neither text nor email is offered', async () => {
    await airtable.editContact('Dana Whitfield', { 'Do Not Contact': true });
    const record = await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana }).press('0').expectSay(/press 1/).hangup();
    expect(heardText(record)).not.toMatch(/text|email/i);
  });
});
