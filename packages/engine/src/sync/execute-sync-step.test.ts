import type { ResourceResult } from '@capstan/crds';
import { describe, expect, it } from 'vitest';
import { executeSyncStep } from './execute-sync-step.ts';
import type { SyncActionOutcome } from './execute-sync-step.ts';
import { HOOK_FINALIZER } from './hook-types.ts';
import type { SyncAction } from './sync-actions.ts';
import { syncStep } from './sync-step.ts';
import { cm, deploy, describeActions, input, job } from './__tests__/sync-fixtures.ts';
import type { InputOptions } from './__tests__/sync-fixtures.ts';

/** Runs a step against a runner that fails the named actions (by `describeActions` text). */
async function execute(options: InputOptions, failing: Record<string, string>) {
  const step = syncStep(input(options));
  const ran: string[] = [];
  const done = await executeSyncStep({
    step,
    previous: options.results,
    run: async (action: SyncAction): Promise<SyncActionOutcome> => {
      const name = describeActions([action])[0] ?? '';
      ran.push(name);
      if (action.type === 'dryRun') {
        const failures = action.items
          .filter((i) => failing[`${i.obj.kind}/${i.obj.metadata?.name}`] !== undefined)
          .map((i) => ({ key: i.key, message: failing[`${i.obj.kind}/${i.obj.metadata?.name}`] ?? '' }));
        return failures.length > 0 ? { ok: false, message: 'invalid', failures } : { ok: true };
      }
      const error = failing[name];
      if (error !== undefined) return { ok: false, message: error };
      return action.type === 'apply'
        ? { ok: true, message: `${action.obj.kind}/${action.obj.metadata?.name} configured` }
        : { ok: true };
    },
  });
  return { step, done, ran };
}

const started: ResourceResult[] = [
  {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    namespace: 'production',
    name: 'x',
    syncPhase: 'Sync',
    status: 'Synced',
    hookPhase: 'Succeeded',
  },
];

