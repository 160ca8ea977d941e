import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.ts';
import {
  deepFreeze,
  deploymentLive,
  deploymentTarget,
  hpaManagedFields,
  serviceLive,
  serviceTarget,
  setPath,
  TRACKING_ID,
} from './__tests__/fixtures.ts';
import { compileDiffOptions, type DiffOptions } from './diff-options.ts';
import { diffResource, LAST_APPLIED_ANNOTATION, requiresJq } from './diff-resource.ts';

type Edit = (obj: KubeObject) => void;

interface Case {
  readonly name: string;
  readonly target?: Edit;
  readonly live?: Edit;
  /** Live object applied without the last-applied annotation (a two-way diff). */
  readonly twoWay?: boolean;
  readonly options?: DiffOptions;
  readonly modified: boolean;
}

function compare(c: Case): ReturnType<typeof diffResource> {
  const target = deploymentTarget();
  // The live object was applied from the unedited target, so edits to the target are "changes in git".
  const live = deploymentLive(target, { lastApplied: c.twoWay !== true });
  c.target?.(target);
  c.live?.(live);
  return diffResource(
    deepFreeze(target),
    deepFreeze(live),
    compileDiffOptions({ includeDiff: true, ...c.options }),
  );
}

const seedRule: DiffOptions = {
  ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
};
const container = ['spec', 'template', 'spec', 'containers', 0];

describe('diffResource: three-way comparison of a Deployment', () => {
  it.each<Case>([
    { name: 'an unchanged resource', modified: false },
    {
      name: 'the image changed in git',
      target: (t) => setPath(t, [...container, 'image'], 'nginx:2'),
      modified: true,
    },
    {
      name: 'the image changed in the cluster',
      live: (l) => setPath(l, [...container, 'image'], 'nginx:2'),
      modified: true,
    },
    {
      name: 'a field a controller added in the cluster (not in last-applied)',
      live: (l) => setPath(l, ['spec', 'template', 'spec', 'priorityClassName'], 'high'),
      modified: false,
    },
    {
      name: 'an annotation added in the cluster',
      live: (l) => setPath(l, ['metadata', 'annotations', 'example.com/owner'], 'team-a'),
      modified: false,
    },
    {
      name: 'a label removed from git that last-applied has and the cluster still has',
      target: (t) => setPath(t, ['metadata', 'labels', 'tier'], undefined),
      modified: true,
    },
    {
      name: 'an env var removed from git that is still live',
      target: (t) => setPath(t, [...container, 'env'], [{ name: 'LOG_LEVEL', value: 'info' }]),
      modified: true,
    },
    {
      name: 'a container removed from git that is still live',
      target: (t) => setPath(t, ['spec', 'template', 'spec', 'containers'], []),
      modified: true,
    },
    {
      name: 'a sidecar injected in the cluster (live-only list item)',
      live: (l) => {
        const spec = (l.spec as { template: { spec: { containers: unknown[] } } }).template.spec;
        spec.containers.push({ name: 'istio-proxy', image: 'istio/proxyv2:1.22' });
      },
      modified: false,
    },
    {
      name: 'an env var added in git',
      target: (t) => setPath(t, [...container, 'env', 2], { name: 'NEW', value: '1' }),
      modified: true,
    },
    {
      name: 'env vars reordered in git',
      target: (t) =>
        setPath(
          t,
          [...container, 'env'],
          [
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'LOG_LEVEL', value: 'info' },
          ],
        ),
      modified: true,
    },
    {
      name: 'a live-only field removed from git and from the cluster but kept in last-applied',
      live: (l) => setPath(l, ['metadata', 'labels', 'tier'], undefined),
      target: (t) => setPath(t, ['metadata', 'labels', 'tier'], undefined),
      modified: false,
    },
    {
      name: 'the same quantity spelt differently (500m vs 0.5, 1Gi vs 1024Mi, 100m vs 0.1)',
      modified: false,
    },
    {
      name: 'a quantity that really differs',
      live: (l) => setPath(l, [...container, 'resources', 'limits', 'cpu'], '600m'),
      modified: true,
    },
    {
      name: 'the replica count scaled in the cluster',
      live: (l) => setPath(l, ['spec', 'replicas'], 5),
      modified: true,
    },
    {
      name: 'the replica count scaled in the cluster, with the seed rule ignoring /spec/replicas',
      live: (l) => setPath(l, ['spec', 'replicas'], 5),
      options: seedRule,
      modified: false,
    },
    {
      name: 'replicas removed from git while last-applied still has them, with the seed rule',
      target: (t) => setPath(t, ['spec', 'replicas'], undefined),
      options: seedRule,
      modified: false,
    },
    {
      name: 'replicas removed from git while last-applied still has them, without rules',
      target: (t) => setPath(t, ['spec', 'replicas'], undefined),
      modified: true,
    },
  ])('$name → modified $modified', (c) => {
    expect(compare(c).modified).toBe(c.modified);
  });
});

