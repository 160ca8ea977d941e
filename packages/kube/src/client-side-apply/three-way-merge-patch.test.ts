import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { JsonObject } from './json-value.ts';
import { lastAppliedAnnotation, withLastApplied } from './last-applied.ts';
import type { PatchMeta } from './patch-meta.ts';
import { createThreeWayMergePatch } from './three-way-merge-patch.ts';

interface Spec {
  readonly strategy?: string;
  readonly key?: string;
  readonly fields?: Readonly<Record<string, Spec>>;
}

/** A hand-written slice of the Deployment schema's patch metadata (what the OpenAPI document says). */
function tree(spec: Spec): PatchMeta {
  return {
    strategies: spec.strategy?.split(',') ?? [],
    mergeKey: spec.key,
    field: (name) => {
      const child = spec.fields?.[name];
      return child === undefined ? undefined : tree(child);
    },
  };
}

const container: Spec = {
  fields: {
    env: { strategy: 'merge', key: 'name' },
    ports: { strategy: 'merge', key: 'containerPort' },
    args: {},
  },
};
const deploymentMeta = tree({
  fields: {
    metadata: {
      fields: { labels: {}, annotations: {}, finalizers: { strategy: 'merge' } },
    },
    spec: {
      fields: {
        strategy: { strategy: 'retainKeys' },
        template: {
          fields: {
            spec: {
              fields: {
                containers: { strategy: 'merge', key: 'name', fields: container.fields ?? {} },
                volumes: { strategy: 'merge,retainKeys', key: 'name' },
              },
            },
          },
        },
      },
    },
  },
});

interface Container {
  name: string;
  image: string;
  env?: { name: string; value: string }[];
}

function deployment(containers: Container[], extra: { labels?: Record<string, string> } = {}): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'apps', labels: extra.labels ?? { app: 'web' } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers } },
    },
  };
}

/** What the API server makes of a manifest: defaults, a controller's writes, status. */
function live(manifest: JsonObject, patch: (o: JsonObject) => void = () => undefined): JsonObject {
  const o = structuredClone(manifest) as {
    metadata: JsonObject;
    spec: { replicas?: number; template: { spec: { containers: JsonObject[] } } } & JsonObject;
  } & JsonObject;
  o.metadata['uid'] = '0f6c';
  o.metadata['resourceVersion'] = '42';
  o.spec.replicas ??= 1;
  o.spec['strategy'] = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
  for (const c of o.spec.template.spec.containers) {
    c['imagePullPolicy'] = 'IfNotPresent';
    c['terminationMessagePath'] = '/dev/termination-log';
  }
  o['status'] = { replicas: 1, observedGeneration: 1 };
  patch(o);
  return o;
}

function threeWay(original: JsonObject | undefined, modified: JsonObject, current: JsonObject): JsonObject {
  const result = createThreeWayMergePatch({ original, modified, current, meta: deploymentMeta });
  expect(result.contentType).toBe('application/strategic-merge-patch+json');
  return result.patch;
}

const app = (image = 'app:1', env = [{ name: 'A', value: '1' }]): Container => ({ name: 'app', image, env });
const sidecar: Container = { name: 'sidecar', image: 'proxy:1' };

