// One real Capstan control plane for the controller's end-to-end tests: a local cluster (the controller's
// own, and the in-cluster destination), Redis, Git over HTTP, and the repo-server and
// application-controller as child processes, the way `npm start` runs them.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parseManifests, type Application } from '@capstan/crds';
import { ResourceClient, secretTypeLabel } from '@capstan/kube';
import {
  createGitRoot,
  eventually,
  podBehaviourLabel,
  prepareCluster,
  seedDir,
  startGitHttpServer,
  startRedis,
  startService,
  startTestCluster,
  toolEnv,
  type GitHttpServer,
  type GitRepo,
  type ExitResult,
  type GitRoot,
  type LocalCluster,
  type ServiceProcess,
  type TestCluster,
  type TestRedis,
} from '@capstan/testkit';

export const controlNamespace = 'argocd';
/** The article's placeholder repository; the tests serve it locally and point the seed at it. */
export const seedRepoUrl = 'https://github.com/myorg/k8s-manifests.git';

export type Obj = KubernetesObject & Record<string, unknown>;

export interface ControllerFixture extends AsyncDisposable {
  readonly cluster: TestCluster;
  readonly redis: TestRedis;
  readonly git: GitHttpServer;
  readonly repo: GitRepo;
  /** Where the test serves the manifests repository. */
  readonly repoUrl: string;
  readonly repoServer: ServiceProcess;
  /** The first replica (controller-0) as it runs now. */
  readonly controller: ServiceProcess;
  /** The replicas as they run now: index i is `controller-<i>` (a stopped one stays until restarted). */
  readonly controllers: readonly ServiceProcess[];
  /** Stops replica i with a signal (SIGTERM: graceful hand-over; SIGKILL: a crash). */
  stopReplica(i: number, signal?: NodeJS.Signals): Promise<ExitResult>;
  /** Starts replica i again with the same id and environment (after stopReplica). */
  startReplica(i: number): Promise<ServiceProcess>;
  readonly kube: ResourceClient;
  /** A seed manifest (by file name), parsed; the placeholder repository URL is replaced by ours. */
  seed(file: string): Promise<Obj[]>;
  apply(obj: Obj): Promise<Obj>;
  get(apiVersion: string, kind: string, name: string, namespace?: string): Promise<Obj | undefined>;
  app(name: string): Promise<Application | undefined>;
  /** Merge-patches an Application (e.g. to set `operation`). */
  patchApp(name: string, patch: Record<string, unknown>): Promise<void>;
  waitApp(
    name: string,
    what: string,
    ok: (app: Application) => boolean,
    timeoutMs?: number,
  ): Promise<Application>;
  metricsText(): Promise<string>;
}

const appRef = (name: string): Obj => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name, namespace: controlNamespace },
});

