// npm start — the whole system on this machine: a local Kubernetes cluster as the in-cluster target,
// Redis, the five services from source, and a demo Application (the seed's sync-wave example, served
// from a local Git repository) that the controller syncs. Stays in the foreground; Ctrl-C stops what
// it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { KubeConfig } from '@kubernetes/client-node';
import { ResourceClient } from '@capstan/kube';
import { ensureNamedCluster, stopNamedCluster } from '../cluster/named-cluster.ts';
import { prepareCluster } from '../cluster/prepare-cluster.ts';
import { locateToolchain } from '../cluster/toolchain.ts';
import { demoApplication, waitSyncedHealthy } from '../demo/demo-application.ts';
import { createDemoRepo } from '../demo/demo-repo.ts';
import { startGitHttpServer, type GitHttpServer } from '../git/git-http-server.ts';
import { repoRoot } from '../paths.ts';
import { requireProgram, which } from '../which.ts';

const services = [
  'repo-server',
  'api-server',
  'application-controller',
  'applicationset-controller',
  'notifications',
] as const;
const clusterName = process.env['CAPSTAN_DEV_CLUSTER_NAME'] ?? 'capstan-local';
const redisPort = Number(process.env['CAPSTAN_DEV_REDIS_PORT'] ?? '6379');
const namespace = process.env['CAPSTAN_NAMESPACE'] ?? 'argocd';
const demoTimeoutMs = Number(process.env['CAPSTAN_DEV_DEMO_TIMEOUT_SECONDS'] ?? '180') * 1000;
const say = (line: string): void => void process.stderr.write(`capstan | ${line}\n`);
const t0 = Date.now();
const elapsed = (): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      resolve(d.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      resolve(false);
      socket.destroy();
    });
  });
}

function pipeLogs(name: string, proc: ChildProcess): void {
  const tag = name.padEnd(25);
  const print = (line: string): void => {
    try {
      const { level, msg, time: _t, service: _s, ...rest } = JSON.parse(line) as Record<string, unknown>;
      const extra = Object.keys(rest).length === 0 ? '' : ` ${JSON.stringify(rest)}`;
      process.stdout.write(`${tag} | ${String(level).padEnd(5)} ${String(msg)}${extra}\n`);
    } catch {
      process.stdout.write(`${tag} | ${line}\n`);
    }
  };
  createInterface({ input: proc.stdout! }).on('line', print);
  createInterface({ input: proc.stderr! }).on('line', print);
}

const children: { name: string; proc: ChildProcess }[] = [];
process.once('exit', () => {
  for (const { proc } of children) if (proc.exitCode === null) proc.kill('SIGKILL');
});
let stopping = false;
let clusterStarted = false;
let gitServer: GitHttpServer | undefined;
/** Per-cluster scratch: the demo Git repository and the repo-server's cache; removed on stop. */
const stateDir = join(repoRoot, '.capstan', 'start', clusterName);
const demoWait = new AbortController();

