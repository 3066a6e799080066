// Jest's module runtime, with V8's code cache kept across the test files of a worker.
//
// Jest gives every test file a fresh module registry, so a worker loads twilio, express, axios, luxon,
// libphonenumber… again for each of its ~20 files. Re-running their top-level code is what isolation
// needs; re-compiling it is not. Jest compiles each module with `vm.compileFunction`, which on Node 20
// neither uses nor fills V8's compilation cache, so every file parsed and compiled the same sources
// again. Measured on a fresh clone: `npm test` used 188 s of CPU and took 103 s; with the cache, 150 s
// and 84 s. Here each module is
// compiled as a `vm.Script` whose code cache is kept per worker, keyed by file name and checked against
// the source, and handed to V8 the next time a file needs that module. The module still runs afresh in
// each file's own context: nothing but compiled code is shared.
const { default: Runtime } = require('jest-runtime');
const { compileWithCodeCache } = require('./code-cache');

class CodeCachingRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    const executor = this.executor;
    // Jest's own compile lives on its module executor; if an upgrade moves it, say so rather than run without the cache.
    if (typeof executor?.compile !== 'function' || !Array.isArray(executor.injectedModuleParameters)) {
      throw new Error('tests/runtime.js: jest-runtime no longer compiles modules with executor.compile; update the runtime to the new jest');
    }
    executor.compile = (scriptSource, filename) => {
      const context = executor.environment.getVmContext();
      if (context == null) return null;
      return compileWithCodeCache(scriptSource, filename, executor.injectedModuleParameters, context, (specifier, _script, attributes) =>
        executor.dynamicImport(specifier, filename, context, attributes),
      );
    };
  }
}

module.exports = CodeCachingRuntime;