describe('diffResource: two-way comparison (no last-applied annotation)', () => {
  it.each<Case>([
    { name: '§10.11 a field only in live (API defaults) is not drift', twoWay: true, modified: false },
    {
      name: '§10.11 a field a controller added to live is not drift',
      twoWay: true,
      live: (l) => setPath(l, ['spec', 'template', 'spec', 'nodeSelector'], { zone: 'a' }),
      modified: false,
    },
    {
      name: 'a field removed from git is not drift without last-applied (nothing says it was ours)',
      twoWay: true,
      target: (t) => setPath(t, ['metadata', 'labels', 'tier'], undefined),
      modified: false,
    },
    {
      name: 'a target field that differs from live is drift',
      twoWay: true,
      target: (t) => setPath(t, ['metadata', 'labels', 'tier'], 'backend'),
      modified: true,
    },
    {
      name: 'a target without spec.replicas against a live Deployment defaulted to 1',
      twoWay: true,
      target: (t) => setPath(t, ['spec', 'replicas'], undefined),
      live: (l) => setPath(l, ['spec', 'replicas'], 1),
      modified: false,
    },
    {
      name: 'zero values of built-in omitempty fields in git against absent live fields',
      twoWay: true,
      target: (t) => {
        setPath(t, ['spec', 'template', 'spec', 'hostNetwork'], false);
        setPath(t, [...container, 'readinessProbe', 'initialDelaySeconds'], 0);
        setPath(t, [...container, 'volumeMounts', 0, 'subPath'], '');
        setPath(t, [...container, 'volumeMounts', 0, 'readOnly'], false);
      },
      modified: false,
    },
    {
      name: 'a non-zero value of the same fields is drift',
      twoWay: true,
      target: (t) => setPath(t, ['spec', 'template', 'spec', 'hostNetwork'], true),
      modified: true,
    },
    {
      name: 'empty maps and lists in git (helm style) against absent live fields',
      twoWay: true,
      target: (t) => {
        setPath(t, ['spec', 'template', 'spec', 'nodeSelector'], {});
        setPath(t, ['spec', 'template', 'spec', 'tolerations'], []);
        setPath(t, ['spec', 'template', 'metadata', 'annotations'], {});
        setPath(t, ['metadata', 'creationTimestamp'], null);
      },
      modified: false,
    },
  ])('$name → modified $modified', (c) => {
    expect(compare(c).modified).toBe(c.modified);
  });

  it('uses the target as the original when last-applied cannot be read, and says so', () => {
    const result = compare({
      name: 'bad annotation',
      live: (l) => setPath(l, ['metadata', 'annotations', LAST_APPLIED_ANNOTATION], '{not json'),
      modified: false,
    });
    expect(result.modified).toBe(false);
    expect(result.warnings).toEqual([expect.stringContaining('unreadable')]);
  });
});

