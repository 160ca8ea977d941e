// The seed's my-application end to end: applied with kubectl-style apply exactly as the article writes it
// (only the repository URL points at the locally served copy), it must reach Synced and Healthy, stay there,
// heal, prune and clean up after itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '@capstan/crds';
import { eventually } from '@capstan/testkit';
import { isSyncedHealthy, startControllerFixture, type ControllerFixture, type Obj } from './fixture.ts';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
spec:
  replicas: 2
  selector:
    matchLabels: {app: my-app}
  template:
    metadata:
      labels: {app: my-app}
    spec:
      containers:
      - name: app
        image: myorg/my-app:v2.5.0
        ports: [{containerPort: 8080}]
`;
const service = `apiVersion: v1
kind: Service
metadata:
  name: my-app
spec:
  selector: {app: my-app}
  ports: [{port: 8080}]
`;
const settings = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data: {mode: blue}
`;
const kept = `apiVersion: v1
kind: ConfigMap
metadata:
  name: kept
  annotations:
    argocd.argoproj.io/sync-options: Prune=false
data: {keep: "yes"}
`;
const files = (resources: string[]): Record<string, string> => ({
  'apps/my-app/base/kustomization.yaml': `resources:\n${resources.map((r) => `- ${r}\n`).join('')}`,
  'apps/my-app/base/deployment.yaml': deployment,
  'apps/my-app/base/service.yaml': service,
  'apps/my-app/base/settings.yaml': settings,
  'apps/my-app/base/kept.yaml': kept,
  'apps/my-app/overlays/production/kustomization.yaml': 'resources:\n- ../../base\n',
});

let f: ControllerFixture;
let app: Application;
let syncedAfterMs = 0;
beforeAll(async () => {
  f = await startControllerFixture({
    files: files(['deployment.yaml', 'service.yaml', 'settings.yaml', 'kept.yaml']),
  });
  for (const p of await f.seed('03-appproject-production.yaml')) await f.apply(p);
  const started = Date.now();
  for (const a of await f.seed('01-application-my-application.yaml')) await f.apply(a);
  app = await f.waitApp('my-application', 'Synced and Healthy', isSyncedHealthy, 120_000);
  syncedAfterMs = Date.now() - started;
  console.log(`[figure] kubectl apply → Synced+Healthy: ${syncedAfterMs} ms`);
}, 240_000);
afterAll(() => f?.[Symbol.asyncDispose]());

const live = (kind: string, name: string, apiVersion = 'v1'): Promise<Obj | undefined> =>
  f.get(apiVersion, kind, name, 'production');

