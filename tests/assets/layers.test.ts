// The floors of src/assets, read from the imports themselves (src/assets/README.md draws them): every
// import runs down (shell → escalate, jobs, sms → paths → call → adapters → core) or stays in its folder,
// and no path imports another path. Type-only imports count too: a type is a dependency.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ASSETS = path.resolve(__dirname, '../../src/assets');
const PATHS = ['transfer', 'callback', 'schedule', 'text', 'email', 'number-entry', 'voicemail'];
const FLOOR: Readonly<Record<string, number>> = {
  '.': 0, // ivr.private.ts, the bundle's entry
  shell: 1,
  escalate: 2,
  jobs: 2,
  sms: 2,
  ...Object.fromEntries(PATHS.map((p) => [p, 3])),
  call: 4,
  adapters: 5,
  core: 6,
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const folderOf = (file: string): string => {
  const relative = path.relative(ASSETS, file);
  return relative.includes(path.sep) ? relative.split(path.sep)[0] : '.';
};

/** Every relative module a file imports or re-exports, resolved to a file of src/assets. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => `${path.resolve(path.dirname(file), s)}.ts`);
}

const files = sources(ASSETS);
const edges = files.flatMap((from) => importsOf(from).map((to) => ({ from, to })));
const name = (file: string) => path.relative(ASSETS, file);

test('every folder of src/assets has a floor', () => {
  expect(files.map(folderOf).filter((folder) => FLOOR[folder] === undefined)).toEqual([]);
});

test('the imports of src/assets are read', () => {
  expect(edges.length).toBeGreaterThan(100);
  expect(edges.filter(({ to }) => !files.includes(to)).map(({ from, to }) => `${name(from)} → ${to}`)).toEqual([]);
});

test('every import runs down the floors or stays in its folder', () => {
  const upward = edges.filter(({ from, to }) => folderOf(from) !== folderOf(to) && FLOOR[folderOf(to)] <= FLOOR[folderOf(from)]);
  expect(upward.map(({ from, to }) => `${name(from)} → ${name(to)}`)).toEqual([]);
});

test('no path imports another path', () => {
  const across = edges.filter(({ from, to }) => PATHS.includes(folderOf(from)) && PATHS.includes(folderOf(to)) && folderOf(from) !== folderOf(to));
  expect(across.map(({ from, to }) => `${name(from)} → ${name(to)}`)).toEqual([]);
});

test.each(PATHS)('%s/ is a pure decisions module and a handlers module', (folder) => {
  const inFolder = files.filter((f) => folderOf(f) === folder).map((f) => path.basename(f));
  expect(inFolder.sort()).toEqual(['decisions.private.ts', 'handlers.private.ts']);
  const decisions = path.join(ASSETS, folder, 'decisions.private.ts');
  // Pure: only core below it (and npm packages that compute, never a client).
  expect(importsOf(decisions).map(folderOf).filter((f) => f !== 'core')).toEqual([]);
  expect(readFileSync(decisions, 'utf8')).not.toMatch(/from '(twilio|airtable|@sendgrid\/[a-z]+)'|Date\.now\(\)|new Date\(\)/);
});

test('no file in src/assets is over 300 lines', () => {
  const long = files.map((f) => [name(f), readFileSync(f, 'utf8').split('\n').length] as const).filter(([, lines]) => lines > 300);
  expect(long).toEqual([]);
});

test('no handler is over 60 lines', () => {
  const handlers = files.flatMap((file) => {
    const lines = readFileSync(file, 'utf8').split('\n');
    return lines.flatMap((line, i) => {
      const start = /^export async function (handle\w+)\(/.exec(line);
      if (!start) return [];
      const end = lines.findIndex((l, j) => j > i && l === '}');
      return [[`${name(file)} ${start[1]}`, end - i + 1] as const];
    });
  });
  expect(handlers.length).toBeGreaterThan(20);
  expect(handlers.filter(([, length]) => length > 60)).toEqual([]);
});

test('exactly one module-level mutable structure keeps call state', () => {
  // An empty Map or Set made at module scope is state that fills up; lookup tables made with their
  // content are constants. The one other is the business-hours memo: parsed hours, no call state.
  const mutable = files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /^(export )?(const|let) \w+(: [^=]+)? = new (\w*Map|\w*Set)(<[^>]*>)?\(\)|= new CallMemory\(\)/.test(line))
      .map((line) => `${name(file)}: ${line.trim()}`),
  );
  expect(mutable).toEqual([
    expect.stringMatching(/^call\/memory\.private\.ts: export const callMemory = new CallMemory\(\);$/),
    expect.stringMatching(/^core\/business-hours\.private\.ts: const scheduleMemo = new Map/),
  ]);
});
