import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig, Watch, type KubernetesObject } from '@kubernetes/client-node';
import { Redis } from 'ioredis';
import { KubeTransport, ResourceClient } from '@capstan/kube';
import {
  createGitRoot,
  freePort,
  prepareCluster,
  startGitHttpServer,
  startLocalCluster,
  startRedis,
  startService,
  toolEnv,
  type GitRoot,
  type LocalCluster,
  type ServiceProcess,
} from '@capstan/testkit';
import { connectInspector, type Inspector } from './inspector.ts';
import { inParallel } from './proc-stats.ts';

export const CONTROL_NAMESPACE = 'argocd';

/** What the list of Applications says about each app (one LIST, not N GETs). */
export interface AppSummary {
  readonly name: string;
  readonly sync?: string;
  readonly health?: string;
  readonly revision?: string;
  readonly reconciledAt?: string;
}

/** Everything the sections share: one cluster, Redis, Git over HTTP, a repo-server and the controller. */
export interface BenchContext {
  readonly cluster: LocalCluster;
  /** A client with a generous rate limit: the bench must not be the bottleneck. */
  readonly kube: ResourceClient;
  readonly redis: Redis;
  readonly gitRoot: GitRoot;
  readonly gitBaseUrl: string;
  readonly repoServer: ServiceProcess;
  readonly controller: ServiceProcess;
  readonly inspector: Inspector;
  /** Sum of a metric's samples on the controller's /metrics. */
  metric(name: string): Promise<number>;
  listApps(): Promise<AppSummary[]>;
  /** Calls `onApp` for every Application now and at every change, until the returned stop is called. */
  watchApps(onApp: (app: AppSummary) => void): () => void;
  getApp(name: string): Promise<AppSummary | undefined>;
  createApp(name: string, spec: Record<string, unknown>): Promise<void>;
  createNamespace(name: string): Promise<void>;
  /** kube-apiserver's apiserver_request_total by `resource verb` (what every client sent it). */
  apiserverRequests(): Promise<Map<string, number>>;
  /** Processes whose CPU the summary reports. */
  processes(): { label: string; pid: number }[];
}

function summary(a: {
  metadata?: { name?: string };
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string };
    reconciledAt?: string;
  };
}): AppSummary {
  const s = a.status;
  return {
    name: a.metadata?.name ?? '',
    ...(s?.sync?.status === undefined ? {} : { sync: s.sync.status }),
    ...(s?.health?.status === undefined ? {} : { health: s.health.status }),
    ...(s?.sync?.revision === undefined ? {} : { revision: s.sync.revision }),
    ...(s?.reconciledAt === undefined ? {} : { reconciledAt: s.reconciledAt }),
  };
}

/**
 * CAPSTAN_* variables set for the bench go to the controller (e.g. CAPSTAN_KUBE_CLIENT_QPS to see what a
 * setting changes); without any, the controller runs with the defaults a production install gets.
 */
export function controllerOverrides(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[0].startsWith('CAPSTAN_') && e[1] !== undefined,
    ),
  );
}

