// SPEC §5 "Text and email": a stranger without a contact row, and a Do Not Contact number keyed in
// by an anonymous caller (Do Not Contact callers are not offered them: acceptance/callbacks). What is
// sent, from where, what the caller hears when it fails, once only, Spanish and the undelivered
// text's email are played as calls in tests/text and tests/email (each scenario is tested once).
import { DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import { useSandbox } from '../helpers/sandbox';
import { call } from '../../sandbox/simulator';
import { expectCallerNeverStranded, heardText, openBase } from './acceptance-kit';

const sandbox = useSandbox(openBase);

const texts = () => sandbox.twilio.messages().map((message) => message.resource);

describe('who may get a text or an email', () => {
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
