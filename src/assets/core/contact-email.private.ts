// The contact-information email, in the line's language. Pure.
import type { Language, Line } from './model.private';
import { textableNumber } from './phone.private';

export interface ContactEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** What a SendGrid dynamic template receives instead (SENDGRID_TEMPLATE_ID; documented in the README). */
  readonly templateData: Readonly<Record<string, string>>;
}

const WORDS: Record<Language, { subject: (name: string) => string; intro: (name: string) => string; link: string; number: string; caseNumber: string; closing: string }> = {
  'en-US': {
    subject: (name) => `${name}: how to reach us`,
    intro: (name) => `Thank you for calling ${name}. Here is how to reach us.`,
    link: 'Support',
    number: 'Phone',
    caseNumber: 'Your case number',
    closing: 'Please mention your case number when you contact us.',
  },
  'es-US': {
    subject: (name) => `${name}: cómo comunicarse con nosotros`,
    intro: (name) => `Gracias por llamar a ${name}. Así puede comunicarse con nosotros.`,
    link: 'Soporte',
    number: 'Teléfono',
    caseNumber: 'Su número de caso',
    closing: 'Mencione su número de caso cuando se comunique con nosotros.',
  },
};

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Only http(s) links become anchors; anything else (javascript:, data:) is shown as text. */
function isWebLink(link: string): boolean {
  return /^https?:\/\/[^\s"'<>]+$/i.test(link);
}

export function composeContactEmail(line: Pick<Line, 'name' | 'language' | 'supportLink' | 'supportNumber'>, caseNumber: string): ContactEmail {
  const words = WORDS[line.language];
  const link = line.supportLink?.trim() || undefined;
  const number = line.supportNumber ? textableNumber(line.supportNumber) : undefined;
  const rows: [string, string][] = [
    ...(link ? [[words.link, link] as [string, string]] : []),
    ...(number ? [[words.number, number] as [string, string]] : []),
    [words.caseNumber, caseNumber],
  ];
  const text = [words.intro(line.name), '', ...rows.map(([label, value]) => `${label}: ${value}`), '', words.closing].join('\n');
  const htmlValue = (label: string, value: string): string => {
    if (value === link && isWebLink(value)) return `<a href="${escapeHtml(value)}">${escapeHtml(value)}</a>`;
    if (value === number && line.supportNumber) return `<a href="tel:${escapeHtml(line.supportNumber)}">${escapeHtml(value)}</a>`;
    return label === words.caseNumber ? `<strong>${escapeHtml(value)}</strong>` : escapeHtml(value);
  };
  const html = [
    `<p>${escapeHtml(words.intro(line.name))}</p>`,
    '<ul>',
    ...rows.map(([label, value]) => `<li>${escapeHtml(label)}: ${htmlValue(label, value)}</li>`),
    '</ul>',
    `<p>${escapeHtml(words.closing)}</p>`,
  ].join('\n');
  const templateData: Record<string, string> = {
    subject: words.subject(line.name),
    line_name: line.name,
    language: line.language,
    case_number: caseNumber,
    ...(link ? { support_link: link } : {}),
    ...(number ? { support_number: number } : {}),
  };
  return { subject: words.subject(line.name), text, html, templateData };
}
