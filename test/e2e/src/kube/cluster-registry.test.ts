// ClusterRegistry against two real control planes: `home` is the controller's own cluster (where the
// cluster Secrets live), `remote` is a destination registered by a Secret.
import { CoreV1Api, type V1Secret } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClusterRegistry,
  inClusterServer,
  secretTypeLabel,
  type ClusterEvent,
  type ClusterRegistryOptions,
  type KubeRequestInfo,
} from '@capstan/kube';
import { eventually, startTestCluster, type TestCluster, type TestNamespace } from '@capstan/testkit';

let home: TestCluster;
let remote: TestCluster;
let homeCore: CoreV1Api;
let remoteCore: CoreV1Api;
const registries: ClusterRegistry[] = [];

beforeAll(async () => {
  [home, remote] = await Promise.all([
    startTestCluster({ name: 'registry-home' }),
    startTestCluster({ name: 'registry-remote' }),
  ]);
  homeCore = home.kubeConfig().makeApiClient(CoreV1Api);
  remoteCore = remote.kubeConfig().makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await Promise.all(registries.map((r) => r.stop()));
  await Promise.all([home?.stop(), remote?.stop()]);
});

/** The `config` of a cluster Secret that reaches `remote`, built from its kubeconfig. */
function remoteConfig(): Record<string, unknown> {
  const kc = remote.kubeConfig();
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  return {
    ...(user?.token === undefined ? {} : { bearerToken: user.token }),
    tlsClientConfig: {
      insecure: cluster?.skipTLSVerify ?? false,
      ...(cluster?.caData === undefined ? {} : { caData: cluster.caData }),
      ...(user?.certData === undefined ? {} : { certData: user.certData }),
      ...(user?.keyData === undefined ? {} : { keyData: user.keyData }),
    },
  };
}

function clusterSecret(name: string, stringData: Record<string, string>): V1Secret {
  return {
    metadata: { name, labels: { [secretTypeLabel]: 'cluster' } },
    type: 'Opaque',
    stringData,
  };
}

async function updateSecret(
  namespace: string,
  name: string,
  stringData: Record<string, string>,
): Promise<void> {
  const secret = await homeCore.readNamespacedSecret({ name, namespace });
  await homeCore.replaceNamespacedSecret({ name, namespace, body: { ...secret, stringData } });
}

async function startRegistry(
  ns: TestNamespace,
  options: Partial<ClusterRegistryOptions> = {},
): Promise<{ registry: ClusterRegistry; events: ClusterEvent[]; errors: Error[] }> {
  const events: ClusterEvent[] = [];
  const errors: Error[] = [];
  const registry = new ClusterRegistry({
    kubeConfig: home.kubeConfig(),
    namespace: ns.name,
    onError: (e) => errors.push(e),
    ...options,
  });
  registry.on((ev) => events.push(ev));
  registries.push(registry);
  await registry.start();
  return { registry, events, errors };
}

/** Creates a ConfigMap through the registry's client for `server`, and reads it back from `remote` directly. */
async function createOnRemote(registry: ClusterRegistry, server: string, name: string): Promise<string> {
  const target = registry.get(server);
  if (target === undefined) throw new Error(`no cluster for ${server}`);
  await using ns = await remote.createNamespace('reg');
  const manifest = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns.name },
    data: { via: 'registry' },
  };
  await target.resources.create(manifest);
  const cm = await remoteCore.readNamespacedConfigMap({ name, namespace: ns.name });
  return cm.data?.['via'] ?? '';
}

