// npm run bench:repo-server — a real repo-server process over gRPC with real Redis, Git over HTTP, helm
// and kustomize. Prints the figures as JSON on the last line.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createRepoServerClient, type reposerver } from '@capstan/proto';
import {
  createGitRoot,
  locateToolchain,
  startGitHttpServer,
  startRedis,
  startService,
} from '@capstan/testkit';
import { median } from './rss.ts';

const run = promisify(execFile);
const mode = process.env['BENCH_MODE'] === 'dist' ? 'dist' : 'source';
const percentile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0) * 100) / 100;
};
const time = async (fn: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

const deployment = (name: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers: [{name: c, image: "nginx:1.27"}]\n`;

const files: Record<string, string> = {
  'dir/a.yaml': deployment('a'),
  'dir/b.yaml': deployment('b'),
  'kustomize/base/kustomization.yaml': 'resources:\n- deploy.yaml\n',
  'kustomize/base/deploy.yaml': deployment('k'),
  'kustomize/overlay/kustomization.yaml': 'resources:\n- ../base\n',
  'chart/Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n',
  'chart/values.yaml': 'replicas: 2\n',
  'chart/templates/deploy.yaml': deployment('{{ .Release.Name }}'),
};
for (let i = 0; i < 50; i++) {
  const n = String(i).padStart(2, '0');
  files[`apps/app-${n}/base/kustomization.yaml`] = 'resources:\n- deploy.yaml\n';
  files[`apps/app-${n}/base/deploy.yaml`] = deployment(`app-${n}`);
  files[`apps/app-${n}/overlays/production/kustomization.yaml`] = 'resources:\n- ../../base\n';
}

const tc = locateToolchain();
await using redis = await startRedis();
await using gitRoot = await createGitRoot();
const repo = await gitRoot.createRepo('bench', files);
await using git = await startGitHttpServer({ root: gitRoot.dir });
const url = `${git.baseUrl}/bench.git`;
const cacheDir = await mkdtemp(join(tmpdir(), 'capstan-bench-repo-'));
await using svc = await startService({
  name: 'repo-server',
  redisUrl: redis.url,
  mode,
  env: { CAPSTAN_REPO_CACHE_DIR: cacheDir },
});
const client = createRepoServerClient({ address: svc.grpcAddress, timeoutMs: 120_000 });
const metric = async (result: string): Promise<number> => {
  const text = await (await fetch(`${svc.metricsUrl}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`capstan_repo_manifest_cache_total{result="${result}"`));
  return Number(line?.split(' ').pop() ?? 0);
};
const req = (source: Record<string, unknown>, app = 'bench'): reposerver.ManifestRequest => ({
  repo: { repo: url },
  source: { repoURL: url, targetRevision: 'main', ...source },
  appName: app,
  namespace: 'default',
  kubeVersion: '1.36.3',
});

try {
  // Cache hits: the same request again and again, after one render.
  const hitReq = req({ path: 'kustomize/overlay', kustomize: { namePrefix: 'p-' } });
  await client.generateManifest(hitReq);
  for (let i = 0; i < 200; i++) await client.generateManifest(hitReq); // warm the client and the server (JIT)
  const hits: number[] = [];
  for (let i = 0; i < 1000; i++) hits.push(await time(() => client.generateManifest(hitReq)));

  // Renders are measured at a pinned commit: a hard refresh of a branch would add an ls-remote round trip,
  // which is Git's time, not rendering's.
  const head = await repo.git('rev-parse', 'HEAD');
  const renders = async (source: Record<string, unknown>, n: number): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < 3; i++)
      await client.generateManifest({ ...req(source), revision: head, noCache: true });
    for (let i = 0; i < n; i++)
      out.push(await time(() => client.generateManifest({ ...req(source), revision: head, noCache: true })));
    return out;
  };
  const dir = await renders({ path: 'dir' }, 20);
  const kustomize = await renders(
    { path: 'kustomize/overlay', kustomize: { namePrefix: 'p-', commonLabels: { env: 'bench' } } },
    20,
  );
  const helm = await renders(
    { path: 'chart', helm: { releaseName: 'r', valuesObject: { replicas: 3 } } },
    20,
  );
  // helm's own run time on the same chart, to isolate what the repo-server adds around it.
  const chartDir = join(await mkdtemp(join(tmpdir(), 'capstan-bench-chart-')), 'chart');
  await run('git', ['clone', '-q', url, join(chartDir, '..', 'clone')]);
  const helmAlone: number[] = [];
  for (let i = 0; i < 23; i++) {
    helmAlone.push(
      await time(() =>
        run(tc.helm, [
          'template',
          join(chartDir, '..', 'clone', 'chart'),
          '--name-template',
          'r',
          '--namespace',
          'default',
          '--kube-version',
          '1.36.3',
          '--include-crds',
        ]),
      ),
    );
  }
  helmAlone.splice(0, 3); // the same warm-up as the renders
  await rm(join(chartDir, '..'), { recursive: true, force: true });

  // Monorepo: 50 apps rendered, then a commit that touches one of them, then all 50 at once.
  const apps = Array.from({ length: 50 }, (_, i) => String(i).padStart(2, '0'));
  const appReq = (n: string): reposerver.ManifestRequest => ({
    ...req({ path: `apps/app-${n}/overlays/production`, kustomize: { namePrefix: 'prod-' } }, `app-${n}`),
    noRevisionCache: true,
  });
  await Promise.all(apps.map((n) => client.generateManifest(appReq(n))));
  await repo.write({ 'apps/app-07/base/deploy.yaml': deployment('app-07-v2') });
  await repo.commit('touch one app of the monorepo');
  const missesBefore = await metric('miss');
  const monorepoMs = await time(() => Promise.all(apps.map((n) => client.generateManifest(appReq(n)))));
  const renderedApps = (await metric('miss')) - missesBefore;

  const figures = {
    bench: 'repo-server',
    mode,
    cache_hit_p50_ms: percentile(hits, 50),
    cache_hit_p99_ms: percentile(hits, 99),
    render_dir_p50_ms: Math.round(median(dir)),
    render_kustomize_p50_ms: Math.round(median(kustomize)),
    render_helm_p50_ms: Math.round(median(helm)),
    helm_alone_p50_ms: Math.round(median(helmAlone)),
    helm_overhead_ms: Math.round(median(helm) - median(helmAlone)),
    monorepo_50_apps_ms: Math.round(monorepoMs),
    monorepo_rendered_apps: renderedApps,
    monorepo_reused_apps: await metric('reused'),
  };
  console.error(
    `cache hit p50 ${figures.cache_hit_p50_ms} ms, p99 ${figures.cache_hit_p99_ms} ms; render dir ${figures.render_dir_p50_ms} ms, kustomize ${figures.render_kustomize_p50_ms} ms, helm ${figures.render_helm_p50_ms} ms (helm alone ${figures.helm_alone_p50_ms} ms); monorepo 50 apps ${figures.monorepo_50_apps_ms} ms, rendered ${renderedApps}`,
  );
  console.log(JSON.stringify(figures));
} finally {
  client.close();
  await rm(cacheDir, { recursive: true, force: true });
}
