// The contact email: both languages, HTML escaped, only web links as anchors, template data.
import { composeContactEmail, escapeHtml } from '../../src/assets/core/contact-email.private';
import type { Line } from '../../src/assets/core/model.private';

type MailLine = Pick<Line, 'name' | 'language' | 'supportLink' | 'supportNumber'>;
const support: MailLine = { name: 'Acme Support', language: 'en-US', supportLink: 'https://support.example.com/help', supportNumber: '+12025550102' };

test('text and HTML carry the line name, link, number and case number', () => {
  const mail = composeContactEmail(support, 'K7F-49X');
  expect(mail.subject).toBe('Acme Support: how to reach us');
  expect(mail.text).toBe(
    [
      'Thank you for calling Acme Support. Here is how to reach us.',
      '',
      'Support: https://support.example.com/help',
      'Phone: +1 202 555 0102',
      'Your case number: K7F-49X',
      '',
      'Please mention your case number when you contact us.',
    ].join('\n'),
  );
  expect(mail.html).toContain('<a href="https://support.example.com/help">https://support.example.com/help</a>');
  expect(mail.html).toContain('<a href="tel:+12025550102">+1 202 555 0102</a>');
  expect(mail.html).toContain('<strong>K7F-49X</strong>');
  expect(mail.templateData).toEqual({
    subject: 'Acme Support: how to reach us',
    line_name: 'Acme Support',
    language: 'en-US',
    case_number: 'K7F-49X',
    support_link: 'https://support.example.com/help',
    support_number: '+1 202 555 0102',
  });
});

test('Spanish', () => {
  const mail = composeContactEmail({ ...support, language: 'es-US' }, 'K7F-49X');
  expect(mail.subject).toBe('Acme Support: cómo comunicarse con nosotros');
  expect(mail.text).toContain('Su número de caso: K7F-49X');
});

test('whatever Airtable holds is escaped in the HTML; a link that is not http(s) is never an anchor', () => {
  const mail = composeContactEmail({ ...support, name: 'Bob <script>alert(1)</script> & Co', supportLink: 'javascript:alert("x")' }, 'K7F-49X');
  expect(mail.html).not.toContain('<script>');
  expect(mail.html).toContain('Bob &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
  expect(mail.html).not.toContain('href="javascript');
  expect(mail.html).toContain('javascript:alert(&quot;x&quot;)');
  expect(escapeHtml(`'"<>&`)).toBe('&#39;&quot;&lt;&gt;&amp;');
});

test('no link: neither the text nor the template data mention one', () => {
  const mail = composeContactEmail({ ...support, supportLink: undefined }, 'K7F-49X');
  expect(mail.text).not.toContain('Support:');
  expect(mail.templateData).not.toHaveProperty('support_link');
});
