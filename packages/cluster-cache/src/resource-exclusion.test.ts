import { describe, expect, it } from 'vitest';
import { globMatch, isAlwaysIgnored, isExcluded } from './resource-exclusion.ts';

describe('globMatch', () => {
  it('matches *, ?, classes and brace choices, anchored', () => {
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('*.k8s.io', 'metrics.k8s.io')).toBe(true);
    expect(globMatch('*.k8s.io', 'k8s.io')).toBe(false);
    expect(globMatch('cilium.io', 'cilium.io')).toBe(true);
    expect(globMatch('cilium.io', 'ciliumXio')).toBe(false);
    expect(globMatch('Pod?', 'Pods')).toBe(true);
    expect(globMatch('Pod?', 'Pod')).toBe(false);
    expect(globMatch('[A-C]*', 'ConfigMap')).toBe(true);
    expect(globMatch('[!A-C]*', 'ConfigMap')).toBe(false);
    expect(globMatch('{Secret,ConfigMap}', 'Secret')).toBe(true);
    expect(globMatch('{Secret,ConfigMap}', 'Service')).toBe(false);
    expect(globMatch('https://*.example.com', 'https://a.b.example.com')).toBe(true);
  });
});

describe('isExcluded', () => {
  it('treats a missing or empty list as matching everything', () => {
    expect(isExcluded([{ kinds: ['Secret'] }], '', 'Secret', 'https://x')).toBe(true);
    expect(isExcluded([{ kinds: ['Secret'], apiGroups: [] }], 'example.com', 'Secret', 'https://x')).toBe(
      true,
    );
    expect(isExcluded([{ kinds: ['Secret'] }], '', 'ConfigMap', 'https://x')).toBe(false);
    expect(isExcluded([{}], 'apps', 'Deployment', 'https://x')).toBe(true);
    expect(isExcluded([], 'apps', 'Deployment', 'https://x')).toBe(false);
  });

  it('needs group, kind and cluster of one entry to match together', () => {
    const ex = [{ apiGroups: ['*.cilium.io'], kinds: ['CiliumIdentity'], clusters: ['https://prod-*'] }];
    expect(isExcluded(ex, 'api.cilium.io', 'CiliumIdentity', 'https://prod-1')).toBe(true);
    expect(isExcluded(ex, 'api.cilium.io', 'CiliumIdentity', 'https://dev-1')).toBe(false);
    expect(isExcluded(ex, 'api.cilium.io', 'CiliumNode', 'https://prod-1')).toBe(false);
    expect(isExcluded(ex, 'cilium.io', 'CiliumIdentity', 'https://prod-1')).toBe(false);
  });

  it('matches kinds case-sensitively', () => {
    expect(isExcluded([{ kinds: ['secret'] }], '', 'Secret', 's')).toBe(false);
  });
});

describe('isAlwaysIgnored', () => {
  it('leaves out Events of both groups and coordination Leases only', () => {
    expect(isAlwaysIgnored('', 'Event')).toBe(true);
    expect(isAlwaysIgnored('events.k8s.io', 'Event')).toBe(true);
    expect(isAlwaysIgnored('coordination.k8s.io', 'Lease')).toBe(true);
    expect(isAlwaysIgnored('example.com', 'Lease')).toBe(false);
    expect(isAlwaysIgnored('example.com', 'Event')).toBe(false);
    expect(isAlwaysIgnored('', 'ConfigMap')).toBe(false);
  });
});
