// The emulated Serverless API, called the way twilio-run's client calls it (a CONNECT tunnel through the
// proxy, TLS trusted through the run's CA): Twilio's answers, errors, SIDs and paging, and a proxy that
// opens tunnels to the two Serverless hosts only.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { startServerlessEmulator, type ServerlessEmulator } from '../../sandbox/emulators/serverless';
import { linkProductionTree } from '../../sandbox/emulators/serverless/build-host';
import { parseDependencies } from '../../sandbox/emulators/serverless/builds';
import { parseMultipart } from '../../sandbox/emulators/serverless/multipart';

const ACCOUNT = `AC${'1'.repeat(32)}`;
const TOKEN = 'emulator-token';
const dataDir = mkdtempSync(path.join(tmpdir(), 'serverless-api-'));
let emulator: ServerlessEmulator;

beforeAll(async () => {
  emulator = await startServerlessEmulator({ accountSid: ACCOUNT, authToken: TOKEN, dataDir, installCacheDir: path.join(dataDir, 'cache') });
});
afterAll(async () => {
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Opens a CONNECT tunnel to `host:443` through the proxy: the proxy's status line and the socket. */
function tunnel(host: string): Promise<{ status: number; socket: import('node:net').Socket }> {
  return new Promise((resolve, reject) => {
    const proxy = new URL(emulator.proxyUrl);
    const req = http.request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: `${host}:443` });
    req.on('connect', (res, socket) => resolve({ status: res.statusCode ?? 0, socket }));
    req.on('error', reject);
    req.end();
  });
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** One request to the emulated API as twilio-run sends it: Basic auth, a form body, over TLS in the tunnel. */
async function api(method: string, urlPath: string, form?: Record<string, string | string[]>, opts: { host?: string; token?: string; body?: Buffer; type?: string } = {}): Promise<Answer> {
  const host = opts.host ?? 'serverless.twilio.com';
  const { status, socket } = await tunnel(host);
  if (status !== 200) throw new Error(`tunnel refused: ${status}`);
  const secure = tls.connect({ socket, servername: host, ca: readFileSync(emulator.caFile, 'utf8') });
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form ?? {})) for (const v of [value].flat()) params.append(key, v);
  const body = opts.body ?? Buffer.from(params.toString());
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        createConnection: () => secure,
        host,
        method,
        path: urlPath,
        auth: `${ACCOUNT}:${opts.token ?? TOKEN}`,
        headers: { 'Content-Type': opts.type ?? 'application/x-www-form-urlencoded', 'Content-Length': body.length },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A multipart Version upload, as serverless-api's form-data sends it. */
