// An Application whose destination is a second cluster, known to the controller only through a cluster
// Secret created while it runs (no restart), syncs there and not on the controller's own cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceClient } from '@capstan/kube';
import { startLocalCluster, type LocalCluster } from '@capstan/testkit';
import { KubeConfig } from '@kubernetes/client-node';
import { clusterSecret, isSyncedHealthy, startControllerFixture, type ControllerFixture } from './fixture.ts';

let f: ControllerFixture;
let remote: LocalCluster;
beforeAll(async () => {
  [f, remote] = await Promise.all([
    startControllerFixture({
      files: {
        'remote/cm.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: far-away\ndata: {where: staging}\n',
        'remote/deploy.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: far\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: far}}\n  template:\n    metadata: {labels: {app: far}}\n    spec:\n      containers: [{name: c, image: nginx:1.27}]\n',
      },
    }),
    startLocalCluster({ name: 'controller-remote' }),
  ]);
}, 240_000);
afterAll(async () => {
  await Promise.all([f?.[Symbol.asyncDispose](), remote?.stop()]);
});

describe('a destination registered by a cluster Secret', () => {
  it('syncs the app on the second cluster', async () => {
    await f.apply(clusterSecret('staging', remote));
    await f.apply({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'far', namespace: 'argocd' },
      spec: {
        project: 'default',
        source: { repoURL: f.repoUrl, targetRevision: 'main', path: 'remote' },
        destination: { name: 'staging', namespace: 'staging-apps' },
        syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] },
      },
    });
    const a = await f.waitApp('far', 'Synced and Healthy on the remote cluster', isSyncedHealthy, 120_000);
    expect(a.status?.operationState?.phase).toBe('Succeeded');
    const kc = new KubeConfig();
    kc.loadFromString(remote.kubeconfig);
    const remoteClient = new ResourceClient(kc);
    const cm = await remoteClient.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'far-away', namespace: 'staging-apps' },
    });
    expect((cm as { data?: Record<string, string> } | undefined)?.data?.['where']).toBe('staging');
    expect(await f.get('v1', 'ConfigMap', 'far-away', 'staging-apps')).toBeUndefined();
    const text = await f.metricsText();
    expect(text).toMatch(
      new RegExp(
        `argocd_cluster_connection_status\\{[^}]*server="${remote.server.replace(/[.]/g, '\\.')}"[^}]*\\} 1`,
      ),
    );
  });
});
