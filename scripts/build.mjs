// Build: each Function in src/functions is transpiled on its own into dist/functions, then esbuild
// bundles src/assets into ONE private asset, dist/assets/ivr.private.js.
// Why transpile only: a Function is a few lines that load the asset bundle; type-checking the whole tree
// is `npm run typecheck`'s job (run by `npm test` and before `npm run deploy`), and doing it here again
// put several seconds of tsc in front of every test run.
// Why one bundle: deployed private assets live under hashed file names, so an asset can
// never `require('./sibling')` once deployed. npm packages stay external (Functions install
// `dependencies` at deploy time). No source maps: twilio-run would serve them publicly.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const { config, error } = ts.readConfigFile('tsconfig.build.json', ts.sys.readFile);
const { options, fileNames, errors } = ts.parseJsonConfigFileContent(config ?? {}, ts.sys, '.');
const problems = [...(error ? [error] : []), ...errors];
if (problems.length > 0) throw new Error(ts.formatDiagnostics(problems, ts.createCompilerHost(options)));

rmSync('dist', { recursive: true, force: true });
for (const file of fileNames) {
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file });
  const out = path.join(options.outDir, path.relative(options.rootDir, file)).replace(/\.ts$/, '.js');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, outputText);
}
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
