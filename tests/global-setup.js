// Runs once before jest starts its workers, two things at once: the build the flow tests run against
// (`npm run build`: dist/ from src/, so `npx jest` never tests a stale build), and one TwiML validator
// for the whole run, in a process of its own (see sandbox/simulator/twiml-validator-service.ts), whose
// URL the workers inherit as TWIML_VALIDATOR_URL.
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const PROJECT = path.join(__dirname, '..');
const SERVICE = path.join(PROJECT, 'sandbox', 'simulator', 'twiml-validator-service.ts');

function build() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PROJECT, 'scripts', 'build.mjs')], { cwd: PROJECT, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build failed (exit code ${code})`))));
  });
}

async function startValidator() {
  // --no-wasm-tier-up: optimising libxml2's wasm costs more CPU than a test run's validations win back.
  const service = spawn(process.execPath, ['--no-wasm-tier-up', '--import', 'tsx', SERVICE], { cwd: PROJECT, stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    readline.createInterface({ input: service.stdout }).once('line', resolve);
    service.once('error', reject);
    service.once('exit', (code) => reject(new Error(`the TwiML validator exited (code ${code}) before it listened`)));
  });
  globalThis.twimlValidatorService = service;
  return url;
}

module.exports = async function globalSetup() {
  const [url] = await Promise.all([startValidator(), build()]);
  process.env.TWIML_VALIDATOR_URL = url;
};