describe('ClusterRegistry on two real clusters', () => {
  it('always has in-cluster, reaching the controller’s own cluster', async () => {
    await using ns = await home.createNamespace('argocd');
    const { registry } = await startRegistry(ns);
    const inCluster = registry.get(`${inClusterServer}/`);
    expect(inCluster?.record).toMatchObject({ name: 'in-cluster', server: inClusterServer });
    expect(registry.byName('in-cluster')).toEqual([inCluster]);
    expect(registry.list().map((c) => c.record.server)).toEqual([inClusterServer]);
    // Its client talks to `home`: it sees the namespace created there.
    const live = await inCluster?.resources.get({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns.name },
    });
    expect(live?.metadata?.uid).toBeDefined();
    expect(registry.get('https://elsewhere.example')).toBeUndefined();
  });

  it('picks up a cluster Secret added, updated and deleted, without a restart', async () => {
    await using ns = await home.createNamespace('argocd');
    const { registry, events } = await startRegistry(ns);
    expect(registry.get(remote.server)).toBeUndefined();

    await homeCore.createNamespacedSecret({
      namespace: ns.name,
      body: clusterSecret('remote', {
        name: 'staging',
        server: `${remote.server}/`,
        config: JSON.stringify(remoteConfig()),
        namespaces: 'a,b',
      }),
    });
    const added = await eventually('the remote cluster registered', () => registry.get(remote.server));
    expect(added.record).toMatchObject({ name: 'staging', server: remote.server, namespaces: ['a', 'b'] });
    expect(events.map((e) => [e.type, e.cluster.record.name])).toEqual([['added', 'staging']]);
    expect(registry.get(`${remote.server}///`)).toBe(added);
    expect(registry.byName('staging')).toEqual([added]);
    expect(
      registry
        .list()
        .map((c) => c.record.name)
        .sort(),
    ).toEqual(['in-cluster', 'staging']);
    // Its client reaches the second cluster.
    expect(await createOnRemote(registry, remote.server, 'hello')).toBe('registry');

    await updateSecret(ns.name, 'remote', { name: 'staging-2' });
    const updated = await eventually('the rename seen', () =>
      registry.get(remote.server)?.record.name === 'staging-2' ? registry.get(remote.server) : undefined,
    );
    expect(events.at(-1)).toMatchObject({ type: 'updated', cluster: { record: { name: 'staging-2' } } });
    expect(registry.byName('staging')).toEqual([]);
    // Same connection settings: the transport (rate limiter, discovery cache) is kept.
    expect(updated.transport).toBe(added.transport);

    await homeCore.deleteNamespacedSecret({ name: 'remote', namespace: ns.name });
    await eventually('the remote cluster gone', () => registry.get(remote.server) === undefined);
    expect(events.at(-1)).toMatchObject({ type: 'deleted', cluster: { record: { name: 'staging-2' } } });
    expect(events.map((e) => e.type)).toEqual(['added', 'updated', 'deleted']);
    expect(registry.get(inClusterServer)).toBeDefined();
  });

  it('reports a malformed Secret by name and skips it; the good one keeps working', async () => {
    await using ns = await home.createNamespace('argocd');
    // One good and one bad before start: the initial list must cope with both.
    await homeCore.createNamespacedSecret({
      namespace: ns.name,
      body: clusterSecret('good', {
        name: 'good',
        server: remote.server,
        config: JSON.stringify(remoteConfig()),
      }),
    });
    await homeCore.createNamespacedSecret({
      namespace: ns.name,
      body: clusterSecret('broken-json', {
        name: 'broken',
        server: 'https://broken.example',
        config: '{not json',
      }),
    });
    const { registry, errors } = await startRegistry(ns);
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining(`${ns.name}/broken-json`)]);
    expect(registry.get('https://broken.example')).toBeUndefined();
    expect(registry.get(remote.server)?.record.name).toBe('good');

    // One that arrives through the watch is reported too.
    await homeCore.createNamespacedSecret({
      namespace: ns.name,
      body: clusterSecret('no-server', { name: 'nowhere' }),
    });
    await eventually('the second bad secret reported', () => errors.length === 2);
    expect(errors[1]?.message).toMatch(new RegExp(`${ns.name}/no-server.*server`));
    expect(registry.byName('nowhere')).toEqual([]);
    expect(await createOnRemote(registry, remote.server, 'still-works')).toBe('registry');

    // A good Secret turning bad drops its cluster (the Secret is the truth) and says why.
    await updateSecret(ns.name, 'good', { server: 'not a url' });
    await eventually('the broken cluster dropped', () => registry.get(remote.server) === undefined);
    expect(errors.at(-1)?.message).toContain(`${ns.name}/good`);
  });

  it('lets a Secret for https://kubernetes.default.svc rename in-cluster, and falls back when it goes', async () => {
    await using ns = await home.createNamespace('argocd');
    const { registry, events } = await startRegistry(ns);
    const original = registry.get(inClusterServer);
    await homeCore.createNamespacedSecret({
      namespace: ns.name,
      body: clusterSecret('in-cluster', {
        name: 'home',
        server: inClusterServer,
        config: JSON.stringify({ tlsClientConfig: { insecure: false } }),
      }),
    });
    const renamed = await eventually('in-cluster renamed', () =>
      registry.get(inClusterServer)?.record.name === 'home' ? registry.get(inClusterServer) : undefined,
    );
    expect(events.map((e) => [e.type, e.cluster.record.name])).toEqual([['updated', 'home']]);
    // No credentials of its own: it still uses the controller's connection.
    expect(renamed.transport).toBe(original?.transport);
    expect(registry.byName('in-cluster')).toEqual([]);

    await homeCore.deleteNamespacedSecret({ name: 'in-cluster', namespace: ns.name });
    await eventually('in-cluster back', () => registry.get(inClusterServer)?.record.name === 'in-cluster');
    expect(registry.get(inClusterServer)).toBe(original);
    expect(events.map((e) => e.type)).toEqual(['updated', 'updated']);
  });

  it('counts every request per cluster through onRequest', async () => {
    await using ns = await home.createNamespace('argocd');
    const requests: KubeRequestInfo[] = [];
    await homeCore.createNamespacedSecret({
      namespace: ns.name,
      body: clusterSecret('remote', {
        name: 'remote',
        server: remote.server,
        config: JSON.stringify(remoteConfig()),
      }),
    });
    const { registry } = await startRegistry(ns, {
      transportOptions: { qps: 20, burst: 40, onRequest: (r) => requests.push(r) },
    });
    // The registry's own list and watch of the Secrets, on the controller's cluster.
    await eventually('the watch opened', () => requests.some((r) => r.verb === 'Watch'));
    expect(requests.slice(0, 2)).toEqual([
      { server: inClusterServer, verb: 'List', resourceKind: 'Secret', status: 200 },
      { server: inClusterServer, verb: 'Watch', resourceKind: 'Secret', status: 200 },
    ]);

    const target = registry.get(remote.server);
    if (target === undefined) throw new Error('remote not registered');
    expect(target.transport.requestCount).toBe(0);
    requests.length = 0;
    expect(await createOnRemote(registry, remote.server, 'counted')).toBe('registry');
    const onRemote = requests.filter((r) => r.server === remote.server);
    expect(onRemote.length).toBe(target.transport.requestCount);
    expect(onRemote.filter((r) => r.resourceKind === 'ConfigMap')).toEqual([
      { server: remote.server, verb: 'Create', resourceKind: 'ConfigMap', status: 201 },
    ]);
    expect(onRemote.filter((r) => r.resourceKind === 'discovery').length).toBeGreaterThan(2);
    // A second create reuses the cached discovery: exactly one more request.
    const before = target.transport.requestCount;
    await using ns2 = await remote.createNamespace('reg');
    await target.resources.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: ns2.name },
    });
    expect(target.transport.requestCount).toBe(before + 1);
  });

  it('renews a watch the server ends, missing nothing in between', async () => {
    await using ns = await home.createNamespace('argocd');
    const verbs: string[] = [];
    const { registry, errors } = await startRegistry(ns, {
      watchTimeoutSeconds: 1,
      transportOptions: { onRequest: (r) => verbs.push(r.verb) },
    });
    await eventually('the watch renewed twice', () => verbs.filter((v) => v === 'Watch').length >= 3, {
      timeoutMs: 20_000,
    });
    await homeCore.createNamespacedSecret({
      namespace: ns.name,
      body: clusterSecret('later', { name: 'later', server: 'https://later.example' }),
    });
    await eventually('the later secret seen', () => registry.get('https://later.example'));
    // Renewals resume from the last resourceVersion: one list only, and no errors.
    expect(verbs.filter((v) => v === 'List')).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('stops watching on stop()', async () => {
    await using ns = await home.createNamespace('argocd');
    const { registry, events } = await startRegistry(ns);
    await registry.stop();
    await homeCore.createNamespacedSecret({
      namespace: ns.name,
      body: clusterSecret('late', { name: 'late', server: 'https://late.example' }),
    });
    // Give a live watch ample time to have delivered it.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(registry.get('https://late.example')).toBeUndefined();
    expect(events).toEqual([]);
    // Starting again lists what is there now.
    await registry.start();
    expect(registry.get('https://late.example')?.record.name).toBe('late');
    expect(events.map((e) => e.type)).toEqual(['added']);
  });
});
