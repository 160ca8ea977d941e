// Thousands of operations waiting on hooks must not starve status refreshes (Argo CD deadlocked in exactly
// that case): with 200 Applications whose PreSync hook never finishes, all syncing, a new Application
// still gets its Synced status within 10 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Application } from '@capstan/crds';
import { eventually } from '@capstan/testkit';
import { neverFinishingHook, startControllerFixture, type ControllerFixture } from './fixture.ts';

const stuckApps = 200;
const inCluster = 'https://kubernetes.default.svc';

let f: ControllerFixture;
beforeAll(async () => {
  f = await startControllerFixture({
    files: {
      // A PreSync hook whose pod never becomes ready: the operation waits on it for ever.
      'stuck/hook.yaml': neverFinishingHook,
      'stuck/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: after-hook\n',
      'fresh/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fresh\ndata: {ok: "yes"}\n',
    },
  });
}, 240_000);
afterAll(() => f?.[Symbol.asyncDispose]());

const application = (name: string, path: string, namespace: string): Record<string, unknown> => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name, namespace: 'argocd' },
  spec: {
    project: 'default',
    source: { repoURL: f.repoUrl, targetRevision: 'main', path },
    destination: { server: inCluster, namespace },
    syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] },
  },
});

const waitingOnHook = (a: Application): boolean =>
  a.status?.operationState?.phase === 'Running' &&
  (a.status.operationState.syncResult?.resources ?? []).some(
    (r) => r.name === 'never-done' && r.hookPhase === 'Running',
  );

async function listApps(): Promise<Application[]> {
  const list = (await f.kube.getRaw('/apis/argoproj.io/v1alpha1/namespaces/argocd/applications')) as {
    items: Application[];
  };
  return list.items;
}

describe('back-pressure: operations waiting on hooks', () => {
  it(`a new Application is Synced within 10 s while ${stuckApps} syncs wait on hooks that never finish`, async () => {
    const started = performance.now();
    for (let i = 0; i < stuckApps; i++) await f.apply(application(`bp-${i}`, 'stuck', `bp-${i}`));
    await eventually(
      `all ${stuckApps} syncs waiting on their hook`,
      async () => {
        const apps = (await listApps()).filter((a) => a.metadata.name?.startsWith('bp-') === true);
        return apps.length === stuckApps && apps.every(waitingOnHook);
      },
      { timeoutMs: 300_000, intervalMs: 1000 },
    );
    console.log(
      `[figure] back-pressure: ${stuckApps} syncs waiting on their PreSync hook after ${(performance.now() - started).toFixed(0)} ms`,
    );

    const created = performance.now();
    await f.apply(application('fresh', 'fresh', 'fresh'));
    // The first status the controller writes: compared (OutOfSync), then synced by the automated sync.
    let comparedMs: number | undefined;
    let operationMs: number | undefined;
    const a = await f.waitApp(
      'fresh',
      'Synced',
      (x) => {
        if (comparedMs === undefined && x.status?.sync?.status !== undefined)
          comparedMs = performance.now() - created;
        if (operationMs === undefined && x.status?.operationState !== undefined)
          operationMs = performance.now() - created;
        return x.status?.sync?.status === 'Synced';
      },
      30_000,
    );
    const syncedMs = performance.now() - created;
    console.log(
      `[figure] back-pressure: new Application compared after ${comparedMs?.toFixed(0) ?? '-'} ms, ` +
        `its sync started after ${operationMs?.toFixed(0) ?? '-'} ms, ` +
        `Synced ${syncedMs.toFixed(0)} ms after creation (${stuckApps} syncs waiting on hooks)`,
    );
    expect(syncedMs).toBeLessThan(10_000);
    expect(a.status?.operationState?.phase).toBe('Succeeded');
    const cm = (await f.get('v1', 'ConfigMap', 'fresh', 'fresh')) as { data?: Record<string, string> };
    expect(cm.data?.['ok']).toBe('yes');

    // The waiting syncs are still waiting (nothing was dropped to make room), and none went past its hook.
    const apps = (await listApps()).filter((x) => x.metadata.name?.startsWith('bp-') === true);
    expect(apps.filter(waitingOnHook)).toHaveLength(stuckApps);
    expect(await f.get('v1', 'ConfigMap', 'after-hook', 'bp-0')).toBeUndefined();
  }, 600_000);
});
