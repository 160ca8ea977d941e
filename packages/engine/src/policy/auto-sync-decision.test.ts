import type {
  Application,
  ApplicationSource,
  ApplicationSpec,
  OperationState,
  ResourceStatus,
  SyncPolicyAutomated,
  SyncStatus,
} from '@capstan/crds';
import { describe, expect, it } from 'vitest';
import { decideAutoSync, type AutoSyncInput } from './auto-sync-decision.ts';
import { shouldRecordHistory } from './append-history.ts';

/** Test overrides may set a field to undefined to remove it from the base object. */
type Loose<T> = { [K in keyof T]?: T[K] | undefined };
function compact<T>(value: Loose<T>): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const NOW = new Date('2026-03-02T10:30:00Z');
const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);
const NEWER = 'c'.repeat(40);
const source: ApplicationSource = {
  repoURL: 'https://git.example/apps.git',
  path: 'guestbook',
  targetRevision: 'HEAD',
};

function secondsAgo(s: number): string {
  return new Date(NOW.getTime() - s * 1000).toISOString().replace('.000Z', 'Z');
}

interface AppOptions {
  readonly automated?: SyncPolicyAutomated | undefined;
  readonly spec?: Loose<ApplicationSpec>;
  readonly state?: OperationState;
  readonly operation?: boolean;
  readonly deleting?: boolean;
}

function app(o: AppOptions = {}): Application {
  const syncPolicy = o.automated === undefined ? {} : { automated: o.automated };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'guestbook',
      namespace: 'argocd',
      ...(o.deleting === true && { deletionTimestamp: secondsAgo(5) }),
    },
    spec: compact<ApplicationSpec>({
      project: 'default',
      destination: { server: 'https://kubernetes.default.svc', namespace: 'web' },
      source,
      syncPolicy,
      ...o.spec,
    }),
    ...(o.operation === true && { operation: { sync: { revision: NEW } } }),
    ...(o.state !== undefined && { status: { operationState: o.state } }),
  };
}

interface StateOptions {
  readonly phase: OperationState['phase'];
  readonly revision?: string;
  readonly source?: ApplicationSource;
  readonly noResult?: boolean;
  readonly finished?: number;
  readonly healAttempts?: number;
  readonly message?: string;
}

function state(o: StateOptions): OperationState {
  return {
    operation: {
      sync: {
        revision: o.revision ?? NEW,
        ...(o.healAttempts !== undefined && { autoHealAttemptsCount: o.healAttempts }),
      },
      initiatedBy: { automated: true },
    },
    phase: o.phase,
    message:
      o.message ??
      (o.phase === 'Succeeded'
        ? 'successfully synced (all tasks run)'
        : 'one or more objects failed to apply'),
    startedAt: secondsAgo((o.finished ?? 60) + 10),
    finishedAt: secondsAgo(o.finished ?? 60),
    ...(o.noResult !== true && { syncResult: { revision: o.revision ?? NEW, source: o.source ?? source } }),
  };
}

const deployment: ResourceStatus = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  namespace: 'web',
  name: 'guestbook',
  status: 'OutOfSync',
};
const service: ResourceStatus = {
  version: 'v1',
  kind: 'Service',
  namespace: 'web',
  name: 'guestbook',
  status: 'Synced',
};
const extra: ResourceStatus = {
  version: 'v1',
  kind: 'ConfigMap',
  namespace: 'web',
  name: 'old',
  status: 'OutOfSync',
  requiresPruning: true,
};
const clusterRole: ResourceStatus = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRole',
  name: 'reader',
  status: 'OutOfSync',
};
const outOfSync: SyncStatus = { status: 'OutOfSync', revision: NEW };

function decide(a: Application, extraInput: Partial<AutoSyncInput> = {}): ReturnType<typeof decideAutoSync> {
  return decideAutoSync({
    app: a,
    syncStatus: outOfSync,
    resources: [deployment, service],
    now: NOW,
    ...extraInput,
  });
}

