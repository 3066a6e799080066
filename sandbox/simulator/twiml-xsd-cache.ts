// The Voice TwiML schema of the installed twilio package, cached under `.sandbox/twiml/` and keyed by
// what it is generated from. The generator (twiml-xsd.ts, with the TypeScript compiler) is loaded only
// when the cache misses, so a test file or `npm run call` that validates TwiML does not pay for it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

function twilioPackageDir(): string {
  return path.dirname(require.resolve('twilio/package.json'));
}

export function voiceResponseDeclarationsPath(): string {
  return path.join(twilioPackageDir(), 'lib', 'twiml', 'VoiceResponse.d.ts');
}

export function installedTwilioVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(twilioPackageDir(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Where generated schemas are cached; `.sandbox/` is git-ignored local state. */
export function twimlXsdCacheDir(): string {
  return path.resolve(__dirname, '..', '..', '.sandbox', 'twiml');
}

function cacheKey(): string {
  const hash = createHash('sha256');
  hash.update(fs.readFileSync(voiceResponseDeclarationsPath()));
  hash.update(fs.readFileSync(path.join(twilioPackageDir(), 'lib', 'twiml', 'VoiceResponse.js')));
  // The generator's own source: a change there must not be masked by a stale cache.
  hash.update(fs.readFileSync(require.resolve('./twiml-xsd')));
  return `voice-twilio-${installedTwilioVersion()}-${hash.digest('hex').slice(0, 12)}.xsd`;
}

let memo: string | undefined;

/**
 * The schema for the installed twilio package: from memory, else from the cache under `.sandbox/`,
 * else generated (about a second, once per twilio version) and cached.
 */
export async function loadTwimlXsd(): Promise<string> {
  if (memo) return memo;
  const file = path.join(twimlXsdCacheDir(), cacheKey());
  try {
    memo = fs.readFileSync(file, 'utf8');
    return memo;
  } catch {
    // Not cached yet.
  }
  const { generateTwimlXsd } = await import('./twiml-xsd');
  const xsd = generateTwimlXsd();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written aside then renamed: parallel jest workers may race to generate the same file.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, xsd);
  fs.renameSync(temporary, file);
  // Schemas of older twilio versions or generators are never read again.
  for (const name of fs.readdirSync(path.dirname(file))) {
    if (name.endsWith('.xsd') && name !== path.basename(file)) fs.rmSync(path.join(path.dirname(file), name), { force: true });
  }
  memo = xsd;
  return xsd;
}
