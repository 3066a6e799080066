// Services: the container of a deployed application (list, create, fetch). A unique name is what the
// domain is made of: at most 50 letters, digits and dashes (Twilio's "Create a Service" page).
import { sendJson } from '../shared/http';
import { serviceResource } from './resources';
import { fail, required, sendPage, serviceOf, text, twilioError, type Ctx, type Route } from './routing';

function createService(ctx: Ctx) {
  const { state, params, res } = ctx;
  const uniqueName = required(ctx, 'UniqueName', 50);
  if (!uniqueName) return;
  if (!/^[A-Za-z0-9-]+$/.test(uniqueName)) return fail(res, twilioError(20001, 'UniqueName may only contain letters, numbers, and dashes'));
  const friendlyName = required(ctx, 'FriendlyName', 255);
  if (!friendlyName) return;
  if (state.services.some((s) => s.unique_name === uniqueName)) return fail(res, twilioError(20409, `Service with UniqueName ${uniqueName} already exists`, 409));
  const service = serviceResource(state.config.accountSid, uniqueName, friendlyName, text(params, 'IncludeCredentials') !== 'false', text(params, 'UiEditable') === 'true', state.config.now());
  state.services.push(service);
  sendJson(res, 201, service);
}

export const SERVICE_ROUTES: readonly Route[] = [
  { pattern: /^\/v1\/Services$/, host: 'api', methods: { GET: (ctx) => sendPage(ctx, ctx.state.services, 'services'), POST: createService } },
  {
    pattern: /^\/v1\/Services\/([^/]+)$/,
    host: 'api',
    methods: {
      GET: (ctx) => {
        const service = serviceOf(ctx);
        if (service) sendJson(ctx.res, 200, service);
      },
    },
  },
];
