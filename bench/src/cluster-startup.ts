// npm run bench:cluster — warm start of one local cluster and of two at once (toolchain already built),
// and the idle resident memory of one cluster's processes. Last line: JSON figures.
import { startLocalCluster } from '@capstan/testkit';
import { median, rssMiB } from './rss.ts';

const runs = Number(process.env['BENCH_RUNS'] ?? '3');
const idleMs = Number(process.env['BENCH_IDLE_MS'] ?? '10000');

const one: number[] = [];
const rss: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const c = await startLocalCluster({ name: `bench-${i}` });
  one.push(Math.round(performance.now() - t0));
  if (i === 0) {
    await new Promise((r) => setTimeout(r, idleMs));
    for (const pid of c.pids) rss.push(await rssMiB(pid));
  }
  await c.stop();
}
const two: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const cs = await Promise.all([
    startLocalCluster({ name: `bench-a${i}` }),
    startLocalCluster({ name: `bench-b${i}` }),
  ]);
  two.push(Math.round(performance.now() - t0));
  await Promise.all(cs.map((c) => c.stop()));
}
const idleRss = Math.round(rss.reduce((a, b) => a + b, 0));
console.error(
  `one cluster: ${median(one)} ms; two at once: ${median(two)} ms; idle RSS per cluster: ${idleRss} MiB`,
);
console.log(
  JSON.stringify({
    bench: 'cluster',
    runs,
    oneClusterStartMs: median(one),
    twoClustersStartMs: median(two),
    idleRssPerClusterMiB: idleRss,
    idleRssByProcessMiB: {
      etcd: rss[0],
      'kube-apiserver': rss[1],
      'kube-controller-manager': rss[2],
      'kube-scheduler': rss[3],
      kwok: rss[4],
    },
  }),
);