describe('diffResource: /status', () => {
  function withStatus(options: DiffOptions, kind = 'Deployment'): boolean {
    const target = deploymentTarget();
    target.kind = kind;
    target['status'] = { phase: 'Ready' };
    const live = deploymentLive(target);
    live.kind = kind;
    live['status'] = { phase: 'Degraded' };
    return diffResource(target, live, compileDiffOptions(options)).modified;
  }

  it('§10.11 /status is ignored by default for every kind', () => {
    expect(withStatus({})).toBe(false);
    expect(withStatus({ ignoreResourceStatusField: 'all' })).toBe(false);
  });

  it('compares /status when ignoreResourceStatusField is none', () => {
    expect(withStatus({ ignoreResourceStatusField: 'none' })).toBe(true);
  });

  it('ignores /status only of CRDs when ignoreResourceStatusField is crd', () => {
    expect(withStatus({ ignoreResourceStatusField: 'crd' })).toBe(true);
    const crd = (obj: KubeObject): KubeObject => ({
      ...obj,
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
    });
    const target = crd({ spec: { group: 'example.com' }, status: { acceptedNames: { kind: 'Widget' } } });
    const live = crd({ spec: { group: 'example.com' }, status: { acceptedNames: { kind: 'Other' } } });
    expect(
      diffResource(target, live, compileDiffOptions({ ignoreResourceStatusField: 'crd' })).modified,
    ).toBe(false);
  });

  it('leaves /status out of the normalized live object', () => {
    const target = deploymentTarget();
    const result = diffResource(target, deploymentLive(target), compileDiffOptions());
    expect(result.normalizedLive).not.toHaveProperty('status');
  });
});

describe('diffResource: ignoreDifferences matching', () => {
  const scaled = (options: DiffOptions): boolean =>
    compare({ name: '', live: (l) => setPath(l, ['spec', 'replicas'], 7), options, modified: false })
      .modified;

  it.each<[string, DiffOptions, boolean]>([
    [
      'exact group and kind',
      { ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }] },
      false,
    ],
    [
      'glob group',
      { ignoreDifferences: [{ group: 'app*', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }] },
      false,
    ],
    [
      'glob kind',
      { ignoreDifferences: [{ group: '*', kind: '*', jsonPointers: ['/spec/replicas'] }] },
      false,
    ],
    [
      'another kind',
      { ignoreDifferences: [{ group: 'apps', kind: 'StatefulSet', jsonPointers: ['/spec/replicas'] }] },
      true,
    ],
    [
      'the core group (no group given)',
      { ignoreDifferences: [{ kind: 'Deployment', jsonPointers: ['/spec/replicas'] }] },
      true,
    ],
    [
      'the right name',
      {
        ignoreDifferences: [
          { group: 'apps', kind: 'Deployment', name: 'guestbook-ui', jsonPointers: ['/spec/replicas'] },
        ],
      },
      false,
    ],
    [
      'another name (names are exact, not globs)',
      {
        ignoreDifferences: [
          { group: 'apps', kind: 'Deployment', name: 'guestbook-*', jsonPointers: ['/spec/replicas'] },
        ],
      },
      true,
    ],
    [
      'the right namespace',
      {
        ignoreDifferences: [
          { group: 'apps', kind: 'Deployment', namespace: 'default', jsonPointers: ['/spec/replicas'] },
        ],
      },
      false,
    ],
    [
      'another namespace',
      {
        ignoreDifferences: [
          { group: 'apps', kind: 'Deployment', namespace: 'prod', jsonPointers: ['/spec/replicas'] },
        ],
      },
      true,
    ],
    [
      'a system rule for group/Kind',
      { systemIgnoreDifferences: { 'apps/Deployment': { jsonPointers: ['/spec/replicas'] } } },
      false,
    ],
    [
      'a system rule for all kinds (*/*)',
      { systemIgnoreDifferences: { '*/*': { jsonPointers: ['/spec/replicas'] } } },
      false,
    ],
    [
      'a system rule for another kind',
      { systemIgnoreDifferences: { 'apps/StatefulSet': { jsonPointers: ['/spec/replicas'] } } },
      true,
    ],
  ])('a rule with %s → modified %s', (_name, options, modified) => {
    expect(scaled(options)).toBe(modified);
  });

  it('removes jsonPointers from both sides, array elements and escaped keys included', () => {
    const target = serviceTarget();
    setPath(target, ['metadata', 'annotations', 'example.com/checksum'], 'git');
    const live = serviceLive(target);
    setPath(live, ['metadata', 'annotations', 'example.com/checksum'], 'cluster');
    setPath(live, ['spec', 'ports', 0, 'targetPort'], 8080);
    const options = compileDiffOptions({
      ignoreDifferences: [
        {
          kind: 'Service',
          jsonPointers: ['/metadata/annotations/example.com~1checksum', '/spec/ports/0/targetPort'],
        },
      ],
    });
    const result = diffResource(deepFreeze(target), deepFreeze(live), options);
    expect(result.modified).toBe(false);
    expect(result.normalizedLive?.metadata?.annotations).not.toHaveProperty('example.com/checksum');
    expect((result.normalizedLive?.['spec'] as { ports: object[] }).ports[0]).not.toHaveProperty(
      'targetPort',
    );
  });

  it('skips a pointer that is not RFC 6901 and reports it', () => {
    const result = compare({
      name: '',
      options: {
        ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['spec/replicas'] }],
      },
      modified: false,
    });
    expect(result.warnings).toEqual(['ignoring invalid JSON pointer "spec/replicas"']);
  });
});