export async function startControllerFixture(options: {
  files: Readonly<Record<string, string>>;
  controllerEnv?: Readonly<Record<string, string>>;
  /** Controller replicas sharing the work, named controller-0 … controller-<n-1>. @default 1 */
  replicas?: number;
}): Promise<ControllerFixture> {
  const cluster = await startTestCluster({ name: 'controller' });
  const redis = await startRedis();
  const gitRoot: GitRoot = await createGitRoot();
  const git = await startGitHttpServer({ root: gitRoot.dir });
  const repo = await gitRoot.createRepo('k8s-manifests', options.files);
  const repoUrl = `${git.baseUrl}/k8s-manifests.git`;
  const work = await mkdtemp(join(tmpdir(), 'capstan-controller-e2e-'));
  const kubeconfigPath = join(work, 'kubeconfig');
  await writeFile(kubeconfigPath, cluster.kubeconfig);
  const kube = new ResourceClient(cluster.kubeConfig());

  // What an install puts in place: the CRDs, the control-plane namespace, argocd-cm and the default project.
  await prepareCluster(kube, controlNamespace, { reconciliationTimeout: '30s' });

  const repoServer = await startService({
    name: 'repo-server',
    redisUrl: redis.url,
    env: {
      ...toolEnv(),
      CAPSTAN_REPO_CACHE_DIR: join(work, 'repo-cache'),
      CAPSTAN_GIT_TIMEOUT_SECONDS: '10',
      CAPSTAN_REPO_REVISION_CACHE_SECONDS: '1',
    },
  });
  const startReplica = (i: number): Promise<ServiceProcess> =>
    startService({
      name: 'application-controller',
      redisUrl: redis.url,
      env: {
        CAPSTAN_KUBECONFIG: kubeconfigPath,
        CAPSTAN_NAMESPACE: controlNamespace,
        CAPSTAN_REPO_SERVER_ADDRESS: repoServer.grpcAddress,
        CAPSTAN_SYNC_WAVE_DELAY_MS: '500',
        CAPSTAN_CONTROLLER_REPLICA_ID: `controller-${i}`,
        ...options.controllerEnv,
      },
      startTimeoutMs: 60_000,
    });
  const controllers: ServiceProcess[] = await Promise.all(
    Array.from({ length: options.replicas ?? 1 }, (_, i) => startReplica(i)),
  );
  const replica = (i: number): ServiceProcess => {
    const c = controllers[i];
    if (c === undefined) throw new Error(`no controller replica ${i}`);
    return c;
  };
  const logTails = (): string =>
    controllers.map((c, i) => `controller-${i} log tail:\n${c.output.slice(-15).join('\n')}`).join('\n');

  const get = async (
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ): Promise<Obj | undefined> =>
    (await kube.get({
      apiVersion,
      kind,
      metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
    })) as Obj | undefined;
  const app = async (name: string): Promise<Application | undefined> =>
    (await kube.get(appRef(name))) as unknown as Application | undefined;
  return {
    cluster,
    redis,
    git,
    repo,
    repoUrl,
    repoServer,
    get controller() {
      return replica(0);
    },
    controllers,
    stopReplica: (i, signal = 'SIGTERM') => replica(i).stop(signal),
    startReplica: async (i) => {
      replica(i);
      const started = await startReplica(i);
      controllers[i] = started;
      return started;
    },
    kube,
    seed: async (file) => {
      const text = await readFile(join(seedDir, 'manifests', file), 'utf8');
      return parseManifests(text.replaceAll(seedRepoUrl, repoUrl));
    },
    apply: async (obj) => (await kube.apply(obj)) as Obj,
    get,
    app,
    patchApp: async (name, patch) => {
      await kube.patch(appRef(name), patch, 'application/merge-patch+json');
    },
    waitApp: async (name, what, ok, timeoutMs = 60_000) => {
      let last: Application | undefined;
      try {
        return await eventually(
          `application ${name} to be ${what}`,
          async () => {
            last = await app(name);
            return last !== undefined && ok(last) ? last : undefined;
          },
          { timeoutMs, intervalMs: 250 },
        );
      } catch (err) {
        const s = last?.status;
        throw new Error(
          `${(err as Error).message}: sync=${s?.sync?.status ?? '-'} health=${s?.health?.status ?? '-'} ` +
            `op=${s?.operationState?.phase ?? '-'} "${s?.operationState?.message ?? ''}" conditions=${JSON.stringify(s?.conditions ?? [])}\n` +
            logTails(),
          { cause: err },
        );
      }
    },
    metricsText: async () => (await fetch(`${replica(0).metricsUrl}/metrics`)).text(),
    [Symbol.asyncDispose]: async () => {
      await Promise.all(controllers.map((c) => c[Symbol.asyncDispose]()));
      await repoServer[Symbol.asyncDispose]();
      await git.close();
      await gitRoot.close();
      await redis.stop();
      await cluster.stop();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** A PreSync hook Job whose pod never becomes ready: an operation that reaches it waits for ever. */
export const neverFinishingHook = `apiVersion: batch/v1
kind: Job
metadata:
  name: never-done
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  template:
    metadata:
      labels: {${podBehaviourLabel}: not-ready}
    spec:
      restartPolicy: Never
      containers: [{name: wait, image: busybox, command: [sleep, infinity]}]
`;

/** The cluster Secret that registers `remote` under `name`, with its token and CA. */
export function clusterSecret(name: string, remote: LocalCluster): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `cluster-${name}`,
      namespace: controlNamespace,
      labels: { [secretTypeLabel]: 'cluster' },
    },
    type: 'Opaque',
    stringData: {
      name,
      server: remote.server,
      config: JSON.stringify({
        bearerToken: remote.token,
        tlsClientConfig: { insecure: false, caData: Buffer.from(remote.caPem).toString('base64') },
      }),
    },
  };
}

export const isSyncedHealthy = (a: Application): boolean =>
  a.status?.sync?.status === 'Synced' && a.status.health?.status === 'Healthy';
