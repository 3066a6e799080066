// The webhook fuzzer: hostile variants of each catalog request (missing, huge, malformed parameters,
// junk Unicode, Airtable formula and TwiML injection, odd query strings, broken JSON), every one signed
// as Twilio signs, so that they reach the handlers. Each must be answered 4xx or a valid answer of its
// kind (voice TwiML checked against the schema, messaging TwiML for SMS), never 5xx while the emulators
// are healthy. Request i of seed s is always the same request (its own generator), so a failure
// reproduces with `npm run fuzz -- --seed s --from i --count 1`, whatever the concurrency.
import { performance } from 'node:perf_hooks';
import { DOMParser, type Element } from '@xmldom/xmldom';
import type { Sandbox } from './sandbox';
import { validateTwiml } from './simulator/twiml-validator';
import { newCallSid, send, type WebhookEntry, type WebhookKind, type WebhookRequest } from './webhook-catalog';
import type { WebhookAnswer } from './webhook-client';

/** A small seeded generator (mulberry32): the same seed, the same numbers. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Values no webhook should trust: each is a category of trouble seen in the wild or in an attack. */
export const HOSTILE_VALUES: readonly string[] = [
  '',
  ' ',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '0x1F',
  '9'.repeat(40),
  '+',
  '++14155550142',
  '+1 (415) 555-0142',
  '+999999999999999999999',
  '+19005550142',
  '+44 20 7946 0958',
  "+1' & '' = '",
  "' OR 1=1 --",
  '{Phone Number}',
  '=HYPERLINK("http://example.invalid","x")',
  '", TRUE(), "',
  'RECORD_ID()',
  '</Say><Hangup/><Say>',
  '<?xml version="1.0"?><Response><Reject/></Response>',
  ']]><Dial>+12025550100</Dial>',
  '&amp;&lt;&#0;&#x1F600;',
  '\u0000',
  '\u0007\u001b[31m',
  '\uFFFE\uFFFF',
  '\u202Eevil\u202C',
  'e\u0301\u0301\u0301',
  '\u200B\u200C\u200D\uFEFF',
  '🙂'.repeat(40),
  '𝕒𝕘𝕖𝕟𝕥',
  'sí señor, ¿agente?',
  '\r\nX-Injected: 1',
  '%00%ZZ%',
  '../../../etc/passwd',
  `rec${'A'.repeat(14)}`,
  `CA${'f'.repeat(32)}`,
  `SM${'0'.repeat(32)}`,
  '__proto__',
  'constructor',
  'a,b,,c,live-transfer,email,email',
  '1,2,3,4,5,6,7,8,9,0,*,#',
  '*#*#',
  'agent',
  'CANCEL CALL',
  'STOP',
  '1700000000000',
  '99999999999999999999',
  'x'.repeat(5000),
];

const HOSTILE_KEYS: readonly string[] = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'Digits[]', 'a'.repeat(300), '', ' '];

/** A value that survives URL encoding (a lone surrogate cannot be encoded). */
function encodable(value: string): string {
  try {
    encodeURIComponent(value);
    return value;
  } catch {
    return value.replace(/[\uD800-\uDFFF]/g, '?');
  }
}

/** What an HTTP header can carry (visible ASCII and spaces): anything else never leaves the client. */
const headerSafe = (value: string): string => value.replace(/[^\x20-\x7e]/g, '').slice(0, 8000);

function hostileValue(random: Random): string {
  const roll = random();
  if (roll < 0.06) return 'A'.repeat(20_000 + Math.floor(random() * 200_000)); // huge, maybe past the 256 kB body limit
  if (roll < 0.12) return Array.from({ length: 1 + Math.floor(random() * 30) }, () => String.fromCodePoint(Math.floor(random() * 0x2ffff))).join('');
  return pick(random, HOSTILE_VALUES);
}

