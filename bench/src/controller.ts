// npm run bench:controller [-- --apps N] — the application-controller on a local cluster with real Redis,
// repo-server and Git over HTTP. Sections (one file each under ./controller/): the fleet (N one-ConfigMap
// apps created at once → all Synced+Healthy), an unchanged refresh of them all, push → synced latency,
// idle CPU, heap bytes per cached unmanaged and managed object, and the takeover of a killed replica's work. Human summary on stderr; the last
// stdout line is the JSON figures.
import { parseArgs } from 'node:util';
import { rssMiB } from './rss.ts';
import { controllerOverrides, withBenchContext } from './controller/bench-context.ts';
import { fleetSection } from './controller/fleet.ts';
import { idleSection } from './controller/idle.ts';
import { managedBytesSection, unmanagedBytesSection } from './controller/object-bytes.ts';
import { loadAverage } from './controller/proc-stats.ts';
import { pushSection } from './controller/push.ts';
import { takeoverSection } from './controller/takeover.ts';
import { unchangedRefreshSection } from './controller/unchanged-refresh.ts';

const { values } = parseArgs({
  options: {
    apps: { type: 'string' },
    sections: { type: 'string' },
    profile: { type: 'boolean' },
  },
});
const apps = Number(values.apps ?? process.env['BENCH_APPS'] ?? '1000');
const idleSeconds = Number(process.env['BENCH_IDLE_S'] ?? '60');
const objects = Number(process.env['BENCH_OBJECTS'] ?? '10000');
const pushRounds = Number(process.env['BENCH_PUSH_ROUNDS'] ?? '50');
const sections = new Set(
  (
    values.sections ??
    process.env['BENCH_SECTIONS'] ??
    'fleet,unchanged,push,idle,unmanaged,managed,takeover'
  ).split(','),
);

const figures: Record<string, number> = { apps };
const log = (line: string): void => console.error(line);

const overrides = controllerOverrides();
log(
  Object.keys(overrides).length === 0
    ? 'controller settings: defaults'
    : `controller settings: NOT the defaults: ${JSON.stringify(overrides)}`,
);

await withBenchContext(async (ctx) => {
  if (sections.has('fleet')) {
    const fleet = await fleetSection(ctx, apps, { profile: values.profile === true });
    Object.assign(figures, fleet.figures);
    log(fleet.summary);
    log(
      `  CPU during the fleet phase (% of one core): ${Object.entries(fleet.cpuPct)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    log(`  kube-apiserver requests per app (every client): ${fleet.requestsPerApp.join(', ')}`);
    if (fleet.profileTop !== undefined)
      log(`  controller self time (top):\n    ${fleet.profileTop.join('\n    ')}`);
    if (sections.has('unchanged')) {
      const r = await unchangedRefreshSection(ctx, apps);
      Object.assign(figures, r.figures);
      log(r.summary);
    }
  }
  if (sections.has('push')) {
    const r = await pushSection(ctx, pushRounds);
    Object.assign(figures, r.figures);
    log(r.summary);
  }
  if (sections.has('idle')) {
    const r = await idleSection(ctx, idleSeconds);
    Object.assign(figures, r.figures);
    log(r.summary);
  }
  if (sections.has('unmanaged')) {
    const r = await unmanagedBytesSection(ctx, objects);
    Object.assign(figures, r.figures);
    log(r.summary);
  }
  if (sections.has('managed')) {
    const r = await managedBytesSection(ctx, objects);
    Object.assign(figures, r.figures);
    log(r.summary);
  }
  figures['cluster_objects_cached'] = await ctx.metric('argocd_cluster_api_resource_objects');
  figures['controller_rss_mib'] = await rssMiB(ctx.controller.pid);
  figures['controller_cpu_s'] = Math.round((await ctx.metric('process_cpu_seconds_total')) * 10) / 10;
  figures['destination_api_requests_total'] = await ctx.metric('argocd_app_k8s_request_total');
  figures['load_avg_1m_end'] = await loadAverage();
  log(
    `controller: RSS ${figures['controller_rss_mib']} MiB, ${figures['controller_cpu_s']} CPU s in all, ` +
      `${figures['destination_api_requests_total']} destination API requests; 1-min load ${figures['load_avg_1m_end']}`,
  );
  // Last: it kills the bench's controller (a second replica takes over with everything above in place).
  if (sections.has('takeover')) {
    const r = await takeoverSection(ctx);
    Object.assign(figures, r.figures);
    log(r.summary);
  }
});
console.log(JSON.stringify({ bench: 'controller', ...figures }));
