// Everything the Functions log during a test file (they run in the test's process and log through
// console), kept to be scanned: logs never hold a full phone number, an email address or a token.
export interface CapturedLogs {
  readonly lines: string[];
  /** The lines holding a full phone number, an email address or one of `secrets`. */
  leaks(secrets: readonly string[]): string[];
}

/** A full E.164 or NANP number (7+ digits in a row after a +, or 10 digits grouped as a US number). */
const FULL_PHONE = /\+\d{7,}|\b\d{3}[-. ]\d{3}[-. ]\d{4}\b|\(\d{3}\)\s?\d{3}-\d{4}/;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
/** An email masked by the logger keeps only its domain: `***@example.com`. */
const MASKED_EMAIL = /\*\*\*@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Registers hooks that capture console output from beforeAll to afterAll of the file (or describe). */
export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const spies: jest.SpyInstance[] = [];
  beforeAll(() => {
    for (const method of methods) {
      spies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' '))));
    }
  });
  afterAll(() => {
    for (const spy of spies.splice(0)) spy.mockRestore();
  });
  return {
    lines,
    leaks: (secrets) =>
      lines.filter((line) => FULL_PHONE.test(line) || EMAIL.test(line.replace(MASKED_EMAIL, '')) || secrets.some((secret) => secret && line.includes(secret))),
  };
}
