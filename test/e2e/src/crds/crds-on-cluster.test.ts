import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApiextensionsV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crdManifests, parseManifests } from '@capstan/crds';
import {
  eventually,
  seedDir,
  startTestCluster,
  type TestCluster,
  type TestNamespace,
} from '@capstan/testkit';

let cluster: TestCluster;
let objects: KubernetesObjectApi;
let ns: TestNamespace;

const apply = (obj: KubernetesObject): Promise<KubernetesObject> =>
  objects.patch(obj, undefined, undefined, 'capstan-test', true, PatchStrategy.ServerSideApply);

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'crds' });
  objects = KubernetesObjectApi.makeApiClient(cluster.kubeConfig());
  const ext = cluster.kubeConfig().makeApiClient(ApiextensionsV1Api);
  for (const crd of crdManifests()) await apply(crd);
  for (const crd of crdManifests()) {
    await eventually(`${crd.metadata.name} Established`, async () => {
      const live = await ext.readCustomResourceDefinition({ name: crd.metadata.name });
      const conds = live.status?.conditions ?? [];
      if (conds.some((c) => c.type === 'NonStructuralSchema'))
        throw new Error(`${crd.metadata.name} is not structural`);
      return conds.some((c) => c.type === 'Established' && c.status === 'True');
    });
  }
  ns = await cluster.createNamespace('argocd');
});
afterAll(async () => {
  await ns?.delete();
  await cluster?.stop();
});

function seedArgoObjects(): KubernetesObject[] {
  const dir = join(seedDir, 'manifests');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseManifests(readFileSync(join(dir, f), 'utf8')))
    .filter((d) => d['apiVersion'] === 'argoproj.io/v1alpha1');
}

describe('the CRDs on a real kube-apiserver', () => {
  it('are accepted as structural schemas and become Established', async () => {
    const ext = cluster.kubeConfig().makeApiClient(ApiextensionsV1Api);
    const names = (await ext.listCustomResourceDefinition()).items.map((c) => c.metadata?.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'applications.argoproj.io',
        'appprojects.argoproj.io',
        'applicationsets.argoproj.io',
      ]),
    );
  });

  it('accept every Application, AppProject and ApplicationSet of the seed article unchanged', async () => {
    const seeds = seedArgoObjects();
    expect(seeds.map((s) => s.kind).sort()).toEqual(
      expect.arrayContaining(['Application', 'AppProject', 'ApplicationSet']),
    );
    for (const seed of seeds) {
      const created = await apply({ ...seed, metadata: { ...seed.metadata, namespace: ns.name } });
      expect(created.metadata?.name).toBe(seed.metadata?.name);
      expect((created as { spec?: unknown }).spec).toBeDefined();
    }
  });

  it('rejects a wrong type with the field path, as kubectl would show it', async () => {
    const app = seedArgoObjects().find((s) => s.kind === 'Application')!;
    const bad = structuredClone(app) as KubernetesObject & {
      spec: { syncPolicy: { automated: { prune: unknown } } };
    };
    bad.metadata = { name: 'bad-app', namespace: ns.name };
    bad.spec.syncPolicy.automated.prune = 'yes';
    // A plain create, as `kubectl create`/client-side apply sends it: the schema answers 422 Invalid.
    const err = await objects.create(bad).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 422 });
    expect(String((err as { body?: unknown }).body)).toContain('spec.syncPolicy.automated.prune');
  });
});