describe('createThreeWayMergePatch for built-in kinds (strategic merge)', () => {
  it('changes a container image, naming the container and keeping the list order', () => {
    const original = deployment([app('app:1'), sidecar]);
    const modified = deployment([app('app:2'), sidecar]);
    expect(threeWay(original, modified, live(original))).toEqual({
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }],
            containers: [{ name: 'app', image: 'app:2' }],
          },
        },
      },
    });
  });

  it('deletes an env var dropped from the manifest with a $patch: delete entry', () => {
    const original = deployment([
      app('app:1', [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ]),
    ]);
    const modified = deployment([app('app:1', [{ name: 'A', value: '1' }])]);
    expect(threeWay(original, modified, live(original))).toEqual({
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }],
            containers: [
              {
                name: 'app',
                '$setElementOrder/env': [{ name: 'A' }],
                env: [{ name: 'B', $patch: 'delete' }],
              },
            ],
          },
        },
      },
    });
  });

  it('merges a dropped env var and a changed image of the same container into one item', () => {
    const original = deployment([
      app('app:1', [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ]),
    ]);
    const modified = deployment([app('app:2', [{ name: 'A', value: '1' }])]);
    const patch = threeWay(original, modified, live(original));
    expect(patch).toEqual({
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }],
            containers: [
              {
                name: 'app',
                image: 'app:2',
                '$setElementOrder/env': [{ name: 'A' }],
                env: [{ name: 'B', $patch: 'delete' }],
              },
            ],
          },
        },
      },
    });
  });

  it('deletes a container dropped from the manifest', () => {
    const original = deployment([app(), sidecar]);
    const modified = deployment([app()]);
    expect(threeWay(original, modified, live(original))).toEqual({
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }],
            containers: [{ name: 'sidecar', $patch: 'delete' }],
          },
        },
      },
    });
  });

  it('adds a container and a field new in the manifest', () => {
    const original = deployment([app()]);
    const modified = deployment([sidecar, app()]);
    (modified['spec'] as { minReadySeconds?: number }).minReadySeconds = 5;
    expect(threeWay(original, modified, live(original))).toEqual({
      spec: {
        minReadySeconds: 5,
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }],
            containers: [sidecar],
          },
        },
      },
    });
  });

  it('leaves alone what only live has: replicas, defaults, another controller’s annotation and volume', () => {
    const manifest = deployment([app()]);
    const current = live(manifest, (o) => {
      (o['spec'] as JsonObject)['replicas'] = 5;
      (o['metadata'] as JsonObject)['annotations'] = { 'deployment.kubernetes.io/revision': '3' };
      const pod = (o['spec'] as { template: { spec: JsonObject } }).template.spec;
      pod['nodeSelector'] = { zone: 'a' };
    });
    expect(threeWay(manifest, manifest, current)).toEqual({});
    // Without a last-applied configuration (created by something else), nothing is deleted either.
    expect(threeWay(undefined, manifest, current)).toEqual({});
  });

  it('removes what the last-applied configuration had and the manifest dropped, even if live changed it', () => {
    const original = deployment([app()]);
    (original['spec'] as JsonObject)['replicas'] = 2;
    const modified = deployment([app()]);
    const current = live(original, (o) => {
      (o['spec'] as JsonObject)['replicas'] = 7; // scaled by someone, but the manifest gave up on replicas
    });
    expect(threeWay(original, modified, current)).toEqual({ spec: { replicas: null } });
  });

  it('deletes a label dropped from the manifest and keeps one another party added', () => {
    const original = deployment([app()], { labels: { app: 'web', team: 'a' } });
    const modified = deployment([app()], { labels: { app: 'web' } });
    const current = live(original, (o) => {
      ((o['metadata'] as JsonObject)['labels'] as JsonObject)['added-by'] = 'other';
    });
    expect(threeWay(original, modified, current)).toEqual({ metadata: { labels: { team: null } } });
  });

  it('adds and removes finalizers with $deleteFromPrimitiveList, keeping others’ finalizers', () => {
    const withFinalizers = (f: string[]): JsonObject => {
      const d = deployment([app()]);
      (d['metadata'] as JsonObject)['finalizers'] = f;
      return d;
    };
    const original = withFinalizers(['example.com/a', 'example.com/b']);
    const modified = withFinalizers(['example.com/a', 'example.com/c']);
    const current = live(original, (o) => {
      (o['metadata'] as { finalizers: string[] }).finalizers.push('other.io/keep');
    });
    expect(threeWay(original, modified, current)).toEqual({
      metadata: {
        finalizers: ['example.com/c'],
        '$deleteFromPrimitiveList/finalizers': ['example.com/b'],
        '$setElementOrder/finalizers': ['example.com/a', 'example.com/c'],
      },
    });
  });

  it('names the keys to retain when a retainKeys map changes', () => {
    const original = deployment([app()]);
    const modified = deployment([app()]);
    (modified['spec'] as JsonObject)['strategy'] = { type: 'Recreate' };
    const patch = threeWay(original, modified, live(original));
    expect(patch).toEqual({ spec: { strategy: { type: 'Recreate', $retainKeys: ['type'] } } });
  });

  it('replaces a list without the merge strategy whole', () => {
    const original = deployment([{ ...app(), args: ['--a', '--b'] } as Container]);
    const modified = deployment([{ ...app(), args: ['--a'] } as Container]);
    expect(threeWay(original, modified, live(original))).toEqual({
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }],
            containers: [{ name: 'app', args: ['--a'] }],
          },
        },
      },
    });
  });

  it('yields {} when live already matches the manifest and its last-applied annotation', () => {
    const manifest = deployment([app(), sidecar]) as KubernetesObject;
    const modified = withLastApplied(manifest);
    const current = live(modified);
    const original = JSON.parse(
      (current['metadata'] as { annotations: Record<string, string> }).annotations[lastAppliedAnnotation] ??
        'null',
    ) as JsonObject;
    expect(threeWay(original, modified, current)).toEqual({});
  });

  it('rewrites the last-applied annotation along with a change', () => {
    const before = withLastApplied(deployment([app('app:1')]));
    const after = withLastApplied(deployment([app('app:2')]));
    const patch = threeWay(JSON.parse(lastApplied(before)) as JsonObject, after, live(before));
    expect((patch['metadata'] as JsonObject)['annotations']).toEqual({
      [lastAppliedAnnotation]: lastApplied(after),
    });
  });
});

function lastApplied(obj: JsonObject): string {
  return (
    (obj['metadata'] as { annotations: Record<string, string> }).annotations[lastAppliedAnnotation] ?? ''
  );
}

describe('createThreeWayMergePatch for custom resources (JSON merge)', () => {
  const widget = (spec: JsonObject): JsonObject => ({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'apps' },
    spec,
  });

  it('replaces a list whole, removes dropped fields and keeps others’ fields', () => {
    const original = widget({ items: ['a', 'b'], color: 'red', size: 1 });
    const modified = widget({ items: ['c'], size: 2 });
    const current = widget({ items: ['a', 'b', 'x'], color: 'red', size: 1, owner: 'other' });
    const result = createThreeWayMergePatch({ original, modified, current, meta: undefined });
    expect(result.contentType).toBe('application/merge-patch+json');
    expect(result.patch).toEqual({ spec: { items: ['c'], color: null, size: 2 } });
  });

  it('sends a list equal to live not at all, and an unchanged object as {}', () => {
    const manifest = widget({ items: [{ name: 'a', port: 1 }] });
    const current = widget({ items: [{ name: 'a', port: 1 }], owner: 'other' });
    expect(
      createThreeWayMergePatch({ original: manifest, modified: manifest, current, meta: undefined }),
    ).toEqual({
      contentType: 'application/merge-patch+json',
      patch: {},
    });
  });

  it('empties a map the manifest now sets to {}, and sets {} where live has nothing', () => {
    const original = widget({ opts: { a: 1 } });
    const modified = widget({ opts: {}, extra: {} });
    const current = widget({ opts: { a: 1 } });
    expect(createThreeWayMergePatch({ original, modified, current, meta: undefined }).patch).toEqual({
      spec: { opts: { a: null }, extra: {} },
    });
  });
});