describe('diffResource: managedFieldsManagers', () => {
  function scaledByHpa(options: DiffOptions): ReturnType<typeof diffResource> {
    const target = deploymentTarget();
    const live = deploymentLive(target);
    setPath(live, ['spec', 'replicas'], 6);
    live.metadata?.managedFields?.push(hpaManagedFields());
    return diffResource(deepFreeze(target), deepFreeze(live), compileDiffOptions(options));
  }

  it('ignores a field owned by a trusted manager (an HPA owning spec.replicas)', () => {
    const result = scaledByHpa({
      ignoreDifferences: [
        { group: 'apps', kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager'] },
      ],
    });
    expect(result.modified).toBe(false);
    expect(result.normalizedLive?.['spec']).not.toHaveProperty('replicas');
  });

  it('still reports the drift when the manager is not trusted', () => {
    expect(scaledByHpa({}).modified).toBe(true);
    expect(
      scaledByHpa({
        ignoreDifferences: [{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['someone-else'] }],
      }).modified,
    ).toBe(true);
  });

  it('also takes trusted managers from system-level rules', () => {
    expect(
      scaledByHpa({
        systemIgnoreDifferences: { '*/*': { managedFieldsManagers: ['kube-controller-manager'] } },
      }).modified,
    ).toBe(false);
  });

  it('follows keyed list items (k:{"name":…}) of the managed fields tree', () => {
    const target = deploymentTarget();
    const live = deploymentLive(target);
    setPath(live, [...container, 'image'], 'registry/guestbook:pinned-by-updater');
    live.metadata?.managedFields?.push({
      manager: 'argocd-image-updater',
      operation: 'Update',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:spec': {
          'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"guestbook-ui"}': { 'f:image': {} } } } },
        },
      },
    });
    const trusted = compileDiffOptions({
      ignoreDifferences: [
        { group: 'apps', kind: 'Deployment', managedFieldsManagers: ['argocd-image-updater'] },
      ],
    });
    expect(diffResource(deepFreeze(target), deepFreeze(live), trusted).modified).toBe(false);
    expect(diffResource(target, live, compileDiffOptions()).modified).toBe(true);
  });
});

