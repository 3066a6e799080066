/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type-checking is done once for the whole tree by `tsc --noEmit` in `npm test`.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  testTimeout: 20000,
  // The Functions log a JSON line per request; `npx jest --silent=false` shows them when debugging.
  silent: true,
};
