import { describe, expect, it } from 'vitest';
import { OpenApiPatchMeta } from './open-api-patch-meta.ts';

const ref = (name: string) => ({ default: {}, allOf: [{ $ref: `#/components/schemas/${name}` }] });

const patchContent = (strategic: boolean) => ({
  requestBody: {
    content: {
      'application/json-patch+json': {},
      'application/merge-patch+json': {},
      ...(strategic ? { 'application/strategic-merge-patch+json': {} } : {}),
    },
  },
});

/** The shape of `/openapi/v3/apis/apps/v1`, cut down to the fields the tests walk. */
const appsV1 = {
  openapi: '3.0.0',
  paths: {
    '/apis/apps/v1/namespaces/{namespace}/deployments/{name}': {
      get: { 'x-kubernetes-group-version-kind': { group: 'apps', version: 'v1', kind: 'Deployment' } },
      patch: {
        ...patchContent(true),
        'x-kubernetes-group-version-kind': { group: 'apps', version: 'v1', kind: 'Deployment' },
      },
    },
  },
  components: {
    schemas: {
      'io.k8s.api.apps.v1.Deployment': {
        type: 'object',
        properties: {
          metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
          spec: ref('io.k8s.api.apps.v1.DeploymentSpec'),
        },
        'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'Deployment', version: 'v1' }],
      },
      'io.k8s.api.apps.v1.DeploymentSpec': {
        type: 'object',
        properties: {
          replicas: { type: 'integer' },
          strategy: {
            ...ref('io.k8s.api.apps.v1.DeploymentStrategy'),
            'x-kubernetes-patch-strategy': 'retainKeys',
          },
          template: ref('io.k8s.api.core.v1.PodTemplateSpec'),
        },
      },
      'io.k8s.api.apps.v1.DeploymentStrategy': { type: 'object', properties: { type: { type: 'string' } } },
      'io.k8s.api.core.v1.PodTemplateSpec': {
        type: 'object',
        properties: { spec: ref('io.k8s.api.core.v1.PodSpec') },
      },
      'io.k8s.api.core.v1.PodSpec': {
        type: 'object',
        properties: {
          containers: {
            type: 'array',
            items: ref('io.k8s.api.core.v1.Container'),
            'x-kubernetes-list-map-keys': ['name'],
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-patch-merge-key': 'name',
            'x-kubernetes-patch-strategy': 'merge',
          },
          volumes: {
            type: 'array',
            items: ref('io.k8s.api.core.v1.Volume'),
            'x-kubernetes-patch-merge-key': 'name',
            'x-kubernetes-patch-strategy': 'merge,retainKeys',
          },
          nodeSelector: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      'io.k8s.api.core.v1.Container': {
        type: 'object',
        properties: {
          env: {
            type: 'array',
            items: ref('io.k8s.api.core.v1.EnvVar'),
            'x-kubernetes-patch-merge-key': 'name',
            'x-kubernetes-patch-strategy': 'merge',
          },
          resources: ref('io.k8s.api.core.v1.ResourceRequirements'),
        },
      },
      'io.k8s.api.core.v1.ResourceRequirements': {
        type: 'object',
        properties: {
          // A list-type map without a patch strategy: the server replaces it whole.
          claims: {
            type: 'array',
            items: { type: 'object' },
            'x-kubernetes-list-map-keys': ['name'],
            'x-kubernetes-list-type': 'map',
          },
        },
      },
      'io.k8s.api.core.v1.EnvVar': { type: 'object', properties: { name: { type: 'string' } } },
      'io.k8s.api.core.v1.Volume': { type: 'object', properties: { name: { type: 'string' } } },
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
        type: 'object',
        properties: {
          finalizers: {
            type: 'array',
            items: { type: 'string' },
            'x-kubernetes-list-type': 'set',
            'x-kubernetes-patch-strategy': 'merge',
          },
          ownerReferences: {
            type: 'array',
            items: ref('io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference'),
            'x-kubernetes-patch-merge-key': 'uid',
            'x-kubernetes-patch-strategy': 'merge',
          },
          // Recursion through a $ref must not loop.
          self: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
        },
      },
      'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference': { type: 'object', properties: {} },
    },
  },
};

describe('OpenApiPatchMeta', () => {
  const index = new OpenApiPatchMeta(appsV1);
  const deployment = index.forKind('apps', 'v1', 'Deployment');
  const podSpec = deployment?.field('spec')?.field('template')?.field('spec');

  it('reads merge keys and strategies of lists through $ref and allOf', () => {
    expect(podSpec?.field('containers')).toMatchObject({ strategies: ['merge'], mergeKey: 'name' });
    expect(podSpec?.field('containers')?.field('env')).toMatchObject({
      strategies: ['merge'],
      mergeKey: 'name',
    });
    expect(podSpec?.field('volumes')).toMatchObject({
      strategies: ['merge', 'retainKeys'],
      mergeKey: 'name',
    });
    expect(deployment?.field('spec')?.field('strategy')?.strategies).toEqual(['retainKeys']);
    expect(deployment?.field('metadata')?.field('finalizers')).toMatchObject({
      strategies: ['merge'],
      mergeKey: undefined,
    });
    expect(
      deployment?.field('metadata')?.field('self')?.field('self')?.field('ownerReferences')?.mergeKey,
    ).toBe('uid');
  });

  it('treats a list without a patch strategy as atomic, even with a list-type', () => {
    const claims = podSpec?.field('containers')?.field('resources')?.field('claims');
    expect(claims).toMatchObject({ strategies: [], mergeKey: undefined });
  });

  it('answers map values and unknown fields', () => {
    expect(podSpec?.field('nodeSelector')?.field('zone')).toMatchObject({ strategies: [] });
    expect(podSpec?.field('noSuchField')).toBeUndefined();
    expect(deployment?.field('spec')?.field('replicas')?.field('x')).toBeUndefined();
  });

  it('gives kinds without strategic-merge support, or unknown kinds, no metadata', () => {
    expect(index.forKind('apps', 'v1', 'StatefulSet')).toBeUndefined();
    const crd = structuredClone(appsV1);
    const item = crd.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    item.patch = { ...item.patch, ...patchContent(false) };
    expect(new OpenApiPatchMeta(crd).forKind('apps', 'v1', 'Deployment')).toBeUndefined();
  });

  it('falls back to list-type extensions when the document publishes no patch strategy at all', () => {
    const bare = JSON.parse(
      JSON.stringify(appsV1).replaceAll('x-kubernetes-patch-strategy', 'x-dropped'),
    ) as unknown;
    const spec = new OpenApiPatchMeta(bare)
      .forKind('apps', 'v1', 'Deployment')
      ?.field('spec')
      ?.field('template')
      ?.field('spec');
    expect(spec?.field('containers')).toMatchObject({ strategies: ['merge'], mergeKey: 'name' });
    expect(spec?.field('containers')?.field('resources')?.field('claims')).toMatchObject({
      strategies: ['merge'],
      mergeKey: 'name',
    });
    expect(spec?.field('volumes')).toMatchObject({ strategies: [] });
  });
});
