// V8's code cache for the modules jest loads, kept for the life of a jest worker (see runtime.js).
const vm = require('node:vm');

/** File name → the transformed source it was compiled from and V8's code cache for it. */
const codeCache = new Map();

/**
 * Compiles a module's transformed source into jest's module function (`module, exports, require, …`)
 * in `context`, with the code cache of an earlier compile of the same source.
 */
function compileWithCodeCache(scriptSource, filename, parameters, context, importModuleDynamically) {
  // The wrapper sits on a line of its own (lineOffset -1), so stack traces keep the source's lines and columns.
  const wrapped = `(function (${parameters.join(', ')}) {\n${scriptSource}\n})`;
  const cached = codeCache.get(filename);
  const reusable = cached !== undefined && cached.source === scriptSource;
  const script = new vm.Script(wrapped, {
    filename,
    lineOffset: -1,
    cachedData: reusable ? cached.data : undefined,
    importModuleDynamically,
  });
  const moduleFunction = script.runInContext(context);
  if (reusable && !script.cachedDataRejected) return moduleFunction;
  // Cached once the module has run, so the functions its top level called are compiled in the cache too.
  return function runThenCache(...args) {
    try {
      return moduleFunction.apply(this, args);
    } finally {
      codeCache.set(filename, { source: scriptSource, data: script.createCachedData() });
    }
  };
}

module.exports = { codeCache, compileWithCodeCache };
