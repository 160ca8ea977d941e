import { describe, expect, it } from 'vitest';
import { appInstanceOf, instanceName } from './app-instance-of.ts';

const tracking = {
  method: 'annotation' as const,
  labelKey: 'app.kubernetes.io/instance',
  installationId: '',
};
const deploy = (id: string, name = 'web', namespace = 'prod') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name,
    namespace,
    annotations: { 'argocd.argoproj.io/tracking-id': id } as Record<string, string>,
  },
});

describe('appInstanceOf', () => {
  it('reads the app from a tracking id that describes the object itself', () => {
    expect(appInstanceOf(deploy('shop:apps/Deployment:prod/web'), tracking)).toBe('shop');
  });
  it('ignores a copied id (another name, kind or namespace): copies are not managed', () => {
    expect(appInstanceOf(deploy('shop:apps/Deployment:prod/web', 'web-copy'), tracking)).toBeUndefined();
    expect(
      appInstanceOf(deploy('shop:apps/Deployment:prod/web', 'web', 'staging'), tracking),
    ).toBeUndefined();
    expect(appInstanceOf(deploy('shop:apps/ReplicaSet:prod/web'), tracking)).toBeUndefined();
    expect(appInstanceOf(deploy('garbage'), tracking)).toBeUndefined();
  });
  it('accepts the destination namespace in the id of a cluster-scoped object', () => {
    const ns = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'prod',
        annotations: { 'argocd.argoproj.io/tracking-id': 'shop:/Namespace:prod/prod' },
      },
    };
    expect(appInstanceOf(ns, tracking)).toBe('shop');
  });
  it('requires the installation id when one is configured', () => {
    const obj = deploy('shop:apps/Deployment:prod/web');
    expect(appInstanceOf(obj, { ...tracking, installationId: 'a' })).toBeUndefined();
    obj.metadata.annotations['argocd.argoproj.io/installation-id'] = 'a';
    expect(appInstanceOf(obj, { ...tracking, installationId: 'a' })).toBe('shop');
  });
  it('uses the instance label with label tracking', () => {
    const obj = {
      kind: 'ConfigMap',
      metadata: { name: 'c', labels: { 'app.kubernetes.io/instance': 'shop' } },
    };
    expect(appInstanceOf(obj, { ...tracking, method: 'label' })).toBe('shop');
  });
  it('names apps outside the control-plane namespace <ns>_<name>', () => {
    expect(instanceName({ metadata: { name: 'a', namespace: 'argocd' } }, 'argocd')).toBe('a');
    expect(instanceName({ metadata: { name: 'a', namespace: 'team' } }, 'argocd')).toBe('team_a');
  });
});
