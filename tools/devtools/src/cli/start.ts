// npm start — the whole system on this machine: a local Kubernetes cluster as the in-cluster target,
// Redis, and the five services from source. Stays in the foreground; Ctrl-C stops what it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureNamedCluster, stopNamedCluster } from '../cluster/named-cluster.ts';
import { prepareCluster } from '../cluster/prepare-cluster.ts';
import { locateToolchain } from '../cluster/toolchain.ts';
import { repoRoot } from '../paths.ts';
import { requireProgram } from '../which.ts';

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
const say = (line: string): void => void process.stderr.write(`capstan | ${line}\n`);

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

async function shutdown(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  say('stopping…');
  await Promise.all(
    [...children].reverse().map(
      ({ proc }) =>
        new Promise<void>((resolve) => {
          if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
          proc.once('exit', () => resolve());
          proc.kill('SIGTERM');
        }),
    ),
  );
  if (clusterStarted) {
    await stopNamedCluster(clusterName);
    say('local cluster stopped');
  }
  process.exit(code);
}

try {
  const cluster = await ensureNamedCluster(clusterName, say);
  clusterStarted = cluster.started;
  await prepareCluster(cluster.endpoint, namespace);
  say(`cluster ready: namespace ${namespace} and the argoproj.io CRDs are installed`);
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

  const env = {
    ...process.env,
    CAPSTAN_REDIS_URL: redisUrl,
    CAPSTAN_NAMESPACE: namespace,
    CAPSTAN_LISTEN_ADDRESS: '127.0.0.1',
    CAPSTAN_HELM_PATH: tc.helm,
    CAPSTAN_KUSTOMIZE_PATH: tc.kustomize,
    // The local cluster stands in for the cluster Capstan is installed in (https://kubernetes.default.svc).
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
  say(`API server gRPC on 127.0.0.1:${apiPort}; kubeconfig of the target cluster: ${cluster.kubeconfigPath}`);
  say('press Ctrl-C to stop');
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
} catch (err) {
  say(`start failed: ${(err as Error).message}`);
  await shutdown(1);
}
