import { describe, expect, it } from 'vitest';
import { planSyncTasks } from './sync-step.ts';
import { cm, deploy, input, job, ns, obj, svc } from './__tests__/sync-fixtures.ts';
import type { InputOptions } from './__tests__/sync-fixtures.ts';

const order = (options: InputOptions): string[] =>
  planSyncTasks(input(options)).map(
    (t) => `${t.phase}/${t.wave} ${t.target === undefined ? 'prune ' : ''}${t.kind}/${t.name}`,
  );

describe('task ordering', () => {
  it('sorts by phase, then wave (negatives first), then kind rank, then name', () => {
    const targets = [
      job('post', { hook: 'PostSync', wave: -5 }),
      deploy('b'),
      deploy('a'),
      svc('z'),
      cm('late', { wave: 3 }),
      cm('early', { wave: -1 }),
      job('fail', { hook: 'SyncFail', wave: -9 }),
      job('pre', { hook: 'PreSync', wave: 4 }),
    ];
    expect(order({ targets })).toEqual([
      'PreSync/4 Job/pre',
      'Sync/-1 ConfigMap/early',
      'Sync/0 Service/z',
      'Sync/0 Deployment/a',
      'Sync/0 Deployment/b',
      'Sync/3 ConfigMap/late',
      'PostSync/-5 Job/post',
      'SyncFail/-9 Job/fail',
    ]);
  });

  it('§10.4 puts custom resources after all known kinds, whatever their group', () => {
    const targets = [
      obj('monitoring.coreos.com/v1', 'ServiceMonitor', 'a-monitor', { namespace: 'production' }),
      obj('apiregistration.k8s.io/v1', 'APIService', 'z-api'),
      // A known kind name in a custom group still ranks as that kind: rank ignores the group.
      obj('example.com/v1', 'Service', 'y-fake', { syncOptions: 'SkipDryRunOnMissingResource=true' }),
      obj('example.com/v1', 'Ingress', 'x-fake', { syncOptions: 'SkipDryRunOnMissingResource=true' }),
    ];
    expect(order({ targets, syncOptions: ['SkipDryRunOnMissingResource=true'] })).toEqual([
      'Sync/0 Service/y-fake',
      'Sync/0 Ingress/x-fake',
      'Sync/0 APIService/z-api',
      'Sync/0 ServiceMonitor/a-monitor',
    ]);
  });

  it('§10.3 hoists a Namespace in front of the first task in it, adopting its phase and wave', () => {
    const targets = [
      ns('apps', { wave: 5 }),
      cm('c', { namespace: 'apps', wave: 2 }),
      cm('d', { namespace: 'other' }),
    ];
    expect(order({ targets })).toEqual(['Sync/0 ConfigMap/d', 'Sync/2 Namespace/apps', 'Sync/2 ConfigMap/c']);
  });

  it('§10.3 hoists a Namespace into PreSync when a PreSync hook lives in it', () => {
    const targets = [
      ns('apps', { wave: -2 }),
      job('migrate', { namespace: 'apps', hook: 'PreSync', wave: 3 }),
    ];
    expect(order({ targets })).toEqual(['PreSync/3 Namespace/apps', 'PreSync/3 Job/migrate']);
  });

  it('§10.3 leaves a Namespace that already comes first where it is', () => {
    const targets = [ns('apps', { wave: -2 }), cm('c', { namespace: 'apps' })];
    expect(order({ targets })).toEqual(['Sync/-2 Namespace/apps', 'Sync/0 ConfigMap/c']);
  });

  it('§10.3 hoists a CRD in front of the first custom resource of its group and kind', () => {
    const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', {
      wave: 4,
      spec: { group: 'example.com', names: { kind: 'Widget' } },
    });
    const widget = obj('example.com/v1', 'Widget', 'w', { namespace: 'production', wave: -1 });
    const gadget = obj('example.com/v1', 'Gadget', 'g', { namespace: 'production', wave: -3 });
    expect(
      order({ targets: [crd, widget, gadget], syncOptions: ['SkipDryRunOnMissingResource=true'] }),
    ).toEqual([
      'Sync/-3 Gadget/g',
      'Sync/-1 CustomResourceDefinition/widgets.example.com',
      'Sync/-1 Widget/w',
    ]);
  });

  it('§10.3 keeps the order in which several dependencies were hoisted in front of one task', () => {
    const targets = [
      ns('b-ns', { wave: 1 }),
      ns('a-ns', { wave: 2 }),
      job('hook', { namespace: 'a-ns', hook: 'PreSync' }),
      job('hook2', { namespace: 'b-ns', hook: 'PreSync', wave: 1 }),
    ];
    expect(order({ targets })).toEqual([
      'PreSync/0 Namespace/a-ns',
      'PreSync/0 Job/hook',
      'PreSync/1 Namespace/b-ns',
      'PreSync/1 Job/hook2',
    ]);
  });

  it('§10.5 mirrors prune waves among prunes only, so deletion undoes creation order', () => {
    const live = [
      cm('p-1', { wave: -1 }),
      cm('p2', { wave: 2 }),
      cm('p5', { wave: 5 }),
      cm('p5b', { wave: 5 }),
    ];
    const targets = [cm('keep', { wave: 2 })];
    expect(order({ targets, live: [...live, cm('keep', { wave: 2 })] })).toEqual([
      'Sync/-1 prune ConfigMap/p5',
      'Sync/-1 prune ConfigMap/p5b',
      'Sync/2 ConfigMap/keep',
      'Sync/2 prune ConfigMap/p2',
      'Sync/5 prune ConfigMap/p-1',
    ]);
  });

  it('§10.5 runs prunes before applies of the same wave and kind', () => {
    expect(order({ targets: [cm('a')], live: [cm('z'), cm('b')] })).toEqual([
      'Sync/0 ConfigMap/a',
      'Sync/0 prune ConfigMap/b',
      'Sync/0 prune ConfigMap/z',
    ]);
    // Sorting is by name within a wave; the group runner prunes first regardless of position.
  });

  it('§10.5 moves PruneLast prunes after the last Sync wave (app option or live annotation)', () => {
    const live = [cm('old', { wave: -3 }), cm('annotated', { syncOptions: 'PruneLast=true' })];
    const targets = [cm('a', { wave: 7 }), job('post', { hook: 'PostSync', wave: 20 })];
    // The two prune waves (-3 and 0) are mirrored first, so `old` moves to 0.
    expect(order({ targets, live })).toEqual([
      'Sync/0 prune ConfigMap/old',
      'Sync/7 ConfigMap/a',
      'Sync/8 prune ConfigMap/annotated',
      'PostSync/20 Job/post',
    ]);
    expect(order({ targets, live, syncOptions: ['PruneLast=true'] })).toEqual([
      'Sync/7 ConfigMap/a',
      'Sync/8 prune ConfigMap/annotated',
      'Sync/8 prune ConfigMap/old',
      'PostSync/20 Job/post',
    ]);
  });

  it('§10.5 PruneLast counts from wave 0 even when every Sync wave is negative', () => {
    expect(
      order({ targets: [cm('a', { wave: -4 })], live: [cm('gone')], syncOptions: ['PruneLast=true'] }),
    ).toEqual(['Sync/-4 ConfigMap/a', 'Sync/1 prune ConfigMap/gone']);
  });
});
