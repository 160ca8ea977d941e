// Three controller replicas share two clusters' forty apps: each app is handled by exactly one replica
// (the one holding its cluster's lease), and a replica stopped gracefully hands over only its own cluster,
// whose apps the others then keep syncing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api, type CoreV1Event } from '@kubernetes/client-node';
import { Redis } from 'ioredis';
import type { Application } from '@capstan/crds';
import { eventually, startLocalCluster, type LocalCluster } from '@capstan/testkit';
import { seriesOf } from '../support/prometheus-series.ts';
import { clusterSecret, isSyncedHealthy, startControllerFixture, type ControllerFixture } from './fixture.ts';

const inCluster = 'https://kubernetes.default.svc';
const perCluster = 20;
const operationReasons = new Set(['OperationStarted', 'OperationCompleted', 'ResourceUpdated']);

const cms = (k: number, rev: string): Record<string, string> => ({
  [`apps/app-${k}/a.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: {rev: "${rev}"}\n`,
  [`apps/app-${k}/b.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata: {rev: "${rev}", app: "${k}"}\n`,
});

let f: ControllerFixture;
let remote: LocalCluster;
/** The destination server of each app, by name. */
const serverOf = new Map<string, string>();
const appNames = Array.from({ length: 2 * perCluster }, (_, k) => `rep-${k}`);

beforeAll(async () => {
  const files: Record<string, string> = {};
  for (let k = 0; k < 2 * perCluster; k++) Object.assign(files, cms(k, '1'));
  [f, remote] = await Promise.all([
    startControllerFixture({ files, replicas: 3, controllerEnv: { CAPSTAN_CONTROLLER_LEASE_MS: '3000' } }),
    startLocalCluster({ name: 'controller-replicas-remote' }),
  ]);
  await f.apply(clusterSecret('remote', remote));
  appNames.forEach((name, k) => serverOf.set(name, k % 2 === 0 ? inCluster : remote.server));
}, 240_000);
afterAll(async () => {
  await Promise.all([f?.[Symbol.asyncDispose](), remote?.stop()]);
});

const replicaName = (i: number): string => `controller-${i}`;

/** Which clusters each running replica says it owns, from capstan_controller_shard_owned. */
async function ownership(running: readonly number[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const i of running) {
    const text = await (await fetch(`${f.controllers[i]?.metricsUrl ?? ''}/metrics`)).text();
    for (const s of seriesOf(text, 'capstan_controller_shard_owned')) {
      if (s.value !== 1) continue;
      expect(s.labels['replica']).toBe(replicaName(i));
      const cluster = s.labels['cluster'] ?? '';
      out.set(cluster, [...(out.get(cluster) ?? []), replicaName(i)]);
    }
  }
  return out;
}

/** The replicas reporting argocd_app_info for each app. */
async function appInfoReporters(running: readonly number[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const i of running) {
    const text = await (await fetch(`${f.controllers[i]?.metricsUrl ?? ''}/metrics`)).text();
    for (const s of seriesOf(text, 'argocd_app_info')) {
      const name = s.labels['name'] ?? '';
      expect(s.labels['dest_server']).toBe(serverOf.get(name));
      out.set(name, [...(out.get(name) ?? []), replicaName(i)]);
    }
  }
  return out;
}

/** Each cluster held by exactly one of the running replicas; the owner of each key. */
async function settledOwners(running: readonly number[]): Promise<Map<string, string>> {
  return eventually(
    `each cluster owned by exactly one of replicas ${running.join(',')}`,
    async () => {
      const owned = await ownership(running);
      const keys = [inCluster, remote.server, '(none)'];
      if (!keys.every((k) => owned.get(k)?.length === 1) || owned.size !== keys.length) return undefined;
      for (const i of running) {
        const res = await fetch(`${f.controllers[i]?.metricsUrl ?? ''}/healthz`);
        if (res.status !== 200) return undefined;
      }
      return new Map([...owned].map(([k, v]) => [k, v[0] ?? '']));
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}

async function operationEvents(): Promise<CoreV1Event[]> {
  const core = f.cluster.kubeConfig().makeApiClient(CoreV1Api);
  const list = await core.listNamespacedEvent({ namespace: 'argocd' });
  return list.items.filter(
    (e) => e.involvedObject.kind === 'Application' && operationReasons.has(e.reason ?? ''),
  );
}

const byApp = (events: readonly CoreV1Event[]): Map<string, Set<string>> => {
  const out = new Map<string, Set<string>>();
  for (const e of events) {
    const name = e.involvedObject.name ?? '';
    out.set(name, (out.get(name) ?? new Set()).add(e.reportingInstance ?? ''));
  }
  return out;
};

async function waitAll(what: string, ok: (a: Application) => boolean): Promise<void> {
  await Promise.all(appNames.map((name) => f.waitApp(name, what, ok, 180_000)));
}

describe('three replicas, two clusters, forty apps', () => {
  let owners = new Map<string, string>();

  it('syncs every app, each handled by exactly one replica: the owner of its cluster', async () => {
    const before = await settledOwners([0, 1, 2]);
    // Three keys (two clusters and the unresolved share) for three replicas: one each.
    expect(new Set(before.values()).size).toBe(3);
    const started = performance.now();
    for (const [k, name] of appNames.entries())
      await f.apply({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name, namespace: 'argocd' },
        spec: {
          project: 'default',
          source: { repoURL: f.repoUrl, targetRevision: 'main', path: `apps/app-${k}` },
          destination: { server: serverOf.get(name), namespace: `rep-${k}` },
          syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] },
        },
      });
    await waitAll('Synced and Healthy', isSyncedHealthy);
    const ms = performance.now() - started;
    console.log(
      `[figure] replicas: ${appNames.length} apps on 2 clusters Synced+Healthy in ${ms.toFixed(0)} ms`,
    );

    owners = await settledOwners([0, 1, 2]);
    // Nothing moved while the apps synced.
    expect(owners).toEqual(before);
    const reporters = await eventually(
      'argocd_app_info of every app on exactly one replica',
      async () => {
        const r = await appInfoReporters([0, 1, 2]);
        return appNames.every((n) => r.get(n)?.length === 1) ? r : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    for (const name of appNames)
      expect(reporters.get(name), name).toEqual([owners.get(serverOf.get(name) ?? '')]);

    // Every write of each app's operation came from one replica, the owner of its cluster.
    const instances = await eventually(
      'an OperationCompleted event for every app',
      async () => {
        const events = await operationEvents();
        const completed = new Set(
          events.filter((e) => e.reason === 'OperationCompleted').map((e) => e.involvedObject.name),
        );
        return appNames.every((n) => completed.has(n)) ? byApp(events) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    for (const name of appNames)
      expect([...(instances.get(name) ?? [])], name).toEqual([owners.get(serverOf.get(name) ?? '')]);
    for (const name of appNames) {
      const a = (await f.app(name)) as Application;
      expect(a.status?.operationState?.phase).toBe('Succeeded');
      expect(a.status?.history?.length, name).toBe(1);
    }
  }, 300_000);

  it('a replica stopped with SIGTERM hands over only its cluster, and work continues', async () => {
    // Stop the replica owning the remote cluster (a cluster with apps).
    const leaving = owners.get(remote.server) ?? '';
    const i = Number(leaving.replace('controller-', ''));
    const staying = [0, 1, 2].filter((x) => x !== i);
    const exit = await f.stopReplica(i, 'SIGTERM');
    expect(exit.code).toBe(0);
    const stoppedAt = performance.now();
    console.log(`[figure] replicas: graceful stop of ${leaving} took ${exit.ms.toFixed(0)} ms`);
    const after = await settledOwners(staying);
    console.log(
      `[figure] replicas: ${remote.server} owned again ${(performance.now() - stoppedAt).toFixed(0)} ms after ${leaving} exited`,
    );
    // The others keep exactly what they had; the stopped one's cluster went to one of them.
    for (const [key, owner] of owners) if (owner !== leaving) expect(after.get(key), key).toBe(owner);
    expect(staying.map(replicaName)).toContain(after.get(remote.server));
    const seen = new Set((await operationEvents()).map((e) => e.metadata.name ?? ''));

    // A commit changing every app's ConfigMaps, announced as a webhook would.
    const files: Record<string, string> = {};
    for (let k = 0; k < appNames.length; k++) Object.assign(files, cms(k, '2'));
    await f.repo.write(files);
    const sha = await f.repo.commit('rev 2 for every app');
    const redis = new Redis(f.redis.url);
    const started = performance.now();
    try {
      for (const name of appNames) await redis.publish('capstan|app-refresh', JSON.stringify({ name }));
    } finally {
      redis.disconnect();
    }
    await waitAll(
      `Synced at ${sha}`,
      (a) =>
        isSyncedHealthy(a) &&
        a.status?.sync?.revision === sha &&
        a.status.operationState?.phase === 'Succeeded' &&
        a.status.operationState.syncResult?.revision === sha,
    );
    console.log(
      `[figure] replicas: ${appNames.length} apps Synced at a new commit in ${(performance.now() - started).toFixed(0)} ms on 2 replicas`,
    );
    for (const [k, name] of appNames.entries()) {
      if (serverOf.get(name) !== inCluster) continue;
      const cm = (await f.get('v1', 'ConfigMap', 'a', `rep-${k}`)) as { data?: Record<string, string> };
      expect(cm.data?.['rev']).toBe('2');
    }
    const reporters = await eventually(
      'argocd_app_info of every app on exactly one remaining replica',
      async () => {
        const r = await appInfoReporters(staying);
        return appNames.every((n) => r.get(n)?.length === 1) ? r : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    for (const name of appNames)
      expect(reporters.get(name), name).toEqual([after.get(serverOf.get(name) ?? '')]);
    // The new operations' events came from the new owners only.
    const fresh = await eventually(
      'an OperationCompleted event at the new commit for every app',
      async () => {
        const events = (await operationEvents()).filter((e) => !seen.has(e.metadata.name ?? ''));
        const completed = new Set(
          events
            .filter((e) => e.reason === 'OperationCompleted' && (e.message ?? '').includes(sha))
            .map((e) => e.involvedObject.name),
        );
        return appNames.every((n) => completed.has(n)) ? byApp(events) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    for (const name of appNames)
      expect([...(fresh.get(name) ?? [])], name).toEqual([after.get(serverOf.get(name) ?? '')]);

    // Back again: the returning replica takes only the excess of the one now holding two clusters.
    await f.startReplica(i);
    const rejoined = await settledOwners([0, 1, 2]);
    expect(new Set(rejoined.values()).size).toBe(3);
    const moved = [...rejoined].filter(([key, owner]) => after.get(key) !== owner);
    expect(moved.length).toBe(1);
    expect(moved[0]?.[1]).toBe(leaving);
  }, 300_000);
});
