import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type ServiceProcess } from '@capstan/testkit';
import type { BenchContext } from './bench-context.ts';
import { CONTROL_NAMESPACE } from './bench-context.ts';
import { percentile, sleep } from './proc-stats.ts';

const IN_CLUSTER = 'https://kubernetes.default.svc';
const WAVES = 4;

interface OpState {
  readonly phase?: string;
  readonly startedAt?: string;
  readonly applied: number;
}

/** Replicas that own the in-cluster destination, from their `capstan_controller_shard_owned` series. */
async function ownsInCluster(replica: ServiceProcess): Promise<boolean> {
  const text = await (await fetch(`${replica.metricsUrl}/metrics`)).text().catch(() => '');
  return text
    .split('\n')
    .some((l) => l.startsWith('capstan_controller_shard_owned{') && l.includes(`cluster="${IN_CLUSTER}"`));
}

/**
 * Takeover: a second replica beside the bench's controller; an app syncing four waves (the default 2 s
 * pause between them); SIGKILL the replica owning the in-cluster destination once the first wave is
 * applied, and time until the operation's next step lands, done by the survivor. Three runs, the killed
 * replica restarted between them; the figure is the median (the max is printed too). Runs last: it kills
 * the bench's own controller.
 */
export async function takeoverSection(
  ctx: BenchContext,
  runs = 3,
): Promise<{ figures: Record<string, number>; summary: string }> {
  const files: Record<string, string> = {};
  for (let w = 0; w < WAVES; w++)
    files[`waves/cm-${w}.yaml`] =
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wave-${w}\n  annotations:\n    argocd.argoproj.io/sync-wave: "${w}"\ndata: {wave: "${w}"}\n`;
  await ctx.gitRoot.createRepo('takeover', files);
  await ctx.createNamespace('takeover');
  const work = await mkdtemp(join(tmpdir(), 'capstan-bench-takeover-'));
  const kubeconfigPath = join(work, 'kubeconfig');
  await writeFile(kubeconfigPath, ctx.cluster.kubeconfig);
  const { host, port } = ctx.redis.options;
  const redisUrl = `redis://${host ?? '127.0.0.1'}:${port ?? 6379}`;
  const startReplica = (id: string): Promise<ServiceProcess> =>
    startService({
      name: 'application-controller',
      redisUrl,
      env: {
        CAPSTAN_KUBECONFIG: kubeconfigPath,
        CAPSTAN_REPO_SERVER_ADDRESS: ctx.repoServer.grpcAddress,
        CAPSTAN_CONTROLLER_REPLICA_ID: id,
      },
      startTimeoutMs: 60_000,
    });
  const replicas: ServiceProcess[] = [ctx.controller, await startReplica('bench-takeover-1')];
  const appRef = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'takeover', namespace: CONTROL_NAMESPACE },
  };
  const opState = async (): Promise<OpState> => {
    const app = (await ctx.kube.get(appRef)) as
      | {
          status?: {
            operationState?: { phase?: string; startedAt?: string; syncResult?: { resources?: unknown[] } };
          };
        }
      | undefined;
    const s = app?.status?.operationState;
    return {
      ...(s?.phase === undefined ? {} : { phase: s.phase }),
      ...(s?.startedAt === undefined ? {} : { startedAt: s.startedAt }),
      applied: s?.syncResult?.resources?.length ?? 0,
    };
  };
  const times: number[] = [];
  try {
    await ctx.createApp('takeover', {
      project: 'default',
      source: { repoURL: `${ctx.gitBaseUrl}/takeover.git`, targetRevision: 'main', path: 'waves' },
      destination: { server: IN_CLUSTER, namespace: 'takeover' },
    });
    for (let run = 0; run < runs; run++) {
      // Both replicas up and settled: exactly one owns the in-cluster destination.
      let owner = -1;
      for (const deadline = Date.now() + 30_000; owner < 0; await sleep(200)) {
        if (Date.now() > deadline) throw new Error('no replica owns the in-cluster destination');
        const owned = await Promise.all(replicas.map(ownsInCluster));
        if (owned.filter(Boolean).length === 1) owner = owned.indexOf(true);
      }
      const previous = (await opState()).startedAt;
      await ctx.kube.patch(
        appRef,
        { operation: { sync: { syncStrategy: { hook: {} } }, initiatedBy: { username: 'bench' } } },
        'application/merge-patch+json',
      );
      // Kill once the first wave is applied: the operation is mid-way, its next step due after the pause.
      let before: OpState;
      for (const deadline = Date.now() + 60_000; ; await sleep(20)) {
        before = await opState();
        if (before.startedAt !== previous && before.phase === 'Running' && before.applied >= 1) break;
        if (Date.now() > deadline)
          throw new Error(`the takeover sync did not start: ${JSON.stringify(before)}`);
      }
      const killed = replicas[owner] as ServiceProcess;
      const t0 = performance.now();
      await killed.stop('SIGKILL');
      for (const deadline = Date.now() + 120_000; ; await sleep(20)) {
        const now = await opState();
        if (now.applied > before.applied || now.phase !== 'Running') break;
        if (Date.now() > deadline) throw new Error('no replica continued the operation within 2 minutes');
      }
      times.push(performance.now() - t0);
      for (const deadline = Date.now() + 120_000; (await opState()).phase === 'Running'; await sleep(200))
        if (Date.now() > deadline) throw new Error('the operation did not finish after the takeover');
      const end = await opState();
      if (end.phase !== 'Succeeded') throw new Error(`the operation ended ${end.phase ?? 'nowhere'}`);
      replicas[owner] = await startReplica(`bench-takeover-${run + 2}`);
    }
  } finally {
    for (const r of replicas) if (r !== ctx.controller) await r[Symbol.asyncDispose]();
    await rm(work, { recursive: true, force: true });
  }
  const takeover = Math.round(percentile(times, 50) / 100) / 10;
  return {
    figures: { takeover_s: takeover, takeover_max_s: Math.round(Math.max(...times) / 100) / 10 },
    summary: `takeover: SIGKILL of the owning replica → next operation step on another: ${times
      .map((t) => (t / 1000).toFixed(1))
      .join(', ')} s (median ${takeover} s)`,
  };
}
