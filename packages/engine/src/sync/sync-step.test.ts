import type { ResourceResult } from '@capstan/crds';
import { describe, expect, it } from 'vitest';
import { groupOf } from '../types.ts';
import type { HealthStatus, HealthStatusCode, KubeObject } from '../types.ts';
import { HOOK_FINALIZER, HOOK_OPERATION_ANNOTATION } from './hook-types.ts';
import type { ApplyAction, DeleteAction } from './sync-actions.ts';
import { syncStep } from './sync-step.ts';
import type { SyncStepOutput } from './sync-step-types.ts';
import {
  cm,
  deploy,
  describeActions,
  DEST,
  drive,
  input,
  job,
  ns,
  obj,
  REVISION,
  SimulatedCluster,
  STARTED_AT,
  svc,
} from './__tests__/sync-fixtures.ts';
import type { InputOptions } from './__tests__/sync-fixtures.ts';

const step = (options: InputOptions): SyncStepOutput => syncStep(input(options));
const acts = (options: InputOptions): string[] => describeActions(step(options).actions);

/** A persisted result for `o` in `phase`, as an earlier step would have left it. */
function res(
  o: KubeObject,
  syncPhase: NonNullable<ResourceResult['syncPhase']>,
  outcome: Pick<ResourceResult, 'status' | 'hookPhase' | 'message'>,
): ResourceResult {
  const version = (o.apiVersion ?? '').split('/').pop() ?? '';
  const hookType =
    o.metadata?.annotations?.['argocd.argoproj.io/hook'] === undefined ? {} : { hookType: syncPhase };
  return {
    group: groupOf(o.apiVersion),
    version,
    kind: o.kind ?? '',
    namespace: o.metadata?.namespace ?? '',
    name: o.metadata?.name ?? '',
    syncPhase,
    ...hookType,
    ...outcome,
  };
}
const applied = { status: 'Synced', hookPhase: 'Running', message: 'applied' } as const;
const done = { status: 'Synced', hookPhase: 'Succeeded', message: 'done' } as const;
const healthOf =
  (statuses: Record<string, HealthStatusCode | 'none'>) =>
  (o: KubeObject): HealthStatus | undefined => {
    const status = statuses[o.metadata?.name ?? ''] ?? 'Healthy';
    return status === 'none' ? undefined : { status, message: `is ${status}` };
  };
const applies = (out: SyncStepOutput): ApplyAction[] =>
  out.actions.filter((a): a is ApplyAction => a.type === 'apply');
const deletes = (out: SyncStepOutput): DeleteAction[] =>
  out.actions.filter((a): a is DeleteAction => a.type === 'delete');

