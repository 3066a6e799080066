// Variables of an Environment (list, create, fetch, update, delete): Key up to 128 characters, Value up to
// 450 bytes (the Variable resource's reference), one Variable per Key. A Deployment hands them to the build.
import { LIMITS } from '../../../scripts/twilio/platform-rules';
import { sendEmpty, sendJson } from '../shared/http';
import { iso } from '../twilio/resources/common';
import { variableResource, type VariableResource } from './resources';
import { environmentOf, fail, itemOf, required, sendPage, SERVICE, text, twilioError, type Ctx, type Route } from './routing';

/** A value the platform takes, or the error it answers. */
function valueProblem(ctx: Ctx, value: string): boolean {
  if (Buffer.byteLength(value) <= LIMITS.variableValueBytes) return false;
  fail(ctx.res, twilioError(20001, `Value must be at most ${LIMITS.variableValueBytes} bytes`));
  return true;
}

function createVariable(ctx: Ctx) {
  const found = environmentOf(ctx);
  if (!found) return;
  const key = required(ctx, 'Key', LIMITS.variableKeyChars);
  if (!key) return;
  const value = text(ctx.params, 'Value');
  if (value === undefined) return fail(ctx.res, twilioError(20001, 'Missing required parameter Value in the post body'));
  if (valueProblem(ctx, value)) return;
  const variables = ctx.state.variables;
  if (variables.some((v) => v.environment_sid === found.environment.sid && v.key === key)) return fail(ctx.res, twilioError(20409, `Variable ${key} already exists`, 409));
  const variable = variableResource(found.environment, key, value, ctx.state.config.now());
  variables.push(variable);
  sendJson(ctx.res, 201, variable);
}

function variableOf(ctx: Ctx): VariableResource | undefined {
  const found = environmentOf(ctx);
  return found && itemOf(ctx, ctx.state.variables.filter((v) => v.environment_sid === found.environment.sid), 3);
}

export const VARIABLE_ROUTES: readonly Route[] = [
  {
    pattern: new RegExp(`${SERVICE}/Environments/([^/]+)/Variables$`),
    host: 'api',
    methods: {
      GET: (ctx) => {
        const found = environmentOf(ctx);
        if (found) sendPage(ctx, ctx.state.variables.filter((v) => v.environment_sid === found.environment.sid), 'variables');
      },
      POST: createVariable,
    },
  },
  {
    pattern: new RegExp(`${SERVICE}/Environments/([^/]+)/Variables/([^/]+)$`),
    host: 'api',
    methods: {
      GET: (ctx) => {
        const variable = variableOf(ctx);
        if (variable) sendJson(ctx.res, 200, variable);
      },
      POST: (ctx) => {
        const variable = variableOf(ctx);
        if (!variable) return;
        const value = text(ctx.params, 'Value');
        if (value !== undefined && valueProblem(ctx, value)) return;
        variable.key = text(ctx.params, 'Key') ?? variable.key;
        variable.value = value ?? variable.value;
        variable.date_updated = iso(ctx.state.config.now());
        sendJson(ctx.res, 200, variable);
      },
      DELETE: (ctx) => {
        const variable = variableOf(ctx);
        if (!variable) return;
        ctx.state.variables.splice(ctx.state.variables.indexOf(variable), 1);
        sendEmpty(ctx.res, 204);
      },
    },
  },
];
