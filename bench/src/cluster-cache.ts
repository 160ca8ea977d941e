// npm run bench:cluster-cache — the application-controller's cluster cache on a local cluster holding
// 2,000 tracked ConfigMaps (20 namespaces, 20 apps): time to discover and list everything, objects held,
// process RSS afterwards, and the cost of reading one app's tree (what a refresh pays). Last line: JSON.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { ClusterCache, type KubeObject } from '@capstan/cluster-cache';
import { KubeTransport } from '@capstan/kube';
import { startLocalCluster } from '@capstan/testkit';
import { median } from './rss.ts';

const objects = Number(process.env['BENCH_OBJECTS'] ?? '2000');
const namespaces = Number(process.env['BENCH_NAMESPACES'] ?? '20');
const apps = Number(process.env['BENCH_APPS'] ?? '20');
const runs = Number(process.env['BENCH_RUNS'] ?? '3');
const trackingKey = 'argocd.argoproj.io/tracking-id';

const appOf = (o: KubeObject): string | undefined => o.metadata?.annotations?.[trackingKey]?.split(':')[0];

// A real GC before reading the heap, so it shows what is held rather than garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMiB = async (): Promise<number> => {
  // Several passes with turns of the event loop between them: freed sockets and closures need a few.
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Runs `fn` over `items` with at most `width` in flight. */
async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const cluster = await startLocalCluster({ name: 'bench-cache' });
try {
  const kc = (): KubeConfig => {
    const c = new KubeConfig();
    c.loadFromString(cluster.kubeconfig);
    return c;
  };
  const core = kc().makeApiClient(CoreV1Api);
  const nsNames = Array.from({ length: namespaces }, (_, i) => `bench-${i}`);
  await pool(nsNames, 10, (name) => core.createNamespace({ body: { metadata: { name } } }));
  const t0 = performance.now();
  await pool(
    Array.from({ length: objects }, (_, i) => i),
    32,
    (i) => {
      const ns = nsNames[i % namespaces]!;
      const name = `cm-${i}`;
      const annotations = { [trackingKey]: `app-${i % apps}:/ConfigMap:${ns}/${name}` };
      return core.createNamespacedConfigMap({
        namespace: ns,
        body: { metadata: { name, annotations }, data: { index: String(i), payload: 'x'.repeat(256) } },
      });
    },
  );
  console.error(`created ${objects} ConfigMaps in ${Math.round(performance.now() - t0)} ms`);

  const listMs: number[] = [];
  const unthrottledMs: number[] = [];
  let result: Record<string, unknown> = {};
  for (let run = 0; run < runs * 2; run++) {
    // Odd runs lift the transport's rate limit (50 qps, burst 100 by default), which otherwise decides
    // how long the ~140 discovery, list and watch requests of a start take.
    const unthrottled = run % 2 === 1;
    let requests = 0;
    const onRequest = (): void => void requests++;
    const cache = new ClusterCache({
      kubeConfig: kc(),
      server: 'bench',
      appOf,
      onRequest,
      ...(unthrottled ? { transport: new KubeTransport(kc(), { qps: 1e6, burst: 1e6, onRequest }) } : {}),
    });
    const s = performance.now();
    await cache.start();
    (unthrottled ? unthrottledMs : listMs).push(Math.round(performance.now() - s));
    const info = cache.info();
    const lookups = 20_000;
    let sink = 0;
    const l0 = performance.now();
    for (let i = 0; i < lookups; i++) sink += cache.tree(`app-${i % apps}`).length;
    const treeUs = ((performance.now() - l0) * 1000) / lookups;
    const m0 = performance.now();
    for (let i = 0; i < lookups; i++) sink += cache.managedObjects(`app-${i % apps}`).length;
    const managedUs = ((performance.now() - m0) * 1000) / lookups;
    if (sink === 0) throw new Error('empty trees');
    if (!unthrottled)
      result = {
        objects: info.objectCount,
        api_resources: info.apiResourceCount,
        requests,
        app_tree_size: cache.tree('app-0').length,
        tree_lookup_us: Math.round(treeUs * 100) / 100,
        managed_objects_us: Math.round(managedUs * 100) / 100,
        heap_used_mb: round1(await heapMiB()),
        rss_mb: round1(process.memoryUsage().rss / 2 ** 20),
      };
    await cache.stop();
  }
  console.error(
    `start (discover + list all): ${listMs.join(', ')} ms; unthrottled: ${unthrottledMs.join(', ')} ms`,
  );
  console.log(
    JSON.stringify({
      bench: 'cluster-cache',
      runs,
      list_ms: median(listMs),
      list_ms_unthrottled: median(unthrottledMs),
      ...result,
    }),
  );
} finally {
  await cluster.stop();
}