describe('syncStep', () => {
  describe('first step', () => {
    it('§10.12 dry-runs every task client-side once, never with server-side apply, then runs the first wave', () => {
      const targets = [cm('a', { wave: -1 }), deploy('web'), job('pre', { hook: 'PreSync' })];
      const out = step({ targets, syncOptions: ['ServerSideApply=true'] });
      expect(describeActions(out.actions)).toEqual([
        'dryRun Job/pre,ConfigMap/a,Deployment/web',
        'apply Job/pre #1',
        'sleep 2000',
      ]);
      const dryRun = out.actions[0];
      expect(
        dryRun?.type === 'dryRun' && dryRun.items.every((i) => i.options.dryRun && !i.options.serverSide),
      ).toBe(true);
      expect(applies(out)[0]?.options).toMatchObject({ dryRun: false, serverSide: true });
      // Dry-run outcomes are not recorded; only what was really applied is.
      expect(out.results.map((r) => r.name)).toEqual(['pre']);
    });

    it('§10.12 does not dry-run again once results exist', () => {
      const targets = [cm('a', { wave: -1 }), deploy('web')];
      const out = step({ targets, live: [cm('a')], results: [res(cm('a'), 'Sync', done)] });
      expect(describeActions(out.actions)).toEqual(['apply Deployment/web #1']);
    });

    it('leaves prunes and skip-dry-run tasks out of the dry run, and filters it with ApplyOutOfSyncOnly', () => {
      const widget = obj('example.com/v1', 'Widget', 'w', {
        namespace: DEST,
        syncOptions: 'SkipDryRunOnMissingResource=true',
      });
      const targets = [cm('same'), cm('changed'), widget];
      const live = [cm('same'), cm('changed'), cm('gone')];
      const modified = new Map([
        ['/ConfigMap/production/same', false],
        ['/ConfigMap/production/changed', true],
      ]);
      const out = step({ targets, live, modified, syncOptions: ['ApplyOutOfSyncOnly=true'] });
      expect(describeActions(out.actions)[0]).toBe('dryRun ConfigMap/changed');
    });

    it('creates the missing destination namespace for real before the dry run', () => {
      const out = step({ targets: [cm('a')], syncOptions: ['CreateNamespace=true'] });
      expect(describeActions(out.actions)).toEqual(['createNamespace production', 'dryRun ConfigMap/a']);
      expect(out.phase).toBe('Running');
      expect(out.message).toBe('waiting for healthy state of /Namespace/production');
      expect(out.results).toEqual([
        {
          group: '',
          version: 'v1',
          kind: 'Namespace',
          namespace: '',
          name: DEST,
          syncPhase: 'PreSync',
          status: 'Synced',
          hookPhase: 'Running',
          message: 'namespace/production created',
        },
      ]);
    });

    it('applies managed namespace metadata with server-side apply', () => {
      const app = {
        spec: {
          destination: { namespace: DEST },
          syncPolicy: { managedNamespaceMetadata: { labels: { a: 'b' } } },
        },
      };
      const out = step({ targets: [cm('a')], syncOptions: ['CreateNamespace=true'], app });
      const create = out.actions[0];
      expect(create?.type === 'createNamespace' && create.options).toMatchObject({
        verb: 'apply',
        serverSide: true,
      });
    });
  });

  describe('running tasks', () => {
    const hook = job('h', { hook: 'PreSync' });
    it.each([
      ['Healthy', 'Succeeded', 'is Healthy'],
      ['none', 'Succeeded', 'h created'],
      ['Progressing', 'Running', 'is Progressing'],
      ['Suspended', 'Running', 'is Suspended'],
      ['Degraded', 'Failed', 'is Degraded'],
      ['Unknown', 'Failed', 'is Unknown'],
    ] as const)('a hook whose live health is %s is %s', (health, phase, message) => {
      const out = step({
        targets: [hook, cm('later', { wave: 1 })],
        live: [job('h', { hook: 'PreSync' })],
        results: [res(hook, 'PreSync', applied)],
        health: healthOf({ h: health }),
      });
      expect(out.results[0]).toMatchObject({ hookPhase: phase, message });
    });

    it.each([
      ['Healthy', 'Succeeded'],
      ['none', 'Succeeded'],
      ['Degraded', 'Failed'],
      ['Progressing', 'Running'],
      ['Suspended', 'Running'],
      ['Unknown', 'Running'],
      ['Missing', 'Running'],
    ] as const)('a resource whose live health is %s is %s', (health, phase) => {
      const out = step({
        targets: [deploy('web'), cm('later', { wave: 1 })],
        live: [deploy('web')],
        results: [res(deploy('web'), 'Sync', applied)],
        health: healthOf({ web: health }),
      });
      expect(out.results[0]?.hookPhase).toBe(phase);
    });

    it('waits for a running hook even when the plan is a single step', () => {
      const out = step({
        targets: [job('h', { hook: 'Sync' })],
        live: [job('h', { hook: 'Sync' })],
        results: [res(job('h', { hook: 'Sync' }), 'Sync', applied)],
        health: healthOf({ h: 'Progressing' }),
      });
      expect(out).toMatchObject({
        phase: 'Running',
        message: 'waiting for completion of hook batch/Job/h',
        actions: [],
      });
    });

    it('§10.2 does not health-gate a single-wave plan: it succeeds as soon as everything is applied', () => {
      const out = step({ targets: [deploy('web'), svc('web')], health: healthOf({ web: 'Progressing' }) });
      expect(out.phase).toBe('Succeeded');
      expect(out.message).toBe('successfully synced (all tasks run)');
      expect(describeActions(out.actions)).toEqual([
        'dryRun Service/web,Deployment/web',
        'apply Service/web #1',
        'apply Deployment/web #2',
      ]);
    });

    it('§10.2 does not health-gate the final wave of a multi-wave plan either', () => {
      const targets = [cm('a', { wave: -1 }), deploy('web')];
      const out = step({ targets, live: [cm('a')], results: [res(cm('a'), 'Sync', done)] });
      expect(out.phase).toBe('Succeeded');
      expect(describeActions(out.actions)).toEqual(['apply Deployment/web #1']);
    });

    it('§10.2 holds later waves while an earlier one is not Healthy; Suspended hangs', () => {
      const targets = [deploy('web'), cm('later', { wave: 1 })];
      const out = step({
        targets,
        live: [deploy('web')],
        results: [res(deploy('web'), 'Sync', applied)],
        health: healthOf({ web: 'Suspended' }),
      });
      expect(out).toMatchObject({
        phase: 'Running',
        message: 'waiting for healthy state of apps/Deployment/web',
        actions: [],
      });
    });

    it('counts the running tasks in the waiting message', () => {
      const targets = [deploy('a'), deploy('b'), job('h', { hook: 'Sync' }), cm('later', { wave: 1 })];
      const live = [deploy('a'), deploy('b'), job('h', { hook: 'Sync' })];
      const results = [
        res(deploy('a'), 'Sync', applied),
        res(deploy('b'), 'Sync', applied),
        res(live[2] as KubeObject, 'Sync', applied),
      ];
      const out = step({ targets, live, results, health: () => ({ status: 'Progressing' }) });
      expect(out.message).toBe('waiting for completion of hook batch/Job/h and 2 more resources');
    });

    it('fails a running task whose live object vanished, and still waits this step', () => {
      const targets = [deploy('web'), cm('later', { wave: 1 })];
      const out = step({ targets, live: [], results: [res(deploy('web'), 'Sync', applied)] });
      expect(out.phase).toBe('Running');
      expect(out.results[0]).toMatchObject({
        status: 'SyncFailed',
        hookPhase: 'Error',
        message: 'Resource apps/Deployment/web is missing, it might have been deleted',
      });
      const next = step({ targets, live: [], results: out.results });
      expect(next.phase).toBe('Failed');
      expect(next.message).toBe(
        'one or more synchronization tasks completed unsuccessfully, reason: Resource apps/Deployment/web is missing, it might have been deleted',
      );
    });

    it('strips the hook finalizer from completed hooks', () => {
      const hook = job('h', { hook: 'PreSync' });
      const live = job('h', { hook: 'PreSync', finalizers: ['keep-me', HOOK_FINALIZER] });
      const out = step({ targets: [hook, cm('a')], live: [live], results: [res(hook, 'PreSync', applied)] });
      expect(describeActions(out.actions)).toEqual([
        'stripFinalizer(completedHook) Job/h',
        'apply ConfigMap/a #1',
      ]);
    });
  });

  describe('SyncFail path', () => {
    const failed = { status: 'Synced', hookPhase: 'Failed', message: 'is Degraded' } as const;
    it('ends Failed at once without SyncFail hooks, giving apply errors as the reason', () => {
      const out = step({
        targets: [deploy('web'), cm('a')],
        live: [deploy('web')],
        results: [
          res(deploy('web'), 'Sync', { status: 'SyncFailed', hookPhase: 'Failed', message: 'boom' }),
          res(cm('a'), 'Sync', failed),
        ],
        message: 'one or more objects failed to apply, reason: boom',
      });
      expect(out.phase).toBe('Failed');
      expect(out.message).toBe('one or more objects failed to apply, reason: boom');
    });

    it('runs the SyncFail hooks, waits for them, then ends Failed', () => {
      const notify = job('notify', { hook: 'SyncFail' });
      const targets = [deploy('web'), notify];
      const first = step({ targets, live: [deploy('web')], results: [res(deploy('web'), 'Sync', failed)] });
      expect(describeActions(first.actions)).toEqual(['apply Job/notify #1']);
      expect(first).toMatchObject({
        phase: 'Running',
        message: 'waiting for completion of hook batch/Job/notify',
      });
      const second = step({
        targets,
        live: [deploy('web'), job('notify', { hook: 'SyncFail' })],
        results: first.results,
      });
      expect(second.phase).toBe('Failed');
      expect(second.message).toBe('one or more synchronization tasks completed unsuccessfully');
    });

    it('reports SyncFail hooks that failed to apply', () => {
      const notify = job('notify', { hook: 'SyncFail' });
      const out = step({
        targets: [deploy('web'), notify],
        live: [deploy('web')],
        results: [
          res(deploy('web'), 'Sync', failed),
          res(notify, 'SyncFail', { status: 'SyncFailed', hookPhase: 'Failed', message: 'forbidden' }),
        ],
      });
      expect(out.message).toBe(
        'one or more synchronization tasks completed unsuccessfully\none or more SyncFail hooks failed, reason: forbidden',
      );
    });

    it('deletes finished HookFailed hooks on the failure path, not HookSucceeded ones', () => {
      const onFail = job('on-fail', { hook: 'PreSync', deletePolicy: 'HookFailed' });
      const onOk = job('on-ok', { hook: 'PreSync', deletePolicy: 'HookSucceeded' });
      const out = step({
        targets: [onFail, onOk, deploy('web')],
        live: [onFail, onOk, deploy('web')],
        results: [
          res(onFail, 'PreSync', done),
          res(onOk, 'PreSync', done),
          res(deploy('web'), 'Sync', failed),
        ],
        syncOptions: ['PrunePropagationPolicy=background'],
      });
      expect(describeActions(out.actions)).toEqual(['delete(hookFailed) Job/on-fail']);
      expect(deletes(out)[0]?.propagationPolicy).toBe('background');
      expect(out.phase).toBe('Failed');
    });
  });

  describe('hooks', () => {
    it('§10.7 deletes HookSucceeded hooks when the operation succeeds, not when the hook does', () => {
      const hook = job('pre', { hook: 'PreSync', deletePolicy: 'HookSucceeded' });
      const targets = [hook, cm('a'), cm('b', { wave: 1 })];
      const middle = step({ targets, live: [hook], results: [res(hook, 'PreSync', applied)] });
      expect(middle.results[0]?.hookPhase).toBe('Succeeded');
      expect(deletes(middle)).toEqual([]);
      const last = step({
        targets,
        live: [hook, cm('a')],
        results: [res(hook, 'PreSync', done), res(cm('a'), 'Sync', done)],
      });
      expect(describeActions(last.actions)).toEqual([
        'apply ConfigMap/b #1',
        'delete(hookSucceeded) Job/pre',
      ]);
      expect(last.phase).toBe('Succeeded');
    });

    it('deletes the live copy of a BeforeHookCreation hook first and waits for it to go', () => {
      const hook = job('migrate', { hook: 'PreSync' });
      const leftover = job('migrate', { hook: 'PreSync', finalizers: [HOOK_FINALIZER] });
      const out = step({ targets: [hook, cm('a')], live: [leftover], results: [res(cm('x'), 'Sync', done)] });
      expect(describeActions(out.actions)).toEqual([
        'stripFinalizer(pendingHook) Job/migrate',
        'delete(beforeHookCreation) Job/migrate',
        'sleep 2000',
      ]);
      expect(out).toMatchObject({
        phase: 'Running',
        message: 'waiting for deletion of hook batch/Job/migrate',
      });
      const next = step({ targets: [hook, cm('a')], live: [], results: out.results });
      expect(describeActions(next.actions)).toEqual(['apply Job/migrate #1', 'sleep 2000']);
    });

    it('§10.6 BeforeHookCreation does nothing for generateName hooks: each operation gets a new name', () => {
      const hook = job('', { hook: 'PreSync', generateName: 'migrate-' });
      const fromLastRun = job(`migrate-${REVISION.slice(0, 7)}-presync-1000`, { hook: 'PreSync' });
      const out = step({
        targets: [hook, cm('a')],
        live: [fromLastRun],
        results: [res(cm('x'), 'Sync', done)],
      });
      expect(describeActions(out.actions)).toEqual([
        `apply Job/migrate-${REVISION.slice(0, 7)}-presync-1772359200 #1`,
        'sleep 2000',
      ]);
    });

    const stamped = (o: KubeObject, stamp: string): KubeObject => ({
      ...o,
      metadata: {
        ...o.metadata,
        annotations: { ...o.metadata?.annotations, [HOOK_OPERATION_ANNOTATION]: stamp },
      },
    });

    it('stamps each hook with its operation and phase; a generated name also goes into the tracking id', () => {
      const hook = job('', { hook: 'PreSync', generateName: 'migrate-' });
      hook.metadata = {
        ...hook.metadata,
        annotations: {
          ...hook.metadata?.annotations,
          'argocd.argoproj.io/tracking-id': 'app:batch/Job:prod/',
        },
      };
      const out = step({ targets: [hook, cm('a')], results: [res(cm('x'), 'Sync', done)] });
      const name = `migrate-${REVISION.slice(0, 7)}-presync-1772359200`;
      const applied = applies(out).find((a) => a.obj.metadata?.name === name);
      expect(applied?.obj.metadata?.annotations).toMatchObject({
        [HOOK_OPERATION_ANNOTATION]: '1772359200/PreSync',
        'argocd.argoproj.io/tracking-id': `app:batch/Job:prod/${name}`,
      });
    });

    it('adopts a hook this operation created in a step that died before recording it: no second Job', () => {
      const hook = job('migrate', { hook: 'PreSync' });
      const created = stamped(hook, '1772359200/PreSync');
      const out = step({ targets: [hook, cm('a')], live: [created], results: [res(cm('x'), 'Sync', done)] });
      expect(deletes(out)).toEqual([]);
      expect(applies(out).map((a) => a.obj.metadata?.name)).not.toContain('migrate');
      expect(out.results.find((r) => r.name === 'migrate')?.status).toBe('Synced');
    });

    it('adopts a generateName hook of this operation by the same stamp', () => {
      const hook = job('', { hook: 'PreSync', generateName: 'migrate-' });
      const name = `migrate-${REVISION.slice(0, 7)}-presync-1772359200`;
      const created = stamped(job(name, { hook: 'PreSync' }), '1772359200/PreSync');
      const out = step({ targets: [hook, cm('a')], live: [created], results: [res(cm('x'), 'Sync', done)] });
      expect(applies(out).map((a) => a.obj.metadata?.name)).not.toContain(name);
      expect(out.results.find((r) => r.name === name)?.status).toBe('Synced');
    });

    it('still re-creates a hook stamped by another operation, or by another phase of this one', () => {
      const hook = job('migrate', { hook: 'PreSync' });
      for (const stamp of ['1772359199/PreSync', '1772359200/PostSync']) {
        const out = step({
          targets: [hook, cm('a')],
          live: [stamped(hook, stamp)],
          results: [res(cm('x'), 'Sync', done)],
        });
        expect(describeActions(out.actions), stamp).toContain('delete(beforeHookCreation) Job/migrate');
      }
    });

    it('keeps a hook from earlier in this operation: it is not pending, so it is neither deleted nor re-created', () => {
      const hook = job('migrate', { hook: 'PreSync' });
      const out = step({ targets: [hook, cm('a')], live: [hook], results: [res(hook, 'PreSync', done)] });
      expect(describeActions(out.actions)).toEqual(['apply ConfigMap/a #1']);
    });
  });

  describe('pruning', () => {
    const pruned = (out: SyncStepOutput) =>
      out.results.map((r) => `${r.name} ${r.status} ${r.hookPhase} ${r.message}`);
    const started = [res(cm('x'), 'Sync', done)];

    it('deletes managed leftovers with foreground propagation by default, before the wave applies', () => {
      const out = step({ targets: [cm('a')], live: [cm('old')], results: started });
      expect(describeActions(out.actions)).toEqual(['delete(prune) ConfigMap/old', 'apply ConfigMap/a #1']);
      expect(deletes(out)[0]?.propagationPolicy).toBe('foreground');
      expect(pruned(out)).toContain('old Pruned Succeeded pruned');
    });

    it('only reports prunes when the operation does not prune', () => {
      const out = step({ live: [cm('old')], results: started, prune: false });
      expect(out.actions).toEqual([]);
      expect(pruned(out)).toContain('old PruneSkipped Succeeded ignored (requires pruning)');
      expect(out.phase).toBe('Succeeded');
    });

    it.each([
      [[], 'Prune=false', 'old PruneSkipped Succeeded ignored (no prune)'],
      [['Prune=false'], undefined, 'old PruneSkipped Succeeded ignored (no prune)'],
      [['Prune=false'], 'Prune=true', 'old Pruned Succeeded pruned'],
    ] as const)('§10.17 app options %j with live annotation %j → %s', (syncOptions, annotation, want) => {
      const live = cm('old', annotation === undefined ? {} : { syncOptions: annotation });
      expect(pruned(step({ live: [live], results: started, syncOptions: [...syncOptions] }))).toContain(want);
    });

    it('§10.18 waits for deletion-approved at or after the operation start before a Prune=confirm prune', () => {
      const live = [
        cm('old', { syncOptions: 'Prune=confirm' }),
        cm('old2', { syncOptions: 'Prune=confirm' }),
      ];
      const approved = (at: string) => ({
        metadata: { annotations: { 'argocd.argoproj.io/deletion-approved': at } },
        spec: { destination: { namespace: DEST } },
      });
      const waiting = step({ targets: [cm('a')], live, results: started });
      expect(waiting).toMatchObject({
        phase: 'Running',
        message: 'waiting for pruning confirmation of /ConfigMap/old and 1 more resources',
      });
      // Nothing in the group is deleted or applied while one prune awaits confirmation.
      expect(waiting.actions).toEqual([]);
      const stale = step({
        targets: [cm('a')],
        live,
        results: started,
        app: approved('2026-03-01T09:59:59Z'),
      });
      expect(stale.message).toMatch(/^waiting for pruning confirmation/);
      const fresh = step({ targets: [cm('a')], live, results: started, app: approved(STARTED_AT) });
      expect(describeActions(fresh.actions)).toEqual([
        'delete(prune) ConfigMap/old',
        'delete(prune) ConfigMap/old2',
        'apply ConfigMap/a #1',
      ]);
    });

    it('reports an object already being deleted as pruned without deleting it again, and waits for it', () => {
      const terminating = cm('old', { deletionTimestamp: '2026-03-01T10:01:00Z' });
      const out = step({ targets: [cm('a', { wave: 1 })], live: [terminating], results: started });
      expect(describeActions(out.actions)).toEqual(['sleep 2000']);
      expect(pruned(out)).toContain('old Pruned Succeeded pruned');
      const next = step({ targets: [cm('a', { wave: 1 })], live: [terminating], results: out.results });
      expect(next).toMatchObject({
        phase: 'Running',
        message: 'waiting for deletion of /ConfigMap/old',
        actions: [],
      });
    });

    it('§10.5 prunes the later waves first and PruneLast ones after every Sync wave', async () => {
      const cluster = new SimulatedCluster().add(
        cm('gone-early', { wave: -1 }),
        cm('gone-late', { wave: 3 }),
        cm('gone-last', { syncOptions: 'PruneLast=true' }),
      );
      const run = await drive({ cluster, targets: [cm('a', { wave: -1 }), cm('b', { wave: 3 })] });
      expect(run.steps.map((s) => describeActions(s.actions).filter((a) => !a.startsWith('dryRun')))).toEqual(
        [
          // Prune waves {-1, 0, 3} mirror to {3, 0, -1}: what was created last goes first, in wave -1;
          // gone-last (PruneLast) moves to the last Sync wave + 1 = 4.
          ['delete(prune) ConfigMap/gone-late', 'apply ConfigMap/a #1', 'sleep 2000'],
          // Tasks are rebuilt every step, so the mirror is taken again over the prunes still left:
          // {-1, 0} → gone-early now lands in wave 0, ahead of b's wave 3.
          ['delete(prune) ConfigMap/gone-early', 'sleep 2000'],
          ['apply ConfigMap/b #1', 'sleep 2000'],
          ['delete(prune) ConfigMap/gone-last'],
        ],
      );
      expect(run.final.phase).toBe('Succeeded');
      expect(cluster.objects.size).toBe(2);
    });
  });

  describe('apply options (§3)', () => {
    const optionsOf = (options: InputOptions) =>
      applies(step({ results: [res(cm('x'), 'Sync', done)], ...options }))[0]?.options;

    const a = cm('a');
    it.each<{ name: string; options?: InputOptions; target?: KubeObject; live?: KubeObject; want: object }>([
      {
        name: 'plain apply',
        want: { verb: 'apply', serverSide: false, force: false, replace: false, validate: true },
      },
      {
        name: 'app ServerSideApply',
        options: { syncOptions: ['ServerSideApply=true'] },
        want: { serverSide: true },
      },
      {
        name: 'resource ServerSideApply=true',
        target: cm('a', { syncOptions: 'ServerSideApply=true' }),
        want: { serverSide: true },
      },
      {
        name: 'resource ServerSideApply=false beats the app',
        options: { syncOptions: ['ServerSideApply=true'] },
        target: cm('a', { syncOptions: 'ServerSideApply=false' }),
        want: { serverSide: false },
      },
      {
        name: 'Replace beats SSA; creates when absent',
        options: { syncOptions: ['Replace=true', 'ServerSideApply=true'] },
        want: { verb: 'create', serverSide: false, replace: true },
      },
      {
        name: 'Replace on the target, present',
        target: cm('a', { syncOptions: 'Replace=true' }),
        live: a,
        want: { verb: 'replace' },
      },
      {
        name: 'Replace on the live object',
        live: cm('a', { syncOptions: 'Replace=true' }),
        want: { verb: 'replace' },
      },
      { name: 'Force on the target', target: cm('a', { syncOptions: 'Force=true' }), want: { force: true } },
      {
        name: 'Force on the live object',
        live: cm('a', { syncOptions: 'Force=true' }),
        want: { force: true },
      },
      { name: 'app Validate=false', options: { syncOptions: ['Validate=false'] }, want: { validate: false } },
      {
        name: 'resource Validate=false',
        target: cm('a', { syncOptions: 'Validate=false' }),
        want: { validate: false },
      },
    ])('$name', ({ options, target, live, want }) => {
      expect(
        optionsOf({ ...options, targets: [target ?? a], live: live === undefined ? [] : [live] }),
      ).toMatchObject(want);
    });

    it('takes force from the sync strategy', () => {
      const operation = { sync: { revision: REVISION, syncStrategy: { hook: { force: true } } } };
      expect(optionsOf({ targets: [cm('a')], operation })).toMatchObject({ force: true });
      const rollback = { sync: { revision: REVISION, syncStrategy: { apply: { force: true } } } };
      expect(optionsOf({ targets: [cm('a')], operation: rollback })).toMatchObject({ force: true });
    });

    it('replaces CRDs and Namespaces with a plain update carrying the live resourceVersion', () => {
      const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'w.example.com', {
        syncOptions: 'Replace=true',
      });
      const live = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'w.example.com', {
        resourceVersion: '42',
      });
      const out = step({ targets: [crd], live: [live], results: [res(cm('x'), 'Sync', done)] });
      expect(applies(out)[0]?.options.verb).toBe('update');
      expect(applies(out)[0]?.obj.metadata?.resourceVersion).toBe('42');
      expect(describeActions(out.actions)).toEqual([
        'apply CustomResourceDefinition/w.example.com #1',
        'waitForEstablished w.example.com',
      ]);
      const nsOut = step({
        targets: [ns('team', { syncOptions: 'Replace=true' })],
        live: [ns('team')],
        results: [res(cm('x'), 'Sync', done)],
      });
      expect(applies(nsOut)[0]?.options.verb).toBe('update');
    });

    it('migrates fields owned by client-side apply before a server-side apply, unless disabled', () => {
      const managedFields = [{ manager: 'kubectl-client-side-apply', operation: 'Update' }];
      const live = cm('a', { managedFields });
      expect(
        optionsOf({ targets: [cm('a')], live: [live], syncOptions: ['ServerSideApply=true'] }),
      ).toMatchObject({
        migrateClientSideApply: true,
      });
      expect(
        optionsOf({
          targets: [cm('a')],
          live: [live],
          syncOptions: ['ServerSideApply=true', 'ClientSideApplyMigration=false'],
        }),
      ).toMatchObject({ migrateClientSideApply: false });
    });

    it('writes cluster-scoped objects without the namespace their result carries', () => {
      const out = step({
        targets: [obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r')],
        results: [res(cm('x'), 'Sync', done)],
      });
      expect(applies(out)[0]?.obj.metadata?.namespace).toBeUndefined();
      expect(out.results[1]).toMatchObject({ kind: 'ClusterRole', namespace: DEST });
    });

    it('batches consecutive tasks of one kind and waits for applied CRDs to be Established', () => {
      const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'w.example.com', {
        spec: { group: 'example.com', names: { kind: 'Widget' } },
      });
      const widget = obj('example.com/v1', 'Widget', 'w', { namespace: DEST });
      const out = step({
        targets: [cm('a'), cm('b'), svc('s'), crd, widget],
        results: [res(cm('x'), 'Sync', done)],
      });
      expect(describeActions(out.actions)).toEqual([
        'apply ConfigMap/a #1',
        'apply ConfigMap/b #1',
        'apply CustomResourceDefinition/w.example.com #2',
        'waitForEstablished w.example.com',
        'apply Service/s #3',
        'apply Widget/w #4',
      ]);
    });

    it('pauses for the configured wave delay', () => {
      const targets = [cm('a'), cm('b', { wave: 1 })];
      expect(acts({ targets, results: [res(cm('x'), 'Sync', done)], settings: { waveDelayMs: 50 } })).toEqual(
        ['apply ConfigMap/a #1', 'sleep 50'],
      );
    });
  });

  describe('ApplyOutOfSyncOnly', () => {
    it('skips resources whose diff found nothing, but still runs hooks', () => {
      const targets = [cm('same'), cm('changed'), cm('new'), job('post', { hook: 'PostSync' })];
      const live = [cm('same'), cm('changed')];
      const modified = new Map([
        ['/ConfigMap/production/same', false],
        ['/ConfigMap/production/changed', true],
      ]);
      const out = step({
        targets,
        live,
        modified,
        syncOptions: ['ApplyOutOfSyncOnly=true'],
        results: [res(cm('x'), 'Sync', done)],
      });
      expect(describeActions(out.actions)).toEqual([
        'apply ConfigMap/changed #1',
        'apply ConfigMap/new #1',
        'sleep 2000',
      ]);
      const last = step({
        targets,
        live: [...live, cm('new')],
        modified,
        syncOptions: ['ApplyOutOfSyncOnly=true'],
        results: out.results,
      });
      expect(describeActions(last.actions)).toEqual(['apply Job/post #1']);
    });
  });

  describe('operation kinds', () => {
    it('runs a dry-run operation as one client-side dry run whose results are all Succeeded', () => {
      const operation = { sync: { revision: REVISION, prune: true, dryRun: true } };
      const hook = job('pre', { hook: 'PreSync', deletePolicy: 'HookSucceeded' });
      const out = step({ targets: [cm('a', { wave: 2 }), hook], live: [cm('old'), hook], operation });
      expect(describeActions(out.actions)).toEqual(['dryRun Job/pre,ConfigMap/a']);
      expect(out.phase).toBe('Succeeded');
      expect(out.message).toBe('successfully synced (no more tasks)');
      expect(out.results.map((r) => `${r.name} ${r.status} ${r.hookPhase} ${r.message}`)).toEqual([
        'old Pruned Succeeded pruned (dry run)',
        'pre Synced Succeeded job.batch/pre configured (dry run)',
        'a Synced Succeeded configmap/a created (dry run)',
      ]);
    });

    it('runs no hooks under the apply strategy (rollback)', () => {
      const operation = { sync: { revision: REVISION, syncStrategy: { apply: {} } } };
      const out = step({ targets: [cm('a'), job('pre', { hook: 'PreSync' })], operation });
      expect(describeActions(out.actions)).toEqual(['dryRun ConfigMap/a', 'apply ConfigMap/a #1']);
    });

    it('ends in Error without a sync operation, and on comparison or spec errors', () => {
      expect(step({ operation: {} })).toMatchObject({
        phase: 'Error',
        message: 'Invalid operation request: no operation specified',
      });
      const app = {
        spec: { destination: { namespace: DEST } },
        status: {
          conditions: [
            { type: 'ComparisonError', message: 'repo down' },
            { type: 'InvalidSpecError', message: 'bad' },
          ],
        },
      };
      expect(step({ targets: [cm('a')], app })).toMatchObject({
        phase: 'Error',
        message: 'ComparisonError: repo down;InvalidSpecError: bad',
        actions: [],
      });
    });

    it('fails with FailOnSharedResource when another app tracks one of our objects', () => {
      const app = {
        spec: { destination: { namespace: DEST } },
        status: {
          conditions: [{ type: 'SharedResourceWarning', message: 'ConfigMap/a is part of other-app' }],
        },
      };
      expect(step({ targets: [cm('a')], app, syncOptions: ['FailOnSharedResource=true'] })).toMatchObject({
        phase: 'Failed',
        message: 'Shared resource found: ConfigMap/a is part of other-app',
      });
      expect(step({ targets: [cm('a')], app }).phase).toBe('Succeeded');
    });
  });

  describe('termination', () => {
    const hook = job('h', { hook: 'PreSync', deletePolicy: 'HookFailed' });
    const withFinalizer = job('h', {
      hook: 'PreSync',
      deletePolicy: 'HookFailed',
      finalizers: [HOOK_FINALIZER],
    });

    it('strips and deletes a running hook, and ends Failed "Operation terminated"', () => {
      const out = step({
        targets: [hook, cm('a')],
        live: [withFinalizer],
        results: [res(hook, 'PreSync', applied)],
        phase: 'Terminating',
        health: () => ({ status: 'Progressing' }),
      });
      expect(describeActions(out.actions)).toEqual([
        'stripFinalizer(terminate) Job/h',
        'delete(terminate) Job/h',
      ]);
      expect(out).toMatchObject({ phase: 'Failed', message: 'Operation terminated' });
      expect(out.results[0]).toMatchObject({ hookPhase: 'Failed', message: 'Terminated' });
    });

    it('records a hook that finished meanwhile as it finished, deleting it only for HookFailed', () => {
      const out = step({
        targets: [hook],
        live: [withFinalizer],
        results: [res(hook, 'PreSync', applied)],
        phase: 'Terminating',
        health: () => ({ status: 'Degraded', message: 'BackoffLimitExceeded' }),
      });
      expect(describeActions(out.actions)).toEqual([
        'stripFinalizer(terminate) Job/h',
        'delete(terminate) Job/h',
      ]);
      expect(out.results[0]).toMatchObject({ hookPhase: 'Failed', message: 'BackoffLimitExceeded' });
    });

    it('strips finalizers of completed hooks and calls a vanished running hook terminated', () => {
      const other = job('other', { hook: 'Sync' });
      const out = step({
        targets: [hook, other],
        live: [job('other', { hook: 'Sync', finalizers: [HOOK_FINALIZER] })],
        results: [res(hook, 'PreSync', applied), res(other, 'Sync', done)],
        phase: 'Terminating',
      });
      expect(describeActions(out.actions)).toEqual(['stripFinalizer(terminate) Job/other']);
      expect(out.results[0]).toMatchObject({ hookPhase: 'Succeeded', message: 'Terminated' });
    });

    it('terminates an operation that outlived the sync timeout', () => {
      const out = step({
        targets: [hook, cm('a')],
        live: [withFinalizer],
        results: [res(hook, 'PreSync', applied)],
        health: () => ({ status: 'Progressing' }),
        settings: { syncTimeoutMs: 60_000 },
        now: new Date('2026-03-01T10:01:01Z'),
      });
      expect(out).toMatchObject({ phase: 'Failed', message: 'Operation terminated' });
    });
  });

  describe('§10.1 resumable state machine', () => {
    it('gives the same next step from persisted results in any process: tasks are rebuilt every time', () => {
      const targets = [cm('a', { wave: -1 }), deploy('web'), job('post', { hook: 'PostSync' })];
      const first = step({ targets });
      expect(describeActions(first.actions)).toEqual([
        'dryRun ConfigMap/a,Deployment/web,Job/post',
        'apply ConfigMap/a #1',
        'sleep 2000',
      ]);
      // Only what Kubernetes stores survives: the results as JSON, the manifests, the live state.
      const persisted = JSON.parse(JSON.stringify(first.results)) as ResourceResult[];
      const live = [cm('a')];
      const resumed = step({ targets, live, results: persisted });
      expect(describeActions(resumed.actions)).toEqual(['apply Deployment/web #1', 'sleep 2000']);
      // Planning is a function of that state alone: asking twice gives the same answer.
      expect(step({ targets, live, results: persisted })).toEqual(resumed);
      // A manifest change between steps is picked up, because nothing about the plan is remembered.
      const changed = step({ targets: [...targets, deploy('api')], live, results: persisted });
      expect(describeActions(changed.actions)).toEqual([
        'apply Deployment/api #1',
        'apply Deployment/web #1',
        'sleep 2000',
      ]);
    });

    it('keeps results for tasks that no longer exist and records new ones after them', () => {
      const gone = res(cm('removed-from-git'), 'Sync', done);
      const out = step({ targets: [cm('a'), cm('b', { wave: 1 })], live: [], results: [gone] });
      expect(out.results.map((r) => r.name)).toEqual(['removed-from-git', 'a']);
    });
  });
});
