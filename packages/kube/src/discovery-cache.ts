import {
  discoverClusterApis,
  groupVersionResources,
  type ApiResourceInfo,
  type ClusterApis,
} from './api-discovery.ts';
import type { KubeTransport } from './kube-transport.ts';

export interface DiscoveryCacheOptions {
  /** A lookup that misses refreshes discovery at most this often. @default 10000 */
  readonly minRefreshIntervalMs?: number;
  readonly now?: () => number;
}

/** `apps/v1` → ['apps', 'v1']; `v1` → ['', 'v1']. */
function splitApiVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

const key = (apiVersion: string, kind: string): string => `${apiVersion}\u0000${kind}`;

/**
 * What a cluster serves, discovered once and kept: every object the controller reads or writes needs
 * its kind's resource name and scope, and asking the server each time would double the requests. A miss
 * (a CRD installed since) refreshes the whole discovery, but at most once per interval, so a manifest
 * of a kind the cluster really lacks cannot turn every sync into a discovery storm; `invalidate()`
 * refreshes at once when CRDs are known to have changed.
 */
export class DiscoveryCache {
  readonly #transport: KubeTransport;
  readonly #minInterval: number;
  readonly #now: () => number;
  #apis: ClusterApis | undefined;
  #index = new Map<string, ApiResourceInfo>();
  /** Group versions served but not preferred, fetched only when an object asks for them. */
  #extra = new Map<string, Promise<ApiResourceInfo[]>>();
  #loading: Promise<ClusterApis> | undefined;
  #loadedAt = Number.NEGATIVE_INFINITY;

  constructor(transport: KubeTransport, options: DiscoveryCacheOptions = {}) {
    this.#transport = transport;
    this.#minInterval = options.minRefreshIntervalMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** The cluster's discovery, loading it if nothing is cached. */
  async apis(): Promise<ClusterApis> {
    return this.#apis ?? this.#refresh();
  }

  /** The resource serving `kind` at exactly `apiVersion`, or undefined if the cluster has none. */
  async lookup(apiVersion: string, kind: string): Promise<ApiResourceInfo | undefined> {
    const found = await this.#find(await this.apis(), apiVersion, kind);
    if (found !== undefined || this.#now() - this.#loadedAt < this.#minInterval) return found;
    return this.#find(await this.#refresh(), apiVersion, kind);
  }

  /** Forgets everything: the next lookup discovers again (call it when CRDs change). */
  invalidate(): void {
    this.#apis = undefined;
    this.#index = new Map();
    this.#extra = new Map();
    this.#loading = undefined;
    this.#loadedAt = Number.NEGATIVE_INFINITY;
  }

  async #find(apis: ClusterApis, apiVersion: string, kind: string): Promise<ApiResourceInfo | undefined> {
    const hit = this.#index.get(key(apiVersion, kind));
    if (hit !== undefined || !apis.apiVersions.includes(apiVersion)) return hit;
    // A served version that is not the group's preferred one (autoscaling/v1 beside v2, say).
    let extra = this.#extra.get(apiVersion);
    if (extra === undefined) {
      const [group, version] = splitApiVersion(apiVersion);
      const extras = this.#extra;
      extra = groupVersionResources(this.#transport, group, version).catch((err: unknown) => {
        extras.delete(apiVersion);
        throw err;
      });
      extras.set(apiVersion, extra);
    }
    return (await extra).find((r) => r.kind === kind);
  }

  #refresh(): Promise<ClusterApis> {
    if (this.#loading !== undefined) return this.#loading;
    const loading = discoverClusterApis(this.#transport).then(
      (apis) => {
        // An invalidate() while this was under way wins: its caller wants a newer answer than this.
        if (this.#loading !== loading) return apis;
        this.#apis = apis;
        this.#index = new Map(
          apis.resources.map((r) => [key(r.group === '' ? r.version : `${r.group}/${r.version}`, r.kind), r]),
        );
        this.#extra = new Map();
        this.#loadedAt = this.#now();
        this.#loading = undefined;
        return apis;
      },
      (err: unknown) => {
        if (this.#loading === loading) this.#loading = undefined;
        throw err;
      },
    );
    this.#loading = loading;
    return loading;
  }
}
