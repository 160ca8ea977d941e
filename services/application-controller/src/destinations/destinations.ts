import type { ApplicationDestination } from '@capstan/crds';
import type { ClusterCache } from '@capstan/cluster-cache';
import type { ClusterRef } from '@capstan/engine';
import type { Cluster, ClusterRegistry } from '@capstan/kube';
import type { Logger } from '@capstan/runtime';

export interface Destination {
  readonly cluster: Cluster;
  readonly ref: ClusterRef;
}

export interface CacheEvent {
  readonly server: string;
  readonly appName: string | undefined;
  readonly managedRoot: boolean;
}

/**
 * Resolves an Application's destination to a registered cluster, and owns one cluster cache per cluster
 * in use, started on first need and dropped when the cluster's Secret changes or goes away.
 */
export class Destinations {
  readonly #registry: ClusterRegistry;
  readonly #caches = new Map<string, Promise<ClusterCache>>();
  readonly #makeCache: (cluster: Cluster, onEvent: (e: CacheEvent) => void) => ClusterCache;
  readonly #onEvent: (e: CacheEvent) => void;
  readonly #logger: Logger;
  readonly #unsubscribe: () => void;

  constructor(options: {
    registry: ClusterRegistry;
    makeCache: (cluster: Cluster, onEvent: (e: CacheEvent) => void) => ClusterCache;
    onEvent: (e: CacheEvent) => void;
    logger: Logger;
  }) {
    this.#registry = options.registry;
    this.#makeCache = options.makeCache;
    this.#onEvent = options.onEvent;
    this.#logger = options.logger;
    this.#unsubscribe = this.#registry.on((ev) => {
      if (ev.type === 'added') return;
      const server = ev.cluster.record.server;
      const cache = this.#caches.get(server);
      if (cache === undefined) return;
      this.#caches.delete(server);
      this.#logger.info('cluster registration changed; dropping its cache', { server, event: ev.type });
      void cache.then((c) => c.stop()).catch(() => undefined);
    });
  }

  /** The cluster an Application's destination names, or why there is none (Argo CD's messages). */
  resolve(dest: ApplicationDestination): Destination | { error: string } {
    const server = (dest.server ?? '').replace(/\/+$/, '');
    const name = dest.name ?? '';
    if (server !== '' && name !== '')
      return { error: "application destination can't have both name and server defined" };
    if (server !== '') {
      const cluster = this.#registry.get(server);
      if (cluster === undefined) return { error: `cluster ${server} has not been configured` };
      return { cluster, ref: { server, name: cluster.record.name } };
    }
    if (name === '') return { error: 'application destination server and/or name must be specified' };
    const matches = this.#registry.byName(name);
    if (matches.length === 0) return { error: `there are no clusters with this name: ${name}` };
    if (matches.length > 1)
      return { error: `there are ${matches.length} clusters with the same name: ${name}` };
    const cluster = matches[0] as Cluster;
    return { cluster, ref: { server: cluster.record.server, name } };
  }

  clusters(): Cluster[] {
    return this.#registry.list();
  }

  /** The started cache of a cluster; a cache that failed to start is forgotten so the next call retries. */
  cacheFor(cluster: Cluster): Promise<ClusterCache> {
    const server = cluster.record.server;
    let cache = this.#caches.get(server);
    if (cache === undefined) {
      const created = this.#makeCache(cluster, this.#onEvent);
      cache = created.start().then(() => created);
      cache.catch(() => {
        if (this.#caches.get(server) === cache) this.#caches.delete(server);
        void created.stop().catch(() => undefined);
      });
      this.#caches.set(server, cache);
    }
    return cache;
  }

  /** Whether a cluster's cache has been asked for (it may still be loading). */
  hasCache(server: string): boolean {
    return this.#caches.has(server);
  }

  /** Stops and forgets a cluster's cache: this replica no longer works on the cluster. */
  async drop(server: string): Promise<void> {
    const cache = this.#caches.get(server);
    if (cache === undefined) return;
    this.#caches.delete(server);
    await cache.then((c) => c.stop()).catch(() => undefined);
  }

  /** Caches already started, for metrics. */
  async startedCaches(): Promise<{ server: string; name: string; cache: ClusterCache }[]> {
    const out: { server: string; name: string; cache: ClusterCache }[] = [];
    for (const [server, p] of this.#caches) {
      const cache = await p.catch(() => undefined);
      if (cache !== undefined)
        out.push({ server, name: this.#registry.get(server)?.record.name ?? server, cache });
    }
    return out;
  }

  async stop(): Promise<void> {
    this.#unsubscribe();
    const caches = [...this.#caches.values()];
    this.#caches.clear();
    await Promise.all(caches.map((p) => p.then((c) => c.stop()).catch(() => undefined)));
  }
}
