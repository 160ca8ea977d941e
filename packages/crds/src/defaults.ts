// Values Argo CD applies when a field is absent. Pure functions: callers decide when to apply them,
// and stored objects keep the user's omissions (so a later change of default is not frozen in).
import type { AppProject } from './app-project.ts';
import type { ApplicationSpec, Backoff, RetryStrategy } from './application.ts';
import { API_VERSION, APP_PROJECT_KIND, DEFAULT_PROJECT_NAME } from './constants.ts';

export const DEFAULT_REVISION_HISTORY_LIMIT = 10;

/** Backoff between sync retries when the spec gives none or only part of one. */
export const DEFAULT_RETRY_BACKOFF: Readonly<Required<Backoff>> = Object.freeze({
  duration: '5s',
  factor: 2,
  maxDuration: '3m',
});

export function revisionHistoryLimit(spec: Pick<ApplicationSpec, 'revisionHistoryLimit'>): number {
  return spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT;
}

export function retryBackoff(retry: RetryStrategy | undefined): Required<Backoff> {
  return { ...DEFAULT_RETRY_BACKOFF, ...retry?.backoff };
}

/**
 * The built-in `default` project: everything allowed. Argo CD creates it in its own namespace at
 * start-up when it is missing; users may then narrow it.
 */
export function defaultAppProject(namespace: string): AppProject {
  return {
    apiVersion: API_VERSION,
    kind: APP_PROJECT_KIND,
    metadata: { name: DEFAULT_PROJECT_NAME, namespace },
    spec: {
      sourceRepos: ['*'],
      destinations: [{ server: '*', namespace: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  };
}
