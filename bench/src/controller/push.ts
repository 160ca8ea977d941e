import type { BenchContext } from './bench-context.ts';
import { percentile, sleep } from './proc-stats.ts';

const RESOURCES = 10;
/** The controller's REFRESH_CHANNEL (services/application-controller/src/controller.ts), where webhooks publish. */
const REFRESH_CHANNEL = 'capstan|app-refresh';

function pushFiles(round: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let c = 0; c < RESOURCES; c++)
    files[`apps/push/cm-${c}.yaml`] =
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: push-${c}\ndata: {round: "${c === 0 ? round : 0}"}\n`;
  return files;
}

/**
 * One app of 10 ConfigMaps; 50 times: commit a change to its path and push, then publish what the
 * webhook publishes, and time from the publish until the app is Synced+Healthy at the new commit.
 */
export async function pushSection(
  ctx: BenchContext,
  rounds = 50,
): Promise<{ figures: Record<string, number>; summary: string }> {
  const repo = await ctx.gitRoot.createRepo('push', pushFiles(0));
  await ctx.createNamespace('push');
  const name = 'push-app';
  await ctx.createApp(name, {
    project: 'default',
    source: { repoURL: `${ctx.gitBaseUrl}/push.git`, targetRevision: 'main', path: 'apps/push' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'push' },
    syncPolicy: { automated: { prune: true, selfHeal: true } },
  });
  const waitFor = async (revision: string | undefined, timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const a = await ctx.getApp(name);
      if (
        a?.sync === 'Synced' &&
        a.health === 'Healthy' &&
        (revision === undefined || a.revision === revision)
      )
        return;
      if (Date.now() > deadline)
        throw new Error(`${name} not Synced+Healthy at ${revision ?? 'any revision'}: ${JSON.stringify(a)}`);
      await sleep(20);
    }
  };
  await waitFor(undefined, 120_000);
  const times: number[] = [];
  const commitTimes: number[] = [];
  for (let r = 1; r <= rounds; r++) {
    const c0 = performance.now();
    await repo.write(pushFiles(r));
    const sha = await repo.commit(`round ${r}`);
    commitTimes.push(performance.now() - c0);
    const t0 = performance.now();
    await ctx.redis.publish(REFRESH_CHANNEL, JSON.stringify({ name, hard: false }));
    await waitFor(sha, 60_000);
    times.push(performance.now() - t0);
  }
  const figures = {
    push_to_synced_p50_ms: percentile(times, 50),
    push_to_synced_p99_ms: percentile(times, 99),
    push_to_synced_max_ms: percentile(times, 100),
    push_git_commit_p50_ms: percentile(commitTimes, 50),
  };
  return {
    figures,
    summary:
      `push: ${rounds} commits to a ${RESOURCES}-ConfigMap app, refresh published on ${REFRESH_CHANNEL} → ` +
      `Synced+Healthy at the commit: p50 ${figures.push_to_synced_p50_ms} ms, p99 ${figures.push_to_synced_p99_ms} ms, ` +
      `max ${figures.push_to_synced_max_ms} ms (from the publish; commit+push itself p50 ${figures.push_git_commit_p50_ms} ms; GET every 20 ms)`,
  };
}
