// One build deployed to the sandbox's emulated Serverless platform, served in a process of its own (the
// runtime handler keeps its routes and the `Runtime`/`Twilio` globals per process, so two builds, or a
// build and `npm start`'s own Functions, cannot share one). Started by build-host.ts, which sends the build
// over IPC and forwards the environment's domain here; it ends when that process lets go of it.
//
// Served as the platform serves it: the Functions and assets of the build folder, private assets under
// hashed file names, the build's own node_modules (its `dependencies`, nothing else: module resolution stops
// at the build, as nothing sits above /var/task) with the handler version it declared, and the environment
// it was deployed with as the only context.
import Module from 'node:module';
import path from 'node:path';
import type { RouteInfo } from '@twilio/runtime-handler/dev';
import { startFunctionsServer } from './functions-server';

export interface ServeBuildMessage {
  readonly buildDir: string;
  /** The build folder and the real folder of its node_modules: nothing outside them resolves from inside. */
  readonly roots: readonly string[];
  readonly routes: RouteInfo;
  readonly env: Readonly<Record<string, string>>;
  readonly authToken: string;
  readonly domainName: string;
}

export type ServeBuildReply = { readonly port: number } | { readonly error: string };

/** Module lookups from a file inside `roots` see only node_modules folders inside them. */
function fenceModuleResolution(roots: readonly string[]): void {
  const inside = (file: string, root: string) => file === root || file.startsWith(`${root}${path.sep}`);
  const resolver = Module as unknown as { _nodeModulePaths(from: string): string[] };
  const lookupPaths = resolver._nodeModulePaths.bind(resolver);
  resolver._nodeModulePaths = (from: string) => {
    const root = roots.find((r) => inside(from, r));
    return root ? lookupPaths(from).filter((dir) => roots.some((r) => inside(dir, r))) : lookupPaths(from);
  };
}

process.once('message', (message: ServeBuildMessage) => {
  fenceModuleResolution(message.roots);
  startFunctionsServer({
    baseDir: message.buildDir,
    env: message.env,
    authToken: message.authToken,
    routes: message.routes,
    runtimeFrom: message.buildDir,
    domainName: message.domainName,
    onRequestLog: (line) => console.log(line),
  }).then(
    (server) => process.send?.({ port: server.port } satisfies ServeBuildReply),
    (error: unknown) => {
      process.send?.({ error: String(error) } satisfies ServeBuildReply);
      process.exit(1);
    },
  );
});
// The emulator that started this process closed the channel (it stopped, or another build replaced this one).
process.once('disconnect', () => process.exit(0));
