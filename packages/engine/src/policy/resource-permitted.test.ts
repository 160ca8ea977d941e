import type { AppProjectSpec } from '@capstan/crds';
import { defaultAppProject } from '@capstan/crds';
import { describe, expect, it } from 'vitest';
import { isGroupKindNamePermitted, isResourcePermitted, type GroupKindName } from './resource-permitted.ts';

const deployment: GroupKindName = { group: 'apps', kind: 'Deployment', name: 'web', namespaced: true };
const configMap: GroupKindName = { group: '', kind: 'ConfigMap', name: 'settings', namespaced: true };
const clusterRole: GroupKindName = {
  group: 'rbac.authorization.k8s.io',
  kind: 'ClusterRole',
  name: 'reader',
  namespaced: false,
};
const namespace: GroupKindName = { group: '', kind: 'Namespace', name: 'web', namespaced: false };

describe('isGroupKindNamePermitted', () => {
  it('§10.16 namespaceResourceWhitelist: [] is not nil: it denies every namespaced kind', () => {
    expect(isGroupKindNamePermitted({}, deployment)).toBe(true);
    expect(isGroupKindNamePermitted({ namespaceResourceWhitelist: [] }, deployment)).toBe(false);
    expect(isGroupKindNamePermitted({ namespaceResourceWhitelist: [] }, configMap)).toBe(false);
  });

  it('§10.16 cluster-scoped kinds are denied by default', () => {
    expect(isGroupKindNamePermitted({}, clusterRole)).toBe(false);
    expect(isGroupKindNamePermitted({}, namespace)).toBe(false);
    expect(isGroupKindNamePermitted({ clusterResourceWhitelist: [] }, namespace)).toBe(false);
    expect(
      isGroupKindNamePermitted({ clusterResourceWhitelist: [{ group: '*', kind: '*' }] }, namespace),
    ).toBe(true);
  });

  it.each<[string, AppProjectSpec, GroupKindName, boolean]>([
    [
      'namespaced whitelist hit',
      { namespaceResourceWhitelist: [{ group: 'apps', kind: 'Deployment' }] },
      deployment,
      true,
    ],
    [
      'namespaced whitelist miss',
      { namespaceResourceWhitelist: [{ group: 'apps', kind: 'StatefulSet' }] },
      deployment,
      false,
    ],
    [
      'namespaced whitelist glob',
      { namespaceResourceWhitelist: [{ group: '*', kind: '*' }] },
      configMap,
      true,
    ],
    ['core group is ""', { namespaceResourceWhitelist: [{ group: '', kind: 'ConfigMap' }] }, configMap, true],
    [
      '"" does not match a named group',
      { namespaceResourceWhitelist: [{ group: '', kind: 'Deployment' }] },
      deployment,
      false,
    ],
    [
      'namespaced blacklist',
      { namespaceResourceBlacklist: [{ group: 'apps', kind: 'Deploy*' }] },
      deployment,
      false,
    ],
    [
      'blacklist beats whitelist',
      {
        namespaceResourceWhitelist: [{ group: '*', kind: '*' }],
        namespaceResourceBlacklist: [{ group: '', kind: 'ConfigMap' }],
      },
      configMap,
      false,
    ],
    [
      'namespaced ignores cluster lists',
      { clusterResourceBlacklist: [{ group: '*', kind: '*' }] },
      deployment,
      true,
    ],
    [
      'cluster whitelist by kind',
      { clusterResourceWhitelist: [{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }] },
      clusterRole,
      true,
    ],
    [
      'cluster whitelist group glob',
      { clusterResourceWhitelist: [{ group: '*.k8s.io', kind: 'Cluster*' }] },
      clusterRole,
      true,
    ],
    [
      'cluster whitelist with a name',
      { clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'web' }] },
      namespace,
      true,
    ],
    [
      'cluster whitelist with another name',
      { clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'db-*' }] },
      namespace,
      false,
    ],
    [
      'cluster whitelist with a name glob',
      { clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'w?b' }] },
      namespace,
      true,
    ],
    [
      'cluster blacklist by name',
      {
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
        clusterResourceBlacklist: [{ group: '', kind: 'Namespace', name: 'web' }],
      },
      namespace,
      false,
    ],
    [
      'cluster blacklist for another name',
      {
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
        clusterResourceBlacklist: [{ group: '', kind: 'Namespace', name: 'kube-*' }],
      },
      namespace,
      true,
    ],
    [
      'cluster-scoped ignores namespaced lists',
      { namespaceResourceWhitelist: [{ group: '*', kind: '*' }] },
      clusterRole,
      false,
    ],
    [
      'a malformed pattern matches nothing',
      { clusterResourceWhitelist: [{ group: '[', kind: '*' }] },
      clusterRole,
      false,
    ],
  ])('%s', (_name, project, res, expected) => {
    expect(isGroupKindNamePermitted(project, res)).toBe(expected);
  });
});

type ResourceCase = [string, string, string, string, boolean];

describe('isResourcePermitted', () => {
  const project: AppProjectSpec = {
    destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'web' }],
    clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
  };
  const cluster = { server: 'https://kubernetes.default.svc', name: 'in-cluster' };

  it.each<ResourceCase>([
    ['a namespaced object in a permitted namespace', 'apps', 'Deployment', 'web', true],
    ['a namespaced object in another namespace', 'apps', 'Deployment', 'kube-system', false],
    ['a whitelisted cluster-scoped object (no namespace check)', '', 'Namespace', '', true],
    ['a cluster-scoped kind not whitelisted', 'rbac.authorization.k8s.io', 'ClusterRole', '', false],
  ])('%s', (...[, group, kind, ns, expected]: ResourceCase) => {
    expect(isResourcePermitted({ project, group, kind, name: 'x', namespace: ns, cluster })).toBe(expected);
  });

  it('the built-in default project permits everything', () => {
    const spec = defaultAppProject('argocd').spec;
    const anyCluster = { server: 'https://prod.example:6443', name: 'prod' };
    for (const [group, kind, ns] of [
      ['apps', 'Deployment', 'anything'],
      ['', 'Namespace', ''],
      ['rbac.authorization.k8s.io', 'ClusterRole', ''],
      ['example.com', 'Widget', 'team-a'],
    ] as const) {
      expect(
        isResourcePermitted({ project: spec, group, kind, name: 'x', namespace: ns, cluster: anyCluster }),
      ).toBe(true);
    }
  });
});
