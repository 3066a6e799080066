// Messaging Services (messaging v1): fetch only, for the project's check that its service exists.
import { sendJson } from '../shared/http';
import { messagingServiceResource } from './resources/messaging-service';
import { notFound, type Ctx, type Route } from './routing';
import type { EmulatorState } from './state';

/** Whether a Messaging Service SID exists: one of the configured ones, or any well-formed MG… SID. */
export function serviceExists(state: EmulatorState, sid: string): boolean {
  const services = state.config.messagingServiceSids;
  return services ? services.has(sid) : /^MG[0-9a-fA-F]{32}$/.test(sid);
}

export function fetchService({ state, res, path, match }: Ctx) {
  const { accountSid, now } = state.config;
  return serviceExists(state, match[1]) ? sendJson(res, 200, messagingServiceResource(accountSid, match[1], now())) : notFound(res, path);
}

export const MESSAGING_SERVICE_ROUTES: readonly Route[] = [
  { pattern: /^\/v1\/Services\/([^/]+)$/, account: false, methods: { GET: fetchService } },
];
