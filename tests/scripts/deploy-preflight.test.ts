// The deploy preflight: what Twilio's platform would refuse, found in the built project before any upload.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkPlatform, checkVariables, packageOf, type DeployFile, type DeployProject } from '../../scripts/twilio/deploy-preflight';
import { readDeployProject, requiredModules } from '../../scripts/twilio/deploy-project';
import { LIMITS, pathProblem, refuseBuild } from '../../scripts/twilio/platform-rules';
import { PROJECT_DIR } from '../../sandbox/sandbox';

const fn = (file: string, urlPath: string, requires: string[] = []): DeployFile => ({ file, path: urlPath, access: 'protected', bytes: 200, requires });
const project = (changes: Partial<DeployProject> = {}): DeployProject => ({
  dependencies: { '@twilio/runtime-handler': '2.0.1', twilio: '^6.2.0', luxon: '^3.7.2' },
  devDependencies: { jest: '^30.0.0' },
  runtime: { value: 'node22', from: '.twilioserverlessrc' },
  functions: [fn('dist/functions/escalate.protected.js', '/escalate', ['twilio', 'node:path', 'fs', './local'])],
  assets: [{ file: 'dist/assets/ivr.private.js', path: '/ivr.js', access: 'private', bytes: 211_000, requires: ['luxon', 'luxon/src/x'] }],
  ...changes,
});
const withHandler = (version: string) => project({ dependencies: { ...project().dependencies, '@twilio/runtime-handler': version } });

test('a project the platform takes has no problem', () => {
  expect(checkPlatform(project())).toEqual([]);
});

