// The JSON shapes of the Serverless API (v1) resources, as twilio-node's serverless/v1 types and Twilio's
// API reference give them: snake_case fields, ISO 8601 dates, absolute `url`s and `links`.
import { iso, newSid } from '../twilio/resources/common';

export const SERVERLESS_API = 'https://serverless.twilio.com/v1';

export type Visibility = 'public' | 'protected' | 'private';
export type BuildStatus = 'building' | 'completed' | 'failed';

/** SID prefixes: Service, Environment, Function and Asset, their Versions, Build, Deployment, Variable. */
export const SID_PREFIX = { service: 'ZS', environment: 'ZE', function: 'ZH', asset: 'ZH', version: 'ZN', build: 'ZB', deployment: 'ZD', variable: 'ZV' } as const;

export const sidOf = (kind: keyof typeof SID_PREFIX): string => newSid(SID_PREFIX[kind]);

interface Base {
  readonly sid: string;
  readonly account_sid: string;
  date_created: string;
  date_updated?: string;
  readonly url: string;
}

export interface ServiceResource extends Base {
  unique_name: string;
  friendly_name: string;
  include_credentials: boolean;
  ui_editable: boolean;
  readonly domain_base: string;
  readonly links: Record<string, string>;
}

export interface EnvironmentResource extends Base {
  readonly service_sid: string;
  build_sid: string | null;
  readonly unique_name: string;
  readonly domain_suffix: string | null;
  readonly domain_name: string;
  readonly links: Record<string, string>;
}

/** A Function or an Asset (the same shape). */
export interface NamedResource extends Base {
  readonly service_sid: string;
  friendly_name: string;
  readonly links: Record<string, string>;
}

export interface VersionResource extends Base {
  readonly service_sid: string;
  readonly function_sid?: string;
  readonly asset_sid?: string;
  readonly path: string;
  readonly visibility: Visibility;
  readonly links?: Record<string, string>;
}

export interface BuildResource extends Base {
  readonly service_sid: string;
  status: BuildStatus;
  readonly asset_versions: VersionResource[];
  readonly function_versions: VersionResource[];
  readonly dependencies: { name: string; version: string }[];
  readonly runtime: string;
  readonly links: Record<string, string>;
}

export interface DeploymentResource extends Base {
  readonly service_sid: string;
  readonly environment_sid: string;
  readonly build_sid: string;
}

export interface VariableResource extends Base {
  readonly service_sid: string;
  readonly environment_sid: string;
  key: string;
  value: string;
}

const stamp = (now: Date) => ({ date_created: iso(now), date_updated: iso(now) });

export function serviceResource(accountSid: string, uniqueName: string, friendlyName: string, includeCredentials: boolean, uiEditable: boolean, now: Date): ServiceResource {
  const sid = sidOf('service');
  const url = `${SERVERLESS_API}/Services/${sid}`;
  return {
    sid,
    account_sid: accountSid,
    unique_name: uniqueName,
    friendly_name: friendlyName,
    include_credentials: includeCredentials,
    ui_editable: uiEditable,
    domain_base: `${uniqueName}-${String(Math.floor(1000 + Math.random() * 9000))}`,
    ...stamp(now),
    url,
    links: { environments: `${url}/Environments`, functions: `${url}/Functions`, assets: `${url}/Assets`, builds: `${url}/Builds` },
  };
}

export function environmentResource(service: ServiceResource, uniqueName: string, domainSuffix: string | null, domainName: string, now: Date): EnvironmentResource {
  const sid = sidOf('environment');
  const url = `${service.url}/Environments/${sid}`;
  return {
    sid,
    account_sid: service.account_sid,
    service_sid: service.sid,
    build_sid: null,
    unique_name: uniqueName,
    domain_suffix: domainSuffix,
    domain_name: domainName,
    ...stamp(now),
    url,
    links: { variables: `${url}/Variables`, deployments: `${url}/Deployments`, logs: `${url}/Logs` },
  };
}

export function namedResource(kind: 'function' | 'asset', service: ServiceResource, friendlyName: string, now: Date): NamedResource {
  const sid = sidOf(kind);
  const url = `${service.url}/${kind === 'function' ? 'Functions' : 'Assets'}/${sid}`;
  return {
    sid,
    account_sid: service.account_sid,
    service_sid: service.sid,
    friendly_name: friendlyName,
    ...stamp(now),
    url,
    links: kind === 'function' ? { function_versions: `${url}/Versions` } : { asset_versions: `${url}/Versions` },
  };
}

export function versionResource(parent: NamedResource, kind: 'function' | 'asset', path: string, visibility: Visibility, now: Date): VersionResource {
  const sid = sidOf('version');
  const url = `${parent.url}/Versions/${sid}`;
  return {
    sid,
    account_sid: parent.account_sid,
    service_sid: parent.service_sid,
    ...(kind === 'function' ? { function_sid: parent.sid, links: { function_version_content: `${url}/Content` } } : { asset_sid: parent.sid }),
    path,
    visibility,
    date_created: iso(now),
    url,
  };
}

export function buildResource(
  service: ServiceResource,
  versions: { functions: VersionResource[]; assets: VersionResource[] },
  dependencies: { name: string; version: string }[],
  runtime: string,
  now: Date,
): BuildResource {
  const sid = sidOf('build');
  const url = `${service.url}/Builds/${sid}`;
  return {
    sid,
    account_sid: service.account_sid,
    service_sid: service.sid,
    status: 'building',
    function_versions: versions.functions,
    asset_versions: versions.assets,
    dependencies,
    runtime,
    ...stamp(now),
    url,
    links: { build_status: `${url}/Status` },
  };
}

export function deploymentResource(environment: EnvironmentResource, buildSid: string, now: Date): DeploymentResource {
  const sid = sidOf('deployment');
  return {
    sid,
    account_sid: environment.account_sid,
    service_sid: environment.service_sid,
    environment_sid: environment.sid,
    build_sid: buildSid,
    ...stamp(now),
    url: `${environment.url}/Deployments/${sid}`,
  };
}

export function variableResource(environment: EnvironmentResource, key: string, value: string, now: Date): VariableResource {
  const sid = sidOf('variable');
  return {
    sid,
    account_sid: environment.account_sid,
    service_sid: environment.service_sid,
    environment_sid: environment.sid,
    key,
    value,
    ...stamp(now),
    url: `${environment.url}/Variables/${sid}`,
  };
}
