// What the Serverless emulator's resource modules share: its settings, the resources of the account, the
// uploaded contents of Function and Asset Versions, and how an environment is served (build-host.ts).
import type {
  BuildResource,
  DeploymentResource,
  EnvironmentResource,
  NamedResource,
  ServiceResource,
  VariableResource,
  VersionResource,
} from './resources';

export interface ServerlessConfig {
  readonly accountSid: string;
  readonly authToken: string;
  readonly now: () => Date;
}

/** A Function or Asset Version with what was uploaded. */
export interface StoredVersion {
  readonly resource: VersionResource;
  readonly kind: 'function' | 'asset';
  readonly content: Buffer;
}

/** What serves the environments' domains: builds are prepared, then served, by build-host.ts. */
export interface Platform {
  /** A new environment's domain (`localhost:PORT`), listening from now on (404 until a build is served there). */
  openDomain(): Promise<string>;
  /** Installs and lays out a build; resolves when it is ready to serve, rejects when it failed. */
  prepareBuild(build: BuildResource, versions: readonly StoredVersion[]): Promise<void>;
  /** Serves a prepared build at the environment's domain with these variables; resolves once it answers. */
  serve(environment: EnvironmentResource, build: BuildResource, variables: Readonly<Record<string, string>>, service: ServiceResource): Promise<void>;
}

export interface ServerlessState {
  readonly config: ServerlessConfig;
  readonly platform: Platform;
  readonly services: ServiceResource[];
  readonly environments: EnvironmentResource[];
  readonly functions: NamedResource[];
  readonly assets: NamedResource[];
  readonly versions: StoredVersion[];
  readonly builds: BuildResource[];
  readonly deployments: DeploymentResource[];
  readonly variables: VariableResource[];
}

export function createState(config: ServerlessConfig, platform: Platform): ServerlessState {
  return { config, platform, services: [], environments: [], functions: [], assets: [], versions: [], builds: [], deployments: [], variables: [] };
}
