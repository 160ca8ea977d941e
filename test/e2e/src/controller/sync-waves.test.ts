// The seed's sync-wave and hook example synced by the controller (manual syncs requested by writing
// `operation`, as the CLI does), then history, rollback, and a failing sync with SyncFail and retries.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Application } from '@capstan/crds';
import { planRollback } from '@capstan/engine';
import { podBehaviourLabel, seedDir } from '@capstan/testkit';
import { watchNamespace } from '../support/watch-namespace.ts';
import { neverFinishingHook, startControllerFixture, type ControllerFixture } from './fixture.ts';

const seedFiles = [
  '08-sync-waves-my-app.yaml',
  '09-job-db-migration-presync.yaml',
  '10-job-smoke-test-postsync.yaml',
  '11-job-sync-fail-notification.yaml',
];

/** The failing variant: its own namespace, crash-looping pods, a 3 s progress deadline. */
function doomed(text: string): string {
  return text
    .replaceAll('namespace: production', 'namespace: doomed')
    .replace(/kind: Namespace\nmetadata:\n  name: production/, 'kind: Namespace\nmetadata:\n  name: doomed')
    .replace('  replicas: 3\n', '  replicas: 3\n  progressDeadlineSeconds: 3\n')
    .replace(
      '      labels:\n        app: my-app\n',
      `      labels:\n        app: my-app\n        ${podBehaviourLabel}: crashloop\n`,
    );
}

let f: ControllerFixture;
beforeAll(async () => {
  const files: Record<string, string> = {};
  for (const file of seedFiles) {
    const text = await readFile(join(seedDir, 'manifests', file), 'utf8');
    files[`waves/${file}`] = text;
    files[`doomed/${file}`] = doomed(text);
  }
  // A PreSync hook whose pod never finishes, so the operation waits until it is terminated.
  files['stuck/hook.yaml'] = neverFinishingHook;
  files['stuck/cm.yaml'] = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: after-hook\n';
  f = await startControllerFixture({ files });
  // The example's ServiceMonitor needs its CRD: the fixture installs it, as `npm start` does.
  for (const [name, path, extra] of [
    ['waves', 'waves', { revisionHistoryLimit: 2 }],
    ['stuck', 'stuck', { syncPolicy: { syncOptions: ['CreateNamespace=true'] } }],
    [
      'doomed',
      'doomed',
      { syncPolicy: { retry: { limit: 2, backoff: { duration: '1s', factor: 2, maxDuration: '10s' } } } },
    ],
  ] as const) {
    await f.apply({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace: 'argocd' },
      spec: {
        project: 'default',
        source: { repoURL: f.repoUrl, targetRevision: 'main', path },
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: path === 'waves' ? 'production' : 'doomed',
        },
        ...extra,
      },
    });
  }
  await f.waitApp('waves', 'compared', (a) => a.status?.sync?.status === 'OutOfSync');
}, 240_000);
afterAll(() => f?.[Symbol.asyncDispose]());

/** A manual sync as the API server writes it: the app's retry policy is copied into the operation. */
const sync = async (name: string): Promise<void> => {
  const retry = (await f.app(name))?.spec.syncPolicy?.retry;
  await f.patchApp(name, {
    operation: {
      sync: { syncStrategy: { hook: {} } },
      initiatedBy: { username: 'e2e' },
      ...(retry === undefined ? {} : { retry }),
    },
  });
};

const finished =
  (since: string | undefined) =>
  (a: Application): boolean =>
    a.operation === undefined &&
    a.status?.operationState?.finishedAt !== undefined &&
    a.status.operationState.startedAt !== since &&
    ['Succeeded', 'Failed', 'Error'].includes(a.status.operationState.phase);

