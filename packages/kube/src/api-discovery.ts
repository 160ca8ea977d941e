import type { KubeConfig } from '@kubernetes/client-node';
import { CapstanError } from '@capstan/errors';
import { kubeGetJson } from './kube-get-json.ts';
import { KubeTransport } from './kube-transport.ts';

/** One resource type a cluster serves, at its preferred version. */
export interface ApiResourceInfo {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural resource name used in URLs, e.g. `deployments`. */
  readonly resource: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

export interface ServerVersion {
  readonly major: string;
  readonly minor: string;
  readonly gitVersion: string;
}

export interface ClusterApis {
  readonly version: ServerVersion;
  /** Preferred version of each group, subresources left out. */
  readonly resources: readonly ApiResourceInfo[];
  /** Every `group/version` (or `v1`) served, for Helm's `.Capabilities.APIVersions`. */
  readonly apiVersions: readonly string[];
}

interface ApiResourceList {
  readonly resources?: readonly {
    readonly name: string;
    readonly kind: string;
    readonly namespaced: boolean;
    readonly verbs?: readonly string[];
  }[];
}

interface ApiGroupList {
  readonly groups?: readonly {
    readonly name: string;
    readonly versions: readonly { readonly groupVersion: string; readonly version: string }[];
    readonly preferredVersion?: { readonly groupVersion: string; readonly version: string };
  }[];
}

/** The kinds one group/version serves, subresources left out. */
export async function groupVersionResources(
  source: KubeConfig | KubeTransport,
  group: string,
  version: string,
): Promise<ApiResourceInfo[]> {
  const list = await kubeGetJson<ApiResourceList>(source, groupVersionPath(group, version));
  return toResources(group, version, list);
}

function toResources(group: string, version: string, list: ApiResourceList): ApiResourceInfo[] {
  const resources: ApiResourceInfo[] = [];
  for (const r of list.resources ?? []) {
    if (r.name.includes('/')) continue;
    resources.push({
      group,
      version,
      kind: r.kind,
      resource: r.name,
      namespaced: r.namespaced,
      verbs: r.verbs ?? [],
    });
  }
  return resources;
}

/** The API path of a group/version: `/api/v1` for core, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/**
 * Discovers what a cluster serves: server version, the preferred version of every resource type, and
 * all group versions. Group versions that fail to answer (an aggregated API that is down) are left out
 * rather than failing discovery, as kubectl does. Given a cluster's transport, the requests are rate-limited
 * and counted.
 */
export async function discoverClusterApis(source: KubeConfig | KubeTransport): Promise<ClusterApis> {
  // One transport for the whole walk, so its connections are reused.
  const kc = source instanceof KubeTransport ? source : new KubeTransport(source);
  const version = await kubeGetJson<ServerVersion>(kc, '/version');
  const groups = await kubeGetJson<ApiGroupList>(kc, '/apis');
  const targets: { group: string; version: string; preferred: boolean }[] = [
    { group: '', version: 'v1', preferred: true },
  ];
  const apiVersions = ['v1'];
  for (const g of groups.groups ?? []) {
    for (const v of g.versions) {
      apiVersions.push(v.groupVersion);
      targets.push({
        group: g.name,
        version: v.version,
        preferred: (g.preferredVersion?.version ?? g.versions[0]?.version) === v.version,
      });
    }
  }
  const lists = await Promise.all(
    targets
      .filter((t) => t.preferred)
      .map(async (t) => {
        try {
          const list = await kubeGetJson<ApiResourceList>(kc, groupVersionPath(t.group, t.version));
          return { t, list };
        } catch (err) {
          if (err instanceof CapstanError && err.code === 'Unauthenticated') throw err;
          return { t, list: { resources: [] } };
        }
      }),
  );
  const resources = lists.flatMap(({ t, list }) => toResources(t.group, t.version, list));
  return { version, resources, apiVersions: [...new Set(apiVersions)].sort() };
}
