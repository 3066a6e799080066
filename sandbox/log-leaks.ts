// Logs never hold a full phone number, an email address or a token (SPEC "Robustness"): the lines of
// a captured log that break that rule. The Functions' logger masks numbers to their last four digits
// (`***0142`) and emails to their domain (`***@example.com`); anything else that looks like one leaked.

/** A full E.164 number (a + and 7 digits or more), or a 10-digit number grouped the US way. */
const FULL_PHONE = /\+\d{7,}|\b\d{3}[-. ]\d{3}[-. ]\d{4}\b|\(\d{3}\)\s?\d{3}-\d{4}/;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const MASKED_EMAIL = /\*\*\*@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** The lines holding a full phone number, an email address or one of `secrets` (blank secrets ignored). */
export function logLeaks(lines: readonly string[], secrets: readonly (string | undefined)[]): string[] {
  const known = secrets.filter((s): s is string => Boolean(s && s.trim()));
  return lines.filter((line) => FULL_PHONE.test(line) || EMAIL.test(line.replace(MASKED_EMAIL, '')) || known.some((secret) => line.includes(secret)));
}
