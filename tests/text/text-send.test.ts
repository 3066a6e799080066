// /text/send (where number entry sends a confirmed number) and /events/message-status, over signed
// webhooks against the emulators: success, every failure Twilio can answer, once-only, Spanish, and
// the email fallback of an undelivered text.
import { DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import { call } from '../../sandbox/simulator/call-script';
import { voiceParams } from '../helpers/call-params';
import { useSandbox } from '../helpers/sandbox';
import { SPANISH_CALLER, spanishLineBase } from '../helpers/seeds';
import { redirectOf, spoken } from '../helpers/twiml';

const KEYED = '+13125550166';

const seed = () => spanishLineBase({ 'Text Link': true, 'Email Contact': true });
const sandbox = useSandbox(seed);

const textTo = (number: string, overrides: Record<string, string> = {}, extra = '') =>
  sandbox.post(`/text/send?number=${encodeURIComponent(number)}${extra}`, voiceParams(sandbox.accountSid, overrides));

const callsRow = () => sandbox.airtable.records('Calls').map((r) => r.fields as Record<string, unknown>)[0] ?? {};


describe('scenario calls through the menu and number entry', () => {
  test('Dana confirms the number she calls from and gets the text', async () => {
    await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
      .say('agent')
      .expectSay(/text with our support details, press 4/)
      .press('4')
      .expectSay('Shall I text it to the number ending in 0142?')
      .press('1')
      .expectSay('I have sent a text with our support details to the number ending in 0142.')
      .expectSay('Goodbye')
      .expectHangup();
    expect(sandbox.twilio.messages().map((m) => [m.params.From, m.params.To])).toEqual([[DEMO_LINES.support, DEMO_CALLERS.dana]]);
    expect(callsRow()).toMatchObject({ Chosen: 'Text Link', Outcome: 'Text sent' });
  });

  test('an anonymous caller keys a mobile number in, hears it read back, and gets the text there', async () => {
    await call(sandbox, { to: DEMO_LINES.support, from: 'anonymous' })
      .say('agent')
      .expectSay(/text with our support details, press 4/)
      .press('4')
      .expectSay('Please enter the mobile number to text')
      .press('3125550166#')
      .expectSay(/Is that right/)
      .press('1')
      .expectSay('I have sent a text with our support details to the number ending in 0166.')
      .expectHangup();
    expect(sandbox.twilio.messages().map((m) => m.params.To)).toEqual([KEYED]);
  });

  test('an opted-out number: the caller is told to text START, then offered what else there is', async () => {
    sandbox.twilio.recipients.optedOut.add(DEMO_CALLERS.dana);
    await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
      .say('agent')
      .press('4')
      .expectSay('Shall I text it')
      .press('1')
      .expectSay(/opted out of our texts\. To get them again, text the word START to 2 0 2, 5 5 5, 0 1 2 0/)
      .expectSay('Here is what else I can do.')
      .expectSay(/press 4 or say email/)
      .expectNotSay(/get a text/)
      .hangup()
      .expectEnd('party');
    expect(sandbox.twilio.messages()).toHaveLength(0);
  });

  test('Spanish line: asked and told in Spanish, the text in Spanish', async () => {
    await call(sandbox, { to: DEMO_LINES.afterHours, from: SPANISH_CALLER })
      .say('agente')
      .expectSay(/mensaje de texto con nuestros datos de soporte, marque 3/)
      .press('3')
      .expectSay('¿Le envío el mensaje al número que termina en 0177?')
      .press('1')
      .expectSay('Le envié un mensaje de texto con nuestros datos de soporte al número que termina en 0177.')
      .expectSay('Adiós')
      .expectHangup();
    expect(sandbox.twilio.messages()[0].params.Body).toMatch(/^After-hours: ayuda en/);
  });
});

describe('success', () => {
  test('one text from the line\'s own number, with a status callback; the caller hears "sent" after Twilio accepted', async () => {
    const params = voiceParams(sandbox.accountSid);
    const answer = await sandbox.post(`/text/send?number=${encodeURIComponent(DEMO_CALLERS.dana)}`, params);
    expect(spoken(answer.body)).toEqual([
      'I have sent a text with our support details to the number ending in 0142.',
      'Thank you for calling. Goodbye.',
    ]);
    const [message] = sandbox.twilio.messages();
    expect(sandbox.twilio.messages()).toHaveLength(1);
    expect(message.params.From).toBe(DEMO_LINES.support);
    expect(message.params.To).toBe(DEMO_CALLERS.dana);
    expect(message.params.Body).toBe('Support: get help at https://support.example.com/help or call us at +1 202 555 0102. Thanks for calling.');
    expect(String(message.params.Body).length).toBeLessThanOrEqual(160);
    expect(message.params.StatusCallback).toBe(`${sandbox.baseUrl}/events/message-status?CallSid=${params.CallSid}`);
    await sandbox.twilio.messagesSettled();
    expect(callsRow()).toMatchObject({ Outcome: 'Text sent', Sent: `Text ${message.sid}: delivered` });
    expect(JSON.stringify(callsRow())).not.toContain('5550142');
  });

  test('an anonymous caller who keyed a number in gets the text there', async () => {
    const answer = await textTo(KEYED, { From: 'anonymous', Caller: 'anonymous' }, '&keyed=1');
    expect(spoken(answer.body)[0]).toBe('I have sent a text with our support details to the number ending in 0166.');
    expect(sandbox.twilio.messages().map((m) => m.params.To)).toEqual([KEYED]);
  });

  test('Spanish line: the text and the prompt are in Spanish, and the body stays GSM-7', async () => {
    const answer = await textTo(SPANISH_CALLER, { From: SPANISH_CALLER, To: DEMO_LINES.afterHours });
    expect(spoken(answer.body)[0]).toBe('Le envié un mensaje de texto con nuestros datos de soporte al número que termina en 0177.');
    const [message] = sandbox.twilio.messages();
    expect(message.params.From).toBe(DEMO_LINES.afterHours);
    expect(message.params.Body).toBe('After-hours: ayuda en https://ayuda.example.com/ o llamenos al +1 202 555 0103. Gracias por llamar.');
  });
});

describe('Twilio refuses the text: a plain explanation, then the other paths, nothing retried', () => {
  test.each([
    ['opted out (21610)', 'optedOut', /^That number has opted out of our texts\. To get them again, text the word START to 2 0 2, 5 5 5, 0 1 2 0, then ask me again\.$/, '21610'],
    ['not a mobile (21614)', 'landlines', /^That number cannot receive texts\. It may be a landline\.$/, '21614'],
    ['invalid (21211)', 'invalid', /^That number does not look right for a text\.$/, '21211'],
    ['not reachable by SMS (21612)', 'unreachable', /^I could not reach that number by text\.$/, '21612'],
    ['outside the Geo Permissions (21408)', 'noRegionPermission', /^I could not reach that number by text\.$/, '21408'],
  ] as const)('%s', async (_label, list, said, code) => {
    sandbox.twilio.recipients[list].add(DEMO_CALLERS.dana);
    const answer = await textTo(DEMO_CALLERS.dana);
    expect(spoken(answer.body)[0]).toMatch(said);
    expect(redirectOf(answer.body)).toBe('/escalate?after=other-paths&exclude=text-link');
    expect(sandbox.twilio.messages()).toHaveLength(0);
    expect(sandbox.twilio.requests().filter((r) => r.method === 'POST' && /Messages/.test(r.path))).toHaveLength(1);
    expect(callsRow()).toMatchObject({ Outcome: `Text not sent (${code})` });
  });

  test.each([
    ['a 429', { status: 429 }, 'Sorry, I could not send the text right now.'],
    ['a 500', { status: 500 }, 'Sorry, I could not send the text right now.'],
  ])('%s', async (_label, fault, said) => {
    sandbox.twilio.faults.set({ resource: 'messages', method: 'POST', ...fault });
    const answer = await textTo(DEMO_CALLERS.dana);
    expect(spoken(answer.body)).toEqual([said]);
    expect(redirectOf(answer.body)).toBe('/escalate?after=other-paths&exclude=text-link');
    expect(sandbox.twilio.requests().filter((r) => r.method === 'POST' && /Messages/.test(r.path))).toHaveLength(1);
  });

  test('a hang: the caller is told it could not be confirmed, in time; a later request looks it up before sending', async () => {
    sandbox.twilio.faults.set({ resource: 'messages', method: 'POST', hang: true, times: 1 });
    const params = voiceParams(sandbox.accountSid);
    const started = Date.now();
    const first = await sandbox.post(`/text/send?number=${encodeURIComponent(DEMO_CALLERS.dana)}`, params);
    expect(Date.now() - started).toBeLessThan(3500);
    expect(spoken(first.body)[0]).toMatch(/could not confirm that the text went out/);
    expect(callsRow()).toMatchObject({ Sent: 'Text unconfirmed: timeout' });
    // Nothing went: the caller asks again in the same call, the lookup finds nothing, it is sent once.
    const second = await sandbox.post(`/text/send?number=${encodeURIComponent(DEMO_CALLERS.dana)}`, params);
    expect(spoken(second.body)[0]).toMatch(/I have sent a text/);
    expect(sandbox.twilio.messages()).toHaveLength(1);
    await sandbox.twilio.messagesSettled();
    expect(callsRow().Sent).toMatch(/^Text SM[0-9a-f]{32}: delivered$/);
  });

  test('a slow create that went through after all is found by the lookup and never sent twice', async () => {
    sandbox.twilio.faults.set({ resource: 'messages', method: 'POST', latencyMs: 2600, times: 1 });
    const params = voiceParams(sandbox.accountSid);
    await sandbox.post(`/text/send?number=${encodeURIComponent(DEMO_CALLERS.dana)}`, params);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(sandbox.twilio.messages()).toHaveLength(1);
    const again = await sandbox.post(`/text/send?number=${encodeURIComponent(DEMO_CALLERS.dana)}`, params);
    expect(spoken(again.body)[0]).toBe('I already sent you a text with our support details during this call.');
    expect(sandbox.twilio.messages()).toHaveLength(1);
    await sandbox.twilio.messagesSettled();
    expect(callsRow().Sent).toBe(`Text ${sandbox.twilio.messages()[0].sid}: delivered`);
  });
});

describe('refused before sending', () => {
  test.each([['not a number', 'abc'], ['a premium-rate number keyed in', '+19005550123'], ['another country keyed in', '+447911123456']])(
    '%s',
    async (_label, number) => {
      const answer = await textTo(number, {}, '&keyed=1');
      expect(spoken(answer.body)).toEqual(['That number does not look right for a text.']);
      expect(sandbox.twilio.messages()).toHaveLength(0);
    },
  );

  test('Do Not Contact: nothing is sent', async () => {
    const answer = await textTo(DEMO_CALLERS.morgan, { From: DEMO_CALLERS.morgan });
    expect(redirectOf(answer.body)).toBe('/escalate?after=path-unavailable&exclude=text-link');
    expect(sandbox.twilio.messages()).toHaveLength(0);
  });

  test('a keyed number that belongs to a Do Not Contact contact: nothing is sent', async () => {
    const answer = await textTo(DEMO_CALLERS.morgan, { From: 'anonymous' }, '&keyed=1');
    expect(redirectOf(answer.body)).toBe('/escalate?after=path-unavailable&exclude=text-link');
    expect(sandbox.twilio.messages()).toHaveLength(0);
  });

  test('FEATURE_SMS off on the line (Text Link unchecked): nothing is sent', async () => {
    const answer = await textTo(DEMO_CALLERS.dana, { To: DEMO_LINES.sales });
    expect(redirectOf(answer.body)).toBe('/escalate?after=path-unavailable&exclude=text-link');
    expect(sandbox.twilio.messages()).toHaveLength(0);
  });
});

describe('once only', () => {
  test('asked twice in one call: one text', async () => {
    const params = voiceParams(sandbox.accountSid);
    await sandbox.post(`/text/send?number=${encodeURIComponent(DEMO_CALLERS.dana)}`, params);
    const second = await sandbox.post(`/text/send?number=${encodeURIComponent(DEMO_CALLERS.dana)}`, params);
    expect(spoken(second.body)[0]).toBe('I already sent you a text with our support details during this call.');
    expect(sandbox.twilio.messages()).toHaveLength(1);
  });

  test('a webhook Twilio delivers twice at once: one text', async () => {
    const params = voiceParams(sandbox.accountSid);
    const url = `/text/send?number=${encodeURIComponent(DEMO_CALLERS.dana)}`;
    await Promise.all([sandbox.post(url, params), sandbox.post(url, params)]);
    expect(sandbox.twilio.messages()).toHaveLength(1);
  });
});

describe('/events/message-status (the emulator posts each status, signed, as Twilio does)', () => {
  async function sendText(from: string, to = DEMO_LINES.support) {
    const params = voiceParams(sandbox.accountSid, { From: from, To: to });
    await sandbox.post(`/text/send?number=${encodeURIComponent(from)}`, params);
    await sandbox.twilio.messagesSettled();
    const [message] = sandbox.twilio.messages();
    return { message, callSid: params.CallSid };
  }

  test('queued → sent → delivered: each callback answered 200, the delivery recorded on the Calls row', async () => {
    const { message } = await sendText(DEMO_CALLERS.dana);
    expect(message.statusCallbacks).toEqual([
      { status: 'queued', answer: 200 },
      { status: 'sent', answer: 200 },
      { status: 'delivered', answer: 200 },
    ]);
    expect(callsRow().Sent).toBe(`Text ${message.sid}: delivered`);
    expect(sandbox.sendgrid.mails()).toHaveLength(0);
  });

  test('undelivered with 30006 (a landline) to a contact with an email: the same information by email, once, also when Twilio repeats the callback', async () => {
    sandbox.twilio.recipients.undeliverable.add(DEMO_CALLERS.dana);
    const { message, callSid } = await sendText(DEMO_CALLERS.dana);
    expect(message.statusCallbacks.map((c) => c.status)).toEqual(['queued', 'sent', 'undelivered']);
    // Twilio delivers the last callback a second time.
    const repeat = await sandbox.post(`/events/message-status?CallSid=${callSid}`, {
      AccountSid: sandbox.accountSid,
      ApiVersion: '2010-04-01',
      MessageSid: message.sid,
      SmsSid: message.sid,
      MessageStatus: 'undelivered',
      SmsStatus: 'undelivered',
      ErrorCode: '30006',
      From: DEMO_LINES.support,
      To: DEMO_CALLERS.dana,
    });
    expect(repeat.status).toBe(200);
    const mails = sandbox.sendgrid.mails();
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toEqual(['dana@example.com']);
    const row = callsRow();
    expect(row.Sent).toBe(`Text ${message.sid}: undelivered 30006\nEmail ${mails[0].messageId}: accepted`);
    expect(mails[0].text).toContain(String(row['Case Number']));
    expect(row.Outcome).toBe('Email sent (text undelivered)');
    expect(JSON.stringify(row)).not.toMatch(/dana@|5550142/);
  });

  test('undelivered to a caller with no email on file: recorded, nothing else sent', async () => {
    sandbox.twilio.recipients.undeliverable.add(DEMO_CALLERS.stranger);
    const { message } = await sendText(DEMO_CALLERS.stranger);
    expect(sandbox.sendgrid.mails()).toHaveLength(0);
    expect(callsRow().Sent).toBe(`Text ${message.sid}: undelivered 30006`);
  });

  test('undelivered on a line without Email Contact: no email', async () => {
    const base = seed();
    delete base.Lines.find((l) => l['Phone Number'] === DEMO_LINES.support)!['Email Contact'];
    sandbox.airtable.reset(base);
    sandbox.twilio.recipients.undeliverable.add(DEMO_CALLERS.dana);
    await sendText(DEMO_CALLERS.dana);
    expect(sandbox.sendgrid.mails()).toHaveLength(0);
  });

  test('unsigned or malformed callbacks are refused', async () => {
    const unsigned = await sandbox.post('/events/message-status?CallSid=CA' + '0'.repeat(32), { MessageSid: 'SM' + '0'.repeat(32) }, { sign: false });
    expect(unsigned.status).toBe(401);
    const malformed = await sandbox.post('/events/message-status', { MessageSid: 'nope', MessageStatus: 'delivered' });
    expect(malformed.status).toBe(400);
  });
});

describe('privacy', () => {
  test('logs and the Calls row hold no full phone number or email address, whatever happened', async () => {
    const lines: string[] = [];
    const spies = (['log', 'warn', 'error'] as const).map((level) =>
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' '))),
    );
    try {
      sandbox.twilio.recipients.undeliverable.add(DEMO_CALLERS.dana);
      await textTo(DEMO_CALLERS.dana);
      await sandbox.twilio.messagesSettled();
      sandbox.twilio.recipients.optedOut.add(KEYED);
      await textTo(KEYED, { From: 'anonymous' }, '&keyed=1');
      await sandbox.post('/email/send', voiceParams(sandbox.accountSid));
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
    expect(sandbox.sendgrid.mails().length).toBeGreaterThan(0);
    expect(lines.length).toBeGreaterThan(0);
    const rows = JSON.stringify(sandbox.airtable.records('Calls').map((r) => ({ ...r.fields, From: undefined })));
    for (const text of [lines.join('\n'), rows]) {
      expect(text).not.toMatch(/4155550142|3125550166/);
      expect(text).not.toMatch(/dana@example\.com/);
    }
  });
});

