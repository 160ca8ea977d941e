import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { ApiextensionsV1Api, CoreV1Api, KubeConfig, VersionApi } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { Application } from '@capstan/crds';
import { ResourceClient } from '@capstan/kube';
import { createApiClient } from '@capstan/proto';
import { eventually, freePort, repoRoot } from '@capstan/testkit';

const run = promisify(execFile);
const services = [
  'api-server',
  'repo-server',
  'application-controller',
  'applicationset-controller',
  'notifications',
];
const portVars = [
  'API_SERVER',
  'REPO_SERVER',
  'APPLICATION_CONTROLLER',
  'APPLICATIONSET_CONTROLLER',
  'NOTIFICATIONS',
];

interface Started {
  readonly proc: ChildProcess;
  readonly lines: string[];
  readonly env: Record<string, string>;
  readonly kubeconfigPath: string;
  /** Every port `npm start` made something listen on: Redis, the services, the demo's Git server. */
  ports(): number[];
}

async function start(name: string): Promise<Started> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    CAPSTAN_DEV_CLUSTER_NAME: name,
    CAPSTAN_DEV_REDIS_PORT: String(await freePort()),
    // Argo CD's 2 s pause between waves would make the demo's five waves dominate the test's time.
    CAPSTAN_SYNC_WAVE_DELAY_MS: '200',
  };
  // Fixed default ports could collide with a developer's running system; the start script passes these through.
  for (const p of portVars) {
    env[`CAPSTAN_${p}_GRPC_PORT`] = String(await freePort());
    env[`CAPSTAN_${p}_METRICS_PORT`] = String(await freePort());
  }
  const proc = spawn(
    process.execPath,
    ['--conditions=@capstan/source', join(repoRoot, 'tools/devtools/src/cli/start.ts')],
    { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  createInterface({ input: proc.stdout }).on('line', (l) => lines.push(l));
  createInterface({ input: proc.stderr }).on('line', (l) => lines.push(l));
  return {
    proc,
    lines,
    env,
    kubeconfigPath: join(repoRoot, '.capstan', 'clusters', name, 'kubeconfig'),
    ports: () => {
      const git = lines.map(
        (l) => /demo Git repository served at http:\/\/127\.0\.0\.1:(\d+)\//.exec(l)?.[1],
      );
      return [
        Number(env['CAPSTAN_DEV_REDIS_PORT']),
        ...portVars.flatMap((p) => [
          Number(env[`CAPSTAN_${p}_GRPC_PORT`]),
          Number(env[`CAPSTAN_${p}_METRICS_PORT`]),
        ]),
        ...git.filter((p) => p !== undefined).map(Number),
      ];
    },
  };
}

const waitLine = (s: Started, what: string, match: (l: string) => boolean, timeoutMs: number) =>
  eventually(what, () => s.lines.some(match), { timeoutMs, intervalMs: 250 }).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}\n${s.lines.join('\n')}`);
  });

async function stop(s: Started): Promise<number | null> {
  if (s.proc.exitCode !== null) return s.proc.exitCode;
  s.proc.kill('SIGINT');
  const [code] = (await once(s.proc, 'exit')) as [number | null];
  return code;
}

const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const kubeConfig = (path: string): KubeConfig => {
  const kc = new KubeConfig();
  kc.loadFromString(readFileSync(path, 'utf8'));
  return kc;
};

async function demoApp(kubeconfigPath: string): Promise<Application | undefined> {
  const kube = new ResourceClient(kubeConfig(kubeconfigPath));
  return (await kube.get({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'demo', namespace: 'argocd' },
  })) as unknown as Application | undefined;
}

describe('npm start', () => {
  it('brings up a cluster, Redis, the five services and a demo app that gets Synced and Healthy; Ctrl-C stops all of it', async () => {
    const s = await start(`start-${process.pid}`);
    let ports: number[] = [];
    let clusterPids: number[] = [];
    try {
      await waitLine(
        s,
        'all five services started',
        () => services.every((n) => s.lines.some((l) => l.startsWith(n) && l.includes(' started '))),
        90_000,
      );
      clusterPids = JSON.parse(
        readFileSync(s.kubeconfigPath.replace(/kubeconfig$/, 'pids.json'), 'utf8'),
      ) as number[];
      const kc = kubeConfig(s.kubeconfigPath);
      await kc.makeApiClient(CoreV1Api).readNamespace({ name: 'argocd' });
      const crds = (await kc.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition()).items.map(
        (c) => c.metadata?.name,
      );
      expect(crds).toEqual(
        expect.arrayContaining([
          'applications.argoproj.io',
          'appprojects.argoproj.io',
          'applicationsets.argoproj.io',
        ]),
      );
      const api = createApiClient({ address: `127.0.0.1:${s.env['CAPSTAN_API_SERVER_GRPC_PORT']}` });
      try {
        expect((await api.version.version({})).version).toMatch(/^\d+\.\d+\.\d+/);
      } finally {
        api.close();
      }

      await waitLine(
        s,
        'the demo to be Synced and Healthy',
        (l) => l.includes('demo is Synced and Healthy'),
        90_000,
      );
      // Read back from the cluster, not from what start printed.
      const app = await demoApp(s.kubeconfigPath);
      expect(app?.status?.sync?.status).toBe('Synced');
      expect(app?.status?.health?.status).toBe('Healthy');
      expect(app?.status?.operationState?.phase).toBe('Succeeded');
      expect(app?.spec.destination).toEqual({
        server: 'https://kubernetes.default.svc',
        namespace: 'production',
      });
      const deployment = await kc
        .makeApiClient(CoreV1Api)
        .listNamespacedPod({ namespace: 'production', labelSelector: 'app=my-app' });
      expect(deployment.items.filter((p) => p.status?.phase === 'Running')).toHaveLength(3);
      const metricsPort = s.env['CAPSTAN_APPLICATION_CONTROLLER_METRICS_PORT'];
      expect(s.lines.some((l) => l.includes(`http://127.0.0.1:${metricsPort}/metrics`))).toBe(true);
      expect(
        s.lines.some((l) => l.includes(`--kubeconfig ${s.kubeconfigPath} -n argocd get applications`)),
      ).toBe(true);
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metrics).toMatch(
        /argocd_app_info\{[^}]*name="demo"[^}]*sync_status="Synced"[^}]*health_status="Healthy"/,
      );
      ports = s.ports();
      expect(ports).toHaveLength(12);
      for (const port of ports) expect(await listening(port), `port ${port}`).toBe(true);
    } finally {
      expect(await stop(s)).toBe(0);
    }
    expect(s.lines.some((l) => l.includes('local cluster stopped'))).toBe(true);
    expect(existsSync(s.kubeconfigPath)).toBe(false);
    for (const port of ports) expect(await listening(port), `port ${port} after Ctrl-C`).toBe(false);
    for (const pid of clusterPids) expect(() => process.kill(pid, 0)).toThrow();
  }, 150_000);

  it('reuses the cluster `npm run cluster:up` started and leaves it running on Ctrl-C', async () => {
    const name = `start-reuse-${process.pid}`;
    const npm = (...args: string[]) =>
      run('npm', ['run', '-s', ...args], { cwd: repoRoot, env: process.env });
    try {
      const kubeconfigPath = (await npm('cluster:up', name)).stdout.trim();
      const s = await start(name);
      try {
        await waitLine(
          s,
          'the demo to be Synced and Healthy',
          (l) => l.includes('demo is Synced and Healthy'),
          120_000,
        );
        expect(s.lines.some((l) => l.includes(`cluster ${name} is already running`))).toBe(true);
        expect((await demoApp(kubeconfigPath))?.status?.health?.status).toBe('Healthy');
      } finally {
        expect(await stop(s)).toBe(0);
      }
      expect(s.lines.some((l) => l.includes('local cluster stopped'))).toBe(false);
      const version = await kubeConfig(kubeconfigPath).makeApiClient(VersionApi).getCode();
      expect(version.gitVersion).toMatch(/^v1\./);
      for (const port of s.ports()) expect(await listening(port), `port ${port} after Ctrl-C`).toBe(false);
    } finally {
      await npm('cluster:down', name).catch(() => undefined);
    }
  }, 150_000);
});
