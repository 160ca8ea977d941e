import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ResourceClient, PatchMetaSource, clientSideApply, lastAppliedAnnotation } from '@capstan/kube';
import { eventually, startTestCluster, type TestCluster } from '@capstan/testkit';

/** The real client, noting the PATCHes it sends: "nothing sent" is what client-side apply promises. */
class RecordingClient extends ResourceClient {
  patches: string[] = [];

  override async patch(...args: Parameters<ResourceClient['patch']>): Promise<KubernetesObject> {
    this.patches.push(args[2]);
    return super.patch(...args);
  }
}

let cluster: TestCluster;
let client: RecordingClient;
let meta: PatchMetaSource;
beforeAll(async () => {
  cluster = await startTestCluster({ name: 'client-side-apply' });
  client = new RecordingClient(cluster.kubeConfig());
  meta = new PatchMetaSource(client);
});
afterAll(() => cluster?.stop());

interface Container {
  name: string;
  image: string;
  env?: { name: string; value: string }[];
}

function deployment(ns: string, labels: Record<string, string>, containers: Container[]): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns, labels },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers } },
    },
  } as KubernetesObject;
}

interface LiveDeployment {
  metadata: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
  };
  spec: { replicas: number; template: { spec: { containers: Container[] } } };
}

const live = async (obj: KubernetesObject): Promise<LiveDeployment> =>
  (await client.get(obj)) as unknown as LiveDeployment;