describe('the seed my-application on a real cluster', () => {
  it('is synced by automated sync: Kustomize prefix and labels applied, namespace created, history written', async () => {
    const dep = (await live('Deployment', 'prod-my-app', 'apps/v1')) as
      { metadata: { labels: Record<string, string>; annotations: Record<string, string> } } | undefined;
    expect(dep?.metadata.labels['env']).toBe('production');
    expect(dep?.metadata.annotations['argocd.argoproj.io/tracking-id']).toBe(
      'my-application:apps/Deployment:production/prod-my-app',
    );
    expect(await f.get('v1', 'Namespace', 'production')).toBeDefined();
    expect(app.status?.operationState?.phase).toBe('Succeeded');
    expect(app.status?.operationState?.operation.initiatedBy?.automated).toBe(true);
    expect(app.status?.history?.length).toBe(1);
    expect(app.status?.sourceType).toBe('Kustomize');
    expect(app.status?.resources?.map((r) => `${r.kind}/${r.name}`).sort()).toEqual([
      'ConfigMap/prod-kept',
      'ConfigMap/prod-settings',
      'Deployment/prod-my-app',
      'Service/prod-my-app',
    ]);
    expect(syncedAfterMs).toBeGreaterThan(0);
  });

  it('reports argocd_app_info with Synced/Healthy on /metrics', async () => {
    const text = await f.metricsText();
    const line = text
      .split('\n')
      .find((l) => l.startsWith('argocd_app_info{') && l.includes('name="my-application"'));
    expect(line).toBeDefined();
    expect(line).toContain('sync_status="Synced"');
    expect(line).toContain('health_status="Healthy"');
    expect(line).toContain('autosync_enabled="true"');
    expect(line?.endsWith(' 1')).toBe(true);
    expect(text).toMatch(
      /argocd_app_sync_total\{[^}]*name="my-application"[^}]*phase="Succeeded"[^}]*\} [1-9]/,
    );
    expect(text).toMatch(/argocd_cluster_api_resource_objects\{[^}]*\} [1-9]/);
  });

  it('costs few API requests to refresh when nothing changed', async () => {
    const requests = async (): Promise<number> =>
      (await f.metricsText())
        .split('\n')
        .filter((l) => l.startsWith('argocd_app_k8s_request_total{'))
        .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    const reconciledBefore = (await f.app('my-application'))?.status?.reconciledAt;
    await new Promise((r) => setTimeout(r, 1100)); // reconciledAt has one-second resolution
    const before = await requests();
    await f.patchApp('my-application', {
      metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } },
    });
    await f.waitApp(
      'my-application',
      'refreshed',
      (a) =>
        a.metadata.annotations?.['argocd.argoproj.io/refresh'] === undefined &&
        a.status?.reconciledAt !== reconciledBefore,
      30_000,
    );
    const cost = (await requests()) - before;
    console.log(`[figure] destination API requests for one refresh of an unchanged app: ${cost}`);
    expect(cost).toBeLessThanOrEqual(2);
    expect((await f.app('my-application'))?.status?.sync?.status).toBe('Synced');
  });

  it('ignores a hand scale (ignoreDifferences /spec/replicas) and stays Synced', async () => {
    await f.kube.patch(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'prod-my-app', namespace: 'production' },
      },
      { spec: { replicas: 5 } },
      'application/merge-patch+json',
    );
    await f.patchApp('my-application', {
      metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } },
    });
    await new Promise((r) => setTimeout(r, 3000));
    const a = await f.app('my-application');
    expect(a?.status?.sync?.status).toBe('Synced');
    expect(
      ((await live('Deployment', 'prod-my-app', 'apps/v1')) as { spec: { replicas: number } }).spec.replicas,
    ).toBe(5);
  });

  it('reverts a hand-changed image through self-heal', async () => {
    await f.kube.patch(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'prod-my-app', namespace: 'production' },
      },
      { spec: { template: { spec: { containers: [{ name: 'app', image: 'myorg/my-app:hacked' }] } } } },
      'application/strategic-merge-patch+json',
    );
    await eventually(
      'self-heal to restore the image from Git',
      async () => {
        const dep = (await live('Deployment', 'prod-my-app', 'apps/v1')) as {
          spec: { template: { spec: { containers: { image: string }[] } } };
        };
        return dep.spec.template.spec.containers[0]?.image === 'myorg/my-app:v2.5.0';
      },
      { timeoutMs: 60_000 },
    );
    const a = await f.waitApp('my-application', 'Synced again', isSyncedHealthy, 30_000);
    // Self-heal is a selective sync: no new history entry.
    expect(a.status?.history?.length).toBe(1);
  });

  it('prunes what is removed from Git (PruneLast), but keeps an object marked Prune=false', async () => {
    await f.repo.write({
      'apps/my-app/base/kustomization.yaml': 'resources:\n- deployment.yaml\n- service.yaml\n',
    });
    await f.repo.remove(['apps/my-app/base/settings.yaml', 'apps/my-app/base/kept.yaml']);
    const sha = await f.repo.commit('drop settings and kept');
    await f.patchApp('my-application', {
      metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } },
    });
    // The object marked Prune=false keeps the app OutOfSync, so self-heal may follow the full sync with
    // selective (no-op) syncs of it: the full sync is recognised by its events, not by the last result.
    const a = await f.waitApp(
      'my-application',
      `synced to ${sha} with prod-settings pruned`,
      (x) =>
        x.status?.operationState?.syncResult?.revision === sha &&
        x.status.operationState.phase === 'Succeeded' &&
        x.status.resources?.some((r) => r.name === 'prod-settings') === false,
      90_000,
    );
    expect(await live('ConfigMap', 'prod-settings')).toBeUndefined();
    expect(await live('ConfigMap', 'prod-kept')).toBeDefined();
    const skipped = a.status?.operationState?.syncResult?.resources?.find((r) => r.name === 'prod-kept');
    expect(skipped?.status).toBe('PruneSkipped');
    // PruneLast: within its operation the prune came after every apply (events are ordered by etcd revision).
    const events = (
      await f.cluster.kubeConfig().makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: 'argocd' })
    ).items
      .filter((e) => e.involvedObject.name === 'my-application')
      .sort((x, y) => Number(x.metadata?.resourceVersion) - Number(y.metadata?.resourceVersion))
      .map((e) => `${e.reason ?? ''}: ${e.message ?? ''}`);
    const pruneAt = events.findIndex((e) => e.includes('prod-settings: deleted'));
    expect(pruneAt, events.join('\n')).toBeGreaterThan(0);
    const opStart = events.slice(0, pruneAt).findLastIndex((e) => e.startsWith('OperationStarted'));
    expect(events[opStart]).toContain(sha);
    const opEnd = events.findIndex((e, i) => i > pruneAt && e.startsWith('OperationCompleted'));
    const applied = (e: string): boolean => e.endsWith(': configured') || e.endsWith(': created');
    expect(events.slice(opStart, pruneAt).filter(applied).length).toBeGreaterThan(0);
    expect(events.slice(pruneAt, opEnd).filter(applied)).toEqual([]);
    expect(a.status?.resources?.find((r) => r.name === 'prod-kept')?.requiresPruning).toBe(true);
  });

  it('deletes everything it created when the Application is deleted (resources finalizer)', async () => {
    await f.kube.delete({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'my-application', namespace: 'argocd' },
    });
    await eventually(
      'the Application to be gone',
      async () => (await f.app('my-application')) === undefined,
      {
        timeoutMs: 90_000,
      },
    );
    expect(await live('Deployment', 'prod-my-app', 'apps/v1')).toBeUndefined();
    expect(await live('Service', 'prod-my-app')).toBeUndefined();
    expect(await live('ConfigMap', 'prod-kept')).toBeUndefined();
  });
});
