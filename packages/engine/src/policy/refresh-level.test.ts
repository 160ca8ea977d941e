import type { Application, ApplicationSource, ApplicationStatus } from '@capstan/crds';
import { describe, expect, it } from 'vitest';
import {
  CompareWith,
  refreshLevel,
  refreshLevelAfterOperation,
  shouldSetReconciledAt,
  type RefreshInput,
} from './refresh-level.ts';

/** Test overrides may set a field to undefined to remove it from the base object. */
type Loose<T> = { [K in keyof T]?: T[K] | undefined };
function compact<T>(value: Loose<T>): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const NOW = new Date('2026-03-02T10:30:00Z');
const source: ApplicationSource = {
  repoURL: 'https://git.example/apps',
  path: 'web',
  targetRevision: 'HEAD',
};
const destination = { server: 'https://kubernetes.default.svc', namespace: 'web' };

function app(
  o: {
    status?: Loose<ApplicationStatus>;
    annotations?: Record<string, string>;
    spec?: Partial<Application['spec']>;
  } = {},
): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'web', namespace: 'argocd', ...(o.annotations && { annotations: o.annotations }) },
    spec: { project: 'default', source, destination, ...o.spec },
    status: compact<ApplicationStatus>({
      reconciledAt: '2026-03-02T10:29:00Z',
      sync: { status: 'Synced', revision: 'abc', comparedTo: { source, destination } },
      ...o.status,
    }),
  };
}

const decide = (a: Application, o: Partial<RefreshInput> = {}): ReturnType<typeof refreshLevel> =>
  refreshLevel({ app: a, now: NOW, reconciliationTimeoutMs: 120_000, ...o });

type TriggerCase = [string, Application, Partial<RefreshInput>, number, boolean];

describe('refreshLevel', () => {
  it('needs nothing for a fresh, unchanged app', () => {
    expect(decide(app())).toEqual({ refresh: false });
  });

  it.each<TriggerCase>([
    [
      'a hard refresh annotation',
      app({ annotations: { 'argocd.argoproj.io/refresh': 'hard' } }),
      {},
      CompareWith.LatestForceResolve,
      true,
    ],
    [
      'a normal refresh annotation',
      app({ annotations: { 'argocd.argoproj.io/refresh': 'normal' } }),
      {},
      CompareWith.LatestForceResolve,
      false,
    ],
    [
      'a changed source',
      app({ spec: { source: { ...source, path: 'web-v2' } } }),
      {},
      CompareWith.LatestForceResolve,
      false,
    ],
    [
      'never compared',
      app({ status: { sync: { status: 'Unknown' } } }),
      {},
      CompareWith.LatestForceResolve,
      false,
    ],
    ['never reconciled', app({ status: { reconciledAt: undefined } }), {}, CompareWith.Latest, false],
    [
      'an expired comparison',
      app({ status: { reconciledAt: '2026-03-02T10:27:59Z' } }),
      {},
      CompareWith.Latest,
      false,
    ],
    [
      'a hard expiry',
      app({ status: { reconciledAt: '2026-03-02T09:00:00Z' } }),
      { hardReconciliationTimeoutMs: 3_600_000 },
      CompareWith.Latest,
      true,
    ],
    [
      'a changed destination',
      app({ spec: { destination: { ...destination, namespace: 'web2' } } }),
      {},
      CompareWith.Latest,
      false,
    ],
    [
      'changed ignoreDifferences',
      app({ spec: { ignoreDifferences: [{ kind: 'Secret', jsonPointers: ['/data'] }] } }),
      {},
      CompareWith.Latest,
      false,
    ],
    ['an in-memory request', app(), { requestedLevel: CompareWith.Recent }, CompareWith.Recent, false],
  ])('%s', (...[, a, o, level, hard]: TriggerCase) => {
    expect(decide(a, o)).toMatchObject({ refresh: true, level, hard });
  });

  it('does not expire exactly at the timeout, nor ever with the timeout off', () => {
    expect(decide(app({ status: { reconciledAt: '2026-03-02T10:28:00Z' } }))).toEqual({ refresh: false });
    expect(
      decide(app({ status: { reconciledAt: '2026-03-01T00:00:00Z' } }), { reconciliationTimeoutMs: 0 }),
    ).toEqual({ refresh: false });
  });

  it('notices changed managed namespace metadata against the last sync result', () => {
    const a = app({
      spec: { syncPolicy: { managedNamespaceMetadata: { labels: { team: 'web' } } } },
      status: {
        operationState: {
          operation: {},
          phase: 'Succeeded',
          startedAt: '2026-03-02T10:00:00Z',
          syncResult: { revision: 'abc', managedNamespaceMetadata: { labels: { team: 'ops' } } },
        },
      },
    });
    expect(decide(a)).toMatchObject({ refresh: true, level: CompareWith.Latest });
  });

  it('sees no change in zero-valued differences', () => {
    expect(decide(app({ spec: { ignoreDifferences: [] } }))).toEqual({ refresh: false });
    expect(decide(app({ spec: { source: { ...source, helm: { valueFiles: [] } } } }))).toEqual({
      refresh: false,
    });
  });

  it('lets the first trigger win', () => {
    const a = app({
      annotations: { 'argocd.argoproj.io/refresh': 'normal' },
      status: { reconciledAt: '2026-03-01T00:00:00Z' },
    });
    expect(decide(a, { hardReconciliationTimeoutMs: 1000 })).toMatchObject({
      level: CompareWith.LatestForceResolve,
      hard: false,
    });
  });
});

describe('reconciledAt', () => {
  it.each<[number, string | undefined, boolean]>([
    [CompareWith.Nothing, '2026-03-02T10:00:00Z', false],
    [CompareWith.Recent, '2026-03-02T10:00:00Z', false],
    [CompareWith.Latest, '2026-03-02T10:00:00Z', true],
    [CompareWith.LatestForceResolve, '2026-03-02T10:00:00Z', true],
    [CompareWith.Recent, undefined, true],
  ])(
    '§10.19 reconciledAt advances only on Latest-level refreshes: level %d (reconciledAt %s) → %s',
    (level, at, expected) => {
      expect(shouldSetReconciledAt(level as 0 | 1 | 2 | 3, at)).toBe(expected);
    },
  );

  it('§10.19 a stream of watch-triggered (Recent) refreshes still lets the comparison expire', () => {
    let reconciledAt = '2026-03-02T10:27:00Z';
    for (const level of [CompareWith.Recent, CompareWith.Recent, CompareWith.Nothing]) {
      if (shouldSetReconciledAt(level, reconciledAt)) reconciledAt = '2026-03-02T10:30:00Z';
    }
    expect(decide(app({ status: { reconciledAt } }))).toMatchObject({
      refresh: true,
      level: CompareWith.Latest,
    });
  });

  it('asks for Latest after an automated operation and a forced resolution after a manual one', () => {
    expect(refreshLevelAfterOperation(true)).toBe(CompareWith.Latest);
    expect(refreshLevelAfterOperation(false)).toBe(CompareWith.LatestForceResolve);
  });
});