describe('decideAutoSync: when it skips', () => {
  it.each<[string, Application, Partial<AutoSyncInput>, string]>([
    ['no automated block', app(), {}, 'disabled'],
    ['automated.enabled: false', app({ automated: { enabled: false, prune: true } }), {}, 'disabled'],
    ['an operation is already set', app({ automated: {}, operation: true }), {}, 'operation-in-progress'],
    ['the app is being deleted', app({ automated: {}, deleting: true }), {}, 'deleting'],
    [
      'the app is Synced',
      app({ automated: {} }),
      { syncStatus: { status: 'Synced', revision: NEW } },
      'not-out-of-sync',
    ],
    [
      'only pruning is needed and prune is off',
      app({ automated: {} }),
      { resources: [service, extra] },
      'prune-only',
    ],
    [
      'nothing is out of sync per resource and prune is off',
      app({ automated: {} }),
      { resources: [service] },
      'prune-only',
    ],
  ])('%s', (_name, a, input, reason) => {
    const d = decide(a, input);
    expect(d).toMatchObject({ action: 'skip', reason });
    expect(d.condition).toBeUndefined();
    expect(d.operation).toBeUndefined();
  });

  it('§10.9 Unknown never auto-syncs', () => {
    const d = decide(app({ automated: { prune: true, selfHeal: true } }), {
      syncStatus: { status: 'Unknown', revision: NEW },
    });
    expect(d).toMatchObject({ action: 'skip', reason: 'not-out-of-sync' });
  });

  it('syncs when enabled is absent inside an automated block (nil means on)', () => {
    expect(decide(app({ automated: {} })).action).toBe('sync');
    expect(decide(app({ automated: { enabled: true } })).action).toBe('sync');
  });

  it('prunes extra resources when automated prune is on', () => {
    const d = decide(app({ automated: { prune: true } }), { resources: [service, extra] });
    expect(d.action).toBe('sync');
    expect(d.operation?.sync?.prune).toBe(true);
  });
});

describe('decideAutoSync: already attempted', () => {
  it('§10.9 never re-attempts a failed revision, and says so with a SyncError', () => {
    const a = app({
      automated: { prune: true },
      state: state({ phase: 'Failed', message: 'Deployment.apps "guestbook" is invalid' }),
    });
    const d = decide(a);
    expect(d).toMatchObject({ action: 'skip', reason: 'failed-last-attempt' });
    expect(d.condition).toEqual({
      type: 'SyncError',
      message: `Failed last sync attempt to [${NEW}]: Deployment.apps "guestbook" is invalid`,
    });
  });

  it('treats an Error phase like a failure', () => {
    const d = decide(
      app({ automated: {}, state: state({ phase: 'Error', message: 'cluster unreachable' }) }),
    );
    expect(d.reason).toBe('failed-last-attempt');
    expect(d.condition?.message).toContain('cluster unreachable');
  });

  it.each<[string, Partial<AutoSyncInput>, Loose<ApplicationSpec>]>([
    ['a new revision', { syncStatus: { status: 'OutOfSync', revision: NEWER } }, {}],
    ['a changed source path', {}, { source: { ...source, path: 'guestbook-v2' } }],
    [
      'a changed helm parameter',
      {},
      { source: { ...source, helm: { parameters: [{ name: 'replicas', value: '2' }] } } },
    ],
  ])('tries again after a failure once there is %s', (_name, input, spec) => {
    const d = decide(app({ automated: {}, spec, state: state({ phase: 'Failed' }) }), input);
    expect(d.action).toBe('sync');
    expect(d.condition).toBeUndefined();
  });

  it('ignores zero-value differences between the spec and the recorded source', () => {
    const recorded: ApplicationSource = {
      ...source,
      directory: { recurse: false },
      helm: { valueFiles: [] },
    };
    const d = decide(app({ automated: {}, state: state({ phase: 'Failed', source: recorded }) }));
    expect(d.reason).toBe('failed-last-attempt');
  });

  it('counts a completed operation without a syncResult as attempted', () => {
    const d = decide(
      app({
        automated: {},
        state: state({ phase: 'Failed', noResult: true, message: 'failed to load project' }),
      }),
    );
    expect(d.condition?.message).toBe('Failed last sync attempt to []: failed to load project');
  });

  it('does not count a running operation without a syncResult', () => {
    const d = decide(app({ automated: {}, state: state({ phase: 'Running', noResult: true }) }));
    expect(d.action).toBe('sync');
  });

  it('compares only the source spec when the new commit cannot touch this app (manifest-generate-paths)', () => {
    const a = app({ automated: {}, state: state({ phase: 'Succeeded', revision: OLD }) });
    expect(decide(a).action).toBe('sync');
    expect(decide(a, { revisionsMayHaveChanges: false })).toMatchObject({
      action: 'skip',
      reason: 'already-synced',
    });
  });

  it('leaves a successful sync alone without self-heal', () => {
    const d = decide(app({ automated: { prune: true }, state: state({ phase: 'Succeeded' }) }));
    expect(d).toMatchObject({ action: 'skip', reason: 'already-synced' });
    expect(d.condition).toBeUndefined();
  });
});