describe('diffResource: fixed normalizations', () => {
  const secret = (body: Record<string, unknown>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'default' },
    type: 'Opaque',
    ...body,
  });

  it('treats Secret stringData like the base64 data the API server stores', () => {
    const target = secret({ stringData: { password: 's3cr3t', user: 'admin' } });
    const live = secret({ data: { password: 'czNjcjN0', user: 'YWRtaW4=' } });
    expect(diffResource(deepFreeze(target), deepFreeze(live), compileDiffOptions()).modified).toBe(false);
    const changed = secret({ data: { password: 'b3RoZXI=', user: 'YWRtaW4=' } });
    expect(diffResource(target, changed, compileDiffOptions()).modified).toBe(true);
  });

  it('reads a null Secret value as ""', () => {
    const target = secret({ data: { empty: null } });
    const live = secret({ data: { empty: '' } });
    expect(diffResource(target, live, compileDiffOptions()).modified).toBe(false);
  });

  it('merges stringData over data in the target, as the API server does', () => {
    const target = secret({ data: { a: 'eA==' }, stringData: { a: 'y' } });
    const live = secret({ data: { a: 'eQ==' } });
    expect(diffResource(target, live, compileDiffOptions()).modified).toBe(false);
  });

  it('drops metadata.creationTimestamp on both sides', () => {
    const target = deploymentTarget();
    setPath(target, ['metadata', 'creationTimestamp'], '2020-01-01T00:00:00Z');
    const result = diffResource(target, deploymentLive(deploymentTarget()), compileDiffOptions());
    expect(result.modified).toBe(false);
    expect(result.normalizedLive?.metadata).not.toHaveProperty('creationTimestamp');
  });

  const role = (body: Record<string, unknown>): KubeObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'reader' },
    ...body,
  });

  it('reads empty Role rules as null', () => {
    expect(diffResource(role({ rules: [] }), role({}), compileDiffOptions()).modified).toBe(false);
    expect(diffResource(role({ rules: [] }), role({ rules: null }), compileDiffOptions()).modified).toBe(
      false,
    );
  });

  it('ignores the rules of aggregated roles only with ignoreAggregatedRoles', () => {
    const aggregation = { clusterRoleSelectors: [{ matchLabels: { aggregate: 'true' } }] };
    const target = role({ aggregationRule: aggregation, rules: [] });
    const live = role({
      aggregationRule: aggregation,
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    });
    expect(diffResource(target, live, compileDiffOptions()).modified).toBe(true);
    expect(diffResource(target, live, compileDiffOptions({ ignoreAggregatedRoles: true })).modified).toBe(
      false,
    );
  });

  it('sorts Endpoints subsets, addresses and ports, and defaults port protocols to TCP', () => {
    const endpoints = (subsets: unknown[]): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'ext', namespace: 'default' },
      subsets,
    });
    const target = endpoints([
      { addresses: [{ ip: '10.0.0.2' }, { ip: '10.0.0.1' }], ports: [{ port: 443 }, { port: 80 }] },
      { addresses: [{ ip: '10.0.1.1' }], ports: [{ port: 8080 }] },
    ]);
    const live = endpoints([
      { addresses: [{ ip: '10.0.1.1' }], ports: [{ port: 8080, protocol: 'TCP' }] },
      {
        addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }],
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 443, protocol: 'TCP' },
        ],
      },
    ]);
    expect(diffResource(deepFreeze(target), deepFreeze(live), compileDiffOptions()).modified).toBe(false);
  });
});

describe('diffResource: tracking normalization', () => {
  function migrated(trackingMethod: NonNullable<DiffOptions['trackingMethod']>): boolean {
    // Applied with label tracking; git now renders the annotation instead of the label.
    const old = deploymentTarget();
    setPath(old, ['metadata', 'annotations'], undefined);
    setPath(old, ['metadata', 'labels', 'app.kubernetes.io/instance'], 'guestbook');
    const live = deploymentLive(old);
    const target = deploymentTarget();
    return diffResource(target, live, compileDiffOptions({ trackingMethod })).modified;
  }

  it('backfills the tracking annotation from the label when migrating off label tracking', () => {
    expect(migrated('annotation')).toBe(false);
  });

  it('does nothing under label tracking', () => {
    expect(migrated('label')).toBe(true);
  });

  it('keeps the label when the target still has it (annotation+label)', () => {
    const target = deploymentTarget();
    setPath(target, ['metadata', 'labels', 'app.kubernetes.io/instance'], 'guestbook');
    const live = deploymentLive(target);
    setPath(live, ['metadata', 'annotations', 'argocd.argoproj.io/tracking-id'], undefined);
    const result = diffResource(target, live, compileDiffOptions({ trackingMethod: 'annotation+label' }));
    expect(result.modified).toBe(false);
    expect(result.normalizedLive?.metadata?.labels?.['app.kubernetes.io/instance']).toBe('guestbook');
    expect(result.normalizedLive?.metadata?.annotations?.['argocd.argoproj.io/tracking-id']).toBe(
      TRACKING_ID,
    );
  });
});

