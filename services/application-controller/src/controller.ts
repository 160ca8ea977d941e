import { existsSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { Gauge } from 'prom-client';
import type { Redis } from 'ioredis';
import type { Application } from '@capstan/crds';
import { ClusterCache } from '@capstan/cluster-cache';
import { CompareWith, HealthAssessor, type KubeObject } from '@capstan/engine';
import { ClusterRegistry, KubeTransport, PatchMetaSource, ResourceClient } from '@capstan/kube';
import { createRepoServerClient } from '@capstan/proto';
import type { Lifecycle, Logger, Metrics } from '@capstan/runtime';
import { AppStore } from './apps/app-store.ts';
import { appInstanceOf } from './destinations/app-instance-of.ts';
import { Destinations } from './destinations/destinations.ts';
import { trackingOf } from './manifests/load-targets.ts';
import { ManifestSource } from './manifests/manifest-source.ts';
import { createControllerMetrics } from './metrics/controller-metrics.ts';
import { kubeAppEvents } from './operations/app-events.ts';
import { OperationProcessor } from './operations/operation-processor.ts';
import { OperationQueue } from './operations/operation-queue.ts';
import { AppReconciler, treeKey } from './refresh/app-reconciler.ts';
import { RefreshQueue } from './refresh/refresh-queue.ts';
import { ShardOwnership } from './sharding/shard-ownership.ts';

/** Where the webhook (and `capstan app get --refresh`) ask for a refresh: `{ "name", "hard" }`. */
export const REFRESH_CHANNEL = 'capstan|app-refresh';

export interface ControllerOptions {
  readonly namespace: string;
  readonly kubeconfigPath: string;
  readonly redis: Redis;
  readonly redisUrl: string;
  readonly repoServerAddress: string;
  readonly repoServerTimeoutMs: number;
  readonly statusProcessors: number;
  readonly operationProcessors: number;
  readonly waveDelayMs: number;
  /** Client-side rate limit towards each Kubernetes API server. */
  readonly kubeClient: { readonly qps: number; readonly burst: number };
  /** This replica's name among its peers; hostname and pid when empty. */
  readonly replicaId: string;
  /** How long a replica's hold on a cluster outlives its last heartbeat. */
  readonly leaseMs: number;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly lifecycle: Lifecycle;
}

function ownKubeConfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  if (path !== '') {
    kc.loadFromFile(path);
    return kc;
  }
  const inPod = (process.env['KUBERNETES_SERVICE_HOST'] ?? '') !== '';
  const fromEnv = (process.env['KUBECONFIG'] ?? '') !== '';
  const fromHome = existsSync(join(homedir(), '.kube', 'config'));
  // client-node would otherwise fall back to http://localhost:8080 and fail with a puzzling TLS message.
  if (!inPod && !fromEnv && !fromHome)
    throw new Error(
      'no Kubernetes API server to manage: set CAPSTAN_KUBECONFIG or KUBECONFIG, or run in a pod with a service account',
    );
  kc.loadFromDefault();
  return kc;
}

/**
 * The application-controller's moving parts, wired: watches feed a refresh queue, refreshes compare and
 * may start operations, operations run as BullMQ steps, and deletions run through the same queue.
 */
