// The code cache behind tests/runtime.js: a module compiled again in another file's context runs as
// before, in that context, and keeps its lines in stack traces; a changed source is never given the
// code of the old one.
import vm from 'node:vm';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads the runtime as CommonJS
const { codeCache, compileWithCodeCache } = require('./code-cache') as {
  codeCache: Map<string, { source: string; data: Buffer }>;
  compileWithCodeCache: (
    source: string,
    filename: string,
    parameters: readonly string[],
    context: vm.Context,
    importModuleDynamically: () => never,
  ) => (...args: unknown[]) => unknown;
};

const PARAMETERS = ['module', 'exports'];
const noDynamicImport = (): never => {
  throw new Error('no dynamic import here');
};

/** Runs `source` as a module in a fresh context, as jest does for each test file; returns its exports. */
function load(filename: string, source: string, globals: Record<string, unknown> = {}): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  compileWithCodeCache(source, filename, PARAMETERS, vm.createContext({ ...globals }), noDynamicImport)(module, module.exports);
  return module.exports;
}

const FILE = '/virtual/greeting.js';
const GREETING = [
  "exports.greet = (name) => `${salutation} ${name}`;",
  'exports.fail = () => {',
  "  throw new Error('failed');",
  '};',
].join('\n');

beforeEach(() => codeCache.clear());

test('a module is cached once it has run, and compiled from the cache in the next context', () => {
  expect(codeCache.has(FILE)).toBe(false);
  const first = load(FILE, GREETING, { salutation: 'Hello' }) as { greet(name: string): string };
  expect(codeCache.get(FILE)?.source).toBe(GREETING);
  expect(codeCache.get(FILE)?.data.length).toBeGreaterThan(0);
  const cachedData = codeCache.get(FILE)?.data;

  // The second context has globals of its own: the module runs afresh there, not in the first one.
  const second = load(FILE, GREETING, { salutation: 'Hola' }) as { greet(name: string): string };
  expect(first.greet('Ana')).toBe('Hello Ana');
  expect(second.greet('Ana')).toBe('Hola Ana');
  // V8 accepted the cache, so it was not made again.
  expect(codeCache.get(FILE)?.data).toBe(cachedData);
});

test('a changed source is compiled from itself and replaces the cache', () => {
  load(FILE, GREETING, { salutation: 'Hello' });
  const changed = "exports.greet = (name) => `Bye ${name}`;";
  const exports = load(FILE, changed) as { greet(name: string): string };
  expect(exports.greet('Ana')).toBe('Bye Ana');
  expect(codeCache.get(FILE)?.source).toBe(changed);
});

test.each([['first compile'], ['from the cache']])('stack traces keep the source lines (%s)', (when) => {
  if (when === 'from the cache') load(FILE, GREETING);
  const exports = load(FILE, GREETING) as { fail(): never };
  let stack = '';
  try {
    exports.fail();
  } catch (error) {
    stack = (error as Error).stack ?? '';
  }
  expect(stack).toContain('failed');
  expect(stack).toContain(`${FILE}:3:9`);
});

test('a module that throws while it loads is still cached, and throws again in the next context', () => {
  const throwing = "throw new Error('cannot load');";
  expect(() => load(FILE, throwing)).toThrow('cannot load');
  expect(codeCache.get(FILE)?.source).toBe(throwing);
  expect(() => load(FILE, throwing)).toThrow('cannot load');
});
