// Runs once before jest starts its workers: one TwiML validator for the whole run, in a process of its
// own (see sandbox/simulator/twiml-validator-service.ts). The workers inherit TWIML_VALIDATOR_URL.
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const SERVICE = path.join(__dirname, '..', 'sandbox', 'simulator', 'twiml-validator-service.ts');

module.exports = async function globalSetup() {
  // --no-wasm-tier-up: optimising libxml2's wasm costs more CPU than a test run's validations win back.
  const service = spawn(process.execPath, ['--no-wasm-tier-up', '--import', 'tsx', SERVICE], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    readline.createInterface({ input: service.stdout }).once('line', resolve);
    service.once('error', reject);
    service.once('exit', (code) => reject(new Error(`the TwiML validator exited (code ${code}) before it listened`)));
  });
  process.env.TWIML_VALIDATOR_URL = url;
  globalThis.twimlValidatorService = service;
};
