// What Functions and Assets share, since the API gives them the same shape: list, create and fetch, and
// their Versions (created by a multipart upload to serverless-upload.twilio.com with Path, Visibility and
// Content; listed and fetched on the API host). functions.ts and assets.ts name their routes. An upload is checked as the platform
// does: a path it takes, a known visibility, content within the size limits (413 beyond them).
import { LIMITS, pathProblem } from '../../../scripts/twilio/platform-rules';
import { sendJson } from '../shared/http';
import { namedResource, versionResource, type NamedResource, type Visibility } from './resources';
import { fail, itemOf, required, sendPage, serviceOf, SERVICE, text, twilioError, type Ctx, type Route } from './routing';
import type { ServerlessState } from './state';

export type Kind = 'function' | 'asset';
const VISIBILITIES: readonly Visibility[] = ['public', 'protected', 'private'];

const listOf = (state: ServerlessState, kind: Kind): NamedResource[] => (kind === 'function' ? state.functions : state.assets);

function create(kind: Kind) {
  return (ctx: Ctx) => {
    const service = serviceOf(ctx);
    if (!service) return;
    const friendlyName = required(ctx, 'FriendlyName', 255);
    if (!friendlyName) return;
    const resource = namedResource(kind, service, friendlyName, ctx.state.config.now());
    listOf(ctx.state, kind).push(resource);
    sendJson(ctx.res, 201, resource);
  };
}

function parentOf(ctx: Ctx, kind: Kind): NamedResource | undefined {
  const service = serviceOf(ctx);
  return service && itemOf(ctx, listOf(ctx.state, kind).filter((r) => r.service_sid === service.sid), 2);
}

function createVersion(kind: Kind) {
  return (ctx: Ctx) => {
    const { res, params, upload } = ctx;
    const parent = parentOf(ctx, kind);
    if (!parent) return;
    const rawPath = text(params, 'Path');
    if (!rawPath) return fail(res, twilioError(20001, 'Missing required parameter Path in the post body'));
    // "If a Version creation request is submitted with a path not containing a leading slash, the path will
    // automatically be prepended with one" (Function Version reference).
    const path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
    const problem = pathProblem(path);
    if (problem) return fail(res, twilioError(20001, `Path ${problem}`));
    const visibility = text(params, 'Visibility') as Visibility | undefined;
    if (!visibility || !VISIBILITIES.includes(visibility)) return fail(res, twilioError(20001, 'Visibility must be public, protected or private'));
    if (!upload) return fail(res, twilioError(20001, 'Missing required parameter Content in the post body'));
    const max = visibility === 'private' ? LIMITS.privateAssetBytes : LIMITS.publicAssetBytes;
    if (upload.content.length > max) return fail(res, twilioError(20413, `Content is larger than ${max} bytes`, 413));
    const resource = versionResource(parent, kind, path, visibility, ctx.state.config.now());
    ctx.state.versions.push({ resource, kind, content: upload.content });
    sendJson(ctx.res, 201, resource);
  };
}

export function versionedRoutes(kind: Kind, collection: 'Functions' | 'Assets', key: string): Route[] {
  const versionsKey = kind === 'function' ? 'function_versions' : 'asset_versions';
  const versionsOf = (ctx: Ctx, parent: NamedResource) => ctx.state.versions.filter((v) => v.kind === kind && (v.resource.function_sid ?? v.resource.asset_sid) === parent.sid).map((v) => v.resource);
  return [
    {
      pattern: new RegExp(`${SERVICE}/${collection}$`),
      host: 'api',
      methods: {
        GET: (ctx) => {
          const service = serviceOf(ctx);
          if (service) sendPage(ctx, listOf(ctx.state, kind).filter((r) => r.service_sid === service.sid), key);
        },
        POST: create(kind),
      },
    },
    {
      pattern: new RegExp(`${SERVICE}/${collection}/([^/]+)$`),
      host: 'api',
      methods: {
        GET: (ctx) => {
          const parent = parentOf(ctx, kind);
          if (parent) sendJson(ctx.res, 200, parent);
        },
      },
    },
    { pattern: new RegExp(`${SERVICE}/${collection}/([^/]+)/Versions$`), host: 'upload', methods: { POST: createVersion(kind) } },
    {
      pattern: new RegExp(`${SERVICE}/${collection}/([^/]+)/Versions$`),
      host: 'api',
      methods: {
        GET: (ctx) => {
          const parent = parentOf(ctx, kind);
          if (parent) sendPage(ctx, versionsOf(ctx, parent), versionsKey);
        },
      },
    },
    {
      pattern: new RegExp(`${SERVICE}/${collection}/([^/]+)/Versions/([^/]+)$`),
      host: 'api',
      methods: {
        GET: (ctx) => {
          const parent = parentOf(ctx, kind);
          const version = parent && itemOf(ctx, versionsOf(ctx, parent), 3);
          if (version) sendJson(ctx.res, 200, version);
        },
      },
    },
  ];
}