export async function startController(o: ControllerOptions): Promise<{ ready: () => Promise<void> }> {
  const kc = ownKubeConfig(o.kubeconfigPath);
  const replicaId = o.replicaId !== '' ? o.replicaId : `${hostname()}-${process.pid}`;
  const logger = o.logger.child({ replica: replicaId });
  const now = (): Date => new Date();
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  // Parts the watches' callbacks reach before they exist: the callbacks only fire once start() runs.
  const late: {
    destinations?: Destinations;
    refreshes?: RefreshQueue;
    operations?: OperationQueue;
    ownership?: ShardOwnership;
  } = {};
  const metrics = createControllerMetrics(o.metrics.registry, async () =>
    ((await late.destinations?.startedCaches()) ?? []).map(({ server, name, cache }) => {
      const info = cache.info();
      return {
        server,
        name,
        serverVersion: info.serverVersion,
        objectCount: info.objectCount,
        apiResourceCount: info.apiResourceCount,
        connected: info.connectionState === 'Successful',
      };
    }),
  );

  let health = new HealthAssessor();
  // The shard an app belongs to: its destination cluster, or '' while its destination names none.
  const clusterKeyOfApp = (app: Application): string => {
    const dest = late.destinations?.resolve(app.spec.destination);
    return dest === undefined || 'error' in dest ? '' : dest.cluster.record.server;
  };
  const clusterKeyOf = (name: string): string | undefined => {
    const app = store.app(name);
    return app === undefined ? undefined : clusterKeyOfApp(app);
  };
  const owns = (name: string): boolean => {
    const key = clusterKeyOf(name);
    return key !== undefined && late.ownership?.owns(key) === true;
  };
  // Only the replica owning an app's cluster refreshes it; everyone else drops the request.
  const requestRefresh = (name: string, req: { level: 0 | 1 | 2 | 3; hard: boolean }, delayMs = 0): void => {
    if (owns(name)) late.refreshes?.request(name, req, delayMs);
  };
  const enqueueOperation = async (name: string): Promise<void> => {
    await late.operations?.enqueue(name);
  };
  // Fire and forget, from callbacks that cannot wait: a failure is logged, and the sweep asks again.
  const enqueueSoon = (name: string): void =>
    void enqueueOperation(name).catch((e: unknown) => logger.warn('enqueue failed', { error: String(e) }));
  const needsOperation = (app: Application): boolean =>
    app.operation !== undefined ||
    app.metadata.deletionTimestamp !== undefined ||
    app.status?.operationState?.phase === 'Running' ||
    app.status?.operationState?.phase === 'Terminating';

  const store: AppStore = new AppStore({
    kubeConfig: kc,
    namespace: o.namespace,
    logger: logger.child({ component: 'app-store' }),
    events: {
      onApp: (type, app, old) => {
        const name = app.metadata.name ?? '';
        if (type === 'delete') {
          metrics.removeApp(app);
          void o.redis.del(treeKey(app.metadata.namespace ?? '', name)).catch(() => undefined);
          return;
        }
        if (!owns(name)) {
          // Not ours (any more): its metrics series belong to the replica that owns it.
          metrics.removeApp(app);
          return;
        }
        if (needsOperation(app)) enqueueSoon(name);
        const specChanged = old !== undefined && JSON.stringify(old.spec) !== JSON.stringify(app.spec);
        const due = reconciler.due(app, type === 'add' || specChanged ? CompareWith.Latest : undefined);
        if (due !== undefined) requestRefresh(name, due);
      },
      onSettings: (s) => {
        health = new HealthAssessor({ customizations: s.healthCustomizations });
        for (const app of store.apps())
          requestRefresh(app.metadata.name ?? '', { level: CompareWith.Latest, hard: false });
      },
    },
  });
  const patchMetas = new Map<string, PatchMetaSource>();
  // One transport per cluster, shared by its cache and its resource client: one rate limit, one count.
  const registry = new ClusterRegistry({
    kubeConfig: kc,
    namespace: o.namespace,
    onError: (err) => logger.warn('cluster secret ignored', { error: err.message }),
    transportOptions: {
      qps: o.kubeClient.qps,
      burst: o.kubeClient.burst,
      onRequest: (r) =>
        metrics.k8sRequests.inc({
          server: r.server,
          verb: r.verb,
          resource_kind: r.resourceKind,
          response_code: String(r.status),
        }),
    },
  });
  const destinations = new Destinations({
    registry,
    logger: logger.child({ component: 'destinations' }),
    makeCache: (cluster, onEvent) => {
      const settings = store.settings();
      const tracking = trackingOf(settings);
      const server = cluster.record.server;
      return new ClusterCache({
        kubeConfig: cluster.kubeConfig,
        server,
        appOf: (obj) => appInstanceOf(obj as KubeObject, tracking),
        exclusions: settings.exclusions.map((r) => ({
          apiGroups: [...r.apiGroups],
          kinds: [...r.kinds],
          clusters: [...r.clusters],
        })),
        healthOf: (obj) => health.resourceHealthSync(obj as KubeObject),
        onChange: (ev) => {
          if (ev.node.kind === 'CustomResourceDefinition') {
            // New or removed kinds: the resource client and the patch metadata must learn them.
            cluster.resources.invalidateDiscovery();
            patchMetas.get(server)?.invalidate();
          }
          onEvent({ server, appName: ev.appName, managedRoot: ev.managedRoot });
          if (ev.previousAppName !== undefined)
            onEvent({ server, appName: ev.previousAppName, managedRoot: ev.managedRoot });
        },
        transport: cluster.transport,
        ...(cluster.record.namespaces.length > 0 ? { namespaces: [...cluster.record.namespaces] } : {}),
      });
    },
    onEvent: (ev) => {
      if (ev.appName === undefined) return;
      // Instance names outside the control-plane namespace are `<ns>_<name>`; only ours are handled here.
      if (ev.appName.includes('_')) return;
      requestRefresh(
        ev.appName,
        { level: ev.managedRoot ? CompareWith.Recent : CompareWith.Nothing, hard: false },
        250,
      );
      // A running operation may be waiting on exactly this change (a hook done, a resource healthy).
      const app = store.app(ev.appName);
      if (app !== undefined && needsOperation(app) && owns(ev.appName))
        void late.operations?.wake(ev.appName).catch(() => undefined);
    },
  });
  const apps = new ResourceClient({ kubeConfig: kc, transport: new KubeTransport(kc, o.kubeClient) });
  const repoClient = createRepoServerClient({
    address: o.repoServerAddress,
    timeoutMs: o.repoServerTimeoutMs,
  });
  const manifests = new ManifestSource({
    client: repoClient,
    repositories: () => store.repositories(),
    timeoutMs: o.repoServerTimeoutMs,
  });
  const events = kubeAppEvents(kc, logger, now, replicaId);
  const reconciler = new AppReconciler({
    store,
    destinations,
    manifests,
    apps,
    redis: o.redis,
    metrics,
    logger: logger.child({ component: 'refresh' }),
    now,
    enqueueOperation,
    requestRefresh,
    health: () => health,
  });
  const processor = new OperationProcessor({
    store,
    destinations,
    manifests,
    apps,
    patchMeta: (server) => {
      let meta = patchMetas.get(server);
      if (meta === undefined) {
        const cluster = registry.get(server);
        meta = new PatchMetaSource(cluster?.resources ?? apps);
        patchMetas.set(server, meta);
      }
      return meta;
    },
    metrics,
    events,
    logger: logger.child({ component: 'operations' }),
    now,
    sleep,
    health: () => health,
    waveDelayMs: o.waveDelayMs,
    requestRefresh,
  });
  late.destinations = destinations;
  const refreshes = new RefreshQueue(async (name, req) => {
    if (!owns(name)) return;
    try {
      await reconciler.refresh(name, req);
    } catch (err) {
      logger.warn('refresh failed; retrying', { app: name, error: (err as Error).message });
      refreshes.request(name, req, 5000);
    }
  }, o.statusProcessors);
  const operations = new OperationQueue({
    redisUrl: o.redisUrl,
    redis: o.redis,
    namespace: o.namespace,
    concurrency: o.operationProcessors,
    clusterKeyOf,
    owns: (key) => late.ownership?.owns(key) === true,
    leaseMs: o.leaseMs,
    replicaId,
    logger: logger.child({ component: 'operation-queue' }),
    process: (name) => processor.process(name),
  });
  late.refreshes = refreshes;
  late.operations = operations;
  // Clusters whose cache has had its first load (or failed it: an unreachable cluster must not keep a
  // replica unready forever, which would stall a rolling update).
  const loaded = new Set<string>();
  const appsOf = (key: string): Application[] => store.apps().filter((a) => clusterKeyOfApp(a) === key);
  const ownership = new ShardOwnership({
    redis: o.redis,
    namespace: o.namespace,
    replicaId,
    leaseMs: o.leaseMs,
    keys: () => ['', ...registry.list().map((c) => c.record.server)],
    logger: logger.child({ component: 'sharding' }),
    onAcquired: (key) => {
      operations.startWorking(key);
      // Operations first: they were cut off mid-way and resume now (each step waits for the cache).
      for (const app of appsOf(key)) if (needsOperation(app)) enqueueSoon(app.metadata.name ?? '');
      const refreshAll = (): void => {
        if (!ownership.owns(key)) return;
        loaded.add(key);
        for (const app of appsOf(key))
          requestRefresh(app.metadata.name ?? '', { level: CompareWith.Latest, hard: false });
      };
      const cluster = key === '' ? undefined : registry.get(key);
      // Load the cache now (readiness waits for it); the refreshes of every app follow once it is
      // loaded, so they do not compete with the load and with resuming operations.
      if (cluster === undefined) refreshAll();
      else void destinations.cacheFor(cluster).then(refreshAll, refreshAll);
    },
    onReleased: async (key) => {
      loaded.delete(key);
      await operations.stopWorking(key);
      if (key !== '') await destinations.drop(key);
      for (const app of appsOf(key)) metrics.removeApp(app);
    },
  });
  late.ownership = ownership;
  new Gauge({
    name: 'capstan_controller_shard_owned',
    help: "Clusters this replica owns (1 per cluster; '(none)' is the share of apps whose destination resolves to no cluster).",
    labelNames: ['cluster', 'replica'],
    registers: [o.metrics.registry],
    collect() {
      this.reset();
      for (const key of ownership.held())
        this.set({ cluster: key === '' ? '(none)' : key, replica: replicaId }, 1);
    },
  });

  await registry.start();
  await store.start();
  health = new HealthAssessor({ customizations: store.settings().healthCustomizations });
  await ownership.start();

  // Time-based refreshes (timeout.reconciliation, with jitter inside refreshLevel's expiry check).
  const sweep = setInterval(() => {
    for (const app of store.apps()) {
      if (!ownership.owns(clusterKeyOfApp(app))) continue;
      const due = reconciler.due(app);
      if (due !== undefined) requestRefresh(app.metadata.name ?? '', due);
      // The CRs are the truth: an operation whose queued step vanished (Redis wiped or restarted) is
      // queued again. The pending marker makes this a no-op while a step is already waiting.
      if (needsOperation(app)) enqueueSoon(app.metadata.name ?? '');
    }
  }, 5000);
  sweep.unref();

  // Refresh requests published on Redis by the API server and webhooks.
  const subscriber = o.redis.duplicate();
  await subscriber.subscribe(REFRESH_CHANNEL);
  subscriber.on('message', (_channel: string, message: string) => {
    try {
      const { name, hard } = JSON.parse(message) as { name?: string; hard?: boolean };
      if (typeof name === 'string' && name !== '')
        requestRefresh(name, { level: CompareWith.LatestForceResolve, hard: hard === true });
    } catch {
      logger.warn('ignoring a malformed refresh request', { message: message.slice(0, 200) });
    }
  });

  o.lifecycle.add('application controller', async () => {
    clearInterval(sweep);
    // Hands this replica's clusters over at once rather than after a lease period.
    await ownership.stop();
    refreshes.close();
    await subscriber.quit().catch(() => undefined);
    await operations.close();
    await store.stop();
    await registry.stop();
    await destinations.stop();
    repoClient.close();
  });

  return {
    // Not ready until this replica holds its share of the clusters and has loaded their caches.
    ready: async () => {
      if (!ownership.settled()) throw new Error('has not yet taken its share of the clusters');
      const loading = ownership.held().filter((key) => !loaded.has(key));
      if (loading.length > 0) throw new Error(`still loading the caches of ${loading.join(', ')}`);
    },
  };
}
