// An Application-sized object (as the notifications controller sees it) in a chosen state.

export interface AppState {
  readonly sync?: 'Synced' | 'OutOfSync' | 'Unknown';
  readonly health?: 'Healthy' | 'Degraded' | 'Progressing' | 'Missing';
  /** The last operation's phase; undefined for an app that never synced. */
  readonly phase?: 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Terminating';
  readonly revision?: string;
  readonly deleting?: boolean;
}

export function application(state: AppState, resources = 20): Record<string, unknown> {
  const revision = state.revision ?? '4f1c3a7d9e2b8c6a5f0d1e2c3b4a596877f1e2d3';
  const res = Array.from({ length: resources }, (_, i) => ({
    group: i % 2 === 0 ? 'apps' : '',
    version: 'v1',
    kind: i % 2 === 0 ? 'Deployment' : 'Service',
    namespace: 'guestbook',
    name: `guestbook-${i}`,
    status: state.sync ?? 'Synced',
    health: i % 2 === 0 ? { status: state.health ?? 'Healthy' } : undefined,
  }));
  const status: Record<string, unknown> = {
    sync: {
      status: state.sync ?? 'Synced',
      revision,
      comparedTo: {
        source: { repoURL: 'https://git.example/guestbook.git', path: 'guestbook', targetRevision: 'HEAD' },
      },
    },
    health: { status: state.health ?? 'Healthy', lastTransitionTime: '2026-01-01T09:59:00Z' },
    resources: res,
    summary: { images: ['registry.example/guestbook:v1'] },
    reconciledAt: '2026-01-01T10:00:05Z',
    observedAt: '2026-01-01T10:00:05Z',
    sourceType: 'Directory',
    history: [
      {
        id: 1,
        revision,
        deployedAt: '2026-01-01T10:00:03Z',
        source: { repoURL: 'https://git.example/guestbook.git', path: 'guestbook' },
      },
    ],
  };
  if (state.phase) {
    status['operationState'] = {
      operation: { sync: { revision, syncStrategy: { hook: {} } }, initiatedBy: { automated: true } },
      phase: state.phase,
      message:
        state.phase === 'Failed'
          ? 'one or more objects failed to apply'
          : 'successfully synced (all tasks run)',
      startedAt: '2026-01-01T10:00:00Z',
      ...(state.phase === 'Running' ? {} : { finishedAt: '2026-01-01T10:00:03Z' }),
      syncResult: {
        revision,
        source: { repoURL: 'https://git.example/guestbook.git', path: 'guestbook' },
        resources: res.slice(0, 5),
      },
    };
  }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'guestbook',
      namespace: 'argocd',
      uid: '6e0b4d0e-3c9f-4b7a-9a51-6f3c2d1e0a11',
      resourceVersion: '12345',
      generation: 7,
      creationTimestamp: '2026-01-01T09:00:00Z',
      labels: { team: 'web' },
      annotations: { 'notifications.argoproj.io/subscribe.on-sync-succeeded.slack': 'team' },
      ...(state.deleting ? { deletionTimestamp: '2026-01-01T11:00:00Z' } : {}),
    },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git.example/guestbook.git', path: 'guestbook', targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
    },
    status,
  };
}
