// npm run bench:services — for each service: time from spawn to gRPC health SERVING (median of runs),
// and resident memory after it has sat idle for a few seconds. Last line: JSON figures.
import { startRedis, startService, type ServiceName } from '@capstan/testkit';
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
const results: Record<string, { startupMs: number; idleRssMiB: number }> = {};
for (const name of names) {
  const startups: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const svc = await startService({ name, redisUrl: redis.url, mode });
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
console.log(JSON.stringify({ bench: 'services', mode, runs, idleMs, node: process.version, results }));
