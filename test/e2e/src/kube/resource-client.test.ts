import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceClient } from '@capstan/kube';
import { eventually, startTestCluster, type TestCluster } from '@capstan/testkit';

let cluster: TestCluster;
let client: ResourceClient;
beforeAll(async () => {
  cluster = await startTestCluster({ name: 'resource-client' });
  client = new ResourceClient(cluster.kubeConfig());
});
afterAll(() => cluster?.stop());

describe('ResourceClient against a real API server', () => {
  it('tells namespaced from cluster-scoped kinds, and unknown kinds apart', async () => {
    expect(await client.namespaced('v1', 'ConfigMap')).toBe(true);
    expect(await client.namespaced('v1', 'Namespace')).toBe(false);
    expect(await client.namespaced('rbac.authorization.k8s.io/v1', 'ClusterRole')).toBe(false);
    expect(await client.namespaced('example.com/v1', 'Widget')).toBeUndefined();
  });

  it('applies, reads, dry-runs and deletes any kind', async () => {
    await using ns = await cluster.createNamespace('rc');
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: ns.name },
      data: { a: '1' },
    };
    await client.apply({ ...cm, metadata: { ...cm.metadata, name: 'dry' } }, { dryRun: true });
    expect(await client.get({ ...cm, metadata: { ...cm.metadata, name: 'dry' } })).toBeUndefined();
    const applied = await client.apply(cm);
    expect(applied.metadata?.managedFields?.[0]?.manager).toBe('argocd-controller');
    expect(((await client.get(cm)) as { data: Record<string, string> }).data).toEqual({ a: '1' });
    await expect(client.apply({ ...cm, data: { a: 1 } } as never)).rejects.toMatchObject({
      code: 'InvalidArgument',
    });
    await client.delete(cm);
    await client.delete(cm); // already gone: no error
    expect(await client.get(cm)).toBeUndefined();
  });

  it('removes one finalizer and keeps the others', async () => {
    await using ns = await cluster.createNamespace('fin');
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'held',
        namespace: ns.name,
        finalizers: ['example.com/keep', 'argocd.argoproj.io/hook-finalizer'],
      },
    };
    await client.create(cm);
    await client.removeFinalizer(cm, 'argocd.argoproj.io/hook-finalizer');
    expect((await client.get(cm))?.metadata?.finalizers).toEqual(['example.com/keep']);
    await client.delete(cm);
    expect((await client.get(cm))?.metadata?.deletionTimestamp).toBeDefined();
    await client.removeFinalizer(cm, 'example.com/keep');
    await eventually('ConfigMap gone', async () => (await client.get(cm)) === undefined);
  });
});