function mutateQuery(pathAndQuery: string, random: Random): string {
  const [pathname, query = ''] = pathAndQuery.split(/\?(.*)/s);
  const pairs = query ? query.split('&').map((pair) => pair.split(/=(.*)/s) as [string, string?]) : [];
  const roll = random();
  if (roll < 0.3 && pairs.length > 0) pairs.splice(Math.floor(random() * pairs.length), 1);
  else if (roll < 0.6 && pairs.length > 0) pairs[Math.floor(random() * pairs.length)]![1] = encodeURIComponent(encodable(hostileValue(random)));
  else if (roll < 0.75 && pairs.length > 0) pairs.push([pick(random, pairs)[0], encodeURIComponent(encodable(hostileValue(random)))]);
  else if (roll < 0.85) return `${pathname}?${pick(random, ['', '&', '&&=', '%', '=x', 'a=%E0%A4%A', '?=?', ';'])}`;
  else pairs.push([encodeURIComponent(encodable(pick(random, HOSTILE_KEYS))) || 'x', encodeURIComponent(encodable(hostileValue(random)))]);
  const rebuilt = pairs.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join('&');
  return rebuilt ? `${pathname}?${rebuilt}` : pathname;
}

function mutateParams(params: Readonly<Record<string, string>>, random: Random): Record<string, string> {
  const out: Record<string, string> = { ...params };
  const keys = Object.keys(out);
  const roll = random();
  if (roll < 0.25 && keys.length > 0) delete out[pick(random, keys)];
  else if (roll < 0.3) return {};
  else if (roll < 0.85 && keys.length > 0) out[pick(random, keys)] = encodable(hostileValue(random));
  else Object.defineProperty(out, pick(random, HOSTILE_KEYS), { value: encodable(hostileValue(random)), enumerable: true, configurable: true, writable: true });
  return out;
}

function mutateJson(json: unknown, random: Random): unknown {
  const roll = random();
  if (roll < 0.15) return pick(random, [null, [], 'string', 42, true, [json, json]]);
  if (typeof json !== 'object' || json === null) return json;
  const out: Record<string, unknown> = { ...(json as Record<string, unknown>) };
  const key = pick(random, Object.keys(out));
  out[key] = pick(random, [hostileValue(random), null, 7, { nested: hostileValue(random) }, [hostileValue(random)]]);
  return out;
}

/** One hostile variant of `base`: 1 to 3 mutations of its query, parameters or body. */
export function mutateRequest(base: WebhookRequest, random: Random): WebhookRequest {
  let request: WebhookRequest = base;
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const roll = random();
    if (roll < 0.35) request = { ...request, pathAndQuery: mutateQuery(request.pathAndQuery, random) };
    else if (request.json !== undefined) request = { ...request, json: mutateJson(request.json, random) };
    else if (request.bearer !== undefined && roll < 0.45) request = { ...request, bearer: headerSafe(pick(random, ['', 'wrong', hostileValue(random)])) };
    else request = { ...request, params: mutateParams(request.params ?? {}, random) };
  }
  return request;
}

const MESSAGE_ATTRIBUTES = new Set(['to', 'from', 'action', 'method', 'statusCallback']);

/** Messaging TwiML: <Response> holding <Message> (text, or <Body>/<Media>) and <Redirect>, nothing else. */
export function messagingTwimlProblems(xml: string): string[] {
  const problems: string[] = [];
  const document = new DOMParser({ onError: (level, message) => void (level !== 'warning' && problems.push(`xml: ${message}`)) }).parseFromString(xml, 'text/xml');
  const root = document.documentElement;
  if (!root || root.tagName !== 'Response') return [...problems, 'the root is not <Response>'];
  for (const child of Array.from(root.childNodes)) {
    if (child.nodeType === 3 && !(child.nodeValue ?? '').trim()) continue;
    if (child.nodeType !== 1) return [...problems, 'text directly in <Response>'];
    const element = child as Element;
    if (element.tagName === 'Redirect') continue;
    if (element.tagName !== 'Message') problems.push(`<${element.tagName}> is not messaging TwiML`);
    for (const attribute of Array.from(element.attributes)) if (!MESSAGE_ATTRIBUTES.has(attribute.name)) problems.push(`<Message ${attribute.name}> is not an attribute of Message`);
    for (const part of Array.from(element.childNodes)) {
      if (part.nodeType === 1 && !['Body', 'Media'].includes((part as Element).tagName)) problems.push(`<${(part as Element).tagName}> in <Message>`);
    }
  }
  return problems;
}