test.each([
  ['not declared', project({ dependencies: { twilio: '^6.2.0', luxon: '^3.7.2' } }), /is not in package\.json's dependencies: the platform would pick a handler for you/],
  ['a range', withHandler('^2.0.1'), /is "\^2\.0\.1" in package\.json: the platform takes an exact version, not a range/],
  ['2.1.0, on npm but refused by the platform', withHandler('2.1.0'), /2\.1\.0 is not a version Twilio's platform lists .*error 20001/],
  ['2.0.3, refused the same way', withHandler('2.0.3'), /2\.0\.3 is not a version Twilio's platform lists/],
])('the runtime handler %s is refused, with the version to pin', (_name, given, message) => {
  const problems = checkPlatform(given);
  expect(problems).toEqual([expect.stringMatching(message)]);
  expect(problems[0]).toContain('npm install --save-exact @twilio/runtime-handler@2.0.1');
});

test.each([
  ['no runtime', project({ runtime: undefined }), /^No runtime is set: .*error 82007.*Set "runtime": "node22" in \.twilioserverlessrc/],
  ['node18', project({ runtime: { value: 'node18', from: '.twilioserverlessrc' } }), /"node18" \(\.twilioserverlessrc\) is not one Twilio's platform accepts \(node22, node24\)/],
  ['node20 from the command line', project({ runtime: { value: 'node20', from: '--runtime' } }), /"node20" \(--runtime\) is not one/],
  ['node24 with a handler below 1.2.0', project({ runtime: { value: 'node24', from: '--runtime' }, dependencies: { ...project().dependencies, '@twilio/runtime-handler': '1.1.0' } }), /node24 needs @twilio\/runtime-handler 1\.2\.0 or later/],
])('%s is refused', (_name, given, message) => {
  expect(checkPlatform(given)).toContainEqual(expect.stringMatching(message));
});

test('node24 with the pinned handler is accepted (the platform upgrades it to 2.1.2)', () => {
  expect(checkPlatform(project({ runtime: { value: 'node24', from: '--runtime' } }))).toEqual([]);
});

test('a package the built files require must be in dependencies; built-ins and files need nothing', () => {
  const problems = checkPlatform(
    project({
      functions: [fn('dist/functions/a.js', '/a', ['jest', 'lodash/get']), fn('dist/functions/b.js', '/b', ['lodash'])],
    }),
  );
  expect(problems).toEqual([
    'dist/functions/a.js requires jest, which is only in devDependencies: the platform installs dependencies only. Fix: npm install --save-prod jest',
    'dist/functions/a.js, dist/functions/b.js require lodash, which is not in package.json\'s dependencies: the platform installs dependencies only. Fix: npm install --save-prod lodash',
  ]);
});

test.each([
  ['/escalate', undefined],
  ['/callback/schedule/check', undefined],
  ['/email/send?', 'contains "?" (no # ; , ? : @ + & $ ( ) \' " or spaces)'],
  ['/a b', 'contains " " (no # ; , ? : @ + & $ ( ) \' " or spaces)'],
  ['/café(1)', 'contains "(" (no # ; , ? : @ + & $ ( ) \' " or spaces)'],
  [`/${'x'.repeat(255)}`, 'is 256 characters long (at most 255)'],
  ['relative', 'does not start with "/"'],
])('the path %s: %s', (urlPath, problem) => {
  expect(pathProblem(urlPath)).toBe(problem);
});

test('a path the platform refuses names the file to rename', () => {
  expect(checkPlatform(project({ functions: [fn('dist/functions/pay (old).js', '/pay-(old)')] }))).toEqual([
    'dist/functions/pay (old).js would be served at "/pay-(old)", which contains "(" (no # ; , ? : @ + & $ ( ) \' " or spaces): the platform refuses it. Rename the file.',
  ]);
});

test('more Functions or a larger private asset than a build takes are refused', () => {
  const functions = Array.from({ length: LIMITS.functionsPerBuild + 1 }, (_, i) => fn(`dist/functions/f${i}.js`, `/f${i}`));
  const big = { ...project().assets[0]!, bytes: LIMITS.privateAssetBytes + 1 };
  expect(checkPlatform(project({ functions, assets: [big] }))).toEqual([
    '51 Functions in one build: the platform takes at most 50. Merge some (the assets are bundled by scripts/build.mjs).',
    'dist/assets/ivr.private.js is 10.0 MB: a private asset may be at most 10.0 MB. Make it smaller or split it.',
  ]);
});

test('variables: the Function context stays under 3 KB (82006), a value under 450 bytes', () => {
  expect(checkVariables({ AIRTABLE_API_KEY: 'pat'.padEnd(80, 'x'), FEATURE_SMS: 'true' })).toEqual([]);
  expect(checkVariables({ NOTES: 'x'.repeat(451) })).toEqual(['NOTES is 451 bytes long: a variable\'s value may be at most 450 bytes. Shorten it.']);
  const many = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`V${i}`, 'x'.repeat(400)]));
  expect(checkVariables(many)).toEqual([expect.stringContaining('Twilio takes 3072 (error 82006)')]);
});

test.each([
  ['airtable', 'airtable'],
  ['@sendgrid/mail', '@sendgrid/mail'],
  ['@sendgrid/mail/src/x', '@sendgrid/mail'],
  ['luxon/src/impl', 'luxon'],
  ['node:crypto', undefined],
  ['crypto', undefined],
  ['./sibling', undefined],
])('the package of %s is %s', (name, pkg) => {
  expect(packageOf(name)).toBe(pkg);
});

test('required modules are the literal require() calls of a built file', () => {
  expect(requiredModules('const a = require("airtable");\nconst b = require(\'luxon\'); require(x); require("airtable");')).toEqual(['airtable', 'luxon']);
});

test.each([
  ['node22', '2.0.1', undefined],
  ['node24', '2.0.1', undefined],
  ['node22', '2.1.0', 20001],
  ['node18', '2.0.1', 82007],
  ['node24', '1.1.0', 20001],
])('the emulated platform builds %s with handler %s: %s', (runtime, handler, code) => {
  expect(refuseBuild(runtime, handler)?.code).toBe(code);
});

const built = existsSync(path.join(PROJECT_DIR, 'dist', 'assets', 'ivr.private.js'));
(built ? test : test.skip)('the project as built passes the preflight', () => {
  const read = readDeployProject(PROJECT_DIR);
  expect(read.runtime).toEqual({ value: 'node22', from: '.twilioserverlessrc' });
  expect(read.assets).toEqual([expect.objectContaining({ path: '/ivr.js', access: 'private' })]);
  expect(read.functions.map((f) => f.path)).toContain('/escalate');
  expect(read.functions.find((f) => f.path === '/jobs/dispatch-callbacks')?.access).toBe('public');
  expect(checkPlatform(read)).toEqual([]);
  expect(readDeployProject(PROJECT_DIR, ['--runtime', 'node24']).runtime).toEqual({ value: 'node24', from: '--runtime' });
});
