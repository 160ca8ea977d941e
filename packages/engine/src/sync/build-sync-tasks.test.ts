import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.ts';
import { HOOK_FINALIZER } from './hook-types.ts';
import { planSyncTasks, syncStep } from './sync-step.ts';
import type { SyncTask } from './sync-task.ts';
import { cm, deploy, DEST, input, job, ns, obj, REVISION, scopeOf } from './__tests__/sync-fixtures.ts';
import type { InputOptions } from './__tests__/sync-fixtures.ts';

const plan = (options: InputOptions): readonly Readonly<SyncTask>[] => planSyncTasks(input(options));
const describeTask = (t: Readonly<SyncTask>): string =>
  `${t.phase}/${t.wave} ${t.target === undefined ? 'prune ' : ''}${t.kind}/${t.namespace}/${t.name}${t.live === undefined ? '' : ' +live'}`;
const shape = (options: InputOptions): string[] => plan(options).map(describeTask);

describe('task generation', () => {
  it('pairs targets with live objects by group, kind, namespace-or-destination and name', () => {
    const target = cm('a');
    const noNamespace = obj('v1', 'ConfigMap', 'b');
    const live = [cm('a', { uid: '1' }), cm('b', { uid: '2' }), cm('orphan', { uid: '3' })];
    expect(shape({ targets: [target, noNamespace], live })).toEqual([
      'Sync/0 ConfigMap/production/a +live',
      'Sync/0 ConfigMap/production/b +live',
      'Sync/0 prune ConfigMap/production/orphan +live',
    ]);
  });

  it('pairs cluster-scoped targets with namespace-less live objects, and checks both keys for unknown kinds', () => {
    const clusterRole = obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader', {
      namespace: 'ignored',
    });
    const widget = obj('example.com/v1', 'Widget', 'w');
    const live = [
      obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader'),
      obj('example.com/v1', 'Widget', 'w'),
    ];
    expect(
      shape({ targets: [clusterRole, widget], live, syncOptions: ['SkipDryRunOnMissingResource=true'] }),
    ).toEqual([
      // Targets lacking a namespace get the destination's, even cluster-scoped ones (upstream does the
      // same, so results carry it); a namespace declared on a cluster-scoped object is replaced too.
      'Sync/0 ClusterRole/production/reader +live',
      'Sync/0 Widget/production/w +live',
    ]);
  });

  it('prunes only managed live objects', () => {
    const live = [
      cm('mine'),
      cm('theirs'),
      obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'w.example.com'),
    ];
    expect(shape({ live, managed: [cm('mine')] })).toEqual(['Sync/0 prune ConfigMap/production/mine +live']);
  });

  it('§10.13 never prunes CRDs or owned objects, which are not in the managed set', () => {
    const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com');
    const pod = obj('v1', 'Pod', 'web-abc', { namespace: DEST });
    // The caller computes "managed": tracking says this app and no ownerReferences. CRDs carry no
    // tracking (the repo server never stamps them), owned Pods have owners, so neither is passed.
    expect(shape({ live: [crd, pod], managed: [] })).toEqual([]);
  });

  it('collapses live duplicates sharing a UID, keeping the one that has a target', () => {
    const apps = deploy('web', { uid: 'u1' });
    const extensions = obj('extensions/v1beta1', 'Deployment', 'web', { namespace: DEST, uid: 'u1' });
    expect(shape({ targets: [deploy('web')], live: [extensions, apps] })).toEqual([
      'Sync/0 Deployment/production/web +live',
    ]);
    // Without a target, one copy is left and becomes the prune.
    expect(shape({ live: [extensions, apps] })).toHaveLength(1);
  });

  it('§10.14 a repeated manifest: the last one wins', () => {
    const first = cm('dup', { wave: 1 });
    const second = cm('dup', { wave: 5 });
    expect(shape({ targets: [first, second] })).toEqual(['Sync/5 ConfigMap/production/dup']);
  });

  it('drops unrecognised hooks entirely: no task, and their live copy is left alone', () => {
    const garbage = job('g', { hook: 'Garbage' });
    const helmTest = job('t', { annotations: { 'helm.sh/hook': 'test' } });
    expect(shape({ targets: [garbage, helmTest], live: [job('g', { hook: 'Garbage' })] })).toEqual([]);
  });

  it('makes no task for Skip, but does not prune its live object either', () => {
    expect(shape({ targets: [cm('s', { hook: 'Skip' })], live: [cm('s')] })).toEqual([]);
  });

  it('never turns live hooks into tasks, so they are never pruned', () => {
    expect(shape({ live: [job('old-hook', { hook: 'PreSync' })] })).toEqual([]);
  });

  it('makes one task per hook phase, naming generateName hooks after revision, phase and start', () => {
    const named = job('migrate', { hook: 'PreSync,PostSync' });
    const generated = job('', { hook: 'Sync', generateName: 'smoke-' });
    const tasks = plan({ targets: [named, generated] });
    expect(tasks.map(describeTask)).toEqual([
      'PreSync/0 Job/production/migrate',
      `Sync/0 Job/production/smoke-${REVISION.slice(0, 7)}-sync-1772359200`,
      'PostSync/0 Job/production/migrate',
    ]);
    for (const task of tasks) expect(task.target?.metadata?.finalizers).toEqual([HOOK_FINALIZER]);
    // The manifests themselves are not touched.
    expect(named.metadata?.finalizers).toBeUndefined();
  });

  it('uses a short revision as it is when naming hooks', () => {
    const generated = job('', { hook: 'PreSync', generateName: 'g-' });
    const tasks = planSyncTasks({
      ...input({ targets: [generated] }),
      state: { phase: 'Running', startedAt: '1970-01-01T00:00:10Z', syncResult: { revision: 'ABC' } },
    });
    expect(tasks[0]?.name).toBe('g-abc-presync-10');
  });

  it('finds the live copy of a hook from an earlier operation, if managed', () => {
    const hook = job('migrate', { hook: 'PreSync' });
    const leftover = job('migrate', { hook: 'PreSync', uid: 'x' });
    expect(shape({ targets: [hook], live: [leftover] })).toEqual(['PreSync/0 Job/production/migrate +live']);
    expect(shape({ targets: [hook], live: [leftover], managed: [] })).toEqual([
      'PreSync/0 Job/production/migrate',
    ]);
  });

  it.each([
    ['apply strategy (rollback)', { sync: { revision: REVISION, syncStrategy: { apply: {} } } }],
    [
      'selective sync (self-heal)',
      { sync: { revision: REVISION, resources: [{ kind: 'ConfigMap', name: 'a' }] } },
    ],
  ])('§10.8 runs no hooks for %s', (_name, operation) => {
    const targets = [cm('a'), job('migrate', { hook: 'PreSync' })];
    expect(shape({ targets, operation })).toEqual(['Sync/0 ConfigMap/production/a']);
  });

  it('selective sync keeps only the listed resources (namespace optional), prunes included', () => {
    const operation = {
      sync: {
        revision: REVISION,
        prune: true,
        resources: [
          { kind: 'ConfigMap', name: 'a' },
          { group: 'apps', kind: 'Deployment', name: 'web', namespace: 'elsewhere' },
          { kind: 'ConfigMap', name: 'gone', namespace: DEST },
        ],
      },
    };
    const targets = [cm('a'), cm('b'), deploy('web')];
    expect(shape({ targets, live: [cm('gone'), cm('other-gone')], operation })).toEqual([
      'Sync/0 ConfigMap/production/a',
      'Sync/0 prune ConfigMap/production/gone +live',
    ]);
  });

  describe('CreateNamespace', () => {
    const syncOptions = ['CreateNamespace=true'];
    it('adds a PreSync Namespace task when the destination namespace is missing', () => {
      const tasks = plan({ targets: [cm('a')], syncOptions });
      expect(tasks.map(describeTask)).toEqual([
        'PreSync/0 Namespace//production',
        'Sync/0 ConfigMap/production/a',
      ]);
      expect(tasks[0]?.target).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: DEST } });
    });

    it('adds nothing when the namespace exists and no metadata is managed, or when it is declared', () => {
      expect(shape({ targets: [cm('a')], live: [ns(DEST)], managed: [], syncOptions })).toEqual([
        'Sync/0 ConfigMap/production/a',
      ]);
      expect(shape({ targets: [ns(DEST, { wave: -1 }), cm('a')], syncOptions })).toEqual([
        'Sync/-1 Namespace/production/production',
        'Sync/0 ConfigMap/production/a',
      ]);
    });

    it('manages an existing namespace when managedNamespaceMetadata is set, through server-side apply', () => {
      const app = {
        spec: {
          destination: { namespace: DEST },
          syncPolicy: { managedNamespaceMetadata: { labels: { team: 'a' }, annotations: { note: 'x' } } },
        },
      };
      const tasks = plan({ targets: [cm('a')], live: [ns(DEST)], managed: [], syncOptions, app });
      expect(tasks.map(describeTask)).toEqual([
        'PreSync/0 Namespace//production +live',
        'Sync/0 ConfigMap/production/a',
      ]);
      expect(tasks[0]?.target?.metadata).toEqual({
        name: DEST,
        labels: { team: 'a' },
        annotations: { note: 'x', 'argocd.argoproj.io/sync-options': 'ServerSideApply=true' },
      });
    });
  });

  describe('validation', () => {
    const widget = obj('example.com/v1', 'Widget', 'w', { namespace: DEST });
    const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', {
      spec: { group: 'example.com', names: { kind: 'Widget' } },
    });
    const step = (options: InputOptions) => syncStep(input(options));

    it('fails the operation on a kind the cluster does not know', () => {
      const out = step({ targets: [widget, cm('a')] });
      expect(out.phase).toBe('Failed');
      expect(out.message).toBe('one or more synchronization tasks are not valid');
      expect(out.actions).toEqual([]);
      expect(out.results).toEqual([
        {
          group: 'example.com',
          version: 'v1',
          kind: 'Widget',
          namespace: DEST,
          name: 'w',
          syncPhase: 'Sync',
          status: 'SyncFailed',
          message:
            'The Kubernetes API could not find example.com/Widget for requested resource production/w. ' +
            'Make sure the "Widget" CRD is installed on the destination cluster.',
        },
      ]);
    });

    it.each([
      ['its CRD is among the targets', { targets: [crd, widget] }],
      [
        'the app says SkipDryRunOnMissingResource=true',
        { targets: [widget], syncOptions: ['SkipDryRunOnMissingResource=true'] },
      ],
      [
        'the resource says SkipDryRunOnMissingResource=true',
        {
          targets: [
            obj('example.com/v1', 'Widget', 'w', { syncOptions: 'SkipDryRunOnMissingResource=true' }),
          ],
        },
      ],
    ])('tolerates an unknown kind, without dry run, when %s', (_why, options: InputOptions) => {
      const out = step(options);
      expect(out.phase).toBe('Succeeded');
      const dryRun = out.actions.find((a) => a.type === 'dryRun');
      expect(dryRun?.type === 'dryRun' ? dryRun.items.map((i) => i.obj.kind) : []).not.toContain('Widget');
      expect(out.actions.some((a) => a.type === 'apply' && a.obj.kind === 'Widget')).toBe(true);
    });

    it('asks the project about every task, with the scope it found', () => {
      const asked: string[] = [];
      const out = step({
        targets: [cm('a'), obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r')],
        live: [cm('old')],
        permit: (o: KubeObject, namespaced: boolean) => {
          asked.push(`${o.kind}/${o.metadata?.name}:${namespaced}`);
          return o.kind === 'ClusterRole'
            ? 'resource rbac.authorization.k8s.io:ClusterRole is not permitted'
            : undefined;
        },
      });
      expect(asked.sort()).toEqual(['ClusterRole/r:false', 'ConfigMap/a:true', 'ConfigMap/old:true']);
      expect(out.phase).toBe('Failed');
      expect(out.results.map((r) => `${r.kind} ${r.status} ${r.message}`)).toEqual([
        'ClusterRole SyncFailed resource rbac.authorization.k8s.io:ClusterRole is not permitted',
      ]);
    });
  });

  it('scope lookups go through the injected discovery function', () => {
    expect(scopeOf('', 'ConfigMap')).toBe(true);
    expect(scopeOf('', 'Namespace')).toBe(false);
  });
});
