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
  // twice as many test files at once as the two cores of our machines keeps both busy (jest's
  // default, cores - 1, ran one file at a time there).
  maxWorkers: 4,
  // One TwiML validator for the whole run instead of one per test file (tests/global-setup.js).
  globalSetup: '<rootDir>/tests/global-setup.js',
  globalTeardown: '<rootDir>/tests/global-teardown.js',
  testTimeout: 20000,
  // The Functions log a JSON line per request; `npx jest --silent=false` shows them when debugging.
  silent: true,
};