async function shutdown(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  say('stopping…');
  demoWait.abort();
  // Services first, Redis after them, so none loses its connection while it drains.
  const stop = (names: (name: string) => boolean): Promise<unknown> =>
    Promise.all(
      children
        .filter(({ name }) => names(name))
        .map(
          ({ proc }) =>
            new Promise<void>((resolve) => {
              if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
              proc.once('exit', () => resolve());
              proc.kill('SIGTERM');
            }),
        ),
    );
  await stop((name) => name !== 'redis');
  await stop((name) => name === 'redis');
  await gitServer?.close();
  rmSync(stateDir, { recursive: true, force: true });
  if (clusterStarted) {
    await stopNamedCluster(clusterName);
    say('local cluster stopped');
  }
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

async function main(): Promise<void> {
  const cluster = await ensureNamedCluster(clusterName, say);
  clusterStarted = cluster.started;
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  const kube = new ResourceClient(kc);
  await prepareCluster(kube, namespace);
  say(`cluster ready: namespace ${namespace}, the argoproj.io CRDs, argocd-cm and the default AppProject`);
  const tc = locateToolchain();

  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  if (await redisAnswers(redisPort)) {
    say(`using the Redis already answering on ${redisUrl}`);
  } else {
    const dir = join(repoRoot, '.capstan', 'redis');
    mkdirSync(dir, { recursive: true });
    const bin = requireProgram('redis-server', "install it with 'apt-get install redis-server'");
    const proc = spawn(
      bin,
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push({ name: 'redis', proc });
    pipeLogs('redis', proc);
    for (let i = 0; i < 50 && !(await redisAnswers(redisPort)); i++)
      await new Promise((r) => setTimeout(r, 100));
    say(`redis-server started on ${redisUrl}`);
  }

  // The demo's manifests, from a Git repository on this machine served over HTTP like a hosted one.
  rmSync(stateDir, { recursive: true, force: true });
  const gitRoot = join(stateDir, 'git');
  mkdirSync(gitRoot, { recursive: true });
  const demoRepo = await createDemoRepo(gitRoot);
  gitServer = await startGitHttpServer({
    root: gitRoot,
    port: Number(process.env['CAPSTAN_DEV_GIT_PORT'] ?? '0'),
  });
  const repoUrl = `${gitServer.baseUrl}/${demoRepo.name}.git`;
  say(`demo Git repository served at ${repoUrl} (commit ${demoRepo.revision.slice(0, 7)})`);

  const repoServerAddress =
    process.env['CAPSTAN_REPO_SERVER_ADDRESS'] ??
    `127.0.0.1:${process.env['CAPSTAN_REPO_SERVER_GRPC_PORT'] ?? '8081'}`;
  const env = {
    // start's own settings are not the services' (they warn about CAPSTAN_ variables they do not know).
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CAPSTAN_DEV_'))),
    CAPSTAN_REDIS_URL: redisUrl,
    CAPSTAN_NAMESPACE: namespace,
    CAPSTAN_LISTEN_ADDRESS: '127.0.0.1',
    CAPSTAN_HELM_PATH: tc.helm,
    CAPSTAN_KUSTOMIZE_PATH: tc.kustomize,
    CAPSTAN_REPO_SERVER_ADDRESS: repoServerAddress,
    CAPSTAN_REPO_CACHE_DIR: process.env['CAPSTAN_REPO_CACHE_DIR'] ?? join(stateDir, 'repo-cache'),
    // The local cluster stands in for the cluster Capstan is installed in (https://kubernetes.default.svc):
    // the controller manages it through this kubeconfig, so the in-cluster destination needs no Secret.
    CAPSTAN_KUBECONFIG: cluster.kubeconfigPath,
    KUBECONFIG: cluster.kubeconfigPath,
  };
  for (const name of services) {
    const proc = spawn(
      process.execPath,
      ['--conditions=@capstan/source', join(repoRoot, 'services', name, 'src', 'main.ts')],
      {
        cwd: repoRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push({ name, proc });
    pipeLogs(name, proc);
    proc.once('exit', (code, signal) => {
      if (stopping) return;
      say(`${name} exited unexpectedly (code ${code}, signal ${signal}); stopping everything`);
      void shutdown(1);
    });
  }
  const apiPort = process.env['CAPSTAN_API_SERVER_GRPC_PORT'] ?? '8080';
  const metricsUrl = `http://127.0.0.1:${process.env['CAPSTAN_APPLICATION_CONTROLLER_METRICS_PORT'] ?? '8082'}/metrics`;
  say(`API server gRPC on 127.0.0.1:${apiPort}; kubeconfig of the target cluster: ${cluster.kubeconfigPath}`);

  const demo = { name: 'demo', namespace };
  await kube.apply(
    demoApplication({
      ...demo,
      repoUrl,
      path: demoRepo.path,
      targetRevision: demoRepo.branch,
      destinationNamespace: 'production',
    }),
    { fieldManager: 'capstan-dev' },
  );
  say(
    `applied Application ${namespace}/demo (auto-sync of ${demoRepo.path} into namespace production); waiting for Synced and Healthy`,
  );
  const kubectl = `${which('kubectl') === undefined ? tc.kubectl : 'kubectl'} --kubeconfig ${cluster.kubeconfigPath}`;
  try {
    await waitSyncedHealthy(kube, demo, {
      repoUrl,
      revision: demoRepo.revision,
      timeoutMs: demoTimeoutMs,
      progress: (line) => say(`demo: ${line}`),
      signal: demoWait.signal,
    });
    say(`demo is Synced and Healthy (${elapsed()} after start)`);
  } catch (err) {
    if (stopping) return;
    // The system stays up: the controller's log above and the Application's status say what went wrong.
    say(`demo: ${(err as Error).message}`);
  }
  say('look at it with:');
  say(`  ${kubectl} -n ${namespace} get applications`);
  say(`  ${kubectl} -n production get all`);
  say(`  curl -s ${metricsUrl} | grep argocd_app_info`);
  say('press Ctrl-C to stop');
}

try {
  await main();
} catch (err) {
  if (!stopping) {
    say(`start failed: ${(err as Error).message}`);
    await shutdown(1);
  }
}
