import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The repo-server's metrics, under Argo CD's names where Argo CD has one. */
export interface RepoMetrics {
  readonly gitRequests: Counter<'repo' | 'request_type'>;
  readonly gitRequestSeconds: Histogram<'repo' | 'request_type'>;
  readonly pendingRequests: Gauge<'repo'>;
  readonly manifestCache: Counter<'result'>;
}

export function createRepoMetrics(registry: Registry): RepoMetrics {
  return {
    gitRequests: new Counter({
      name: 'argocd_git_request_total',
      help: 'Number of git requests performed by the repo-server.',
      labelNames: ['repo', 'request_type'],
      registers: [registry],
    }),
    gitRequestSeconds: new Histogram({
      name: 'argocd_git_request_duration_seconds',
      help: 'Git request duration seconds.',
      labelNames: ['repo', 'request_type'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 4, 10, 20, 60],
      registers: [registry],
    }),
    pendingRequests: new Gauge({
      name: 'argocd_repo_pending_request_total',
      help: 'Number of manifest requests waiting for or holding a render slot.',
      labelNames: ['repo'],
      registers: [registry],
    }),
    manifestCache: new Counter({
      name: 'capstan_repo_manifest_cache_total',
      help: 'Manifest requests by outcome: hit (served from Redis), reused (new commit, untouched paths), miss (rendered).',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
}
