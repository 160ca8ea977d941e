import { describe, expect, it } from 'vitest';
import type { HealthStatusCode, KubeObject } from '../types.ts';
import { aggregateAppHealth, causesMessage, type AppHealthEntry } from './aggregate-app-health.ts';
import { HEALTH_ORDER, isWorseHealth } from './health-order.ts';

function object(kind: string, name: string, annotations?: Record<string, string>, uid?: string): KubeObject {
  return {
    apiVersion: kind === 'Application' ? 'argoproj.io/v1alpha1' : 'apps/v1',
    kind,
    metadata: {
      name,
      namespace: 'prod',
      ...(uid === undefined ? {} : { uid }),
      ...(annotations === undefined ? {} : { annotations }),
    },
  };
}

/** A resource in git and in the cluster with the given health. */
function live(name: string, status: HealthStatusCode, extra: Partial<AppHealthEntry> = {}): AppHealthEntry {
  const obj = object('Deployment', name);
  return {
    group: 'apps',
    kind: 'Deployment',
    namespace: 'prod',
    name,
    target: obj,
    live: obj,
    health: { status },
    ...extra,
  };
}

/** A resource in git, not (yet) in the cluster. */
function missing(name: string): AppHealthEntry {
  return { group: 'apps', kind: 'Deployment', namespace: 'prod', name, target: object('Deployment', name) };
}

describe('health order', () => {
  it('ranks Healthy < Suspended < Progressing < Missing < Degraded < Unknown', () => {
    expect(HEALTH_ORDER).toEqual(['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown']);
    for (let i = 0; i + 1 < HEALTH_ORDER.length; i++) {
      expect(isWorseHealth(HEALTH_ORDER[i]!, HEALTH_ORDER[i + 1]!)).toBe(true);
      expect(isWorseHealth(HEALTH_ORDER[i + 1]!, HEALTH_ORDER[i]!)).toBe(false);
    }
  });

  it.each([
    [['Healthy', 'Suspended'], 'Suspended'],
    [['Suspended', 'Progressing'], 'Progressing'],
    [['Progressing', 'Degraded', 'Healthy'], 'Degraded'],
    [['Degraded', 'Unknown'], 'Unknown'],
    [['Missing', 'Progressing'], 'Missing'],
  ] as const)('the worst of %j is %s', (statuses, expected) => {
    const entries = statuses.map((status, i) => live(`r${i}`, status));
    expect(aggregateAppHealth(entries).status).toBe(expected);
  });
});

