// The README's Configuration table and .env.example document every variable the Functions read, the
// same ones in the same order. DOMAIN_NAME is the runtime's own (the README says so).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_DIR } from '../sandbox/sandbox';
import { FEATURE_FLAGS as SANDBOX_FEATURE_FLAGS } from '../sandbox/sandbox-env';
import { FEATURE_FLAGS } from '../src/assets/core/policy.private';
import { readConfig } from '../src/assets/shell/config.private';

const RUNTIME_OWN = ['DOMAIN_NAME'];

/**
 * The variables readConfig asks for, recorded as it reads an empty environment; plus the FEATURE_* flags
 * it passes on (it keeps every FEATURE_* variable): the policy's and SPEC §4's list the sandbox turns on.
 */
function variablesRead(): string[] {
  const asked = new Set<string>();
  const env = new Proxy({} as Record<string, unknown>, {
    get: (_target, key) => {
      if (typeof key === 'string') asked.add(key);
      return undefined;
    },
  });
  readConfig(env);
  return [...asked, ...Object.values(FEATURE_FLAGS), ...SANDBOX_FEATURE_FLAGS].filter((name) => !RUNTIME_OWN.includes(name));
}

const readme = readFileSync(path.join(PROJECT_DIR, 'README.md'), 'utf8');
const configuration = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 3));
const readmeTable = configuration
  .split('\n')
  .filter((line) => line.startsWith('| `'))
  .flatMap((line) => [...line.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));

const envExample = [...readFileSync(path.join(PROJECT_DIR, '.env.example'), 'utf8').matchAll(/^(?:# )?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);

test('the README table lists every variable the Functions read, once', () => {
  expect([...readmeTable].sort()).toEqual([...new Set(variablesRead())].sort());
});

test('.env.example lists the same variables in the same order as the README table', () => {
  expect(envExample).toEqual(readmeTable);
});

test('the sandbox turns on every feature flag the policy reads', () => {
  expect(SANDBOX_FEATURE_FLAGS).toEqual(expect.arrayContaining(Object.values(FEATURE_FLAGS)));
});
