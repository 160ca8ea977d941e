import type { AppSummary, BenchContext } from './bench-context.ts';
import { writeFile } from 'node:fs/promises';
import { profileTop } from './inspector.ts';
import { cpuMeter, inParallel, loadAverage, percentile } from './proc-stats.ts';

export interface FleetResult {
  readonly figures: Record<string, number>;
  readonly summary: string;
  readonly cpuPct: Record<string, number>;
  /** kube-apiserver requests (all clients, the bench's own included) per app, by resource and verb. */
  readonly requestsPerApp: string[];
  readonly profileTop?: string[];
}

export const FLEET_NAMESPACE = 'fleet';

/**
 * N Applications, each one ConfigMap from its own path of one Git repo, created at once (20 creates in
 * flight) with automated sync; done when a LIST shows every one Synced and Healthy.
 */
export async function fleetSection(
  ctx: BenchContext,
  apps: number,
  options: { profile?: boolean } = {},
): Promise<FleetResult> {
  const files: Record<string, string> = {};
  for (let i = 0; i < apps; i++)
    files[`apps/app-${i}/cm.yaml`] =
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${i}\ndata: {app: "app-${i}"}\n`;
  await ctx.gitRoot.createRepo('fleet', files);
  await ctx.createNamespace(FLEET_NAMESPACE);
  const repoURL = `${ctx.gitBaseUrl}/fleet.git`;

  if (options.profile === true) await ctx.inspector.startCpuProfile();
  const cpu = await cpuMeter(ctx.processes());
  const requestsBefore = await ctx.apiserverRequests();
  const loads: number[] = [];
  const createdAt: number[] = [];
  const readyAt = new Map<number, number>();
  const t0 = performance.now();
  // A watch, not LIST polling: a LIST of 1,000 Applications every 200 ms would be a good part of the
  // API server's work, and the bench must not be what it measures.
  let stopWatch: () => void = () => undefined;
  const loadSampler = setInterval(() => void loadAverage().then((l) => loads.push(l)), 1000);
  const poller = new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(
      () => reject(new Error(`${apps - readyAt.size} apps not Synced+Healthy within 20 minutes`)),
      20 * 60_000,
    );
    const seen = (a: AppSummary): void => {
      if (!a.name.startsWith('app-') || a.sync !== 'Synced' || a.health !== 'Healthy') return;
      const i = Number(a.name.slice(4));
      if (!readyAt.has(i)) readyAt.set(i, performance.now());
      if (readyAt.size === apps) {
        clearTimeout(deadline);
        resolve();
      }
    };
    stopWatch = ctx.watchApps(seen);
  });
  await inParallel(apps, 20, async (i) => {
    await ctx.createApp(`app-${i}`, {
      project: 'default',
      source: { repoURL, targetRevision: 'main', path: `apps/app-${i}` },
      destination: { server: 'https://kubernetes.default.svc', namespace: FLEET_NAMESPACE },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
    createdAt[i] = performance.now();
  });
  const createdMs = performance.now() - t0;
  try {
    await poller;
  } finally {
    stopWatch();
    clearInterval(loadSampler);
  }
  const lastReady = Math.max(...readyAt.values());
  const seconds = (lastReady - t0) / 1000;
  const cpuPct = await cpu();
  const requestsAfter = await ctx.apiserverRequests();
  const perAppRequests = [...requestsAfter.entries()]
    .map(([k, v]) => [k, (v - (requestsBefore.get(k) ?? 0)) / apps] as const)
    .filter(([, v]) => v >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v.toFixed(2)}`);
  const profile = options.profile === true ? await ctx.inspector.stopCpuProfile() : undefined;
  const perApp = [...readyAt.entries()].map(([i, at]) => at - (createdAt[i] ?? t0));
  const figures = {
    fleet_apps: apps,
    fleet_apps_per_s: Math.round((apps / seconds) * 10) / 10,
    fleet_all_synced_s: Math.round(seconds * 10) / 10,
    fleet_create_s: Math.round(createdMs / 100) / 10,
    fleet_create_to_synced_p50_ms: percentile(perApp, 50),
    fleet_create_to_synced_p99_ms: percentile(perApp, 99),
    fleet_controller_cpu_pct: cpuPct['controller'] ?? Number.NaN,
    fleet_load_avg_max: Math.max(...loads),
  };
  const profilePath = process.env['BENCH_CPU_PROFILE'];
  if (profile !== undefined && profilePath !== undefined)
    await writeFile(profilePath, JSON.stringify(profile));
  return {
    figures,
    cpuPct,
    requestsPerApp: perAppRequests,
    summary:
      `fleet: ${apps} apps × 1 ConfigMap created in ${figures.fleet_create_s} s, all Synced+Healthy after ` +
      `${figures.fleet_all_synced_s} s → ${figures.fleet_apps_per_s} apps/s; per app create→Synced+Healthy ` +
      `p50 ${figures.fleet_create_to_synced_p50_ms} ms, p99 ${figures.fleet_create_to_synced_p99_ms} ms ` +
      `(watched); max 1-min load ${figures.fleet_load_avg_max}`,
    ...(profile === undefined ? {} : { profileTop: profileTop(profile, 30) }),
  };
}
