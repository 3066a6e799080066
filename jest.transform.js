// Jest's TypeScript transform: esbuild strips the types (fast, one file at a time, as
// `isolatedModules` already promises). Type-checking is done once for the whole tree by
// `tsc --noEmit` in `npm test`, so doing it again per test file (as ts-jest does) only costs time.
const { transformSync, version } = require('esbuild');
const { createHash } = require('node:crypto');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      sourcefile: filename,
      sourcemap: 'external',
      sourcesContent: false,
      // Jest runs CommonJS in a vm without ESM support: `import()` becomes a require.
      supported: { 'dynamic-import': false },
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return createHash('sha256').update(version).update('\0').update(filename).update('\0').update(source).digest('hex');
  },
};
