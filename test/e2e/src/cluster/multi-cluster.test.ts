import { CoreV1Api, VersionApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterFromSecret, kubeConfigForCluster, secretTypeLabel } from '@capstan/kube';
import { startLocalCluster, startTestCluster, type LocalCluster, type TestCluster } from '@capstan/testkit';

let a: TestCluster;
let b: LocalCluster;

beforeAll(async () => {
  // Two control planes at once, started concurrently.
  [a, b] = await Promise.all([
    startTestCluster({ name: 'cluster-a' }),
    startLocalCluster({ name: 'cluster-b' }),
  ]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

describe('two clusters', () => {
  it('run at once on different ports with different CAs', () => {
    expect(new URL(a.server).port).not.toBe(new URL(b.server).port);
    const caA = a.kubeConfig().getCurrentCluster()?.caData;
    expect(caA).toBeDefined();
    expect(Buffer.from(caA ?? '', 'base64').toString()).not.toBe(b.caPem);
  });

  it('a client built from a Capstan cluster Secret in one reaches the other', async () => {
    const coreA = a.kubeConfig().makeApiClient(CoreV1Api);
    await using ns = await a.createNamespace('argocd');
    await coreA.createNamespacedSecret({
      namespace: ns.name,
      body: {
        metadata: { name: 'cluster-b', labels: { [secretTypeLabel]: 'cluster', env: 'staging' } },
        type: 'Opaque',
        stringData: {
          name: 'staging',
          server: b.server,
          config: JSON.stringify({
            bearerToken: b.token,
            tlsClientConfig: { insecure: false, caData: Buffer.from(b.caPem).toString('base64') },
          }),
        },
      },
    });

    const stored = await coreA.readNamespacedSecret({ name: 'cluster-b', namespace: ns.name });
    const record = clusterFromSecret(stored);
    expect(record).toMatchObject({ name: 'staging', server: b.server, labels: { env: 'staging' } });

    const kc = kubeConfigForCluster(record);
    const version = await kc.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toBe(b.kubernetesVersion);
    const nodes = await kc.makeApiClient(CoreV1Api).listNode();
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual(['kwok-node-0']);

    // The Secret's CA is what makes the connection trusted: cluster A's CA does not validate B.
    const wrongCa = kubeConfigForCluster({
      ...record,
      config: {
        ...record.config,
        tlsClientConfig: { caData: a.kubeConfig().getCurrentCluster()?.caData ?? '' },
      },
    });
    await expect(wrongCa.makeApiClient(VersionApi).getCode()).rejects.toThrow();
  });
});
