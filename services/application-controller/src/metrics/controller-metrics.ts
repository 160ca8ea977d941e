import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Application } from '@capstan/crds';
import { isAutomatedSyncEnabled, projectName } from '@capstan/engine';

/** Argo CD's controller metrics, by the same names and labels, so existing dashboards and alerts work. */
export interface ControllerMetrics {
  setApp(app: Application): void;
  removeApp(app: Application): void;
  readonly syncTotal: Counter<'namespace' | 'name' | 'project' | 'dest_server' | 'phase' | 'dry_run'>;
  readonly reconcile: Histogram<'namespace' | 'dest_server'>;
  readonly k8sRequests: Counter<'server' | 'verb' | 'resource_kind' | 'response_code'>;
  readonly clusterInfo: Gauge<'server' | 'name' | 'k8s_version'>;
  readonly clusterObjects: Gauge<'server' | 'name'>;
  readonly clusterApiResources: Gauge<'server' | 'name'>;
  readonly clusterConnection: Gauge<'server' | 'name' | 'k8s_version'>;
}

const appLabels = [
  'namespace',
  'name',
  'project',
  'repo',
  'dest_server',
  'dest_namespace',
  'sync_status',
  'health_status',
  'operation',
  'autosync_enabled',
] as const;

export interface ClusterStats {
  readonly server: string;
  readonly name: string;
  readonly serverVersion: string;
  readonly objectCount: number;
  readonly apiResourceCount: number;
  readonly connected: boolean;
}

/** Cluster figures are read from the caches when Prometheus scrapes, so they are never stale. */
export function createControllerMetrics(
  registry: Registry,
  clusters: () => Promise<readonly ClusterStats[]>,
): ControllerMetrics {
  const appInfo = new Gauge({
    name: 'argocd_app_info',
    help: 'Information about application.',
    labelNames: appLabels,
    registers: [registry],
  });
  // One series per app: the previous labels are removed when any of them changes.
  const current = new Map<string, Record<(typeof appLabels)[number], string>>();
  const id = (app: Application): string => `${app.metadata.namespace ?? ''}/${app.metadata.name ?? ''}`;
  return {
    setApp(app) {
      const labels = {
        namespace: app.metadata.namespace ?? '',
        name: app.metadata.name ?? '',
        project: projectName(app.spec.project),
        repo: app.spec.source?.repoURL ?? app.spec.sources?.[0]?.repoURL ?? '',
        dest_server: app.spec.destination.server ?? '',
        dest_namespace: app.spec.destination.namespace ?? '',
        sync_status: app.status?.sync?.status ?? 'Unknown',
        health_status: app.status?.health?.status ?? 'Unknown',
        operation: app.operation?.sync !== undefined ? 'sync' : '',
        autosync_enabled: String(isAutomatedSyncEnabled(app.spec.syncPolicy)),
      };
      const prev = current.get(id(app));
      if (prev !== undefined && JSON.stringify(prev) !== JSON.stringify(labels)) appInfo.remove(prev);
      current.set(id(app), labels);
      appInfo.set(labels, 1);
    },
    removeApp(app) {
      const prev = current.get(id(app));
      if (prev !== undefined) appInfo.remove(prev);
      current.delete(id(app));
    },
    syncTotal: new Counter({
      name: 'argocd_app_sync_total',
      help: 'Number of application syncs.',
      labelNames: ['namespace', 'name', 'project', 'dest_server', 'phase', 'dry_run'],
      registers: [registry],
    }),
    reconcile: new Histogram({
      name: 'argocd_app_reconcile',
      help: 'Application reconciliation performance in seconds.',
      labelNames: ['namespace', 'dest_server'],
      buckets: [0.25, 0.5, 1, 2, 4, 8, 16],
      registers: [registry],
    }),
    k8sRequests: new Counter({
      name: 'argocd_app_k8s_request_total',
      help: 'Number of kubernetes requests executed during application reconciliation.',
      labelNames: ['server', 'verb', 'resource_kind', 'response_code'],
      registers: [registry],
    }),
    clusterInfo: new Gauge({
      name: 'argocd_cluster_info',
      help: 'Information about cluster.',
      labelNames: ['server', 'name', 'k8s_version'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const c of await clusters())
          this.set({ server: c.server, name: c.name, k8s_version: c.serverVersion }, 1);
      },
    }),
    clusterObjects: new Gauge({
      name: 'argocd_cluster_api_resource_objects',
      help: 'Number of k8s resource objects in the cache.',
      labelNames: ['server', 'name'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const c of await clusters()) this.set({ server: c.server, name: c.name }, c.objectCount);
      },
    }),
    clusterApiResources: new Gauge({
      name: 'argocd_cluster_api_resources',
      help: 'Number of monitored kubernetes API resources.',
      labelNames: ['server', 'name'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const c of await clusters()) this.set({ server: c.server, name: c.name }, c.apiResourceCount);
      },
    }),
    clusterConnection: new Gauge({
      name: 'argocd_cluster_connection_status',
      help: 'The k8s cluster current connection status.',
      labelNames: ['server', 'name', 'k8s_version'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const c of await clusters())
          this.set({ server: c.server, name: c.name, k8s_version: c.serverVersion }, c.connected ? 1 : 0);
      },
    }),
  };
}
