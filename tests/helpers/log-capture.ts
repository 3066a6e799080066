// Everything the Functions log during a test file (they run in the test's process and log through
// console), kept to be scanned with `logLeaks` (sandbox/log-leaks.ts).
import { logLeaks } from '../../sandbox/log-leaks';

export interface CapturedLogs {
  readonly lines: string[];
  /** The lines holding a full phone number, an email address or one of `secrets`. */
  leaks(secrets: readonly (string | undefined)[]): string[];
}

/** Registers hooks that capture console output from beforeAll to afterAll of the file (or describe). */
export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  const spies: jest.SpyInstance[] = [];
  beforeAll(() => {
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      spies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' '))));
    }
  });
  afterAll(() => {
    for (const spy of spies.splice(0)) spy.mockRestore();
  });
  return { lines, leaks: (secrets) => logLeaks(lines, secrets) };
}