describe('decideAutoSync: self-heal', () => {
  it('§10.8 self-heal is a selective sync of the drifted resources only: no hooks, no history', () => {
    const a = app({ automated: { selfHeal: true }, state: state({ phase: 'Succeeded', finished: 1 }) });
    const d = decide(a, { resources: [deployment, service, clusterRole] });
    expect(d).toMatchObject({ action: 'sync', reason: 'self-heal' });
    const sync = d.operation?.sync;
    expect(sync?.resources).toEqual([
      { group: 'apps', kind: 'Deployment', namespace: 'web', name: 'guestbook' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' },
    ]);
    expect(sync?.autoHealAttemptsCount).toBe(1);
    expect(shouldRecordHistory(sync, 'Succeeded')).toBe(false);
  });

  it.each<[number, number, number | undefined]>([
    // [attempts so far, seconds since the last operation finished, expected wait in ms or undefined = go]
    [0, 0, undefined],
    [1, 1, 1000],
    [1, 2, undefined],
    [2, 4, 2000],
    [2, 6, undefined],
    [5, 100, 62_000],
    [6, 299, 1000],
    [9, 300, undefined],
  ])('attempt count %d, %ds after the last one → wait %s ms', (attempts, since, waitMs) => {
    const a = app({
      automated: { selfHeal: true },
      state: state({ phase: 'Succeeded', finished: since, healAttempts: attempts }),
    });
    const d = decide(a);
    if (waitMs === undefined) {
      expect(d.action).toBe('sync');
      expect(d.operation?.sync?.autoHealAttemptsCount).toBe(attempts + 1);
    } else {
      expect(d).toMatchObject({ action: 'requeue', reason: 'self-heal-backoff', requeueAfterMs: waitMs });
      expect(d.condition).toBeUndefined();
    }
  });

  it('uses the flat self-heal timeout when the backoff is off', () => {
    const a = app({
      automated: { selfHeal: true },
      state: state({ phase: 'Succeeded', finished: 1, healAttempts: 4 }),
    });
    const d = decide(a, { selfHeal: { backoff: null, timeoutMs: 5000 } });
    expect(d).toMatchObject({ action: 'requeue', requeueAfterMs: 4000 });
  });

  it('starts a regular (non-self-heal) operation at attempt count 0 again', () => {
    const a = app({
      automated: { selfHeal: true },
      state: state({ phase: 'Succeeded', revision: OLD, healAttempts: 4 }),
    });
    const d = decide(a);
    expect(d.reason).toBe('out-of-sync');
    expect(d.operation?.sync?.autoHealAttemptsCount).toBeUndefined();
    expect(d.operation?.sync?.resources).toBeUndefined();
  });

  it('does not self-heal a failed revision', () => {
    const a = app({ automated: { selfHeal: true }, state: state({ phase: 'Failed', finished: 600 }) });
    expect(decide(a).reason).toBe('failed-last-attempt');
  });
});

describe('decideAutoSync: wiping out every resource', () => {
  const allGone = [extra, { ...extra, name: 'older' }];

  it('refuses to prune every resource without allowEmpty', () => {
    const d = decide(app({ automated: { prune: true } }), { resources: allGone });
    expect(d).toMatchObject({ action: 'skip', reason: 'would-wipe-out' });
    expect(d.condition).toEqual({
      type: 'SyncError',
      message: `Skipping sync attempt to [${NEW}]: auto-sync will wipe out all resources`,
    });
  });

  it('prunes everything with allowEmpty', () => {
    expect(decide(app({ automated: { prune: true, allowEmpty: true } }), { resources: allGone }).action).toBe(
      'sync',
    );
  });
});

describe('decideAutoSync: the operation it starts', () => {
  it('§10.9 auto-sync defaults to a retry limit of 5', () => {
    const d = decide(app({ automated: {} }));
    expect(d.operation?.retry).toEqual({ limit: 5 });
  });

  it('syncs the resolved SHA with the spec sync options, as an automated initiator', () => {
    const retry = { limit: 2, backoff: { duration: '10s' } };
    const a = app({
      automated: { prune: true },
      spec: { syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'], retry } },
    });
    const d = decide(a);
    expect(d.message).toBe(`Initiated automated sync to '${NEW}'`);
    expect(d.operation).toEqual({
      sync: { prune: true, source, revision: NEW, syncOptions: ['CreateNamespace=true'] },
      initiatedBy: { automated: true },
      retry,
    });
    expect(d.operation?.retry).not.toBe(retry);
  });

  it('syncs every source of a multi-source app at the resolved revisions', () => {
    const sources: ApplicationSource[] = [
      source,
      { repoURL: 'https://charts.example', chart: 'redis', targetRevision: '19.*' },
    ];
    const status: SyncStatus = { status: 'OutOfSync', revisions: [NEW, '19.0.1'] };
    const base = { automated: {}, spec: { source: undefined, sources } } as const;
    const d = decide(app(base), { syncStatus: status });
    expect(d.operation?.sync).toEqual({ prune: false, sources, revisions: [NEW, '19.0.1'] });
    expect(d.message).toBe(`Initiated automated sync to '${NEW}, 19.0.1'`);

    const failed: OperationState = {
      ...state({ phase: 'Failed' }),
      syncResult: { revision: '', revisions: [NEW, '19.0.1'], sources },
    };
    const again = decide(app({ ...base, state: failed }), { syncStatus: status });
    expect(again.condition?.message).toBe(
      `Failed last sync attempt to [${NEW} 19.0.1]: one or more objects failed to apply`,
    );
    expect(
      decide(app({ ...base, state: failed }), { syncStatus: { ...status, revisions: [NEWER, '19.0.1'] } })
        .action,
    ).toBe('sync');
  });

  it('targets the hydrated branch of a source-hydrator app', () => {
    const a = app({
      automated: {},
      spec: {
        source: undefined,
        sourceHydrator: {
          drySource: { repoURL: 'https://git.example/dry', targetRevision: 'main', path: 'apps/web' },
          syncSource: { targetBranch: 'env/prod', path: 'apps/web' },
        },
      },
    });
    expect(decide(a).operation?.sync?.source).toEqual({
      repoURL: 'https://git.example/dry',
      path: 'apps/web',
      targetRevision: 'env/prod',
    });
  });
});

describe('decideAutoSync: sync windows', () => {
  const deny = { kind: 'deny' as const, schedule: '0 10 * * *', duration: '1h', applications: ['*'] };

  it('stops before anything else while a deny window is open, leaving conditions as they are', () => {
    const d = decide(app({ automated: {} }), { syncWindows: [deny] });
    expect(d).toMatchObject({ action: 'skip', reason: 'sync-window', keepConditions: true });
  });

  it('is not stopped by a deny window that is closed or matches other apps', () => {
    expect(
      decide(app({ automated: {} }), { syncWindows: [{ ...deny, schedule: '0 12 * * *' }] }).action,
    ).toBe('sync');
    expect(
      decide(app({ automated: {} }), { syncWindows: [{ ...deny, applications: ['billing-*'] }] }).action,
    ).toBe('sync');
  });

  it('is stopped by a manualSync deny window too: manualSync is for users only', () => {
    expect(decide(app({ automated: {} }), { syncWindows: [{ ...deny, manualSync: true }] }).reason).toBe(
      'sync-window',
    );
  });
});
