// Build: tsc compiles src/functions (and type-checks what they import) into dist/, then
// esbuild bundles src/assets into ONE private asset, dist/assets/ivr.private.js.
// Why one bundle: deployed private assets live under hashed file names, so an asset can
// never `require('./sibling')` once deployed. npm packages stay external (Functions install
// `dependencies` at deploy time). No source maps: twilio-run would serve them publicly.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
rmSync('dist/assets', { recursive: true, force: true });
mkdirSync('dist/assets', { recursive: true });
await build({
  entryPoints: ['src/assets/ivr.private.ts'],
  outfile: 'dist/assets/ivr.private.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  external: Object.keys(pkg.dependencies),
  logLevel: 'warning',
});
