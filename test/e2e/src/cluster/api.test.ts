import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  VersionApi,
  Watch,
  type KubernetesObject,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, locateToolchain, startTestCluster, type TestCluster } from '@capstan/testkit';

const run = promisify(execFile);
let cluster: TestCluster;
let core: CoreV1Api;

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'api' });
  core = cluster.kubeConfig().makeApiClient(CoreV1Api);
});
afterAll(() => cluster?.stop());

function configMap(ns: string, data: Record<string, string>): KubernetesObject & V1ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns }, data };
}

describe('the Kubernetes API of the test cluster', () => {
  it('reports the pinned Kubernetes version', async () => {
    const version = await cluster.kubeConfig().makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toBe(locateToolchain().kubernetesVersion);
    expect(version.minor).toBe(locateToolchain().kubernetesVersion.split('.')[1]);
  });

  it('creates and updates with server-side apply, and refuses a conflicting manager without force', async () => {
    await using ns = await cluster.createNamespace('ssa');
    const objects = KubernetesObjectApi.makeApiClient(cluster.kubeConfig());
    const apply = (data: Record<string, string>, manager: string, force: boolean) =>
      objects.patch(
        configMap(ns.name, data),
        undefined,
        undefined,
        manager,
        force,
        PatchStrategy.ServerSideApply,
      );

    const created = await apply({ mode: 'a' }, 'capstan', true);
    expect(created.data).toEqual({ mode: 'a' });
    const updated = await apply({ mode: 'b', extra: 'x' }, 'capstan', true);
    expect(updated.data).toEqual({ mode: 'b', extra: 'x' });
    expect(updated.metadata?.managedFields?.map((f) => f.manager)).toEqual(['capstan']);

    const conflict = await apply({ mode: 'c' }, 'someone-else', false).catch((e: unknown) => e);
    expect(conflict).toMatchObject({ code: 409 });
    expect(String((conflict as { body?: unknown }).body)).toContain('conflict');
    const unchanged = await core.readNamespacedConfigMap({ name: 'settings', namespace: ns.name });
    expect(unchanged.data?.['mode']).toBe('b');

    const forced = await apply({ mode: 'c' }, 'someone-else', true);
    expect(forced.data?.['mode']).toBe('c');
  });

  it('registers a CRD that becomes Established, and creates and watches a custom resource', async () => {
    await using ns = await cluster.createNamespace('crd');
    const ext = cluster.kubeConfig().makeApiClient(ApiextensionsV1Api);
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name: 'widgets.test.capstan.dev' },
        spec: {
          group: 'test.capstan.dev',
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
                },
              },
            },
          ],
        },
      },
    });
    await eventually('CRD Established', async () => {
      const crd = await ext.readCustomResourceDefinition({ name: 'widgets.test.capstan.dev' });
      return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    });

    const custom = cluster.kubeConfig().makeApiClient(CustomObjectsApi);
    // Established can precede the moment the apiserver serves the new resource; wait until it lists.
    await eventually('widgets served', async () => {
      await custom.listNamespacedCustomObject({
        group: 'test.capstan.dev',
        version: 'v1',
        namespace: ns.name,
        plural: 'widgets',
      });
      return true;
    });

    const events: string[] = [];
    const watch = new Watch(cluster.kubeConfig());
    const controller = await watch.watch(
      `/apis/test.capstan.dev/v1/namespaces/${ns.name}/widgets`,
      {},
      (phase, obj: { metadata?: { name?: string } }) => events.push(`${phase} ${obj.metadata?.name}`),
      (err: unknown) => events.push(`done ${String(err)}`),
    );
    try {
      await custom.createNamespacedCustomObject({
        group: 'test.capstan.dev',
        version: 'v1',
        namespace: ns.name,
        plural: 'widgets',
        body: {
          apiVersion: 'test.capstan.dev/v1',
          kind: 'Widget',
          metadata: { name: 'w1' },
          spec: { size: 3 },
        },
      });
      const got = (await custom.getNamespacedCustomObject({
        group: 'test.capstan.dev',
        version: 'v1',
        namespace: ns.name,
        plural: 'widgets',
        name: 'w1',
      })) as { spec: { size: number } };
      expect(got.spec.size).toBe(3);
      await eventually('ADDED event for w1', () => events.includes('ADDED w1'), { timeoutMs: 10_000 }).catch(
        (e: unknown) => {
          throw new Error(`${(e as Error).message}; events: ${events.join(', ')}`);
        },
      );
    } finally {
      controller.abort();
      await ext.deleteCustomResourceDefinition({ name: 'widgets.test.capstan.dev' });
    }
  });

  it('delivers ADDED, MODIFIED and DELETED in order to a watch started at a resourceVersion', async () => {
    await using ns = await cluster.createNamespace('watch');
    const list = await core.listNamespacedConfigMap({ namespace: ns.name });
    const from = list.metadata?.resourceVersion ?? '';
    expect(from).not.toBe('');
    // Changes happen before the watch starts: the watch must replay them from the resourceVersion.
    await core.createNamespacedConfigMap({
      namespace: ns.name,
      body: { metadata: { name: 'w' }, data: { v: '1' } },
    });
    await core.replaceNamespacedConfigMap({
      name: 'w',
      namespace: ns.name,
      body: { metadata: { name: 'w' }, data: { v: '2' } },
    });
    await core.deleteNamespacedConfigMap({ name: 'w', namespace: ns.name });

    const events: string[] = [];
    const watch = new Watch(cluster.kubeConfig());
    const controller = await watch.watch(
      `/api/v1/namespaces/${ns.name}/configmaps`,
      { resourceVersion: from },
      (phase, obj: V1ConfigMap) => {
        if (obj.metadata?.name === 'w') events.push(`${phase}:${obj.data?.['v']}`);
      },
      () => undefined,
    );
    try {
      await eventually('three events', () => events.length >= 3);
      expect(events).toEqual(['ADDED:1', 'MODIFIED:2', 'DELETED:2']);
    } finally {
      controller.abort();
    }
  });
});

