// What `npm run build` leaves in dist/ is what `twilio serverless:deploy` uploads.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

test('dist/assets holds exactly one private asset bundle and no source maps', () => {
  const assets = filesUnder(path.join(dist, 'assets')).map((f) => path.relative(dist, f));
  expect(assets).toEqual(['assets/ivr.private.js']);
});

test('the asset bundle never requires a sibling by relative path (deployed assets have hashed names)', () => {
  const bundle = readFileSync(path.join(dist, 'assets', 'ivr.private.js'), 'utf8');
  const required = [...bundle.matchAll(/require\(["'`]([^"'`]+)["'`]\)/g)].map((m) => m[1]);
  expect(required.length).toBeGreaterThan(0);
  expect(required.filter((r) => r.startsWith('.') || r.startsWith('/'))).toEqual([]);
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const builtin = new Set(builtinModules);
  for (const name of required) {
    const bare = name.replace(/^node:/, '');
    const packageName = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0];
    expect(builtin.has(bare) || packageName in pkg.dependencies).toBe(true);
  }
});

test('every Function loads shared code only through Runtime.getAssets()', () => {
  const functions = filesUnder(path.join(dist, 'functions'));
  expect(functions.length).toBeGreaterThan(0);
  for (const file of functions) {
    expect(path.extname(file)).toBe('.js');
    const source = readFileSync(file, 'utf8');
    const required = source.split('require(').slice(1).map((rest) => rest.slice(0, rest.indexOf('.path)') + 5));
    expect(required).toEqual(["Runtime.getAssets()['/ivr.js'].path"]);
  }
});

test('Twilio-facing Functions are protected (jobs/ is called by a scheduler with its own secret)', () => {
  const names = filesUnder(path.join(dist, 'functions')).map((f) => path.relative(path.join(dist, 'functions'), f));
  for (const name of names.filter((n) => !n.startsWith('jobs/'))) expect(name).toMatch(/\.protected\.js$/);
});

test('dependencies hold only what runs deployed; the runtime handler is pinned exactly', () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const tooling = /^(typescript|jest|ts-jest|eslint|oxlint|esbuild|tsx|twilio-run|@types\/|@twilio-labs\/|@eslint\/|typescript-eslint|xmllint-wasm|@xmldom\/|express)/;
  expect(Object.keys(pkg.dependencies).filter((name) => tooling.test(name))).toEqual([]);
  expect(pkg.dependencies['@twilio/runtime-handler']).toMatch(/^\d+\.\d+\.\d+$/);
});