describe('the seed sync-wave example through the controller', () => {
  let firstSha = '';
  let firstJobUid = '';

  it('applies phase by phase and wave by wave, PreSync hook complete first, PostSync last', async () => {
    const seen = await watchNamespace(f.cluster.kubeConfig(), 'production');
    try {
      await sync('waves');
      const a = await f.waitApp('waves', 'synced', finished(undefined), 120_000);
      expect(a.status?.operationState?.phase, a.status?.operationState?.message).toBe('Succeeded');
      firstSha = a.status?.operationState?.syncResult?.revision ?? '';
      const order = [...seen.added.entries()]
        .sort((x, y) => x[1] - y[1])
        .map(([id]) => id)
        .filter((id) => id !== 'ConfigMap/kube-root-ca.crt' && id !== 'ServiceAccount/default');
      expect(order).toEqual([
        'Namespace/production',
        'Job/db-migration',
        'ServiceAccount/app-service-account',
        'ConfigMap/app-config',
        'Service/my-app',
        'Deployment/my-app',
        'HorizontalPodAutoscaler/my-app-hpa',
        'ServiceMonitor/my-app-monitor',
        'Job/smoke-test',
      ]);
      expect(seen.healthyAt.get('Job/db-migration')).toBeLessThanOrEqual(
        seen.added.get('ServiceAccount/app-service-account') ?? 0,
      );
      expect(seen.healthyAt.get('Deployment/my-app')).toBeLessThanOrEqual(
        seen.added.get('HorizontalPodAutoscaler/my-app-hpa') ?? 0,
      );
      expect(seen.added.get('ServiceMonitor/my-app-monitor')).toBeLessThanOrEqual(
        seen.added.get('Job/smoke-test') ?? 0,
      );
      const job = await f.get('batch/v1', 'Job', 'db-migration', 'production');
      firstJobUid = job?.metadata?.uid ?? '';
      expect(firstJobUid).not.toBe('');
      expect(a.status?.history?.length).toBe(1);
      await f.waitApp('waves', 'Synced', (x) => x.status?.sync?.status === 'Synced', 30_000);
    } finally {
      seen.stop();
    }
  });

  it('re-creates the hooks on the next sync (BeforeHookCreation) and records a second commit in history', async () => {
    const text = await readFile(join(seedDir, 'manifests', '08-sync-waves-my-app.yaml'), 'utf8');
    await f.repo.write({
      'waves/08-sync-waves-my-app.yaml': text.replace('LOG_LEVEL: info', 'LOG_LEVEL: debug'),
    });
    const secondSha = await f.repo.commit('debug logging');
    const before = (await f.app('waves'))?.status?.operationState?.startedAt;
    await sync('waves');
    const a = await f.waitApp('waves', 'synced again', finished(before), 120_000);
    expect(a.status?.operationState?.phase, a.status?.operationState?.message).toBe('Succeeded');
    expect(a.status?.operationState?.syncResult?.revision).toBe(secondSha);
    const job = await f.get('batch/v1', 'Job', 'db-migration', 'production');
    expect(job?.metadata?.uid).toBeDefined();
    expect(job?.metadata?.uid).not.toBe(firstJobUid);
    const cm = (await f.get('v1', 'ConfigMap', 'app-config', 'production')) as {
      data: Record<string, string>;
    };
    expect(cm.data['LOG_LEVEL']).toBe('debug');
    expect(a.status?.history?.map((h) => h.revision)).toEqual([firstSha, secondSha]);
  });

  it('rolls back to the first history entry, and caps history at revisionHistoryLimit', async () => {
    const app = (await f.app('waves')) as Application;
    const first = app.status?.history?.[0];
    expect(first?.revision).toBe(firstSha);
    const operation = planRollback({ app, id: first?.id ?? 0 });
    const before = app.status?.operationState?.startedAt;
    await f.patchApp('waves', { operation });
    const a = await f.waitApp('waves', 'rolled back', finished(before), 120_000);
    expect(a.status?.operationState?.phase, a.status?.operationState?.message).toBe('Succeeded');
    const cm = (await f.get('v1', 'ConfigMap', 'app-config', 'production')) as {
      data: Record<string, string>;
    };
    expect(cm.data['LOG_LEVEL']).toBe('info');
    // Three successful syncs, but only the newest two are kept.
    expect(a.status?.history?.length).toBe(2);
    expect(a.status?.history?.at(-1)?.revision).toBe(firstSha);
    expect(a.status?.history?.map((h) => h.id)).toEqual([1, 2]);
  });

  it('runs the SyncFail hook when a Sync-phase resource degrades, retrying twice with backoff', async () => {
    const seen = await watchNamespace(f.cluster.kubeConfig(), 'doomed');
    const observed: string[] = [];
    try {
      await sync('doomed');
      const a = await f.waitApp(
        'doomed',
        'failed after retries',
        (x) => {
          const st = x.status?.operationState;
          if (st?.message !== undefined && !observed.includes(`${st.retryCount ?? 0}|${st.message}`))
            observed.push(`${st.retryCount ?? 0}|${st.message}`);
          return finished(undefined)(x);
        },
        180_000,
      );
      expect(a.status?.operationState?.phase).toBe('Failed');
      expect(a.status?.operationState?.retryCount).toBe(2);
      expect(observed.some((m) => m.startsWith('1|') && m.includes('Retrying attempt #1'))).toBe(true);
      expect(observed.some((m) => m.startsWith('2|') && m.includes('Retrying attempt #2'))).toBe(true);
      expect(seen.added.has('Job/sync-fail-notification')).toBe(true);
      expect(seen.added.has('HorizontalPodAutoscaler/my-app-hpa')).toBe(false);
      expect(seen.added.has('Job/smoke-test')).toBe(false);
      expect(a.status?.history ?? []).toEqual([]);
    } finally {
      seen.stop();
    }
  });

  it('terminates a running operation on request (operationState.phase: Terminating)', async () => {
    await sync('stuck');
    await f.waitApp('stuck', 'waiting on its hook', (a) => {
      const hook = a.status?.operationState?.syncResult?.resources?.find((r) => r.name === 'never-done');
      return a.status?.operationState?.phase === 'Running' && hook?.hookPhase === 'Running';
    });
    const running = (await f.app('stuck')) as Application;
    await f.kube.patch(
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'stuck', namespace: 'argocd' },
      },
      { status: { operationState: { ...running.status?.operationState, phase: 'Terminating' } } },
      'application/merge-patch+json',
    );
    const a = await f.waitApp('stuck', 'terminated', finished(undefined), 60_000);
    expect(a.status?.operationState?.phase).toBe('Failed');
    expect(a.status?.operationState?.message).toContain('terminated');
    // Nothing after the hook ran, and a terminated operation is not retried.
    expect(await f.get('v1', 'ConfigMap', 'after-hook', 'stuck')).toBeUndefined();
    expect(a.status?.operationState?.retryCount ?? 0).toBe(0);
  });
});
