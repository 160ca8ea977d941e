import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscoveryCache, KubeTransport, ResourceClient } from '@capstan/kube';
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
    await client.delete(cm); // already deleting or gone: no error
    // A foreground delete finishes when the garbage collector drops its finalizer, a moment later.
    await eventually('ConfigMap gone', async () => (await client.get(cm)) === undefined);
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

  it('dry-runs create, replace and delete without changing anything', async () => {
    await using ns = await cluster.createNamespace('dry');
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: ns.name },
      data: { a: '1' },
    };
    const planned = await client.create(cm, true);
    expect(planned.metadata?.name).toBe('c');
    expect(await client.get(cm)).toBeUndefined();
    await client.create(cm);
    const changed = { ...cm, data: { a: '2' } };
    const replaced = await client.replace(changed, true);
    expect((replaced as { data?: Record<string, string> }).data).toEqual({ a: '2' });
    await client.delete(cm, 'Background', true);
    expect(((await client.get(cm)) as { data?: Record<string, string> } | undefined)?.data).toEqual({
      a: '1',
    });
    // A dry run still validates: a bad body is refused.
    await expect(
      client.replace({ ...cm, metadata: { ...cm.metadata, name: 'BAD' } }, true),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/InvalidArgument|NotFound/) as unknown,
    });
  });

  it('force-replaces what cannot be updated in place: delete, wait until gone, create', async () => {
    await using ns = await cluster.createNamespace('force');
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'frozen', namespace: ns.name },
      immutable: true,
      data: { a: '1' },
    };
    const first = await client.create(cm);
    const changed = { ...cm, data: { a: '2' } };
    // An immutable ConfigMap's data cannot be replaced...
    await expect(client.replace(changed)).rejects.toMatchObject({ code: 'InvalidArgument' });
    // ...but a dry-run force replace passes, and leaves it as it was...
    await client.forceReplace(changed, { dryRun: true });
    expect((await client.get(cm))?.metadata?.uid).toBe(first.metadata?.uid);
    // ...and the real one recreates it with the new data.
    const second = await client.forceReplace(changed);
    expect(second.metadata?.uid).not.toBe(first.metadata?.uid);
    const live = (await client.get(cm)) as { data?: Record<string, string>; metadata?: { uid?: string } };
    expect(live.data).toEqual({ a: '2' });
    expect(live.metadata?.uid).toBe(second.metadata?.uid);
    // An absent object is simply created.
    const fresh = await client.forceReplace({ ...cm, metadata: { ...cm.metadata, name: 'fresh' } });
    expect(fresh.metadata?.uid).toBeDefined();
  });

  it('caches discovery, refreshing on invalidateDiscovery when CRDs change, and counts every request', async () => {
    const calls: { verb: string; resourceKind: string; status: number }[] = [];
    const kc = cluster.kubeConfig();
    const counted = new ResourceClient({
      kubeConfig: kc,
      transport: new KubeTransport(kc, { onRequest: (r) => calls.push(r) }),
    });
    expect(await counted.namespaced('v1', 'ConfigMap')).toBe(true);
    const afterDiscovery = counted.transport.requestCount;
    expect(afterDiscovery).toBeGreaterThan(2);
    expect(calls.every((c) => c.resourceKind === 'discovery' && c.status === 200)).toBe(true);
    // Cached: more lookups cost nothing, and a known miss within 10 s does not rediscover.
    expect(await counted.namespaced('apps/v1', 'Deployment')).toBe(true);
    expect(await counted.namespaced('capstan.test/v1', 'Gadget')).toBeUndefined();
    expect(counted.transport.requestCount).toBe(afterDiscovery);
    // A served version that is not the preferred one is fetched once, on demand.
    expect(await counted.namespaced('autoscaling/v1', 'HorizontalPodAutoscaler')).toBe(true);
    expect(counted.transport.requestCount).toBe(afterDiscovery + 1);
    expect(await counted.namespaced('autoscaling/v1', 'HorizontalPodAutoscaler')).toBe(true);
    expect(counted.transport.requestCount).toBe(afterDiscovery + 1);

    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.capstan.test' },
      spec: {
        group: 'capstan.test',
        scope: 'Cluster',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    };
    await counted.apply(crd);
    try {
      await eventually('CRD established', async () => {
        counted.invalidateDiscovery();
        return (await counted.namespaced('capstan.test/v1', 'Gadget')) === false;
      });
      const gadget = {
        apiVersion: 'capstan.test/v1',
        kind: 'Gadget',
        metadata: { name: 'g1' },
        spec: { n: 1 },
      };
      await counted.apply(gadget);
      expect(((await counted.get(gadget)) as { spec?: unknown }).spec).toEqual({ n: 1 });
      expect(calls.filter((c) => c.resourceKind === 'Gadget').map((c) => c.verb)).toEqual(['Patch', 'Get']);
      await counted.delete(gadget);
    } finally {
      await counted.delete(crd);
    }
  });

  it('rediscovers on a miss once the refresh interval has passed, and not before', async () => {
    let now = 0;
    const transport = new KubeTransport(cluster.kubeConfig());
    const cache = new DiscoveryCache(transport, { minRefreshIntervalMs: 10_000, now: () => now });
    expect(await cache.lookup('capstan.test/v1', 'Sprocket')).toBeUndefined();
    const afterFirst = transport.requestCount;
    now = 9_999;
    expect(await cache.lookup('capstan.test/v1', 'Sprocket')).toBeUndefined();
    expect(transport.requestCount).toBe(afterFirst);
    now = 10_000;
    expect(await cache.lookup('capstan.test/v1', 'Sprocket')).toBeUndefined();
    expect(transport.requestCount).toBe(2 * afterFirst);
    // A hit never rediscovers, however old the cache.
    now = 1_000_000;
    expect(await cache.lookup('v1', 'Secret')).toMatchObject({ resource: 'secrets', namespaced: true });
    expect(transport.requestCount).toBe(2 * afterFirst);
  });
});
