import type { BenchContext } from './bench-context.ts';
import { cpuSeconds, loadAverage, sleep } from './proc-stats.ts';

/** Controller CPU while every app is synced and nothing changes, as % of one core (/proc/<pid>/stat). */
export async function idleSection(
  ctx: BenchContext,
  seconds: number,
): Promise<{ figures: Record<string, number>; summary: string }> {
  // Let the refreshes that follow the last syncs settle first.
  await sleep(5000);
  const pid = ctx.controller.pid;
  const before = await cpuSeconds(pid);
  const requestsBefore = await ctx.metric('argocd_app_k8s_request_total');
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const used = (await cpuSeconds(pid)) - before;
  const elapsed = (performance.now() - t0) / 1000;
  const requests = (await ctx.metric('argocd_app_k8s_request_total')) - requestsBefore;
  const figures = {
    idle_cpu_pct: Math.round((used / elapsed) * 1000) / 10,
    idle_s: Math.round(elapsed),
    idle_k8s_requests_per_s: Math.round((requests / elapsed) * 10) / 10,
  };
  return {
    figures,
    summary:
      `idle: controller used ${used.toFixed(2)} CPU s over ${elapsed.toFixed(0)} s = ${figures.idle_cpu_pct}% of a core ` +
      `(${figures.idle_k8s_requests_per_s} destination API requests/s; load ${await loadAverage()})`,
  };
}