describe('clientSideApply against a real API server', () => {
  it('reads strategic-merge metadata from the OpenAPI v3 documents', async () => {
    const d = await meta.forKind('apps/v1', 'Deployment');
    const pod = d?.field('spec')?.field('template')?.field('spec');
    expect(pod?.field('containers')).toMatchObject({ strategies: ['merge'], mergeKey: 'name' });
    expect(pod?.field('containers')?.field('env')?.mergeKey).toBe('name');
    expect(pod?.field('volumes')?.strategies).toEqual(['merge', 'retainKeys']);
    expect((await meta.forKind('v1', 'Service'))?.field('spec')?.field('ports')?.mergeKey).toBe('port');
    expect(await meta.forKind('example.com/v1', 'Nothing')).toBeUndefined();
  });

  it('updates a Deployment three-way: drops what the manifest dropped, keeps what others set', async () => {
    await using ns = await cluster.createNamespace('csa');
    const env = (...names: string[]) => names.map((name) => ({ name, value: name.toLowerCase() }));
    const v1 = deployment(ns.name, { app: 'web', team: 'a' }, [
      { name: 'app', image: 'app:1', env: env('A', 'B') },
      { name: 'sidecar', image: 'proxy:1' },
    ]);
    const created = await clientSideApply(client, v1, { meta });
    expect(JSON.parse(created.metadata?.annotations?.[lastAppliedAnnotation] ?? '')).toEqual({
      ...v1,
      metadata: { ...v1.metadata, annotations: {} },
    });

    // Someone else scales it and annotates it; neither is in the manifest.
    await client.patch(
      v1,
      { spec: { replicas: 3 }, metadata: { annotations: { 'other.example.com/note': 'kept' } } },
      'application/merge-patch+json',
      { fieldManager: 'someone-else' },
    );

    const v2 = deployment(ns.name, { app: 'web' }, [{ name: 'app', image: 'app:2', env: env('A') }]);
    client.patches = [];
    const applied = await clientSideApply(client, v2, { meta });
    expect(client.patches).toEqual(['application/strategic-merge-patch+json']);
    const after = await live(v2);
    expect(after.spec.template.spec.containers.map((c) => [c.name, c.image])).toEqual([['app', 'app:2']]);
    expect(after.spec.template.spec.containers[0]?.env).toEqual(env('A'));
    expect(after.spec.replicas).toBe(3);
    expect(after.metadata.labels).toEqual({ app: 'web' });
    expect(after.metadata.annotations?.['other.example.com/note']).toBe('kept');
    expect(JSON.parse(after.metadata.annotations?.[lastAppliedAnnotation] ?? '')).toMatchObject({
      metadata: { labels: { app: 'web' } },
    });
    expect(applied.metadata?.managedFields?.some((f) => f.manager === 'kubectl-client-side-apply')).toBe(
      true,
    );

    // A dry run answers with the result but leaves live as it was.
    const v3 = deployment(ns.name, { app: 'web' }, [{ name: 'app', image: 'app:3', env: env('A') }]);
    const dry = (await clientSideApply(client, v3, { meta, dryRun: true })) as unknown as LiveDeployment;
    expect(dry.spec.template.spec.containers[0]?.image).toBe('app:3');
    expect((await live(v3)).spec.template.spec.containers[0]?.image).toBe('app:2');

    // The same manifest again: live matches it, so nothing is sent.
    client.patches = [];
    await clientSideApply(client, v2, { meta });
    expect(client.patches).toEqual([]);
  });

  it('creates with the last-applied annotation, and sends nothing when nothing changed', async () => {
    await using ns = await cluster.createNamespace('csa-cm');
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: ns.name },
      data: { a: '1' },
    };
    expect(await clientSideApply(client, cm, { meta, dryRun: true })).toMatchObject({ data: { a: '1' } });
    expect(await client.get(cm)).toBeUndefined();

    const created = await clientSideApply(client, cm, { meta });
    expect(created.metadata?.annotations?.[lastAppliedAnnotation]).toBe(
      `{"apiVersion":"v1","data":{"a":"1"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"c","namespace":"${ns.name}"}}\n`,
    );
    client.patches = [];
    const again = await clientSideApply(client, cm, { meta });
    expect(client.patches).toEqual([]);
    expect(again.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
    expect((await client.get(cm))?.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);

    // A key dropped from the manifest goes; one added by someone else stays.
    await client.patch(cm, { data: { other: 'x' } }, 'application/merge-patch+json', {
      fieldManager: 'someone-else',
    });
    const changed = { ...cm, data: { b: '2' } };
    await clientSideApply(client, changed, { meta });
    expect(((await client.get(cm)) as unknown as { data: Record<string, string> }).data).toEqual({
      b: '2',
      other: 'x',
    });
  });

  it('with likelyAbsent creates without reading first, and still patches an object that exists after all', async () => {
    await using ns = await cluster.createNamespace('csa-absent');
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: ns.name },
      data: { a: '1' },
    };
    const created = await clientSideApply(client, cm, { meta, likelyAbsent: true });
    expect(created.metadata?.annotations?.[lastAppliedAnnotation]).toContain('"data":{"a":"1"}');
    client.patches = [];
    // Wrong guess: the create meets a 409 and the apply goes on as a three-way patch.
    const changed = { ...cm, data: { a: '2' } };
    const updated = await clientSideApply(client, changed, { meta, likelyAbsent: true });
    expect(client.patches).toHaveLength(1);
    expect((updated as unknown as { data: Record<string, string> }).data).toEqual({ a: '2' });
    expect(updated.metadata?.uid).toBe(created.metadata?.uid);
  });

  it('applies a custom resource with JSON merge semantics: lists replaced whole', async () => {
    const group = 'csa.capstan.test';
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: {
                      color: { type: 'string' },
                      owner: { type: 'string' },
                      // Keyed, yet a custom resource's list is still replaced whole by client-side apply.
                      ports: {
                        type: 'array',
                        'x-kubernetes-list-type': 'map',
                        'x-kubernetes-list-map-keys': ['name'],
                        items: {
                          type: 'object',
                          required: ['name'],
                          properties: { name: { type: 'string' }, port: { type: 'integer' } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    };
    await client.create(crd);
    await eventually('CRD established', async () => {
      const got = (await client.get(crd)) as { status?: { conditions?: { type: string; status: string }[] } };
      return got?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    });
    await eventually('Widget OpenAPI document published', () =>
      client.getRaw(`/openapi/v3/apis/${group}/v1`),
    );
    expect(await meta.forKind(`${group}/v1`, 'Widget')).toBeUndefined();

    await using ns = await cluster.createNamespace('csa-cr');
    // A fresh client: its discovery has not seen the cluster before the CRD existed.
    const crClient = new RecordingClient(cluster.kubeConfig());
    const widget = (spec: Record<string, unknown>): KubernetesObject =>
      ({
        apiVersion: `${group}/v1`,
        kind: 'Widget',
        metadata: { name: 'w', namespace: ns.name },
        spec,
      }) as KubernetesObject;
    const ports = (...names: string[]) => names.map((name, i) => ({ name, port: 8000 + i }));
    const v1 = widget({ color: 'red', ports: ports('a', 'b') });
    await eventually(
      'Widget served',
      async () => (await crClient.namespaced(`${group}/v1`, 'Widget')) === true,
    );
    await clientSideApply(crClient, v1, { meta });
    await crClient.patch(
      v1,
      { spec: { owner: 'someone-else', ports: [...ports('a', 'b'), { name: 'x', port: 9999 }] } },
      'application/merge-patch+json',
      { fieldManager: 'someone-else' },
    );

    const v2 = widget({ ports: ports('a', 'c') });
    crClient.patches = [];
    await clientSideApply(crClient, v2, { meta });
    expect(crClient.patches).toEqual(['application/merge-patch+json']);
    const after = (await crClient.get(v2)) as unknown as { spec: Record<string, unknown> };
    expect(after.spec).toEqual({ owner: 'someone-else', ports: ports('a', 'c') });

    const rv = (await crClient.get(v2))?.metadata?.resourceVersion;
    crClient.patches = [];
    const same = await clientSideApply(crClient, v2, { meta });
    expect(crClient.patches).toEqual([]);
    expect(same.metadata?.resourceVersion).toBe(rv);

    await clientSideApply(crClient, widget({ ports: ports('z') }), { meta, dryRun: true });
    expect(((await crClient.get(v2)) as unknown as { spec: Record<string, unknown> }).spec['ports']).toEqual(
      ports('a', 'c'),
    );
    await client.delete(crd, 'Background');
  });
});
