import type { ApplicationDestination } from '@capstan/crds';
import { describe, expect, it } from 'vitest';
import type { ClusterRef } from './cluster-ref.ts';
import { isDestinationPermitted } from './destination-permitted.ts';

const IN_CLUSTER = { server: 'https://kubernetes.default.svc', name: 'in-cluster' };
const PROD = { server: 'https://prod.example:6443', name: 'prod' };

type Case = [string, ApplicationDestination[], ClusterRef, string, boolean];

describe('isDestinationPermitted', () => {
  it.each<Case>([
    [
      'server and namespace match',
      [{ server: IN_CLUSTER.server, namespace: 'web' }],
      IN_CLUSTER,
      'web',
      true,
    ],
    [
      'namespace differs',
      [{ server: IN_CLUSTER.server, namespace: 'web' }],
      IN_CLUSTER,
      'kube-system',
      false,
    ],
    ['server differs', [{ server: PROD.server, namespace: 'web' }], IN_CLUSTER, 'web', false],
    ['matching by cluster name', [{ name: 'prod', namespace: '*' }], PROD, 'web', true],
    ['name differs', [{ name: 'staging', namespace: '*' }], PROD, 'web', false],
    ['wildcards', [{ server: '*', namespace: '*' }], PROD, 'anything', true],
    ['server glob', [{ server: 'https://*.example:6443', namespace: 'team-*' }], PROD, 'team-a', true],
    ['namespace glob needs its prefix', [{ server: '*', namespace: 'team-*' }], PROD, 'team', false],
    ['the cluster-scoped namespace "" under *', [{ server: '*', namespace: '*' }], PROD, '', true],
    ['no destinations', [], PROD, 'web', false],
    [
      'a negated namespace excludes it',
      [{ server: '*', namespace: '!kube-system' }],
      PROD,
      'kube-system',
      false,
    ],
    [
      'a negated namespace permits the others',
      [{ server: IN_CLUSTER.server, namespace: '!kube-system' }],
      IN_CLUSTER,
      'web',
      true,
    ],
    [
      'a negated server excludes it',
      [{ server: `!${IN_CLUSTER.server}`, namespace: '*' }],
      IN_CLUSTER,
      'web',
      false,
    ],
    [
      'a negated server permits other servers',
      [{ server: `!${PROD.server}`, namespace: 'web' }],
      IN_CLUSTER,
      'web',
      true,
    ],
    ['a negated name excludes it', [{ name: '!prod', namespace: '*' }], PROD, 'web', false],
    ['a negated name permits other names', [{ name: '!staging', namespace: '*' }], PROD, 'web', true],
    [
      'a deny entry beats a broader allow',
      [
        { server: '*', namespace: '*' },
        { server: '*', namespace: '!kube-system' },
      ],
      IN_CLUSTER,
      'kube-system',
      false,
    ],
    [
      'a server deny scoped to one namespace',
      [
        { server: '*', namespace: '*' },
        { server: `!${IN_CLUSTER.server}`, namespace: 'kube-system' },
      ],
      IN_CLUSTER,
      'kube-system',
      false,
    ],
    [
      'the same server deny leaves other namespaces alone',
      [
        { server: '*', namespace: '*' },
        { server: `!${IN_CLUSTER.server}`, namespace: 'kube-system' },
      ],
      IN_CLUSTER,
      'web',
      true,
    ],
    [
      'a server deny for another namespace does not apply',
      [
        { server: '*', namespace: 'web' },
        { server: `!${PROD.server}`, namespace: 'other' },
      ],
      PROD,
      'web',
      true,
    ],
    [
      'a namespace deny on another server does not apply',
      [
        { server: '*', namespace: '*' },
        { server: PROD.server, namespace: '!other' },
      ],
      IN_CLUSTER,
      'other',
      true,
    ],
    [
      'negated namespace alternatives on one cluster, any namespace on another',
      [
        { server: IN_CLUSTER.server, namespace: '!{kube-system,argocd}' },
        { server: PROD.server, namespace: '*' },
      ],
      PROD,
      'kube-system',
      true,
    ],
  ])('%s', (...[, destinations, cluster, namespace, expected]: Case) => {
    expect(isDestinationPermitted({ project: { destinations }, cluster, namespace })).toBe(expected);
  });

  it('rejects a destination cluster that does not exist', () => {
    expect(
      isDestinationPermitted({
        project: { destinations: [{ server: '*', namespace: '*' }] },
        cluster: undefined,
        namespace: 'web',
      }),
    ).toBe(false);
  });

  describe('permitOnlyProjectScopedClusters', () => {
    const project = {
      destinations: [{ server: '*', namespace: '*' }],
      permitOnlyProjectScopedClusters: true,
    };

    it.each<[string, ClusterRef[] | undefined, boolean]>([
      ['the cluster belongs to the project', [PROD], true],
      ['matched by name alone', [{ name: 'prod', server: 'https://elsewhere' }], true],
      ['matched by server alone', [{ server: PROD.server }], true],
      ['another cluster belongs to the project', [IN_CLUSTER], false],
      ['no project clusters', undefined, false],
    ])('%s → %s', (_name, projectClusters, expected) => {
      expect(
        isDestinationPermitted({
          project,
          cluster: PROD,
          namespace: 'web',
          ...(projectClusters && { projectClusters }),
        }),
      ).toBe(expected);
    });

    it('still requires the destination rules to match', () => {
      expect(
        isDestinationPermitted({
          project: { ...project, destinations: [{ server: '*', namespace: 'web' }] },
          cluster: PROD,
          namespace: 'db',
          projectClusters: [PROD],
        }),
      ).toBe(false);
    });
  });
});
