// With SENDGRID_TEMPLATE_ID the email is the business's SendGrid dynamic template, fed the data the
// README documents, instead of our own text and HTML.
import { DEMO_LINES, demoBaseWithHours } from '../../sandbox/demo-data';
import { voiceParams } from '../helpers/call-params';
import { useSandbox } from '../helpers/sandbox';
import { spoken } from '../helpers/twiml';

const TEMPLATE_ID = 'd-0123456789abcdef0123456789abcdef';

const sandbox = useSandbox(() => demoBaseWithHours('open'), { env: { SENDGRID_TEMPLATE_ID: TEMPLATE_ID } });

test('the dynamic template gets the line, its contact details and the case number; no content of ours', async () => {
  const answer = await sandbox.post('/email/send', voiceParams(sandbox.accountSid, { To: DEMO_LINES.support }));
  expect(spoken(answer.body)[0]).toMatch(/^Done\. I have emailed/);
  const [mail] = sandbox.sendgrid.mails();
  const caseNumber = sandbox.airtable.records('Calls')[0].fields['Case Number'];
  expect(mail.body.template_id).toBe(TEMPLATE_ID);
  expect(mail.body.content).toBeUndefined();
  expect((mail.body.personalizations as { dynamic_template_data: unknown }[])[0].dynamic_template_data).toEqual({
    subject: 'Support: how to reach us',
    line_name: 'Support',
    language: 'en-US',
    case_number: caseNumber,
    support_link: 'https://support.example.com/help',
    support_number: '+1 202 555 0102',
  });
});

test('an unverified sender is refused with 403: the caller is told and offered the other paths', async () => {
  sandbox.sendgrid.verifiedSenders.clear();
  sandbox.sendgrid.verifiedSenders.add('someone-else@example.com');
  const answer = await sandbox.post('/email/send', voiceParams(sandbox.accountSid, { To: DEMO_LINES.support }));
  expect(spoken(answer.body)).toEqual(['Sorry, I could not send the email right now.']);
  expect(sandbox.sendgrid.requests().at(-1)?.status).toBe(403);
});
