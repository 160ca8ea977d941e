// Acceptance: the seed article's sync-wave example (manifests 08–11) planned and run end to end.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseManifests } from '@capstan/crds';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.ts';
import { planSyncTasks } from './sync-step.ts';
import { describeActions, drive, input, SimulatedCluster } from './__tests__/sync-fixtures.ts';

const seedDir = fileURLToPath(new URL('../../../../test/seed/manifests/', import.meta.url));
const load = (file: string): KubeObject[] => parseManifests(readFileSync(seedDir + file, 'utf8'));

const targets: KubeObject[] = [
  ...load('08-sync-waves-my-app.yaml'),
  ...load('09-job-db-migration-presync.yaml'),
  ...load('10-job-smoke-test-postsync.yaml'),
  ...load('11-job-sync-fail-notification.yaml'),
];

describe('seed sync-wave example (08–11)', () => {
  it('§10.3 plans into the order Argo CD produces, with the Namespace hoisted into PreSync', () => {
    const plan = planSyncTasks(input({ targets })).map((t) => `${t.phase}/${t.wave} ${t.kind}/${t.name}`);
    expect(plan).toEqual([
      // The Namespace is declared in Sync wave -2, but sorting puts the PreSync migration Job (wave -1,
      // namespace production) first; hoisting then moves the Namespace in front of that Job and gives
      // it the Job's phase and wave, so the namespace exists before the first object that lives in it.
      'PreSync/-1 Namespace/production',
      'PreSync/-1 Job/db-migration',
      'Sync/-2 ServiceAccount/app-service-account',
      'Sync/-1 ConfigMap/app-config',
      // Same wave: Service ranks before Deployment in the kind order.
      'Sync/0 Service/my-app',
      'Sync/0 Deployment/my-app',
      'Sync/1 HorizontalPodAutoscaler/my-app-hpa',
      // A custom resource: it would sort after every known kind of its wave.
      'Sync/2 ServiceMonitor/my-app-monitor',
      // Hooks without a sync-wave are wave 0 of their phase.
      'PostSync/0 Job/smoke-test',
      // Only run on the failure path, but part of the plan (which makes every such plan multi-step).
      'SyncFail/0 Job/sync-fail-notification',
    ]);
  });

  it('§10.2 runs to Succeeded in 9 steps, pausing 2 s after every wave but the last', async () => {
    const cluster = new SimulatedCluster();
    const run = await drive({ cluster, targets });
    expect(run.final.phase).toBe('Succeeded');
    expect(run.final.message).toBe('successfully synced (no more tasks)');
    expect(run.steps.map((s) => describeActions(s.actions))).toEqual([
      // Step 1: the destination namespace is missing, so the declared Namespace is created for real
      // before the client-side dry run of everything else; the plan is multi-step, so the step waits
      // for the Namespace before anything else is applied.
      [
        'createNamespace production',
        'dryRun Job/db-migration,ServiceAccount/app-service-account,ConfigMap/app-config,Service/my-app,' +
          'Deployment/my-app,HorizontalPodAutoscaler/my-app-hpa,ServiceMonitor/my-app-monitor,Job/smoke-test,' +
          'Job/sync-fail-notification',
      ],
      ['apply Job/db-migration #1', 'sleep 2000'],
      [
        'stripFinalizer(completedHook) Job/db-migration',
        'apply ServiceAccount/app-service-account #1',
        'sleep 2000',
      ],
      ['apply ConfigMap/app-config #1', 'sleep 2000'],
      // Two kinds, so two batches: the Services go out before the Deployments, with no health wait.
      ['apply Service/my-app #1', 'apply Deployment/my-app #2', 'sleep 2000'],
      ['apply HorizontalPodAutoscaler/my-app-hpa #1', 'sleep 2000'],
      ['apply ServiceMonitor/my-app-monitor #1', 'sleep 2000'],
      // The final wave: no pause, but it holds a hook, so the operation waits for it.
      ['apply Job/smoke-test #1'],
      ['stripFinalizer(completedHook) Job/smoke-test'],
    ]);
    expect(run.steps.map((s) => s.message).slice(0, 3)).toEqual([
      'waiting for healthy state of /Namespace/production',
      'waiting for completion of hook batch/Job/db-migration',
      'waiting for healthy state of /ServiceAccount/app-service-account',
    ]);
    const results = run.final.results.map(
      (r) => `${r.syncPhase} ${r.kind}/${r.name} ${r.status} ${r.hookPhase}`,
    );
    expect(results).toEqual([
      'PreSync Namespace/production Synced Succeeded',
      'PreSync Job/db-migration Synced Succeeded',
      'Sync ServiceAccount/app-service-account Synced Succeeded',
      'Sync ConfigMap/app-config Synced Succeeded',
      'Sync Service/my-app Synced Succeeded',
      'Sync Deployment/my-app Synced Succeeded',
      'Sync HorizontalPodAutoscaler/my-app-hpa Synced Succeeded',
      'Sync ServiceMonitor/my-app-monitor Synced Succeeded',
      'PostSync Job/smoke-test Synced Succeeded',
    ]);
    expect(run.final.results.find((r) => r.name === 'db-migration')).toMatchObject({
      hookType: 'PreSync',
      images: ['myorg/db-migrator:v2.5.0'],
    });
    // The created hooks carried the hook finalizer, and lost it once they completed.
    expect(cluster.objects.get('batch/Job/production/db-migration')?.metadata?.finalizers).toEqual([]);
  });

  it('runs the SyncFail hook and ends Failed when the Deployment degrades', async () => {
    const cluster = new SimulatedCluster();
    cluster.healthOverrides.set('apps/Deployment/production/my-app', 'Degraded');
    const run = await drive({ cluster, targets });
    expect(run.steps).toHaveLength(7);
    expect(describeActions(run.steps[5]?.actions ?? [])).toEqual(['apply Job/sync-fail-notification #1']);
    expect(run.steps[5]?.message).toBe('waiting for completion of hook batch/Job/sync-fail-notification');
    expect(run.final.phase).toBe('Failed');
    expect(run.final.message).toBe('one or more synchronization tasks completed unsuccessfully');
    expect(run.final.results.find((r) => r.kind === 'Deployment')).toMatchObject({
      status: 'Synced',
      hookPhase: 'Failed',
      message: 'Deployment is Degraded',
    });
    expect(run.final.results.find((r) => r.name === 'sync-fail-notification')).toMatchObject({
      syncPhase: 'SyncFail',
      hookType: 'SyncFail',
      hookPhase: 'Succeeded',
    });
    // Later waves and the PostSync hook never ran.
    expect(cluster.objects.has('autoscaling/HorizontalPodAutoscaler/production/my-app-hpa')).toBe(false);
    expect(cluster.objects.has('batch/Job/production/smoke-test')).toBe(false);
  });

  it('ends Failed "Operation terminated" and deletes the running hook when terminated mid-run', async () => {
    const cluster = new SimulatedCluster();
    cluster.healthOverrides.set('batch/Job/production/db-migration', 'Progressing');
    const run = await drive({
      cluster,
      targets,
      before: (step, state) => {
        if (step === 4) state.phase = 'Terminating';
      },
    });
    expect(run.steps).toHaveLength(4);
    expect(run.steps[2]?.message).toBe('waiting for completion of hook batch/Job/db-migration');
    expect(run.final.phase).toBe('Failed');
    expect(run.final.message).toBe('Operation terminated');
    expect(describeActions(run.final.actions)).toEqual([
      'stripFinalizer(terminate) Job/db-migration',
      'delete(terminate) Job/db-migration',
    ]);
    expect(cluster.objects.has('batch/Job/production/db-migration')).toBe(false);
    expect(run.final.results.find((r) => r.name === 'db-migration')).toMatchObject({
      hookPhase: 'Failed',
      message: 'Terminated',
    });
  });
});
