// Deployments (list, create, fetch): putting a completed Build on an Environment. The environment's domain
// then serves that build with the environment's Variables (and the account's credentials when the Service
// includes them), and the Deployment is answered once the build answers there.
import { sendJson } from '../shared/http';
import { deploymentResource } from './resources';
import { environmentOf, fail, itemOf, sendPage, SERVICE, text, twilioError, type Ctx, type Route } from './routing';

async function createDeployment(ctx: Ctx) {
  const { state, res } = ctx;
  const found = environmentOf(ctx);
  if (!found) return;
  const { service, environment } = found;
  const buildSid = text(ctx.params, 'BuildSid');
  if (!buildSid) return fail(res, twilioError(20001, 'Missing required parameter BuildSid in the post body'));
  const build = state.builds.find((b) => b.service_sid === service.sid && b.sid === buildSid);
  if (!build) return fail(res, twilioError(20404, `Build ${buildSid} was not found`, 404));
  if (build.status !== 'completed') return fail(res, twilioError(20001, `Build ${buildSid} is ${build.status}: only a completed build can be deployed`));
  const variables = Object.fromEntries(state.variables.filter((v) => v.environment_sid === environment.sid).map((v) => [v.key, v.value]));
  await state.platform.serve(environment, build, variables, service);
  environment.build_sid = build.sid;
  const deployment = deploymentResource(environment, build.sid, state.config.now());
  state.deployments.push(deployment);
  sendJson(res, 201, deployment);
}

export const DEPLOYMENT_ROUTES: readonly Route[] = [
  {
    pattern: new RegExp(`${SERVICE}/Environments/([^/]+)/Deployments$`),
    host: 'api',
    methods: {
      GET: (ctx) => {
        const found = environmentOf(ctx);
        if (found) sendPage(ctx, ctx.state.deployments.filter((d) => d.environment_sid === found.environment.sid), 'deployments');
      },
      POST: createDeployment,
    },
  },
  {
    pattern: new RegExp(`${SERVICE}/Environments/([^/]+)/Deployments/([^/]+)$`),
    host: 'api',
    methods: {
      GET: (ctx) => {
        const found = environmentOf(ctx);
        const deployment = found && itemOf(ctx, ctx.state.deployments.filter((d) => d.environment_sid === found.environment.sid), 3);
        if (deployment) sendJson(ctx.res, 200, deployment);
      },
    },
  },
];
