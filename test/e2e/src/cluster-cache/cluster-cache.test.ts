import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClusterCache,
  type ClusterChange,
  type ClusterRequest,
  type KubeObject,
} from '@capstan/cluster-cache';
import { eventually, startTestCluster, type TestCluster } from '@capstan/testkit';

const trackingKey = 'argocd.argoproj.io/tracking-id';

/**
 * The app an annotation tracking id `app:group/Kind:ns/name` names, when the id describes this very
 * object: controllers copy annotations to what they create (a Deployment's onto its ReplicaSets), and a
 * copied id must not make the copy a managed root.
 */
function appOf(obj: KubeObject): string | undefined {
  const id = obj.metadata?.annotations?.[trackingKey];
  const m = id === undefined ? null : /^([^:]+):([^/]*)\/([^:]+):([^/]*)\/(.+)$/.exec(id);
  if (m === null) return undefined;
  const [, app, group, kind, ns, name] = m;
  const objGroup = obj.apiVersion?.includes('/') === true ? obj.apiVersion.split('/')[0] : '';
  const same =
    group === objGroup &&
    kind === obj.kind &&
    ns === (obj.metadata?.namespace ?? '') &&
    name === obj.metadata?.name;
  return same ? app : undefined;
}

let cluster: TestCluster;
let cache: ClusterCache;
let core: CoreV1Api;
let apps: AppsV1Api;
const changes: ClusterChange[] = [];
const requests: ClusterRequest[] = [];

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'cluster-cache' });
  const kc = cluster.kubeConfig();
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  cache = new ClusterCache({
    kubeConfig: cluster.kubeConfig(),
    server: cluster.server,
    appOf,
    exclusions: [{ apiGroups: ['excluded.capstan.dev'] }],
    healthOf: (o) => (o.kind === 'ConfigMap' ? { status: 'Healthy' } : undefined),
    onChange: (ev) => changes.push(ev),
    onRequest: (r) => requests.push(r),
  });
  await cache.start();
});
afterAll(async () => {
  await cache?.stop();
  await cluster?.stop();
});

/** Tracking annotations naming `app`; `groupKind` is `group/Kind` (`/Kind` for the core group). */
function tracked(app: string, groupKind: string, ns: string, name: string): Record<string, string> {
  return { [trackingKey]: `${app}:${groupKind}:${ns}/${name}` };
}

