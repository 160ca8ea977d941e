import type { BenchContext } from './bench-context.ts';
import { CONTROL_NAMESPACE } from './bench-context.ts';
import { inParallel, sleep } from './proc-stats.ts';

/**
 * A normal refresh (the refresh annotation) of every fleet app while nothing changed: how many
 * destination API requests that costs per app (the cache should answer everything).
 */
export async function unchangedRefreshSection(
  ctx: BenchContext,
  apps: number,
): Promise<{ figures: Record<string, number>; summary: string }> {
  await sleep(3000);
  const before = new Map((await ctx.listApps()).map((a) => [a.name, a.reconciledAt]));
  // reconciledAt has one-second resolution.
  await sleep(1100);
  const requestsBefore = await ctx.metric('argocd_app_k8s_request_total');
  const t0 = performance.now();
  await inParallel(apps, 20, async (i) => {
    await ctx.kube.patch(
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: `app-${i}`, namespace: CONTROL_NAMESPACE },
      },
      { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } },
      'application/merge-patch+json',
    );
  });
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const list = await ctx.listApps();
    const left = list.filter((a) => a.name.startsWith('app-') && a.reconciledAt === before.get(a.name));
    if (left.length === 0) break;
    if (Date.now() > deadline) throw new Error(`${left.length} apps were not refreshed`);
    await sleep(200);
  }
  const seconds = (performance.now() - t0) / 1000;
  const requests = (await ctx.metric('argocd_app_k8s_request_total')) - requestsBefore;
  const figures = {
    api_requests_per_unchanged_refresh: Math.round((requests / apps) * 100) / 100,
    unchanged_refresh_apps_per_s: Math.round((apps / seconds) * 10) / 10,
  };
  return {
    figures,
    summary:
      `unchanged refresh of ${apps} apps (refresh annotation): ${requests} destination API requests, ` +
      `${figures.unchanged_refresh_apps_per_s} apps/s`,
  };
}