describe('diffResource: Service and ConfigMap defaults', () => {
  it('finds no drift in a Service the API server defaulted', () => {
    const target = serviceTarget();
    expect(
      diffResource(deepFreeze(target), deepFreeze(serviceLive(target)), compileDiffOptions()).modified,
    ).toBe(false);
  });

  it('merges Service ports by port, so a live-only port is kept and a changed one is drift', () => {
    const target = serviceTarget();
    const live = serviceLive(target);
    setPath(live, ['spec', 'ports', 0, 'targetPort'], 8080);
    expect(diffResource(target, live, compileDiffOptions()).modified).toBe(true);
  });

  it('finds no drift in a ConfigMap, and drift when a value changes', () => {
    const target: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'guestbook-config', namespace: 'default' },
      data: { 'app.properties': 'color=blue\n' },
    };
    const live: KubeObject = {
      ...structuredClone(target),
      metadata: { name: 'guestbook-config', namespace: 'default', uid: 'u', resourceVersion: '1' },
    };
    expect(diffResource(target, live, compileDiffOptions()).modified).toBe(false);
    setPath(live, ['data', 'app.properties'], 'color=red\n');
    expect(diffResource(target, live, compileDiffOptions()).modified).toBe(true);
  });

  it('sees no drift from defaults inside atomic list items (NetworkPolicy ports)', () => {
    const policy = (protocol?: string): KubeObject => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        podSelector: {},
        ingress: [{ ports: [{ port: 80, ...(protocol === undefined ? {} : { protocol }) }] }],
      },
    });
    expect(diffResource(policy(), policy('TCP'), compileDiffOptions()).modified).toBe(false);
    expect(diffResource(policy('UDP'), policy('TCP'), compileDiffOptions()).modified).toBe(true);
  });

  it('treats a custom resource list as atomic but still ignores live-only fields in its items', () => {
    const widget = (items: unknown[]): KubeObject => ({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'default' },
      spec: { containers: items },
    });
    const target = widget([{ name: 'a', image: 'x' }]);
    expect(
      diffResource(target, widget([{ name: 'a', image: 'x', defaulted: true }]), compileDiffOptions())
        .modified,
    ).toBe(false);
    expect(
      diffResource(target, widget([{ name: 'a', image: 'x' }, { name: 'b' }]), compileDiffOptions()).modified,
    ).toBe(true);
    // Custom resources keep `false`: only built-in types drop zero values the server would not store.
    const flagged = widget([{ name: 'a', image: 'x', enabled: false }]);
    expect(diffResource(flagged, widget([{ name: 'a', image: 'x' }]), compileDiffOptions()).modified).toBe(
      true,
    );
  });
});

describe('diffResource: creation, deletion and results', () => {
  it('a target without live object is modified and predicts the target', () => {
    const target = deploymentTarget();
    const result = diffResource(target, null, compileDiffOptions());
    expect(result).toMatchObject({ modified: true, normalizedLive: null });
    expect(result.predictedLive?.metadata?.name).toBe('guestbook-ui');
  });

  it('a live object without target is not modified (its OutOfSync comes from the missing target)', () => {
    const result = diffResource(null, deploymentLive(deploymentTarget()), compileDiffOptions());
    expect(result).toMatchObject({ modified: false, predictedLive: null });
  });

  it('returns the live object itself as the prediction when nothing would change', () => {
    const target = deploymentTarget();
    const result = diffResource(target, deploymentLive(target), compileDiffOptions());
    expect(result.predictedLive).toBe(result.normalizedLive);
    expect(result.diff).toBeUndefined();
  });

  it('lists the changed paths when asked to, without values', () => {
    const result = compare({
      name: '',
      target: (t) => {
        setPath(t, [...container, 'image'], 'nginx:2');
        setPath(t, ['metadata', 'labels', 'tier'], undefined);
      },
      modified: true,
    });
    expect(result.diff).toEqual(
      expect.arrayContaining([
        { op: 'replace', path: '/spec/template/spec/containers/0/image' },
        { op: 'remove', path: '/metadata/labels/tier' },
      ]),
    );
  });

  it('refuses to skip jq rules silently: the sync variant throws when they apply', () => {
    const options = compileDiffOptions({
      ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.replicas'] }],
    });
    const target = deploymentTarget();
    expect(requiresJq(target, null, options)).toBe(true);
    expect(requiresJq(serviceTarget(), null, options)).toBe(false);
    expect(() => diffResource(target, null, options)).toThrow(/diffResourceAsync/);
    expect(diffResource(serviceTarget(), null, options).modified).toBe(true);
  });
});
