// What Twilio's Serverless platform accepts, in one place, each rule with where it comes from. The deploy
// preflight (deploy-preflight.ts) checks a project against these rules, and the sandbox's emulated
// Serverless API (sandbox/emulators/serverless) refuses with them, so both change together.
// Pure data and predicates.

/** Twilio's Runtime Handler page: https://www.twilio.com/docs/serverless/functions-assets/handler */
export const HANDLER_PAGE = 'https://www.twilio.com/docs/serverless/functions-assets/handler';

export const RUNTIME_HANDLER_PACKAGE = '@twilio/runtime-handler';

/**
 * The @twilio/runtime-handler versions the platform lists (its Runtime Handler page: 2.1.2 "Added support
 * for Node.js 24", 2.0.1 "the new default version", 2.0.0, 1.3.1 … 1.2.1; older ones are not kept here).
 * A Build whose Dependencies name another version is refused with 20001 "Some dependencies could not be
 * validated. No matching version found for @twilio/runtime-handler@X" — npm having it does not help:
 * 2.1.0 (published as npm's latest) and 2.0.3 are refused (twilio-labs/serverless-toolkit PR #558,
 * issues #538 and #564).
 */
export const LISTED_HANDLER_VERSIONS = ['2.1.2', '2.0.1', '2.0.0', '1.3.1', '1.3.0', '1.2.5', '1.2.4', '1.2.3', '1.2.2', '1.2.1'] as const;

/**
 * The version this project pins: listed by the platform AND published on npm (`npm view
 * @twilio/runtime-handler versions` stops at 2.1.0, so 2.1.2 cannot be installed for local development).
 */
export const RECOMMENDED_HANDLER_VERSION = '2.0.1';

/**
 * Runtimes a Build may name. node22 is the default (Twilio changelog 2026-07-08, "Node.js v22 remains the
 * current default"); node24 since that changelog. node18 deploys fail since 2025-11-10 (changelog
 * 2025-05-29); older ones long before. node20 is left out: the changelog says new deployments "must use
 * Node.js v22" and Node.js 20 reached its end of life on 2026-04-30. A refused runtime is error 82007
 * "Unsupported Runtime" (https://www.twilio.com/docs/errors/82007).
 */
export const ACCEPTED_RUNTIMES = ['node22', 'node24'] as const;
export const DEFAULT_RUNTIME = 'node22';
export const RUNTIME_ERROR_PAGE = 'https://www.twilio.com/docs/errors/82007';

/**
 * node24 needs handler 2.1.2 or later; the platform upgrades 1.2.0–2.1.2 to 2.1.2 by itself on a node24
 * build and fails one below 1.2.0 (Twilio changelog 2026-07-08, "Node.js v24 is now available").
 */
export const NODE24_MIN_HANDLER = '1.2.0';

/**
 * Limits of a Build and its files ("Functions & Assets (API)" page, Limits:
 * https://www.twilio.com/docs/runtime/functions-assets-api): up to 50 Function Versions, 50 private and
 * 1000 public/protected Asset Versions in a build; an asset of at most 25 MB (public, protected) or
 * 10 MB (private). Larger uploads are answered 413 (serverless-toolkit issue #167).
 */
export const LIMITS = {
  functionsPerBuild: 50,
  privateAssetsPerBuild: 50,
  publicAssetsPerBuild: 1000,
  privateAssetBytes: 10 * 1024 * 1024,
  publicAssetBytes: 25 * 1024 * 1024,
  /**
   * 82006 "Environment Context too large" (https://www.twilio.com/docs/api/errors/82006): the account
   * metadata, domain name, path and Environment Variables, as a JSON string, must stay under 3 KB.
   */
  contextBytes: 3 * 1024,
  /** Variable resource: Key up to 128 characters, Value up to 450 bytes (https://www.twilio.com/docs/serverless/api/resource/variable). */
  variableKeyChars: 128,
  variableValueBytes: 450,
  /** Function Version and Asset Version `path`: at most 255 characters (the resources' API reference). */
  pathChars: 255,
} as const;

/**
 * Why the platform would refuse a Function or asset path, or undefined. The length is the API's rule; the
 * rest is what serverless-api's `checkForValidPath` (the client twilio-run deploys with) refuses before
 * uploading: a path starts with "/" and has no #, whitespace or any of ; , ? : @ + & $ ( ) ' ".
 */
export function pathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'does not start with "/"';
  if (path.length > LIMITS.pathChars) return `is ${path.length} characters long (at most ${LIMITS.pathChars})`;
  const bad = /[#;,?:@+&$()'"\s]/.exec(path);
  if (bad) return `contains "${bad[0]}" (no # ; , ? : @ + & $ ( ) ' " or spaces)`;
  return undefined;
}

/** Compares two exact x.y.z versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** An exact x.y.z version (what twilio-run and the platform demand for the handler), not a range. */
export const isExactVersion = (version: string): boolean => /^\d+\.\d+\.\d+$/.test(version);

export const isListedHandler = (version: string): boolean => (LISTED_HANDLER_VERSIONS as readonly string[]).includes(version);

export const isAcceptedRuntime = (runtime: string): boolean => (ACCEPTED_RUNTIMES as readonly string[]).includes(runtime);

/**
 * The platform's answer to a Build's runtime and handler version, as the emulated API gives it: undefined
 * when it builds, else the Twilio error code and message.
 */
export function refuseBuild(runtime: string, handlerVersion: string | undefined): { code: number; message: string } | undefined {
  if (handlerVersion !== undefined && !isListedHandler(handlerVersion)) {
    return {
      code: 20001,
      message: `Some dependencies could not be validated. No matching version found for ${RUNTIME_HANDLER_PACKAGE}@${handlerVersion}. You can find the valid versions at ${HANDLER_PAGE}`,
    };
  }
  if (!isAcceptedRuntime(runtime)) return { code: 82007, message: `Unsupported Runtime: ${runtime}` };
  if (runtime === 'node24' && handlerVersion !== undefined && compareVersions(handlerVersion, NODE24_MIN_HANDLER) < 0) {
    return { code: 20001, message: `${RUNTIME_HANDLER_PACKAGE}@${handlerVersion} cannot run on node24: upgrade it to 2.1.2 or later` };
  }
  return undefined;
}