describe('helm and kustomize from the toolchain', () => {
  it('helm template renders a chart with --kube-version of the test cluster', async () => {
    const tc = locateToolchain();
    const version = (await cluster.kubeConfig().makeApiClient(VersionApi).getCode()).gitVersion;
    const dir = await mkdtemp(join(tmpdir(), 'capstan-chart-'));
    try {
      await mkdir(join(dir, 'templates'));
      await writeFile(
        join(dir, 'Chart.yaml'),
        'apiVersion: v2\nname: demo\nversion: 0.1.0\nkubeVersion: ">=1.30.0-0"\n',
      );
      await writeFile(join(dir, 'values.yaml'), 'replicas: 2\n');
      await writeFile(
        join(dir, 'templates', 'cm.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-info\ndata:\n  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n  replicas: {{ .Values.replicas | quote }}\n',
      );
      const { stdout } = await run(tc.helm, [
        'template',
        'rel',
        dir,
        '--kube-version',
        version,
        '--set',
        'replicas=3',
      ]);
      expect(stdout).toContain('name: rel-info');
      expect(stdout).toContain(`kube: "${version}"`);
      expect(stdout).toContain('replicas: "3"');
      // The chart's kubeVersion constraint is checked against what we pass.
      const old = await run(tc.helm, ['template', 'rel', dir, '--kube-version', '1.20.0']).catch(
        (e: unknown) => e,
      );
      expect(String((old as { stderr?: string }).stderr)).toContain('incompatible with Kubernetes v1.20.0');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('kustomize build renders an overlay with namePrefix and commonLabels', async () => {
    const tc = locateToolchain();
    const dir = await mkdtemp(join(tmpdir(), 'capstan-kustomize-'));
    try {
      await mkdir(join(dir, 'base'));
      await mkdir(join(dir, 'overlays', 'production'), { recursive: true });
      await writeFile(join(dir, 'base', 'kustomization.yaml'), 'resources:\n- cm.yaml\n');
      await writeFile(
        join(dir, 'base', 'cm.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  a: "1"\n',
      );
      await writeFile(
        join(dir, 'overlays', 'production', 'kustomization.yaml'),
        'resources:\n- ../../base\nnamePrefix: prod-\ncommonLabels:\n  env: production\n',
      );
      const { stdout } = await run(tc.kustomize, ['build', join(dir, 'overlays', 'production')]);
      expect(stdout).toContain('name: prod-app');
      expect(stdout).toMatch(/labels:\n\s+env: production/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
