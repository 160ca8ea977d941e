import type { Application, ApplicationSource, RevisionHistory, SyncPolicy } from '@capstan/crds';
import { isCapstanError } from '@capstan/errors';
import { describe, expect, it } from 'vitest';
import { planRollback } from './plan-rollback.ts';

const v1: ApplicationSource = {
  repoURL: 'https://git.example/apps',
  path: 'guestbook',
  targetRevision: 'v1',
};
const history: RevisionHistory[] = [
  { id: 4, revision: 'aaa', source: v1, deployedAt: '2026-03-01T00:00:00Z' },
  {
    id: 5,
    revisions: ['bbb', '19.0.1'],
    sources: [v1, { repoURL: 'https://charts.example', chart: 'redis', targetRevision: '19.0.1' }],
    deployedAt: '2026-03-01T01:00:00Z',
  },
  { id: 6, revision: 'ccc', deployedAt: '2026-03-01T02:00:00Z' },
];

function app(
  syncPolicy: SyncPolicy = { syncOptions: ['ServerSideApply=true'] },
  deleting = false,
): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'guestbook',
      namespace: 'argocd',
      ...(deleting && { deletionTimestamp: '2026-03-02T10:00:00Z' }),
    },
    spec: {
      project: 'default',
      destination: { server: 'https://kubernetes.default.svc' },
      source: { ...v1, targetRevision: 'HEAD' },
      syncPolicy,
    },
    status: { history },
  };
}

function failure(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (err) {
    if (isCapstanError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a failure');
}

describe('planRollback', () => {
  it('§10.8 rollback uses the apply strategy (no hooks) with the entry revision and current sync options', () => {
    expect(planRollback({ app: app(), id: 4, username: 'alice' })).toEqual({
      sync: {
        syncStrategy: { apply: {} },
        revision: 'aaa',
        source: v1,
        syncOptions: ['ServerSideApply=true'],
      },
      initiatedBy: { username: 'alice' },
    });
  });

  it('rolls a multi-source app back to every recorded source and revision', () => {
    const op = planRollback({ app: app(), id: 5, dryRun: true, prune: true });
    expect(op.sync).toEqual({
      syncStrategy: { apply: {} },
      revisions: ['bbb', '19.0.1'],
      sources: history[1]?.sources,
      dryRun: true,
      prune: true,
      syncOptions: ['ServerSideApply=true'],
    });
  });

  it.each<[string, () => unknown, string, RegExp]>([
    [
      'while deleting',
      () => planRollback({ app: app(undefined, true), id: 4 }),
      'FailedPrecondition',
      /deleted/,
    ],
    [
      'while automated sync is on',
      () => planRollback({ app: app({ automated: {} }), id: 4 }),
      'FailedPrecondition',
      /automated/,
    ],
    [
      'for an unknown id',
      () => planRollback({ app: app(), id: 9 }),
      'InvalidArgument',
      /argocd\/guestbook .*9/,
    ],
    [
      'to an entry without a source',
      () => planRollback({ app: app(), id: 6 }),
      'FailedPrecondition',
      /no source/,
    ],
  ])('is refused %s', (_name, run, code, message) => {
    const f = failure(run);
    expect(f.code).toBe(code);
    expect(f.message).toMatch(message);
  });

  it('is allowed when the automated block is disabled', () => {
    expect(planRollback({ app: app({ automated: { enabled: false } }), id: 4 }).sync?.revision).toBe('aaa');
  });
});
