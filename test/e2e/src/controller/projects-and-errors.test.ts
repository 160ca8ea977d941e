// AppProject enforcement and the controller's refusals: a repository the project does not allow, cluster
// and namespace kinds outside its lists, an empty render that would wipe the app, and a Git remote that
// disappears and comes back.
import { rename } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Application } from '@capstan/crds';
import { eventually } from '@capstan/testkit';
import { isSyncedHealthy, startControllerFixture, type ControllerFixture } from './fixture.ts';

const cm = (name: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata: {a: "1"}\n`;

let f: ControllerFixture;
beforeAll(async () => {
  f = await startControllerFixture({
    files: {
      'rbac/clusterrole.yaml':
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: e2e-reader\nrules: []\n',
      'rbac/cm.yaml': cm('rbac-cm'),
      'quota/quota.yaml':
        'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: e2e-quota\nspec:\n  hard: {pods: "10"}\n',
      'shrinking/one.yaml': cm('one'),
      'shrinking/README.md': 'not a manifest\n',
      'steady/steady.yaml': cm('steady'),
      'leaving/app.yaml': cm('goes-away'),
      'leaving/stays.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stays\n  annotations:\n    argocd.argoproj.io/sync-options: Delete=false\n',
      'leaving/farewell.yaml':
        'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: farewell\n  annotations:\n    argocd.argoproj.io/hook: PostDelete\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: bye, image: busybox}]\n',
    },
  });
  await f.apply({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'limited', namespace: 'argocd' },
    spec: {
      sourceRepos: [f.repoUrl],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'limited-*' }],
      namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
    },
  });
  await f.apply({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'elsewhere', namespace: 'argocd' },
    spec: {
      sourceRepos: ['https://git.example.com/other.git'],
      destinations: [{ server: '*', namespace: '*' }],
    },
  });
}, 240_000);
afterAll(() => f?.[Symbol.asyncDispose]());

/** An Application of the served repository, with its destination namespace on the in-cluster cluster. */
const application = (
  name: string,
  project: string,
  where: { readonly path: string; readonly namespace: string },
  syncPolicy?: Record<string, unknown>,
): Record<string, unknown> => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name, namespace: 'argocd' },
  spec: {
    project,
    source: { repoURL: f.repoUrl, targetRevision: 'main', path: where.path },
    destination: { server: 'https://kubernetes.default.svc', namespace: where.namespace },
    syncPolicy: { syncOptions: ['CreateNamespace=true'], ...syncPolicy },
  },
});

const sync = (name: string): Promise<void> =>
  f.patchApp(name, { operation: { sync: { syncStrategy: { hook: {} } }, initiatedBy: { username: 'e2e' } } });
const opDone = (a: Application): boolean =>
  a.operation === undefined &&
  ['Succeeded', 'Failed', 'Error'].includes(a.status?.operationState?.phase ?? '');

describe('AppProject enforcement', () => {
  it('rejects a source repository the project does not list: InvalidSpecError', async () => {
    await f.apply(application('foreign', 'elsewhere', { path: 'steady', namespace: 'foreign' }));
    const a = await f.waitApp('foreign', 'invalid', (x) =>
      (x.status?.conditions ?? []).some((c) => c.type === 'InvalidSpecError'),
    );
    const condition = a.status?.conditions?.find((c) => c.type === 'InvalidSpecError');
    expect(condition?.message).toContain(
      `application repo ${f.repoUrl} is not permitted in project 'elsewhere'`,
    );
    expect(a.status?.sync?.status).toBe('Unknown');
  });

  it('fails a sync of a ClusterRole the project does not whitelist, naming it', async () => {
    await f.apply(application('rbac', 'limited', { path: 'rbac', namespace: 'limited-rbac' }));
    await f.waitApp('rbac', 'compared', (x) => x.status?.sync?.status !== undefined);
    await sync('rbac');
    const a = await f.waitApp('rbac', 'finished', opDone, 60_000);
    expect(a.status?.operationState?.phase).toBe('Failed');
    const result = a.status?.operationState?.syncResult?.resources?.find((r) => r.kind === 'ClusterRole');
    expect(result?.status).toBe('SyncFailed');
    expect(result?.message).toContain('ClusterRole');
    expect(result?.message).toContain('not permitted');
    expect(await f.get('rbac.authorization.k8s.io/v1', 'ClusterRole', 'e2e-reader')).toBeUndefined();
  });

  it('refuses a blacklisted ResourceQuota', async () => {
    await f.apply(application('quota', 'limited', { path: 'quota', namespace: 'limited-quota' }));
    await f.waitApp('quota', 'compared', (x) => x.status?.sync?.status !== undefined);
    await sync('quota');
    const a = await f.waitApp('quota', 'finished', opDone, 60_000);
    expect(a.status?.operationState?.phase).toBe('Failed');
    const result = a.status?.operationState?.syncResult?.resources?.find((r) => r.kind === 'ResourceQuota');
    expect(result?.message).toContain('ResourceQuota');
    expect(result?.message).toContain('not permitted');
    expect(await f.get('v1', 'ResourceQuota', 'e2e-quota', 'limited-quota')).toBeUndefined();
  });
});

describe('refusing to do harm', () => {
  it('will not auto-sync an empty render with prune and without allowEmpty', async () => {
    await f.apply(
      application(
        'shrinking',
        'default',
        { path: 'shrinking', namespace: 'shrinking' },
        { automated: { prune: true } },
      ),
    );
    await f.waitApp('shrinking', 'Synced and Healthy', isSyncedHealthy, 90_000);
    expect(await f.get('v1', 'ConfigMap', 'one', 'shrinking')).toBeDefined();
    await f.repo.remove(['shrinking/one.yaml']);
    await f.repo.commit('empty the app');
    await f.patchApp('shrinking', { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } });
    const a = await f.waitApp('shrinking', 'refusing', (x) =>
      (x.status?.conditions ?? []).some(
        (c) => c.type === 'SyncError' && c.message.includes('auto-sync will wipe out all resources'),
      ),
    );
    expect(a.status?.sync?.status).toBe('OutOfSync');
    await new Promise((r) => setTimeout(r, 2000));
    expect(await f.get('v1', 'ConfigMap', 'one', 'shrinking')).toBeDefined();
  });

  it('reports a ComparisonError while the Git remote is gone, prunes nothing, and recovers', async () => {
    await f.apply(
      application(
        'steady',
        'default',
        { path: 'steady', namespace: 'steady' },
        { automated: { prune: true, selfHeal: true } },
      ),
    );
    await f.waitApp('steady', 'Synced and Healthy', isSyncedHealthy, 90_000);
    const bare = f.repo.bareDir;
    await rename(bare, `${bare}.away`);
    try {
      await f.patchApp('steady', { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'hard' } } });
      const a = await f.waitApp('steady', 'failing to compare', (x) =>
        (x.status?.conditions ?? []).some((c) => c.type === 'ComparisonError'),
      );
      expect(a.status?.sync?.status).toBe('Unknown');
      await new Promise((r) => setTimeout(r, 2000));
      expect(await f.get('v1', 'ConfigMap', 'steady', 'steady')).toBeDefined();
    } finally {
      await rename(`${bare}.away`, bare);
    }
    await f.patchApp('steady', { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'hard' } } });
    const healed = await f.waitApp(
      'steady',
      'recovered',
      (x) => isSyncedHealthy(x) && (x.status?.conditions ?? []).length === 0,
    );
    expect(healed.status?.sync?.status).toBe('Synced');
    await eventually(
      'the ConfigMap still there',
      async () => (await f.get('v1', 'ConfigMap', 'steady', 'steady')) !== undefined,
    );
  });

  it('refreshes an app when asked on the Redis refresh channel (the webhook path)', async () => {
    const before = (await f.app('steady'))?.status?.reconciledAt;
    await new Promise((r) => setTimeout(r, 1100)); // reconciledAt has one-second resolution
    const redis = new Redis(f.redis.url);
    try {
      await redis.publish('capstan|app-refresh', JSON.stringify({ name: 'steady' }));
    } finally {
      redis.disconnect();
    }
    await f.waitApp('steady', 'refreshed', (x) => x.status?.reconciledAt !== before, 20_000);
  });

  it('keeps the resource tree in Redis, compressed, for the API server', async () => {
    const redis = new Redis(f.redis.url);
    try {
      const raw = await redis.getBuffer('capstan|app-tree|argocd|steady');
      expect(raw).not.toBeNull();
      const tree = JSON.parse(gunzipSync(raw as Buffer).toString('utf8')) as {
        nodes: { kind: string; name: string }[];
      };
      expect(tree.nodes.map((n) => `${n.kind}/${n.name}`)).toContain('ConfigMap/steady');
    } finally {
      redis.disconnect();
    }
  });
});

describe('deleting an Application', () => {
  it('deletes its resources except Delete=false, then runs its PostDelete hook before it goes', async () => {
    await f.apply(
      application(
        'leaving',
        'default',
        { path: 'leaving', namespace: 'leaving' },
        { automated: { prune: true } },
      ),
    );
    await f.waitApp('leaving', 'Synced and Healthy', isSyncedHealthy, 90_000);
    const app = await f.app('leaving');
    expect(app?.metadata.finalizers).toContain('post-delete-finalizer.argocd.argoproj.io');
    await f.kube.patch(
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'leaving', namespace: 'argocd' },
      },
      {
        metadata: {
          finalizers: [...(app?.metadata.finalizers ?? []), 'resources-finalizer.argocd.argoproj.io'],
        },
      },
      'application/merge-patch+json',
    );
    await f.kube.delete({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'leaving', namespace: 'argocd' },
    });
    await eventually('the Application to be gone', async () => (await f.app('leaving')) === undefined, {
      timeoutMs: 90_000,
    });
    expect(await f.get('v1', 'ConfigMap', 'goes-away', 'leaving')).toBeUndefined();
    expect(await f.get('v1', 'ConfigMap', 'stays', 'leaving')).toBeDefined();
    const job = (await f.get('batch/v1', 'Job', 'farewell', 'leaving')) as
      { status?: { succeeded?: number } } | undefined;
    expect(job?.status?.succeeded).toBe(1);
  });
});
