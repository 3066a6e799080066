// Jest runs this in the process and context of tests/global-setup.js, after the last test file.
module.exports = async function globalTeardown() {
  const service = globalThis.twimlValidatorService;
  globalThis.twimlValidatorService = undefined;
  if (!service || service.exitCode !== null) return;
  const exited = new Promise((resolve) => service.once('exit', resolve));
  service.stdin.end();
  await exited;
};