function upload(urlPath: string, fields: Record<string, string>, content: string): Promise<Answer> {
  const boundary = '----emulatortest';
  const parts = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  const file = `--${boundary}\r\nContent-Disposition: form-data; name="Content"; filename="x.js"\r\nContent-Type: application/javascript\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  return api('POST', urlPath, undefined, { host: 'serverless-upload.twilio.com', body: Buffer.from(parts.join('') + file), type: `multipart/form-data; boundary=${boundary}` });
}

test('the proxy opens tunnels to the two Serverless hosts only, and forwards nothing', async () => {
  expect((await tunnel('api.twilio.com')).status).toBe(403);
  expect((await tunnel('example.com')).status).toBe(403);
  const plain = await fetch(emulator.proxyUrl);
  expect(plain.status).toBe(403);
});

test('a wrong token is 20003, an unknown Service 20404, as Twilio answers', async () => {
  expect(await api('GET', '/v1/Services', undefined, { token: 'wrong' })).toMatchObject({ status: 401, body: { code: 20003 } });
  expect(await api('GET', `/v1/Services/ZS${'0'.repeat(32)}`)).toMatchObject({
    status: 404,
    body: { code: 20404, more_info: 'https://www.twilio.com/docs/errors/20404' },
  });
});

test('a Service, an Environment, a Function with a Version, a Build and a Deployment, with Twilio\'s SIDs and shapes', async () => {
  const service = await api('POST', '/v1/Services', { UniqueName: 'shapes', FriendlyName: 'shapes', IncludeCredentials: 'true' });
  expect(service).toMatchObject({ status: 201, body: { sid: expect.stringMatching(/^ZS[0-9a-f]{32}$/), account_sid: ACCOUNT, unique_name: 'shapes', include_credentials: true } });
  const sid = service.body.sid as string;
  expect((await api('POST', '/v1/Services', { UniqueName: 'shapes', FriendlyName: 'again' })).status).toBe(409);
  expect((await api('POST', '/v1/Services', { UniqueName: 'no spaces', FriendlyName: 'x' })).body).toMatchObject({ code: 20001 });

  const environment = await api('POST', `/v1/Services/${sid}/Environments`, { UniqueName: 'dev-environment', DomainSuffix: 'dev' });
  expect(environment.body).toMatchObject({ sid: expect.stringMatching(/^ZE/), domain_suffix: 'dev', domain_name: expect.stringMatching(/^localhost:\d+$/), build_sid: null });
  const fn = await api('POST', `/v1/Services/${sid}/Functions`, { FriendlyName: '/hello' });
  expect(fn.body).toMatchObject({ sid: expect.stringMatching(/^ZH/), friendly_name: '/hello' });

  // Versions are uploaded to serverless-upload.twilio.com; the API host does not take them.
  const versionPath = `/v1/Services/${sid}/Functions/${fn.body.sid}/Versions`;
  expect((await api('POST', versionPath, { Path: '/hello', Visibility: 'public' })).body).toMatchObject({ status: 405, code: 20004 });
  expect((await upload(versionPath, { Path: '/hello?', Visibility: 'public' }, 'x')).body).toMatchObject({ code: 20001 });
  const version = await upload(versionPath, { Path: 'hello', Visibility: 'public' }, 'exports.handler = (c, e, cb) => cb(null, "hi");');
  expect(version.body).toMatchObject({ sid: expect.stringMatching(/^ZN/), path: '/hello', visibility: 'public', function_sid: fn.body.sid });

  const refused = await api('POST', `/v1/Services/${sid}/Builds`, { FunctionVersions: version.body.sid as string, Runtime: 'node16' });
  expect(refused).toMatchObject({ status: 400, body: { code: 82007 } });
  expect((await api('POST', `/v1/Services/${sid}/Builds`, { Runtime: 'node22' })).body).toMatchObject({ code: 20001, message: 'At least one function version or asset version is required' });
  const build = await api('POST', `/v1/Services/${sid}/Builds`, { FunctionVersions: version.body.sid as string, Runtime: 'node22' });
  expect(build.body).toMatchObject({ sid: expect.stringMatching(/^ZB/), status: 'building', runtime: 'node22', function_versions: [expect.objectContaining({ sid: version.body.sid })] });
  const status = await api('GET', `/v1/Services/${sid}/Builds/${build.body.sid}/Status`);
  expect(status.body).toMatchObject({ sid: build.body.sid, status: expect.stringMatching(/^(building|completed)$/) });

  const variable = await api('POST', `/v1/Services/${sid}/Environments/${environment.body.sid}/Variables`, { Key: 'GREETING', Value: 'hi' });
  expect(variable.body).toMatchObject({ sid: expect.stringMatching(/^ZV/), key: 'GREETING', value: 'hi' });
  expect((await api('POST', `/v1/Services/${sid}/Environments/${environment.body.sid}/Variables`, { Key: 'LONG', Value: 'x'.repeat(451) })).body).toMatchObject({ code: 20001 });
  expect((await api('POST', `/v1/Services/${sid}/Environments/${environment.body.sid}/Deployments`, { BuildSid: `ZB${'0'.repeat(32)}` })).status).toBe(404);
});

test('lists page like Twilio\'s v1 APIs: meta with the key, page size and absolute next/previous URLs', async () => {
  for (const name of ['page-a', 'page-b', 'page-c']) await api('POST', '/v1/Services', { UniqueName: name, FriendlyName: name });
  const first = await api('GET', '/v1/Services?PageSize=2');
  expect(first.body.services).toHaveLength(2);
  const meta = first.body.meta as Record<string, unknown>;
  expect(meta).toMatchObject({ key: 'services', page: 0, page_size: 2, previous_page_url: null });
  expect(meta.next_page_url).toMatch(/^https:\/\/serverless\.twilio\.com\/v1\/Services\?PageSize=2&Page=1&PageToken=PA/);
  const next = await api('GET', String(meta.next_page_url).replace('https://serverless.twilio.com', ''));
  expect((next.body.meta as Record<string, unknown>).page).toBe(1);
  expect((await api('GET', '/v1/Services?PageSize=0')).body).toMatchObject({ code: 20001 });
});

test('Dependencies as twilio-run sends them (JSON in one more pair of quotes) and as the API reference shows them', () => {
  const list = [{ name: 'twilio', version: '^6.2.0' }];
  expect(parseDependencies(`"${JSON.stringify(list)}"`)).toEqual(list);
  expect(parseDependencies(JSON.stringify(list))).toEqual(list);
  expect(parseDependencies('not json')).toBeUndefined();
  expect(parseDependencies('[{"name": 1}]')).toBeUndefined();
});

test('multipart bodies give their fields and file', () => {
  const body = Buffer.from('--b\r\nContent-Disposition: form-data; name="Path"\r\n\r\n/x\r\n--b\r\nContent-Disposition: form-data; name="Content"; filename="x"\r\nContent-Type: text/plain\r\n\r\nline1\r\nline2\r\n--b--\r\n');
  expect(parseMultipart(body, 'multipart/form-data; boundary=b')).toEqual({ fields: { Path: '/x' }, files: [{ name: 'Content', type: 'text/plain', content: Buffer.from('line1\r\nline2') }] });
  expect(parseMultipart(Buffer.from('nothing'), 'multipart/form-data; boundary=b')).toBeUndefined();
});

describe("a pinned build's dependencies, linked from the project's node_modules", () => {
  const lock = JSON.stringify({
    packages: {
      '': { name: 'project' },
      'node_modules/runtime': { version: '1.0.0' },
      'node_modules/runtime/node_modules/nested': { version: '2.0.0' },
      'node_modules/tooling': { version: '3.0.0', dev: true },
      'node_modules/other-platform': { version: '4.0.0', optional: true },
    },
  });
  let project: string;
  let staging: string;
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    writeFileSync(path.join(project, file), text);
  };
  beforeEach(() => {
    project = mkdtempSync(path.join(tmpdir(), 'lock-project-'));
    staging = mkdtempSync(path.join(tmpdir(), 'lock-staging-'));
    write('node_modules/runtime/package.json', '{"version":"1.0.0"}');
    write('node_modules/runtime/lib/index.js', 'module.exports = 1;');
    write('node_modules/runtime/node_modules/nested/package.json', '{"version":"2.0.0"}');
    write('node_modules/tooling/package.json', '{"version":"3.0.0"}');
  });
  afterEach(() => {
    rmSync(project, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
  });
  const laidOut = (): string[] => filesUnder(staging).map((file) => path.relative(staging, file)).sort();

  test('lays out what npm ci --omit=dev would: production packages at their lock paths, no dev package, a skipped optional one skipped', () => {
    expect(linkProductionTree(project, lock, staging)).toBe(true);
    expect(laidOut()).toEqual(['node_modules/runtime/lib/index.js', 'node_modules/runtime/node_modules/nested/package.json', 'node_modules/runtime/package.json']);
    expect(readFileSync(path.join(staging, 'node_modules/runtime/lib/index.js'), 'utf8')).toBe('module.exports = 1;');
  });

  test('a package at another version than the lock says: nothing is laid out, so npm installs for real', () => {
    write('node_modules/runtime/node_modules/nested/package.json', '{"version":"2.0.1"}');
    expect(linkProductionTree(project, lock, staging)).toBe(false);
    expect(laidOut()).toEqual([]);
  });

  test('a production package missing from node_modules: nothing is laid out', () => {
    rmSync(path.join(project, 'node_modules/runtime/node_modules'), { recursive: true });
    expect(linkProductionTree(project, lock, staging)).toBe(false);
    expect(laidOut()).toEqual([]);
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}
