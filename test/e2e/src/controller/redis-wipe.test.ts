// Redis is a cache and a work queue, never the truth: wiping it (FLUSHALL) in the middle of ten running
// syncs loses nothing. The controller re-queues every operation the Applications say is pending.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { Application } from '@capstan/crds';
import { startControllerFixture, type ControllerFixture } from './fixture.ts';

const apps = 10;
const cm = (name: string, wave: number): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  annotations:\n    argocd.argoproj.io/sync-wave: "${wave}"\ndata: {wave: "${wave}"}\n`;

let f: ControllerFixture;
beforeAll(async () => {
  const files: Record<string, string> = {};
  // Four waves with a pause between them: each sync takes a few seconds, long enough to be cut.
  for (let i = 0; i < apps; i++)
    for (let w = 0; w < 4; w++) files[`wipe-${i}/cm-${w}.yaml`] = cm(`cm-${w}`, w);
  f = await startControllerFixture({ files, controllerEnv: { CAPSTAN_SYNC_WAVE_DELAY_MS: '1500' } });
  for (let i = 0; i < apps; i++)
    await f.apply({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: `wipe-${i}`, namespace: 'argocd' },
      spec: {
        project: 'default',
        source: { repoURL: f.repoUrl, targetRevision: 'main', path: `wipe-${i}` },
        destination: { server: 'https://kubernetes.default.svc', namespace: `wipe-${i}` },
        syncPolicy: { syncOptions: ['CreateNamespace=true'] },
      },
    });
  for (let i = 0; i < apps; i++)
    await f.waitApp(`wipe-${i}`, 'compared', (a) => a.status?.sync?.status === 'OutOfSync');
}, 240_000);
afterAll(() => f?.[Symbol.asyncDispose]());

describe('a Redis wipe in the middle of running syncs', () => {
  it('loses no operation: all ten complete, none is left with an operation nothing works on', async () => {
    for (let i = 0; i < apps; i++)
      // A manual sync as the API server writes it: the app's sync options go into the operation.
      await f.patchApp(`wipe-${i}`, {
        operation: {
          sync: { syncStrategy: { hook: {} }, syncOptions: ['CreateNamespace=true'] },
          initiatedBy: { username: 'e2e' },
        },
      });
    // Wait until every sync is under way (past its first wave), then wipe Redis.
    for (let i = 0; i < apps; i++)
      await f.waitApp(`wipe-${i}`, 'running', (a) =>
        (a.status?.operationState?.syncResult?.resources ?? []).some((r) => r.name === 'cm-0'),
      );
    const running = await Promise.all(
      Array.from({ length: apps }, async (_, i) => (await f.app(`wipe-${i}`))?.status?.operationState?.phase),
    );
    expect(running.filter((p) => p === 'Running').length).toBeGreaterThan(0);
    const redis = new Redis(f.redis.url);
    try {
      expect(await redis.flushall()).toBe('OK');
    } finally {
      redis.disconnect();
    }
    const done: Application[] = [];
    for (let i = 0; i < apps; i++)
      done.push(
        await f.waitApp(
          `wipe-${i}`,
          'synced after the wipe',
          (a) => a.operation === undefined && a.status?.operationState?.phase === 'Succeeded',
          90_000,
        ),
      );
    for (const a of done) {
      const results = a.status?.operationState?.syncResult?.resources ?? [];
      expect(results.every((r) => r.status === 'Synced')).toBe(true);
      expect(
        results
          .filter((r) => r.kind === 'ConfigMap')
          .map((r) => r.name)
          .sort(),
      ).toEqual(['cm-0', 'cm-1', 'cm-2', 'cm-3']);
      expect(a.status?.history?.length).toBe(1);
    }
    for (let i = 0; i < apps; i++) expect(await f.get('v1', 'ConfigMap', 'cm-3', `wipe-${i}`)).toBeDefined();
  }, 240_000);
});