/** What is wrong with an answer to a webhook of `kind` (empty: nothing). A 4xx is a fine answer to a bad request. */
export async function checkAnswer(kind: WebhookKind, answer: WebhookAnswer): Promise<string[]> {
  if (answer.status >= 400 && answer.status < 500) return [];
  if (answer.status !== 200) return [`HTTP ${answer.status}: ${answer.body.slice(0, 200)}`];
  const xml = /xml/.test(answer.contentType);
  if (kind === 'job') {
    try {
      JSON.parse(answer.body);
      return [];
    } catch {
      return [`not JSON: ${answer.body.slice(0, 200)}`];
    }
  }
  if (kind === 'sms') return xml ? messagingTwimlProblems(answer.body) : [`not TwiML (${answer.contentType})`];
  if (kind === 'event' && !xml) return []; // events nobody hears may answer plain text
  if (!xml) return [`not TwiML (${answer.contentType}): ${answer.body.slice(0, 200)}`];
  const verdict = await validateTwiml(answer.body);
  return verdict.valid ? [] : verdict.errors.map((e) => `TwiML: ${e}`);
}

export interface FuzzFailure {
  readonly index: number;
  readonly path: string;
  readonly problems: readonly string[];
  readonly request: string;
}

export interface FuzzFigures {
  readonly seed: number;
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Answers by HTTP status. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Requests per webhook path. */
  readonly perWebhook: Readonly<Record<string, number>>;
  /** The slowest answer (ms) and its path. */
  readonly slowest: { readonly ms: number; readonly path: string };
  /** All requests that failed; `failures` keeps the first `maxFailures` of them. */
  readonly failureCount: number;
  readonly failures: readonly FuzzFailure[];
}

export interface FuzzOptions {
  readonly seed: number;
  readonly count: number;
  /** Index of the first request (to replay one). */
  readonly from?: number;
  readonly concurrency?: number;
  /** Stop keeping failures past this many (they are still counted in `statuses`). */
  readonly maxFailures?: number;
  readonly onProgress?: (done: number) => void;
  /** Puts the base back to its seed before each entry's realistic request is prepared (they expect a fresh demo base). */
  readonly restore: () => void | Promise<void>;
}

function describeRequest(request: WebhookRequest): string {
  const body = request.json !== undefined ? JSON.stringify(request.json) : JSON.stringify(request.params ?? {});
  return `${request.pathAndQuery.slice(0, 300)} ${body.slice(0, 300)}`;
}

/** Realistic request of each entry (prepared once: they may seed Airtable rows), then `count` hostile variants round-robin. */
export async function fuzzWebhooks(sandbox: Sandbox, catalog: readonly WebhookEntry[], options: FuzzOptions): Promise<FuzzFigures> {
  const bases = new Map<WebhookEntry, WebhookRequest>();
  for (const entry of catalog) {
    await options.restore();
    bases.set(entry, await entry.request(sandbox, newCallSid()));
  }
  const statuses: Record<string, number> = {};
  const perWebhook: Record<string, number> = {};
  const failures: FuzzFailure[] = [];
  let failureCount = 0;
  let slowest = { ms: 0, path: '' };
  const first = options.from ?? 0;
  let next = first;
  let done = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < first + options.count) {
      const index = next++;
      const random = seededRandom(options.seed * 1_000_003 + index);
      const entry = catalog[index % catalog.length]!;
      const request = mutateRequest(bases.get(entry)!, random);
      const sent = performance.now();
      let problems: string[];
      let status = 'no answer';
      try {
        const answer = await send(sandbox, request, 10_000);
        status = String(answer.status);
        problems = await checkAnswer(entry.kind, answer);
      } catch (error) {
        problems = [`no answer: ${(error as Error).message}`];
      }
      const ms = performance.now() - sent;
      if (ms > slowest.ms) slowest = { ms: Math.round(ms), path: entry.path };
      statuses[status] = (statuses[status] ?? 0) + 1;
      perWebhook[entry.path] = (perWebhook[entry.path] ?? 0) + 1;
      if (problems.length > 0) failureCount++;
      if (problems.length > 0 && failures.length < (options.maxFailures ?? 50)) failures.push({ index, path: entry.path, problems, request: describeRequest(request) });
      done++;
      options.onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { seed: options.seed, requests: done, seconds, perSecond: done / seconds, statuses, perWebhook, slowest, failureCount, failures };
}
