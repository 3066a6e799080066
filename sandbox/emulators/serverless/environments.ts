// Environments: where a Service is served (list, create, fetch). Each one gets its own domain when it is
// created; the emulator serves it on loopback (`localhost:PORT`, build-host.ts) and answers there once a
// Deployment puts a Build on it.
import { sendJson } from '../shared/http';
import { environmentResource } from './resources';
import { environmentOf, fail, required, sendPage, serviceOf, SERVICE, text, twilioError, type Ctx, type Route } from './routing';

async function createEnvironment(ctx: Ctx) {
  const { state, params, res } = ctx;
  const service = serviceOf(ctx);
  if (!service) return;
  const uniqueName = required(ctx, 'UniqueName', 100);
  if (!uniqueName) return;
  const suffix = text(params, 'DomainSuffix') ?? null;
  if (suffix !== null && (suffix.length > 16 || !/^[A-Za-z0-9-]+$/.test(suffix))) {
    return fail(res, twilioError(20001, 'DomainSuffix must be at most 16 letters, numbers or dashes'));
  }
  const mine = state.environments.filter((e) => e.service_sid === service.sid);
  if (mine.some((e) => e.unique_name === uniqueName)) return fail(res, twilioError(20409, `Environment with UniqueName ${uniqueName} already exists`, 409));
  const domainName = await state.platform.openDomain();
  const environment = environmentResource(service, uniqueName, suffix, domainName, state.config.now());
  state.environments.push(environment);
  sendJson(res, 201, environment);
}

export const ENVIRONMENT_ROUTES: readonly Route[] = [
  {
    pattern: new RegExp(`${SERVICE}/Environments$`),
    host: 'api',
    methods: {
      GET: (ctx) => {
        const service = serviceOf(ctx);
        if (service) sendPage(ctx, ctx.state.environments.filter((e) => e.service_sid === service.sid), 'environments');
      },
      POST: createEnvironment,
    },
  },
  {
    pattern: new RegExp(`${SERVICE}/Environments/([^/]+)$`),
    host: 'api',
    methods: {
      GET: (ctx) => {
        const found = environmentOf(ctx);
        if (found) sendJson(ctx.res, 200, found.environment);
      },
    },
  },
];
