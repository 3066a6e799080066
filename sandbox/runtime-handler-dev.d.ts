// @twilio/runtime-handler exposes its local runtime as the "./dev" export, which TypeScript's
// node10 resolution does not read; these are the same declarations, by file path.
declare module '@twilio/runtime-handler/dev' {
  export { LocalDevelopmentServer } from '@twilio/runtime-handler/dist/dev-runtime/server';
  export type { ServerConfig } from '@twilio/runtime-handler/dist/dev-runtime/types';
}
