// Validates TwiML against the generated XSD with libxml2's xmllint compiled to wasm (xmllint-wasm).
// xmllint-wasm's validateXML() starts a worker thread and compiles the wasm on every call: ~100 ms a
// document here. This keeps one worker per process that compiles the wasm once and runs xmllint per
// document (~12 ms, most of it libxml2 compiling the 110 kB schema again), mirroring the protocol of
// xmllint-wasm's own worker (xmllint-node.js). Validating the documents waiting in one run was tried:
// in a test run they almost never wait, so it won nothing.
// Jest gives each test file fresh modules, so each file would start its own worker and validate again
// what other files already validated: `npm test` runs one validator for the whole run instead
// (twiml-validator-service.ts), and a process with TWIML_VALIDATOR_URL set asks it.
import http from 'node:http';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { freeTextAttributes, verdictKey } from './twiml-verdict-key';
import { loadTwimlXsd } from './twiml-xsd-cache';

export interface TwimlValidation {
  readonly valid: boolean;
  /** xmllint's messages, e.g. "line 1: Element 'Gather', attribute 'Timeout': The attribute 'Timeout' is not allowed." */
  readonly errors: readonly string[];
}

// Runs inside the worker. Emscripten's module compiles its wasm with WebAssembly.instantiate(bytes)
// on each run; in this worker only, that call is answered from one compiled module.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const runXmllint = require(workerData.xmllintPath);
const xsd = workerData.xsd;
const wasmBytes = fs.readFileSync(workerData.wasmPath);
const compiled = new WebAssembly.Module(wasmBytes);
const instantiate = WebAssembly.instantiate.bind(WebAssembly);
WebAssembly.instantiate = async (source, imports) =>
  source instanceof Uint8Array && source.byteLength === wasmBytes.byteLength
    ? { instance: await instantiate(compiled, imports), module: compiled }
    : instantiate(source, imports);

function validate(xml) {
  return new Promise((resolve) => {
    let stderr = '';
    runXmllint({
      inputFiles: [{ fileName: 'twiml.xml', contents: xml }, { fileName: 'twiml.xsd', contents: xsd }],
      arguments: ['--schema', 'twiml.xsd', '--noout', 'twiml.xml'],
      wasmBinary: wasmBytes,
      wasmMemory: new WebAssembly.Memory({ initial: 256, maximum: 1024 }),
      print() {},
      printErr(text) { stderr += text + '\\n'; },
      onExit(exitCode) { resolve({ exitCode, stderr }); },
      onAbort(reason) { resolve({ exitCode: -1, stderr: 'wasm abort: ' + reason }); },
    }).catch((error) => resolve({ exitCode: -1, stderr: String(error) }));
  });
}