describe('ClusterCache on a real cluster', () => {
  it('reports a healthy connection, the server version and what it lists', () => {
    const info = cache.info();
    expect(info.connectionState).toBe('Successful');
    expect(info.serverVersion).toMatch(/^v1\.36\./);
    expect(info.objectCount).toBeGreaterThan(0);
    expect(info.apiResourceCount).toBeGreaterThan(20);
    expect(info.syncedAt).toBeDefined();
    expect(cache.apis()?.apiVersions).toContain('apps/v1');
    const listed = new Set(requests.filter((r) => r.verb === 'List').map((r) => r.resourceKind));
    expect(listed).toContain('ConfigMap');
    expect(listed).toContain('Deployment');
    expect(listed).not.toContain('Event');
    expect(listed).not.toContain('Lease');
    // One discovery pass: /version, /apis, then one request per preferred group version.
    const discovery = requests.filter((r) => r.resourceKind === 'discovery');
    expect(discovery.length).toBeGreaterThan(2);
    expect(discovery.length).toBe(
      new Set(cache.apis()?.resources.map((x) => `${x.group}/${x.version}`)).size + 2,
    );
    expect(requests.every((r) => r.status === 200)).toBe(true);
  });

  it('tracks a Deployment as a managed root with its ReplicaSet and Pods in the tree', async () => {
    await using ns = await cluster.createNamespace('cc-deploy');
    const n = ns.name;
    await apps.createNamespacedDeployment({
      namespace: n,
      body: {
        metadata: { name: 'web', annotations: tracked('myapp', 'apps/Deployment', n, 'web') },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
          },
        },
      },
    });
    const tree = await eventually(
      'ReplicaSet and two running Pods in the tree of myapp',
      () => {
        const t = cache.tree('myapp').filter((x) => x.namespace === n);
        const pods = t.filter((x) => x.kind === 'Pod');
        const running = pods.filter((p) =>
          p.info?.some((i) => i.name === 'Status Reason' && i.value === 'Running'),
        );
        return t.some((x) => x.kind === 'ReplicaSet') && running.length === 2 ? t : undefined;
      },
      { timeoutMs: 30_000 },
    );
    const deploy = tree.find((x) => x.kind === 'Deployment');
    const rs = tree.find((x) => x.kind === 'ReplicaSet');
    expect(deploy?.appName).toBe('myapp');
    expect(rs?.parentUids).toEqual([deploy?.uid]);
    for (const pod of tree.filter((x) => x.kind === 'Pod')) {
      expect(pod.parentUids).toEqual([rs?.uid]);
      expect(pod.appName).toBe('myapp');
      expect(pod.images).toEqual(['nginx:1.27']);
    }

    const managed = cache.managedObjects('myapp').filter((o) => o.metadata?.namespace === n);
    expect(managed).toHaveLength(1);
    expect(managed[0]).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
    });
    expect((managed[0] as { spec?: { replicas?: number } }).spec?.replicas).toBe(2);
    expect(managed[0]?.metadata?.managedFields?.length).toBeGreaterThan(0);
    const rsKey = { group: 'apps', kind: 'ReplicaSet', namespace: n, name: rs?.name ?? '' };
    expect(cache.getNode(rsKey)?.uid).toBe(rs?.uid);
    expect(cache.getObject(rsKey)).toBeUndefined();

    const rsChange = changes.find(
      (c) => c.node.kind === 'ReplicaSet' && c.node.namespace === n && c.appName === 'myapp',
    );
    expect(rsChange).toMatchObject({ managedRoot: false });
    expect(changes.some((c) => c.node.kind === 'Deployment' && c.node.namespace === n && c.managedRoot)).toBe(
      true,
    );

    // Moving the root to another app carries the whole subtree along.
    await apps.patchNamespacedDeployment({
      name: 'web',
      namespace: n,
      body: [
        {
          op: 'replace',
          path: '/metadata/annotations',
          value: tracked('otherapp', 'apps/Deployment', n, 'web'),
        },
      ],
    });
    await eventually(
      'subtree moved to otherapp',
      () =>
        cache.tree('otherapp').filter((x) => x.namespace === n).length === tree.length &&
        cache.tree('myapp').every((x) => x.namespace !== n),
    );
    expect(cache.managedObjects('myapp').filter((o) => o.metadata?.namespace === n)).toEqual([]);
    // Both apps hear of it: the root's change names the app it left, and each descendant gets a change.
    const moved = changes.filter((c) => c.node.namespace === n && c.previousAppName === 'myapp');
    expect(moved.find((c) => c.node.kind === 'Deployment')).toMatchObject({
      appName: 'otherapp',
      managedRoot: true,
    });
    expect(moved.filter((c) => c.node.kind === 'Pod' && c.appName === 'otherapp')).toHaveLength(2);
  });

  it('keeps only a node for untracked objects, and forgets deleted ones', async () => {
    await using ns = await cluster.createNamespace('cc-cm');
    const n = ns.name;
    await core.createNamespacedConfigMap({
      namespace: n,
      body: { metadata: { name: 'plain' }, data: { a: '1' } },
    });
    await core.createNamespacedConfigMap({
      namespace: n,
      body: {
        metadata: { name: 'owned', annotations: tracked('cmapp', '/ConfigMap', n, 'owned') },
        data: { a: '1' },
      },
    });
    const key = { group: '', kind: 'ConfigMap', namespace: n, name: 'plain' };
    const node = await eventually('ConfigMap plain cached', () => cache.getNode(key), { timeoutMs: 10_000 });
    expect(node).toMatchObject({ version: 'v1', name: 'plain', health: { status: 'Healthy' } });
    expect(node.appName).toBeUndefined();
    expect(cache.getObject(key)).toBeUndefined();
    // The change arrived over a watch, which the cache counts like any other request.
    expect(
      requests.some((r) => r.verb === 'Watch' && r.resourceKind === 'ConfigMap' && r.status === 200),
    ).toBe(true);
    const ownedKey = { ...key, name: 'owned' };
    await eventually('ConfigMap owned cached', () => cache.getObject(ownedKey), { timeoutMs: 10_000 });
    expect((cache.getObject(ownedKey) as { data?: unknown }).data).toEqual({ a: '1' });

    await core.deleteNamespacedConfigMap({ name: 'owned', namespace: n });
    await eventually('ConfigMap owned forgotten', () => cache.getNode(ownedKey) === undefined, {
      timeoutMs: 10_000,
    });
    expect(cache.managedObjects('cmapp')).toEqual([]);
    expect(cache.tree('cmapp')).toEqual([]);
    expect(
      changes.find((c) => c.type === 'DELETED' && c.node.namespace === n && c.node.name === 'owned'),
    ).toMatchObject({
      appName: 'cmapp',
      managedRoot: true,
    });
  });

  it('does not cache Events or Leases', async () => {
    await using ns = await cluster.createNamespace('cc-noise');
    const n = ns.name;
    await core.createNamespacedEvent({
      namespace: n,
      body: {
        metadata: { name: 'ev' },
        involvedObject: { kind: 'ConfigMap', name: 'x', namespace: n },
        reason: 'Test',
        message: 'hello',
      },
    });
    await cluster
      .kubeConfig()
      .makeApiClient(CoordinationV1Api)
      .createNamespacedLease({
        namespace: n,
        body: { metadata: { name: 'l' }, spec: { holderIdentity: 'me' } },
      });
    await core.createNamespacedConfigMap({ namespace: n, body: { metadata: { name: 'after' } } });
    await eventually('ConfigMap after cached', () =>
      cache.getNode({ group: '', kind: 'ConfigMap', namespace: n, name: 'after' }),
    );
    expect(cache.getNode({ group: '', kind: 'Event', namespace: n, name: 'ev' })).toBeUndefined();
    expect(
      cache.getNode({ group: 'coordination.k8s.io', kind: 'Lease', namespace: n, name: 'l' }),
    ).toBeUndefined();
    expect(changes.some((c) => c.node.kind === 'Event' || c.node.kind === 'Lease')).toBe(false);
  });

  describe('a CRD created after start', () => {
    const ext = (): ApiextensionsV1Api => cluster.kubeConfig().makeApiClient(ApiextensionsV1Api);
    const custom = (): CustomObjectsApi => cluster.kubeConfig().makeApiClient(CustomObjectsApi);
    let n: string;
    let before: number;
    const crd = (group: string) => ({
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
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
    });
    const widget = (
      group: string,
      name: string,
      annotations: Record<string, string> = {},
    ): Promise<unknown> =>
      custom().createNamespacedCustomObject({
        group,
        version: 'v1',
        namespace: n,
        plural: 'widgets',
        body: {
          apiVersion: `${group}/v1`,
          kind: 'Widget',
          metadata: { name, annotations },
          spec: { size: 3 },
        },
      });
    const key = (name: string) => ({ group: 'capstan.dev', kind: 'Widget', namespace: n, name });

    beforeAll(async () => {
      n = (await cluster.createNamespace('cc-crd')).name;
      before = cache.info().apiResourceCount;
      await ext().createCustomResourceDefinition({ body: crd('capstan.dev') });
      await ext().createCustomResourceDefinition({ body: crd('excluded.capstan.dev') });
    });

    it('gets watched without a restart; excluded groups stay out', async () => {
      await eventually('Widget type watched', () => cache.info().apiResourceCount === before + 1, {
        timeoutMs: 20_000,
      });
      // The type is registered before its first list answers.
      await eventually('Widgets listed', () =>
        requests.some((r) => r.resourceKind === 'Widget' && r.verb === 'List' && r.status === 200),
      );
      // The CRD may be Established a moment before its resource is served.
      await eventually('Widget w1 created', () =>
        widget('capstan.dev', 'w1', tracked('crapp', 'capstan.dev/Widget', n, 'w1')).then(() => true),
      );
      await eventually('excluded Widget created', () =>
        widget('excluded.capstan.dev', 'w1').then(() => true),
      );
      const w = await eventually('Widget w1 cached', () => cache.getObject(key('w1')), { timeoutMs: 10_000 });
      expect(w).toMatchObject({ apiVersion: 'capstan.dev/v1', kind: 'Widget', spec: { size: 3 } });
      expect(cache.managedObjects('crapp')).toHaveLength(1);
      await widget('capstan.dev', 'w2');
      await eventually('Widget w2 cached', () => cache.getNode(key('w2')), { timeoutMs: 10_000 });
      expect(cache.getNode({ ...key('w1'), group: 'excluded.capstan.dev' })).toBeUndefined();
      // A CRD is sometimes in discovery a moment before its resource answers; the cache retries.
      await eventually('connection healthy', () => cache.info().connectionState === 'Successful');
    });

    it('relists after 410 Gone and reports the deletions its watch missed', async () => {
      await widget('capstan.dev', 'ghost', tracked('ghostapp', 'capstan.dev/Widget', n, 'ghost'));
      await eventually('ghost cached', () => cache.getNode(key('ghost')), { timeoutMs: 10_000 });

      // Park the Widget watch at a version ahead of the cluster, delete the Widget, then let the cluster
      // move past that version: the watch resumes after the deletion and never sees it.
      const core0 = core;
      const now = Number(
        (await core0.listNamespacedConfigMap({ namespace: n, limit: 1 })).metadata?.resourceVersion,
      );
      const ahead = now + 40;
      cache.restartWatch('capstan.dev', 'Widget', String(ahead));
      await custom().deleteNamespacedCustomObject({
        group: 'capstan.dev',
        version: 'v1',
        namespace: n,
        plural: 'widgets',
        name: 'ghost',
      });
      await core0.createNamespacedSecret({ namespace: n, body: { metadata: { name: 'bump' } } });
      for (let i = 0; ; i++) {
        const s = await core0.patchNamespacedSecret({
          name: 'bump',
          namespace: n,
          body: [{ op: 'replace', path: '/metadata/labels', value: { i: String(i) } }],
        });
        if (Number(s.metadata?.resourceVersion) > ahead + 1) break;
      }
      await widget('capstan.dev', 'later');
      await eventually('watch resumed past the deletion', () => cache.getNode(key('later')), {
        timeoutMs: 20_000,
      });
      expect(cache.getNode(key('ghost'))).toBeDefined();
      expect(changes.some((c) => c.type === 'DELETED' && c.node.name === 'ghost')).toBe(false);

      // Widgets' watch cache began when the CRD was created: version 1 is older, so the server answers
      // 410 Gone, and the cache relists Widgets and reconciles.
      const lists = (): number =>
        requests.filter((r) => r.verb === 'List' && r.resourceKind === 'Widget').length;
      const listsBefore = lists();
      cache.restartWatch('capstan.dev', 'Widget', '1');
      await eventually('ghost dropped after relist', () => cache.getNode(key('ghost')) === undefined, {
        timeoutMs: 20_000,
      });
      expect(lists()).toBe(listsBefore + 1);
      expect(changes.find((c) => c.type === 'DELETED' && c.node.name === 'ghost')).toMatchObject({
        appName: 'ghostapp',
        managedRoot: true,
      });
      expect(cache.tree('ghostapp')).toEqual([]);
      expect(cache.getNode(key('w1'))).toBeDefined();
      expect(cache.info().connectionState).toBe('Successful');
    });

    it('drops the type and its objects when the CRD is deleted', async () => {
      await ext().deleteCustomResourceDefinition({ name: 'widgets.capstan.dev' });
      await ext().deleteCustomResourceDefinition({ name: 'widgets.excluded.capstan.dev' });
      await eventually(
        'Widget type dropped',
        () => cache.info().apiResourceCount === before && cache.getNode(key('w1')) === undefined,
        { timeoutMs: 30_000 },
      );
      expect(cache.getNode(key('w2'))).toBeUndefined();
      expect(cache.managedObjects('crapp')).toEqual([]);
      expect(
        changes.some((c) => c.type === 'DELETED' && c.node.kind === 'Widget' && c.appName === 'crapp'),
      ).toBe(true);
    });
  });
});