export async function withBenchContext<T>(
  run: (ctx: BenchContext) => Promise<T>,
  options: { controllerEnv?: Record<string, string> } = {},
): Promise<T> {
  const work = await mkdtemp(join(tmpdir(), 'capstan-bench-controller-'));
  const cluster = await startLocalCluster({ name: 'bench-controller' });
  const redisServer = await startRedis();
  const gitRoot = await createGitRoot();
  const git = await startGitHttpServer({ root: gitRoot.dir });
  const redis = new Redis(redisServer.url);
  try {
    const kc = new KubeConfig();
    kc.loadFromString(cluster.kubeconfig);
    const transport = new KubeTransport(kc, { qps: 2000, burst: 2000 });
    const kube = new ResourceClient({ kubeConfig: kc, transport });
    await prepareCluster(kube, CONTROL_NAMESPACE, { reconciliationTimeout: '180s' });
    const kubeconfigPath = join(work, 'kubeconfig');
    await writeFile(kubeconfigPath, cluster.kubeconfig);
    await using repoServer = await startService({
      name: 'repo-server',
      redisUrl: redisServer.url,
      env: { ...toolEnv(), CAPSTAN_REPO_CACHE_DIR: join(work, 'repo-cache') },
    });
    // The inspector lets the bench force a GC before reading the heap (and take a CPU profile).
    const inspectPort = await freePort();
    await using controller = await startService({
      name: 'application-controller',
      redisUrl: redisServer.url,
      env: {
        CAPSTAN_KUBECONFIG: kubeconfigPath,
        CAPSTAN_REPO_SERVER_ADDRESS: repoServer.grpcAddress,
        NODE_OPTIONS: `--inspect=127.0.0.1:${inspectPort}`,
        ...(process.env['BENCH_LOG_LEVEL'] === undefined
          ? {}
          : { CAPSTAN_LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] }),
        ...controllerOverrides(),
        ...options.controllerEnv,
      },
      startTimeoutMs: 60_000,
    });
    const inspector = await connectInspector(inspectPort);
    const appsPath = `/apis/argoproj.io/v1alpha1/namespaces/${CONTROL_NAMESPACE}/applications`;
    const ctx: BenchContext = {
      cluster,
      kube,
      redis,
      gitRoot,
      gitBaseUrl: git.baseUrl,
      repoServer,
      controller,
      inspector,
      metric: async (name) =>
        (await (await fetch(`${controller.metricsUrl}/metrics`)).text())
          .split('\n')
          .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
          .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0),
      listApps: async () => {
        const list = (await kube.getRaw(appsPath)) as { items: Parameters<typeof summary>[0][] };
        return list.items.map(summary);
      },
      watchApps: (onApp) => {
        let stopped = false;
        let abort: AbortController | undefined;
        // A LIST, then a watch from its resourceVersion; if the watch ends early, again.
        const run = async (): Promise<void> => {
          while (!stopped) {
            const list = (await kube.getRaw(appsPath)) as {
              metadata?: { resourceVersion?: string };
              items: Parameters<typeof summary>[0][];
            };
            list.items.forEach((a) => onApp(summary(a)));
            await new Promise<void>((resolve) => {
              void new Watch(kc)
                .watch(
                  appsPath,
                  { resourceVersion: list.metadata?.resourceVersion ?? '', allowWatchBookmarks: true },
                  (type, obj) => {
                    if (type !== 'BOOKMARK') onApp(summary(obj as Parameters<typeof summary>[0]));
                  },
                  () => resolve(),
                )
                .then(
                  (a) => {
                    abort = a;
                    if (stopped) a.abort();
                  },
                  () => resolve(),
                );
            });
          }
        };
        void run().catch((err: unknown) => console.error(`watching applications failed: ${String(err)}`));
        return () => {
          stopped = true;
          abort?.abort();
        };
      },
      getApp: async (name) => {
        const app = await kube.get({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name, namespace: CONTROL_NAMESPACE },
        });
        return app === undefined ? undefined : summary(app);
      },
      createApp: async (name, spec) => {
        await kube.create({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name, namespace: CONTROL_NAMESPACE },
          spec,
        } as KubernetesObject);
      },
      createNamespace: async (name) => {
        await kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      },
      apiserverRequests: async () => {
        const res = await transport.request('GET', '/metrics', { verb: 'Get', resourceKind: 'metrics' });
        const out = new Map<string, number>();
        for (const line of res.body.split('\n')) {
          if (!line.startsWith('apiserver_request_total{')) continue;
          const label = (k: string): string => new RegExp(`[{,]${k}="([^"]*)"`).exec(line)?.[1] ?? '';
          const key = `${label('resource')}${label('subresource') === '' ? '' : `/${label('subresource')}`} ${label('verb')}`;
          out.set(key, (out.get(key) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
        }
        return out;
      },
      processes: () => [
        { label: 'controller', pid: controller.pid },
        { label: 'repo-server', pid: repoServer.pid },
        ...cluster.pids.map((pid, i) => ({ label: `cluster#${i}`, pid })),
        { label: 'bench', pid: process.pid },
      ],
    };
    const out = await run(ctx);
    inspector.close();
    if (process.env['BENCH_LOG_FILE'] !== undefined)
      await writeFile(process.env['BENCH_LOG_FILE'], controller.output.join('\n'));
    return out;
  } finally {
    redis.disconnect();
    await git.close();
    await gitRoot.close();
    await redisServer.stop();
    await cluster.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/** Creates `count` ConfigMaps in a namespace, 50 at a time. */
export async function createConfigMaps(
  kube: ResourceClient,
  namespace: string,
  count: number,
  make: (i: number) => {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    data: Record<string, string>;
  },
): Promise<void> {
  await inParallel(count, 50, async (i) => {
    const cm = make(i);
    await kube.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: cm.name,
        namespace,
        ...(cm.labels === undefined ? {} : { labels: cm.labels }),
        ...(cm.annotations === undefined ? {} : { annotations: cm.annotations }),
      },
      data: cm.data,
    } as KubernetesObject);
  });
}