describe('executeSyncStep', () => {
  it('records the applier message on success', async () => {
    const { done } = await execute({ targets: [cm('a')], results: started }, {});
    expect(done.results[1]).toMatchObject({
      name: 'a',
      status: 'Synced',
      hookPhase: 'Running',
      message: 'ConfigMap/a configured',
    });
    expect(done.phase).toBe('Succeeded');
  });

  it('on a failed apply runs the rest of the wave, skips the pause and hook deletion, and stays Running', async () => {
    const hook = job('pre', { hook: 'PreSync', deletePolicy: 'HookSucceeded' });
    const results: ResourceResult[] = [
      {
        group: 'batch',
        version: 'v1',
        kind: 'Job',
        namespace: 'production',
        name: 'pre',
        syncPhase: 'PreSync',
        hookType: 'PreSync',
        status: 'Synced',
        hookPhase: 'Succeeded',
      },
    ];
    const options = { targets: [hook, cm('a'), deploy('web')], live: [hook], results };
    const { step, done, ran } = await execute(options, {
      'apply ConfigMap/a #1': 'admission webhook denied',
    });
    expect(step.phase).toBe('Succeeded');
    expect(ran).toEqual(['apply ConfigMap/a #1', 'apply Deployment/web #2']);
    expect(done).toMatchObject({
      phase: 'Running',
      message: 'one or more objects failed to apply, reason: admission webhook denied',
    });
    expect(done.results.find((r) => r.name === 'a')).toMatchObject({
      status: 'SyncFailed',
      hookPhase: 'Failed',
      message: 'admission webhook denied',
    });
    // The next step takes the failure path and keeps the wording.
    const next = syncStep(
      input({ ...options, live: [hook, deploy('web')], results: done.results, message: done.message }),
    );
    expect(next.phase).toBe('Failed');
    expect(next.message).toBe('one or more objects failed to apply, reason: admission webhook denied');
  });

  it('fails the operation on a failed dry run, records the failures and undoes what never ran', async () => {
    const { done, ran } = await execute(
      { targets: [cm('a'), deploy('web')] },
      { 'Deployment/web': 'spec.replicas: Invalid value' },
    );
    expect(ran).toEqual(['dryRun ConfigMap/a,Deployment/web']);
    expect(done).toMatchObject({ phase: 'Failed', message: 'one or more objects failed to apply (dry run)' });
    expect(done.results).toEqual([
      expect.objectContaining({
        name: 'web',
        status: 'SyncFailed',
        hookPhase: 'Failed',
        message: 'spec.replicas: Invalid value',
      }),
    ]);
  });

  it('fails the operation when the namespace cannot be created', async () => {
    const { done, ran } = await execute(
      { targets: [cm('a')], syncOptions: ['CreateNamespace=true'] },
      { 'createNamespace production': 'forbidden' },
    );
    expect(ran).toEqual(['createNamespace production']);
    expect(done).toMatchObject({
      phase: 'Failed',
      message: 'the namespace failed to apply, reason: forbidden',
    });
    expect(done.results).toEqual([
      expect.objectContaining({ kind: 'Namespace', status: 'SyncFailed', hookPhase: 'Failed' }),
    ]);
  });

  it('stops the wave at a failed prune, after the other prunes of the wave', async () => {
    const options = { targets: [cm('a')], live: [cm('old'), cm('old2')], results: started };
    const { done, ran } = await execute(options, { 'delete(prune) ConfigMap/old': 'conflict' });
    expect(ran).toEqual(['delete(prune) ConfigMap/old', 'delete(prune) ConfigMap/old2']);
    expect(done).toMatchObject({
      phase: 'Running',
      message: 'one or more objects failed to apply, reason: conflict',
    });
    expect(done.results.map((r) => `${r.name} ${r.status} ${r.hookPhase}`)).toEqual([
      'x Synced Succeeded',
      'old SyncFailed Failed',
      'old2 Pruned Succeeded',
    ]);
    const next = syncStep(
      input({ ...options, live: [cm('old')], results: done.results, message: done.message }),
    );
    expect(next).toMatchObject({
      phase: 'Failed',
      message: 'one or more objects failed to apply, reason: conflict',
    });
  });

  it('stops when a hook to re-create cannot be deleted; the next step fails', async () => {
    const hook = job('migrate', { hook: 'PreSync' });
    const options = { targets: [hook, cm('a')], live: [hook], results: started };
    const { done } = await execute(options, { 'delete(beforeHookCreation) Job/migrate': 'timeout' });
    expect(done.results.find((r) => r.name === 'migrate')).toMatchObject({
      hookPhase: 'Error',
      message: 'failed to delete resource: timeout',
    });
    expect(done.phase).toBe('Running');
    expect(syncStep(input({ ...options, results: done.results, message: done.message })).phase).toBe(
      'Failed',
    );
  });

  it('records a failed hook deletion without changing the outcome', async () => {
    const hook = job('pre', { hook: 'PreSync', deletePolicy: 'HookSucceeded' });
    const results: ResourceResult[] = [
      {
        group: 'batch',
        version: 'v1',
        kind: 'Job',
        namespace: 'production',
        name: 'pre',
        syncPhase: 'PreSync',
        hookType: 'PreSync',
        status: 'Synced',
        hookPhase: 'Succeeded',
      },
    ];
    const { done } = await execute(
      { targets: [hook], live: [hook], results },
      { 'delete(hookSucceeded) Job/pre': 'gone wrong' },
    );
    expect(done).toMatchObject({ phase: 'Succeeded', message: 'successfully synced (no more tasks)' });
    expect(done.results[0]).toMatchObject({
      status: 'Synced',
      hookPhase: 'Error',
      message: 'failed to delete resource: gone wrong',
    });
  });

  it('turns a termination that could not clean up into Error', async () => {
    const hook = job('h', { hook: 'PreSync' });
    const live = job('h', { hook: 'PreSync', finalizers: [HOOK_FINALIZER] });
    const results: ResourceResult[] = [
      {
        group: 'batch',
        version: 'v1',
        kind: 'Job',
        namespace: 'production',
        name: 'h',
        syncPhase: 'PreSync',
        hookType: 'PreSync',
        status: 'Synced',
        hookPhase: 'Running',
      },
    ];
    const options = {
      targets: [hook],
      live: [live],
      results,
      phase: 'Terminating' as const,
      health: () => ({ status: 'Progressing' as const }),
    };
    const stripFails = await execute(options, { 'stripFinalizer(terminate) Job/h': 'conflict' });
    expect(stripFails.ran).toEqual(['stripFinalizer(terminate) Job/h']);
    expect(stripFails.done).toMatchObject({ phase: 'Error', message: 'Operation termination had errors' });
    const deleteFails = await execute(options, { 'delete(terminate) Job/h': 'forbidden' });
    expect(deleteFails.done).toMatchObject({ phase: 'Error', message: 'Operation termination had errors' });
    expect(deleteFails.done.results[0]).toMatchObject({
      hookPhase: 'Failed',
      message: 'Failed to delete: forbidden',
    });
  });

  it('ignores a CRD that is slow to be Established and a pause that is cut short', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'w.example.com' },
    };
    const { done } = await execute(
      { targets: [crd, cm('b', { wave: 1 })], results: started },
      {
        'waitForEstablished w.example.com': 'timed out',
        'sleep 2000': 'interrupted',
      },
    );
    expect(done.phase).toBe('Running');
    expect(done.message).toBe(
      'waiting for healthy state of apiextensions.k8s.io/CustomResourceDefinition/w.example.com',
    );
  });
});
