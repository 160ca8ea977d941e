import { describe, expect, it } from 'vitest';
import { isExcluded, normalizeTargets } from './normalize-targets.ts';

const scopes = new Map([
  ['/ConfigMap', true],
  ['/Namespace', false],
  ['rbac.authorization.k8s.io/ClusterRole', false],
]);
const scopeOf = (group: string, kind: string): boolean | undefined => scopes.get(`${group}/${kind}`);

describe('normalizeTargets', () => {
  it('defaults namespaced kinds to the destination, clears cluster-scoped ones, keeps the last duplicate', () => {
    const { targets, conditions } = normalizeTargets({
      objects: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { v: '1' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'prod' }, data: { v: '2' } },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', namespace: 'oops' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'other' } },
      ],
      namespace: 'prod',
      scopeOf,
      exclusions: [],
      server: 'https://kubernetes.default.svc',
    });
    expect(targets.map((t) => `${t.kind}/${t.metadata?.namespace ?? ''}/${t.metadata?.name ?? ''}`)).toEqual([
      'ConfigMap/prod/a',
      'Namespace//prod',
      'ConfigMap/other/b',
    ]);
    expect(targets[0]?.['data']).toEqual({ v: '2' });
    expect(conditions.map((c) => c.type)).toEqual(['RepeatedResourceWarning']);
  });
  it('drops kinds resource.exclusions leave out, by group, kind and cluster globs', () => {
    const rules = [{ apiGroups: ['*.k8s.io'], kinds: ['*'], clusters: ['https://prod.*'] }];
    expect(isExcluded(rules, 'rbac.authorization.k8s.io', 'ClusterRole', 'https://prod.example.com')).toBe(
      true,
    );
    expect(isExcluded(rules, 'rbac.authorization.k8s.io', 'ClusterRole', 'https://dev.example.com')).toBe(
      false,
    );
    expect(isExcluded(rules, '', 'ConfigMap', 'https://prod.example.com')).toBe(false);
  });
});
