import type { BenchContext } from './bench-context.ts';
import { createConfigMaps } from './bench-context.ts';
import { sleep } from './proc-stats.ts';

const OBJECTS_METRIC = 'argocd_cluster_api_resource_objects';

/** The controller's used heap after forced full GCs (through the inspector): the least of three reads. */
async function settledHeap(ctx: BenchContext): Promise<number> {
  const reads: number[] = [];
  for (let i = 0; i < 3; i++) {
    await sleep(1000);
    reads.push(await ctx.inspector.heapUsedAfterGc());
  }
  return Math.min(...reads);
}

async function waitForObjects(ctx: BenchContext, atLeast: number): Promise<number> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const n = await ctx.metric(OBJECTS_METRIC);
    if (n >= atLeast) return n;
    if (Date.now() > deadline) throw new Error(`the cache holds ${n} objects, expected ${atLeast}`);
    await sleep(500);
  }
}

/** Heap growth per ConfigMap when `count` ConfigMaps that no app tracks appear in a watched namespace. */
export async function unmanagedBytesSection(
  ctx: BenchContext,
  count: number,
): Promise<{ figures: Record<string, number>; summary: string }> {
  const ns = 'unmanaged-objects';
  await ctx.createNamespace(ns);
  await sleep(2000);
  const objects0 = await ctx.metric(OBJECTS_METRIC);
  const heap0 = await settledHeap(ctx);
  const t0 = performance.now();
  await createConfigMaps(ctx.kube, ns, count, (i) => ({
    name: `unmanaged-${i}`,
    labels: { 'bench.capstan.io/kind': 'unmanaged' },
    data: { index: String(i), payload: 'x'.repeat(64) },
  }));
  const created = (performance.now() - t0) / 1000;
  const objects1 = await waitForObjects(ctx, objects0 + count);
  const heap1 = await settledHeap(ctx);
  const figures = {
    bytes_per_unmanaged_object: Math.round((heap1 - heap0) / count),
    unmanaged_objects_created_per_s: Math.round(count / created),
  };
  return {
    figures,
    summary:
      `unmanaged objects: ${count} ConfigMaps (no tracking) created in ${created.toFixed(1)} s; cache ${objects0} → ` +
      `${objects1} objects; V8 heap used after forced GC (inspector HeapProfiler.collectGarbage, least of 3) ` +
      `${mib(heap0)} → ${mib(heap1)} MiB = ${figures.bytes_per_unmanaged_object} B/object`,
  };
}

/**
 * Heap growth per ConfigMap when `count` ConfigMaps tracked by 10 Applications appear. The objects are
 * in Git (each app's path holds its share) but created directly with the tracking annotation, as a
 * sync would leave them, rather than by syncing (the apps have no automated sync): the figure covers
 * the cache's full copy, the apps' status entries and their comparisons, not the sync path.
 */
export async function managedBytesSection(
  ctx: BenchContext,
  count: number,
): Promise<{ figures: Record<string, number>; summary: string }> {
  const appCount = 10;
  const per = Math.ceil(count / appCount);
  const ns = 'managed-objects';
  const data = (a: number, j: number): Record<string, string> => ({ app: `managed-${a}`, index: String(j) });
  const files: Record<string, string> = {};
  for (let a = 0; a < appCount; a++)
    for (let j = 0; j < per; j++)
      files[`managed/app-${a}/cm-${j}.yaml`] =
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m-${a}-${j}\ndata: ${JSON.stringify(data(a, j))}\n`;
  await ctx.gitRoot.createRepo('managed', files);
  await ctx.createNamespace(ns);
  for (let a = 0; a < appCount; a++)
    await ctx.createApp(`managed-${a}`, {
      project: 'default',
      source: { repoURL: `${ctx.gitBaseUrl}/managed.git`, targetRevision: 'main', path: `managed/app-${a}` },
      destination: { server: 'https://kubernetes.default.svc', namespace: ns },
    });
  const compared = async (want: string): Promise<boolean> => {
    const list = await ctx.listApps();
    return list.filter((x) => x.name.startsWith('managed-') && x.sync === want).length === appCount;
  };
  const until = async (want: string, timeoutMs: number): Promise<boolean> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await compared(want))) {
      if (Date.now() > deadline) return false;
      await sleep(500);
    }
    return true;
  };
  if (!(await until('OutOfSync', 180_000))) throw new Error('the managed apps were never compared');
  const objects0 = await ctx.metric(OBJECTS_METRIC);
  const heap0 = await settledHeap(ctx);
  const t0 = performance.now();
  await createConfigMaps(ctx.kube, ns, appCount * per, (i) => {
    const a = Math.floor(i / per);
    const j = i % per;
    return {
      name: `m-${a}-${j}`,
      annotations: { 'argocd.argoproj.io/tracking-id': `managed-${a}:/ConfigMap:${ns}/m-${a}-${j}` },
      data: data(a, j),
    };
  });
  const created = (performance.now() - t0) / 1000;
  const objects1 = await waitForObjects(ctx, objects0 + appCount * per);
  const synced = await until('Synced', 180_000);
  const heap1 = await settledHeap(ctx);
  const figures = {
    bytes_per_managed_object: Math.round((heap1 - heap0) / (appCount * per)),
    managed_apps_synced: synced ? 1 : 0,
  };
  return {
    figures,
    summary:
      `managed objects: ${appCount * per} ConfigMaps with tracking annotations of ${appCount} apps (also in their ` +
      `Git paths; created directly, not synced) in ${created.toFixed(1)} s; cache ${objects0} → ${objects1}; ` +
      `apps ${synced ? 'all Synced' : 'NOT all Synced'}; heap after forced GC ${mib(heap0)} → ${mib(heap1)} MiB = ` +
      `${figures.bytes_per_managed_object} B/object (cache copies + app status entries)`,
  };
}

const mib = (b: number): string => (b / 1024 / 1024).toFixed(1);