let queue = Promise.resolve();
parentPort.on('message', (message) => {
  if (!message || message.kind !== 'validate') return;
  queue = queue.then(() => validate(message.xml)).then((result) => parentPort.postMessage({ id: message.id, ...result }));
});
`;

interface WorkerAnswer {
  readonly id: number;
  readonly exitCode: number;
  readonly stderr: string;
}

/** Terminate an idle worker: jest gives each test file fresh modules, so stale workers would pile up. */
const IDLE_MS = 3_000;

let worker: Worker | undefined;
let nextId = 1;
/** Validations sent and not answered yet, each with the worker it was sent to. */
const waiting = new Map<number, { worker: Worker; resolve: (answer: WorkerAnswer) => void; reject: (error: Error) => void }>();
let idleTimer: NodeJS.Timeout | undefined;

let workerStarts = 0;
let xmllintRuns = 0;

/** How many workers this process has started: one per process unless a worker went idle or died. */
export function twimlWorkerStarts(): number {
  return workerStarts;
}

/** How many documents this process has had xmllint validate (the others were answered from memory). */
export function twimlXmllintRuns(): number {
  return xmllintRuns;
}

/** The worker gets the schema once, not with every document. */
function startWorker(xsd: string): Worker {
  workerStarts += 1;
  const packageDir = path.dirname(require.resolve('xmllint-wasm/package.json'));
  const started = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { xmllintPath: path.join(packageDir, 'xmllint-node.js'), wasmPath: path.join(packageDir, 'xmllint.wasm'), xsd },
  });
  // Never what keeps a test run or the CLI alive.
  started.unref();
  started.on('message', (answer: WorkerAnswer) => {
    const pending = waiting.get(answer.id);
    waiting.delete(answer.id);
    pending?.resolve(answer);
    scheduleIdleStop();
  });
  started.on('error', (error) => failAll(started, error));
  // A worker stopped when idle may finish exiting after the next validation went to a new worker:
  // only the validations sent to this one fail.
  started.on('exit', (code) => {
    if (worker === started) worker = undefined;
    failAll(started, new Error(`the xmllint worker exited (code ${code}) during a validation`));
  });
  return started;
}

function failAll(of: Worker, error: Error): void {
  for (const [id, pending] of waiting) {
    if (pending.worker !== of) continue;
    waiting.delete(id);
    pending.reject(error);
  }
}

function scheduleIdleStop(): void {
  if (idleTimer) clearTimeout(idleTimer);
  if (waiting.size > 0) return;
  idleTimer = setTimeout(() => void closeTwimlValidator(), IDLE_MS);
  idleTimer.unref();
}

/** xmllint prefixes each message with "file:line:"; keep the line, drop the in-memory file name. */
function readErrors(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line && !/^twiml\.xml (validates|fails to validate)$/.test(line))
    .map((line) => line.replace(/^twiml\.xml:(\d+): (?:element \S+: )?(?:Schemas validity error : )?/, 'line $1: '));
}

/**
 * Verdicts of documents already checked: a call answers the same TwiML again and again (the menu, its
 * re-prompts), and each xmllint run costs tens of milliseconds of CPU. The same bytes against the same
 * schema always get the same verdict.
 */
const verdicts = new Map<string, Promise<TwimlValidation>>();
const MAX_VERDICTS = 1_000;

/** Where a shared validator answers (see twiml-validator-service.ts); unset, each process runs its own. */
export const TWIML_VALIDATOR_URL_ENV = 'TWIML_VALIDATOR_URL';

/** Checks one TwiML document against the schema of the installed twilio package. */
export function validateTwiml(xml: string): Promise<TwimlValidation> {
  const service = process.env[TWIML_VALIDATOR_URL_ENV];
  return service ? remembered(`${service}\n${xml}`, () => askService(service, xml)) : validateTwimlHere(xml);
}

/** Checks one TwiML document in this process, whatever TWIML_VALIDATOR_URL says: what the service runs. */
export async function validateTwimlHere(xml: string): Promise<TwimlValidation> {
  // Documents the schema cannot tell apart share one verdict (twiml-verdict-key.ts).
  const key = verdictKey(xml, await schemaFreeTextAttributes());
  return remembered(key, () => runXmllint(key));
}

let freeAttributes: Promise<ReadonlySet<string>> | undefined;
function schemaFreeTextAttributes(): Promise<ReadonlySet<string>> {
  if (!freeAttributes) {
    freeAttributes = loadTwimlXsd().then(freeTextAttributes);
    // A schema that could not be read is read again next time.
    freeAttributes.catch(() => (freeAttributes = undefined));
  }
  return freeAttributes;
}

function remembered(key: string, validate: () => Promise<TwimlValidation>): Promise<TwimlValidation> {
  let verdict = verdicts.get(key);
  if (!verdict) {
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdict = validate();
    verdicts.set(key, verdict);
    // A failure to validate is no verdict: the next time, it runs again.
    verdict.catch(() => verdicts.delete(key));
  }
  return verdict;
}

async function runXmllint(xml: string): Promise<TwimlValidation> {
  const xsd = await loadTwimlXsd();
  const current = (worker ??= startWorker(xsd));
  xmllintRuns += 1;
  if (idleTimer) clearTimeout(idleTimer);
  const id = nextId++;
  const answer = await new Promise<WorkerAnswer>((resolve, reject) => {
    waiting.set(id, { worker: current, resolve, reject });
    current.postMessage({ kind: 'validate', id, xml });
  });
  // xmllint: 0 valid, 1 not well-formed, 3/4 invalid; 5 means our generated schema does not compile.
  if (answer.exitCode === 0) return { valid: true, errors: [] };
  if (answer.exitCode === 1 || answer.exitCode === 3 || answer.exitCode === 4) return { valid: false, errors: readErrors(answer.stderr) };
  throw new Error(`xmllint failed (exit ${answer.exitCode}) validating TwiML: ${answer.stderr.trim()}`);
}

/** Asks the shared validator: the document is the body, the verdict comes back as JSON. */
function askService(url: string, xml: string): Promise<TwimlValidation> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/xml; charset=utf-8' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode === 200) resolve(JSON.parse(body) as TwimlValidation);
        else reject(new Error(`the TwiML validator at ${url} answered ${response.statusCode}: ${body}`));
      });
    });
    request.on('error', (error) => reject(new Error(`the TwiML validator at ${url} (${TWIML_VALIDATOR_URL_ENV}) did not answer: ${error.message}`)));
    request.end(xml);
  });
}

/** Stops the worker now (it also stops by itself when idle). */
export async function closeTwimlValidator(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer);
  const current = worker;
  worker = undefined;
  if (current) await current.terminate();
}