describe('Airtable unreachable', () => {
  afterEach(() => sandbox.airtable.faults.clear());

  test.each([
    ['hangs', { hang: true }],
    ['answers 503', { status: 503 as const }],
  ])('Airtable %s: /text/send answers in time and texts nobody it could not check against Do Not Contact', async (_case, fault) => {
    await textTo(DEMO_CALLERS.dana, { CallSid: `CA${'1'.repeat(32)}` }); // a warm instance: the line is cached
    sandbox.twilio.reset();
    sandbox.airtable.faults.set(fault);
    const started = Date.now();
    const answer = await textTo(DEMO_CALLERS.dana);
    expect(Date.now() - started).toBeLessThan(3500);
    expect(answer.status).toBe(200);
    expect(redirectOf(answer.body)).toBe('/escalate?after=path-unavailable&exclude=text-link');
    expect(sandbox.twilio.messages()).toHaveLength(0);
  });

  test('Airtable hangs: /email/send answers in time and sends nothing', async () => {
    sandbox.airtable.faults.set({ hang: true });
    const started = Date.now();
    const answer = await sandbox.post('/email/send', voiceParams(sandbox.accountSid));
    expect(Date.now() - started).toBeLessThan(3500);
    expect(answer.status).toBe(200);
    expect(redirectOf(answer.body)).toBe('/escalate?after=path-unavailable&exclude=email');
    expect(sandbox.sendgrid.mails()).toHaveLength(0);
  });
});
