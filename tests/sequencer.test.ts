// tests/sequencer.js names the files to start first; a name that matches no file would only slow the run.
import { existsSync } from 'node:fs';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads the sequencer as CommonJS
const { START_FIRST } = require('./sequencer') as { START_FIRST: readonly string[] };

test.each(START_FIRST.map((file) => [file]))('%s exists', (file) => {
  expect(existsSync(file)).toBe(true);
});
