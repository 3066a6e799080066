/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // esbuild strips the types; type-checking is done once for the whole tree by `tsc --noEmit` in `npm test`.
    '^.+\\.ts$': '<rootDir>/jest.transform.js',
  },
  // Most of a flow test's time is spent waiting on deadlines and emulated services, not on the CPU:
  // five test files at once keep the two cores of our machines busy (jest's default, cores - 1, ran one
  // file at a time there; 4 took 90 s, 5 took 80 s and 6 took 81 s of more CPU).
  maxWorkers: 5,
  // The files that wait longest start first, on a fresh clone too (tests/sequencer.js).
  testSequencer: '<rootDir>/tests/sequencer.js',
  // V8's code cache kept across a worker's test files: each module is compiled once per worker (tests/runtime.js).
  runtime: '<rootDir>/tests/runtime.js',
  // The build, and one TwiML validator for the whole run instead of one per test file (tests/global-setup.js).
  globalSetup: '<rootDir>/tests/global-setup.js',
  globalTeardown: '<rootDir>/tests/global-teardown.js',
  testTimeout: 20000,
  // The Functions log a JSON line per request; `npx jest --silent=false` shows them when debugging.
  silent: true,
};
