// npm run bench:controller — the application-controller on a local cluster: N Applications (each a Deployment,
// a Service and ConfigMaps, auto-synced) applied at once; how long until each is Synced and Healthy, what an
// unchanged refresh costs in destination API requests, and the controller's resident memory with it all
// running. Last line: JSON figures.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { ResourceClient } from '@capstan/kube';
import {
  createGitRoot,
  prepareCluster,
  startGitHttpServer,
  startLocalCluster,
  startRedis,
  startService,
  toolEnv,
} from '@capstan/testkit';
import { median, rssMiB } from './rss.ts';

const apps = Number(process.env['BENCH_APPS'] ?? '30');
const configMaps = Number(process.env['BENCH_CONFIGMAPS'] ?? '8');

function appFiles(i: number): Record<string, string> {
  const files: Record<string, string> = {};
  const dir = `apps/app-${i}`;
  files[`${dir}/deploy.yaml`] =
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx:1.27, ports: [{containerPort: 80}]}]\n`;
  files[`${dir}/svc.yaml`] =
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n`;
  for (let c = 0; c < configMaps; c++)
    files[`${dir}/cm-${c}.yaml`] =
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${c}\ndata: {index: "${c}", app: "app-${i}"}\n`;
  return files;
}

const work = await mkdtemp(join(tmpdir(), 'capstan-bench-controller-'));
const cluster = await startLocalCluster({ name: 'bench-controller' });
const redis = await startRedis();
const gitRoot = await createGitRoot();
const git = await startGitHttpServer({ root: gitRoot.dir });
try {
  const files: Record<string, string> = {};
  for (let i = 0; i < apps; i++) Object.assign(files, appFiles(i));
  await gitRoot.createRepo('apps', files);
  const repoUrl = `${git.baseUrl}/apps.git`;
  const kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  const kube = new ResourceClient(kc);
  await prepareCluster(kube, 'argocd', { reconciliationTimeout: '180s' });
  const kubeconfigPath = join(work, 'kubeconfig');
  await writeFile(kubeconfigPath, cluster.kubeconfig);
  const repoServer = await startService({
    name: 'repo-server',
    redisUrl: redis.url,
    env: { ...toolEnv(), CAPSTAN_REPO_CACHE_DIR: join(work, 'repo-cache') },
  });
  const controller = await startService({
    name: 'application-controller',
    redisUrl: redis.url,
    env: {
      CAPSTAN_KUBECONFIG: kubeconfigPath,
      CAPSTAN_REPO_SERVER_ADDRESS: repoServer.grpcAddress,
      ...(process.env['BENCH_LOG_LEVEL'] === undefined
        ? {}
        : { CAPSTAN_LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] }),
    },
    startTimeoutMs: 60_000,
  });
  const metric = async (name: string): Promise<number> =>
    (await (await fetch(`${controller.metricsUrl}/metrics`)).text())
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
      .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  const appRef = (i: number): KubernetesObject => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: `app-${i}`, namespace: 'argocd' },
  });
  const status = async (i: number): Promise<{ sync?: string; health?: string; reconciledAt?: string }> => {
    const a = (await kube.get(appRef(i))) as
      | { status?: { sync?: { status?: string }; health?: { status?: string }; reconciledAt?: string } }
      | undefined;
    return {
      ...(a?.status?.sync?.status === undefined ? {} : { sync: a.status.sync.status }),
      ...(a?.status?.health?.status === undefined ? {} : { health: a.status.health.status }),
      ...(a?.status?.reconciledAt === undefined ? {} : { reconciledAt: a.status.reconciledAt }),
    };
  };

  const appliedAt: number[] = [];
  const readyAt: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < apps; i++) {
    await kube.apply({
      ...appRef(i),
      spec: {
        project: 'default',
        source: { repoURL: repoUrl, targetRevision: 'main', path: `apps/app-${i}` },
        destination: { server: 'https://kubernetes.default.svc', namespace: `bench-${i}` },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
      },
    } as KubernetesObject);
    appliedAt[i] = performance.now();
  }
  const deadline = Date.now() + 600_000;
  while (readyAt.filter((x) => x !== undefined).length < apps) {
    if (Date.now() > deadline) throw new Error('not every app became Synced and Healthy within 10 min');
    for (let i = 0; i < apps; i++) {
      if (readyAt[i] !== undefined) continue;
      const s = await status(i);
      if (s.sync === 'Synced' && s.health === 'Healthy') readyAt[i] = performance.now();
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const allSyncedMs = Math.round(performance.now() - t0);
  const perApp = readyAt.map((r, i) => Math.round(r - (appliedAt[i] ?? 0)));

  // Unchanged refresh: ask every app for a normal refresh and count destination API requests.
  await new Promise((r) => setTimeout(r, 3000));
  const before = await metric('argocd_app_k8s_request_total');
  const reconciled = await Promise.all(Array.from({ length: apps }, (_, i) => status(i)));
  await new Promise((r) => setTimeout(r, 1100));
  for (let i = 0; i < apps; i++)
    await kube.patch(
      appRef(i),
      { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } },
      'application/merge-patch+json',
    );
  for (let i = 0; i < apps; i++) {
    for (;;) {
      const s = await status(i);
      if (s.reconciledAt !== reconciled[i]?.reconciledAt) break;
      if (Date.now() > deadline) throw new Error(`app-${i} was not refreshed`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const requests = (await metric('argocd_app_k8s_request_total')) - before;
  const rss = await rssMiB(controller.pid);
  const objects = await metric('argocd_cluster_api_resource_objects');
  const cpuSeconds = await metric('process_cpu_seconds_total');
  const requestsTotal = await metric('argocd_app_k8s_request_total');
  console.error(
    `${apps} apps × ${configMaps + 2} resources: all Synced+Healthy in ${allSyncedMs} ms ` +
      `(per app p50 ${median(perApp)} ms, max ${Math.max(...perApp)} ms); ` +
      `unchanged refresh: ${requests} destination API requests for ${apps} apps; controller RSS ${rss} MiB`,
  );
  console.log(
    JSON.stringify({
      bench: 'controller',
      apps,
      resources_per_app: configMaps + 2,
      all_synced_healthy_ms: allSyncedMs,
      apply_to_synced_healthy_p50_ms: median(perApp),
      apply_to_synced_healthy_max_ms: Math.max(...perApp),
      api_requests_per_unchanged_refresh: Math.round((requests / apps) * 100) / 100,
      cluster_objects_cached: objects,
      controller_rss_mib: rss,
      controller_cpu_s: Math.round(cpuSeconds * 10) / 10,
      destination_api_requests_total: requestsTotal,
    }),
  );
  if (process.env['BENCH_LOG_FILE'] !== undefined)
    await writeFile(process.env['BENCH_LOG_FILE'], controller.output.join('\n'));
  await controller[Symbol.asyncDispose]();
  await repoServer[Symbol.asyncDispose]();
} finally {
  await git.close();
  await gitRoot.close();
  await redis.stop();
  await cluster.stop();
  await rm(work, { recursive: true, force: true });
}