describe('aggregateAppHealth', () => {
  it('an application without resources is Healthy', () => {
    expect(aggregateAppHealth([])).toEqual({ status: 'Healthy', causes: [] });
  });

  it('names the resources that set the status, three at most', () => {
    const result = aggregateAppHealth([
      live('a', 'Degraded'),
      live('b', 'Progressing'),
      live('c', 'Degraded'),
      live('d', 'Healthy'),
    ]);
    expect(result.status).toBe('Degraded');
    expect(result.message).toBe('Caused by apps/Deployment:prod/a, apps/Deployment:prod/c');
    const many = aggregateAppHealth(['a', 'b', 'c', 'd', 'e'].map((n) => live(n, 'Progressing')));
    expect(many.message).toBe(
      'Caused by apps/Deployment:prod/a, apps/Deployment:prod/b, apps/Deployment:prod/c and 2 more',
    );
    expect(many.causes).toHaveLength(5);
  });

  it('writes core and cluster-scoped resources without the empty parts', () => {
    expect(
      causesMessage([
        { group: '', kind: 'Pod', namespace: 'prod', name: 'p' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespace: '', name: 'admin' },
      ]),
    ).toBe('Caused by Pod:prod/p, rbac.authorization.k8s.io/ClusterRole:admin');
  });

  it('a Healthy application has no message', () => {
    expect(aggregateAppHealth([live('a', 'Healthy'), live('b', 'Healthy')])).toEqual({
      status: 'Healthy',
      causes: [],
    });
  });

  it('leaves out resources without health', () => {
    const configMap: AppHealthEntry = {
      group: '',
      kind: 'ConfigMap',
      namespace: 'prod',
      name: 'c',
      live: object('ConfigMap', 'c'),
    };
    expect(aggregateAppHealth([configMap, live('a', 'Progressing')]).status).toBe('Progressing');
    expect(aggregateAppHealth([configMap]).status).toBe('Healthy');
  });

  it('leaves out Skip targets, live hooks, ignored hooks and ignore-healthcheck resources', () => {
    const skip = live('skip', 'Degraded', {
      target: object('Deployment', 'skip', { 'argocd.argoproj.io/hook': 'Skip' }),
    });
    const hookObj = object('Job', 'migrate', { 'argocd.argoproj.io/hook': 'PreSync' });
    const hook = live('hook', 'Degraded', { live: hookObj });
    const helmHook = live('helm', 'Degraded', {
      live: object('Job', 'helm', { 'helm.sh/hook': 'pre-install' }),
    });
    const ignoredHook = live('garbage', 'Degraded', {
      live: object('Job', 'garbage', { 'argocd.argoproj.io/hook': 'Garbage' }),
    });
    const ignoreHealth = live('quiet', 'Degraded', {
      live: object('Deployment', 'quiet', { 'argocd.argoproj.io/ignore-healthcheck': 'true' }),
    });
    expect(
      aggregateAppHealth([skip, hook, helmHook, ignoredHook, ignoreHealth, live('ok', 'Healthy')]),
    ).toEqual({
      status: 'Healthy',
      causes: [],
    });
  });

  it('a resource with only ignored health still counts as live, so the app is not Missing', () => {
    const quiet = live('quiet', 'Degraded', {
      live: object('Deployment', 'quiet', { 'argocd.argoproj.io/ignore-healthcheck': 'true' }),
    });
    expect(aggregateAppHealth([quiet, missing('gone')]).status).toBe('Healthy');
  });

  it('leaves out the application itself when it manages itself', () => {
    const self: AppHealthEntry = {
      group: 'argoproj.io',
      kind: 'Application',
      namespace: 'argocd',
      name: 'root',
      live: {
        ...object('Application', 'root', undefined, 'uid-1'),
        metadata: { name: 'root', namespace: 'argocd', uid: 'uid-1' },
      },
      health: { status: 'Degraded' },
    };
    expect(
      aggregateAppHealth([self, live('a', 'Healthy')], { name: 'root', namespace: 'argocd', uid: 'uid-1' })
        .status,
    ).toBe('Healthy');
    expect(aggregateAppHealth([self], { name: 'root', namespace: 'argocd', uid: 'uid-2' }).status).toBe(
      'Degraded',
    );
  });

  it('§10.15 missing resources do not count while any resource is live', () => {
    const result = aggregateAppHealth([missing('new'), live('old', 'Healthy')]);
    expect(result).toEqual({ status: 'Healthy', causes: [] });
    expect(aggregateAppHealth([missing('new'), live('old', 'Progressing')]).status).toBe('Progressing');
  });

  it('§10.15 an application whose resources are all missing is Missing, without causes', () => {
    expect(aggregateAppHealth([missing('a'), missing('b')])).toEqual({ status: 'Missing', causes: [] });
  });

  it('§10.15 a Skip target is no resource, so it cannot keep an all-missing application from Missing', () => {
    const skip = live('skip', 'Degraded', {
      target: object('Deployment', 'skip', { 'argocd.argoproj.io/hook': 'Skip' }),
    });
    expect(aggregateAppHealth([skip, missing('a')]).status).toBe('Missing');
  });

  it('§10.15 child Applications that are Missing or Unknown do not count; other child health does', () => {
    const child = (name: string, status: HealthStatusCode): AppHealthEntry => ({
      group: 'argoproj.io',
      kind: 'Application',
      namespace: 'argocd',
      name,
      live: object('Application', name),
      health: { status },
    });
    expect(
      aggregateAppHealth([child('a', 'Unknown'), child('b', 'Missing'), live('d', 'Healthy')]).status,
    ).toBe('Healthy');
    expect(aggregateAppHealth([child('a', 'Degraded')])).toEqual({
      status: 'Degraded',
      message: 'Caused by argoproj.io/Application:argocd/a',
      causes: [{ group: 'argoproj.io', kind: 'Application', namespace: 'argocd', name: 'a' }],
    });
    // Without the opt-in check a child app has no health at all, so it never holds up its parent.
    expect(
      aggregateAppHealth([{ ...child('a', 'Healthy'), health: undefined }, live('d', 'Healthy')]).status,
    ).toBe('Healthy');
  });
});
