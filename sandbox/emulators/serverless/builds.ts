// Builds (list, create, fetch) and Build Status. A Build names Function and Asset Versions of its Service,
// the Dependencies to install and the Runtime; the platform refuses a handler version it does not list
// (20001) and a runtime it does not run (82007) at once, then builds in the background: status `building`,
// then `completed` once its dependencies are installed (build-host.ts), or `failed`.
import { DEFAULT_RUNTIME, LIMITS, refuseBuild, RUNTIME_HANDLER_PACKAGE } from '../../../scripts/twilio/platform-rules';
import { all, sendJson } from '../shared/http';
import { iso } from '../twilio/resources/common';
import { buildResource, type BuildResource, type VersionResource } from './resources';
import { fail, itemOf, sendPage, serviceOf, SERVICE, text, twilioError, type Ctx, type Route } from './routing';
import type { StoredVersion } from './state';

type Dependency = { name: string; version: string };

/**
 * The Dependencies parameter: a JSON list of { name, version }. twilio-run sends it wrapped in one more pair
 * of double quotes (serverless-api's triggerBuild), which the platform accepts.
 */
export function parseDependencies(value: string | undefined): Dependency[] | undefined {
  if (value === undefined || value.trim() === '') return [];
  const unquoted = /^"[\s\S]*"$/.test(value) ? value.slice(1, -1) : value;
  try {
    const parsed: unknown = JSON.parse(unquoted);
    if (!Array.isArray(parsed)) return undefined;
    const valid = parsed.every((d) => typeof d === 'object' && d !== null && typeof d.name === 'string' && typeof d.version === 'string');
    return valid ? (parsed as Dependency[]) : undefined;
  } catch {
    return undefined;
  }
}

function createBuild(ctx: Ctx) {
  const { state, params, res } = ctx;
  const service = serviceOf(ctx);
  if (!service) return;
  const ofService = state.versions.filter((v) => v.resource.service_sid === service.sid);
  const pick = (kind: 'function' | 'asset', key: string): StoredVersion[] | string => {
    const picked: StoredVersion[] = [];
    for (const sid of all(params, key)) {
      const version = ofService.find((v) => v.kind === kind && v.resource.sid === sid);
      if (!version) return `${key} has ${sid}, which is no ${kind} version of this Service`;
      picked.push(version);
    }
    return picked;
  };
  const functions = pick('function', 'FunctionVersions');
  if (typeof functions === 'string') return fail(res, twilioError(20001, functions));
  const assets = pick('asset', 'AssetVersions');
  if (typeof assets === 'string') return fail(res, twilioError(20001, assets));
  if (functions.length + assets.length === 0) return fail(res, twilioError(20001, 'At least one function version or asset version is required'));
  const privateAssets = assets.filter((a) => a.resource.visibility === 'private').length;
  if (functions.length > LIMITS.functionsPerBuild || privateAssets > LIMITS.privateAssetsPerBuild || assets.length - privateAssets > LIMITS.publicAssetsPerBuild) {
    return fail(res, twilioError(20001, `A build can contain up to ${LIMITS.functionsPerBuild} Function versions, ${LIMITS.privateAssetsPerBuild} private and ${LIMITS.publicAssetsPerBuild} public or protected asset versions`));
  }
  const dependencies = parseDependencies(text(params, 'Dependencies'));
  if (!dependencies) return fail(res, twilioError(20001, 'Dependencies must be a JSON list of { "name", "version" }'));
  // No Runtime: the one of the Service's last successful build, else the default (error 82007's causes).
  const lastBuilt = [...state.builds].reverse().find((b) => b.service_sid === service.sid && b.status === 'completed');
  const runtime = text(params, 'Runtime') ?? lastBuilt?.runtime ?? DEFAULT_RUNTIME;
  const refused = refuseBuild(runtime, dependencies.find((d) => d.name === RUNTIME_HANDLER_PACKAGE)?.version);
  if (refused) return fail(res, twilioError(refused.code, refused.message));

  const resources = (versions: StoredVersion[]): VersionResource[] => versions.map((v) => v.resource);
  const build = buildResource(service, { functions: resources(functions), assets: resources(assets) }, dependencies, runtime, state.config.now());
  state.builds.push(build);
  sendJson(res, 201, build);
  const finish = (status: BuildResource['status']) => {
    build.status = status;
    build.date_updated = iso(state.config.now());
  };
  state.platform.prepareBuild(build, [...functions, ...assets]).then(
    () => finish('completed'),
    () => finish('failed'),
  );
}

export const BUILD_ROUTES: readonly Route[] = [
  {
    pattern: new RegExp(`${SERVICE}/Builds$`),
    host: 'api',
    methods: {
      GET: (ctx) => {
        const service = serviceOf(ctx);
        if (service) sendPage(ctx, ctx.state.builds.filter((b) => b.service_sid === service.sid), 'builds');
      },
      POST: createBuild,
    },
  },
  {
    pattern: new RegExp(`${SERVICE}/Builds/([^/]+)$`),
    host: 'api',
    methods: {
      GET: (ctx) => {
        const service = serviceOf(ctx);
        const build = service && itemOf(ctx, ctx.state.builds.filter((b) => b.service_sid === service.sid), 2);
        if (build) sendJson(ctx.res, 200, build);
      },
    },
  },
  {
    pattern: new RegExp(`${SERVICE}/Builds/([^/]+)/Status$`),
    host: 'api',
    methods: {
      GET: (ctx) => {
        const service = serviceOf(ctx);
        const build = service && itemOf(ctx, ctx.state.builds.filter((b) => b.service_sid === service.sid), 2);
        if (build) sendJson(ctx.res, 200, { sid: build.sid, account_sid: build.account_sid, service_sid: build.service_sid, status: build.status, url: `${build.url}/Status` });
      },
    },
  },
];
