// The seed article's sync-wave example, synced for real by the engine's state machine (driven step by step
// as the controller will), with watches recording when each object appeared and became healthy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifests } from '@capstan/crds';
import type { KubeObject } from '@capstan/engine';
import { ResourceClient } from '@capstan/kube';
import {
  eventually,
  podBehaviourLabel,
  prepareCluster,
  seedDir,
  startTestCluster,
  type TestCluster,
} from '@capstan/testkit';
import { driveSync } from './sync-driver.ts';
import { watchNamespace } from '../support/watch-namespace.ts';

let cluster: TestCluster;
let client: ResourceClient;

const seed = (file: string): KubeObject[] =>
  parseManifests(readFileSync(join(seedDir, 'manifests', file), 'utf8'));

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'sync-waves' });
  client = new ResourceClient(cluster.kubeConfig());
  // The example's ServiceMonitor needs its CRD, as on any cluster with the Prometheus operator: the same
  // stand-in `npm start` installs.
  await prepareCluster(client, 'argocd');
  await eventually(
    'ServiceMonitor served',
    async () => (await client.namespaced('monitoring.coreos.com/v1', 'ServiceMonitor')) === true,
  );
});
afterAll(() => cluster?.stop());

describe('the seed sync-wave example on a real cluster', () => {
  it('is applied phase by phase and wave by wave, each wave only after the previous one is healthy', async () => {
    const targets = [
      ...seed('08-sync-waves-my-app.yaml'),
      ...seed('09-job-db-migration-presync.yaml'),
      ...seed('10-job-smoke-test-postsync.yaml'),
      ...seed('11-job-sync-fail-notification.yaml'),
    ];
    const seen = await watchNamespace(cluster.kubeConfig(), 'production');
    try {
      const result = await driveSync({ client, targets, namespace: 'production', waveDelayMs: 1000 });
      expect(
        result.phase,
        `${result.message}: ${JSON.stringify(result.results.filter((r) => r.status !== 'Synced'))}`,
      ).toBe('Succeeded');

      // kube-root-ca.crt is the controller-manager's, not the app's.
      const order = [...seen.added.entries()]
        .sort((a, b) => a[1] - b[1])
        .map(([id]) => id)
        .filter((id) => id !== 'ConfigMap/kube-root-ca.crt' && id !== 'ServiceAccount/default');
      expect(order).toEqual([
        'Namespace/production', // hoisted before the PreSync Job that lives in it
        'Job/db-migration', // PreSync, wave -1
        'ServiceAccount/app-service-account', // Sync, wave -2
        'ConfigMap/app-config', // wave -1
        'Service/my-app', // wave 0: Service ranks before Deployment
        'Deployment/my-app',
        'HorizontalPodAutoscaler/my-app-hpa', // wave 1
        'ServiceMonitor/my-app-monitor', // wave 2
        'Job/smoke-test', // PostSync
      ]);
      expect(order).not.toContain('Job/sync-fail-notification');

      // The PreSync migration finished before the application was created.
      expect(seen.healthyAt.get('Job/db-migration')).toBeLessThanOrEqual(
        seen.added.get('Deployment/my-app') ?? 0,
      );
      // Wave 1 started only once wave 0 was healthy, and the PostSync hook only after everything was.
      expect(seen.healthyAt.get('Deployment/my-app')).toBeLessThanOrEqual(
        seen.added.get('HorizontalPodAutoscaler/my-app-hpa') ?? 0,
      );
      expect(seen.added.get('ServiceMonitor/my-app-monitor')).toBeLessThanOrEqual(
        seen.added.get('Job/smoke-test') ?? 0,
      );
      // The pause between waves: at least the wave delay separates the waves' first objects.
      expect(
        (seen.added.get('HorizontalPodAutoscaler/my-app-hpa') ?? 0) -
          (seen.added.get('Deployment/my-app') ?? 0),
      ).toBeGreaterThanOrEqual(900);
    } finally {
      seen.stop();
    }
  });

  it('runs the SyncFail hook and ends Failed when a Sync-phase resource degrades', async () => {
    const ns = 'production-failing';
    const retarget = (o: KubeObject): KubeObject => {
      const copy = structuredClone(o);
      if (copy.kind === 'Namespace') copy.metadata = { ...copy.metadata, name: ns };
      else if (copy.metadata !== undefined) copy.metadata.namespace = ns;
      if (copy.kind === 'Deployment') {
        // Pods crash-loop, and the rollout gives up fast: the Deployment turns Degraded.
        const spec = copy['spec'] as {
          progressDeadlineSeconds?: number;
          template: { metadata: { labels: Record<string, string> } };
        };
        spec.progressDeadlineSeconds = 3;
        spec.template.metadata.labels[podBehaviourLabel] = 'crashloop';
      }
      return copy;
    };
    const targets = [
      ...seed('08-sync-waves-my-app.yaml'),
      ...seed('09-job-db-migration-presync.yaml'),
      ...seed('10-job-smoke-test-postsync.yaml'),
      ...seed('11-job-sync-fail-notification.yaml'),
    ].map(retarget);
    const seen = await watchNamespace(cluster.kubeConfig(), ns);
    try {
      const result = await driveSync({ client, targets, namespace: ns, waveDelayMs: 500, maxSteps: 120 });
      expect(result.phase).toBe('Failed');
      expect(seen.added.has('Job/sync-fail-notification')).toBe(true);
      expect(seen.added.has('HorizontalPodAutoscaler/my-app-hpa')).toBe(false);
      expect(seen.added.has('Job/smoke-test')).toBe(false);
      const failed = result.results.find((r) => r.kind === 'Deployment');
      expect(failed?.message ?? '').not.toBe('');
    } finally {
      seen.stop();
    }
  });
});
