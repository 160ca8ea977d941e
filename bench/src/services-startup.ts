// npm run bench:services — for each service: time from spawn to gRPC health SERVING (median of runs),
// and resident memory after it has sat idle for a few seconds. Last line: JSON figures.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ResourceClient } from '@capstan/kube';
import {
  prepareCluster,
  startLocalCluster,
  startRedis,
  startService,
  type ServiceName,
} from '@capstan/testkit';
import { median, rssMiB } from './rss.ts';

const names: ServiceName[] = [
  'api-server',
  'repo-server',
  'application-controller',
  'applicationset-controller',
  'notifications',
];
const runs = Number(process.env['BENCH_RUNS'] ?? '3');
const idleMs = Number(process.env['BENCH_IDLE_MS'] ?? '5000');
// 'dist' measures the compiled code the images run (run `npm run build` first); 'source' is `npm start`.
const mode = process.env['BENCH_MODE'] === 'dist' ? 'dist' : 'source';

await using redis = await startRedis();
// The application-controller manages a cluster: it starts against a local one with Capstan installed.
const cluster = await startLocalCluster({ name: 'bench-services' });
const work = await mkdtemp(join(tmpdir(), 'capstan-bench-services-'));
const kubeconfigPath = join(work, 'kubeconfig');
await writeFile(kubeconfigPath, cluster.kubeconfig);
const kc = new KubeConfig();
kc.loadFromString(cluster.kubeconfig);
await prepareCluster(new ResourceClient(kc), 'argocd');
const envFor = (name: ServiceName): Record<string, string> =>
  name === 'application-controller' ? { CAPSTAN_KUBECONFIG: kubeconfigPath } : {};
const results: Record<string, { startupMs: number; idleRssMiB: number }> = {};
for (const name of names) {
  const startups: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const svc = await startService({ name, redisUrl: redis.url, mode, env: envFor(name) });
    startups.push(Math.round(performance.now() - t0));
    await new Promise((r) => setTimeout(r, idleMs));
    rss.push(await rssMiB(svc.pid));
    const exit = await svc.stop();
    if (exit.code !== 0) throw new Error(`${name} exited ${exit.code} on SIGTERM`);
  }
  results[name] = { startupMs: median(startups), idleRssMiB: median(rss) };
  console.error(
    `${name}: spawn→SERVING ${median(startups)} ms, idle RSS ${median(rss)} MiB (median of ${runs})`,
  );
}
await cluster.stop();
await rm(work, { recursive: true, force: true });
console.log(JSON.stringify({ bench: 'services', mode, runs, idleMs, node: process.version, results }));
