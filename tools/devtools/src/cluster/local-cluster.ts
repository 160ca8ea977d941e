import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port.ts';
import { kubeconfigYaml } from './kubeconfig.ts';
import { kubeHttp, type KubeEndpoint } from './kube-http.ts';
import { kwokConfigYaml } from './kwok-config.ts';
import { createPki } from './pki.ts';
import { locateToolchain, type Toolchain } from './toolchain.ts';

export interface LocalClusterOptions {
  /** Names the cluster in its kubeconfig (context and cluster name). @default "capstan-test" */
  readonly name?: string;
  /** Data folder; a temporary one (removed on stop) when absent. */
  readonly dir?: string;
  /** Fake kwok nodes. @default 1 */
  readonly nodes?: number;
  /** Leave the daemons running after this process exits (npm run cluster:up). @default false */
  readonly detached?: boolean;
  /** @default 120_000 */
  readonly startTimeoutMs?: number;
}

export interface LocalCluster extends AsyncDisposable, KubeEndpoint {
  readonly name: string;
  readonly dir: string;
  readonly kubeconfigPath: string;
  readonly kubeconfig: string;
  readonly kubernetesVersion: string;
  readonly pids: readonly number[];
  /** Time from the call to a Ready node and a working controller-manager. */
  readonly startupMs: number;
  stop(): Promise<void>;
}

interface Daemon {
  readonly name: string;
  readonly proc: ChildProcess;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(
  what: string,
  deadline: number,
  daemons: readonly Daemon[],
  probe: () => Promise<boolean>,
): Promise<void> {
  for (;;) {
    const dead = daemons.find((d) => d.proc.exitCode !== null);
    if (dead !== undefined)
      throw new Error(`${dead.name} exited with code ${dead.proc.exitCode} while waiting for ${what}`);
    try {
      if (await probe()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return res.ok;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM each pid (last started first), then SIGKILL whatever is still there after 5 s. */
export async function killPids(pids: readonly number[]): Promise<void> {
  for (const pid of [...pids].reverse()) {
    if (pidAlive(pid)) process.kill(pid, 'SIGTERM');
  }
  const deadline = Date.now() + 5000;
  while (pids.some(pidAlive) && Date.now() < deadline) await sleep(50);
  for (const pid of pids) if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
  while (pids.some(pidAlive)) await sleep(20);
}

/**
 * Starts a real single-node Kubernetes control plane on loopback: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler and kwok (fake kubelets). Returns once a node is Ready and the
 * controller-manager has created the default ServiceAccount.
 */
export async function startLocalCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  // Ports are probed free, then bound by another process a moment later: when a parallel test or cluster
  // takes one in between, the daemon fails to bind and the whole start is simply tried again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      const raced = /address already in use/.test((err as Error).message);
      if (!raced || attempt >= 3) throw err;
      if (options.dir !== undefined) await rm(options.dir, { recursive: true, force: true });
    }
  }
}

async function startOnce(options: LocalClusterOptions): Promise<LocalCluster> {
  const started = Date.now();
  const tc: Toolchain = locateToolchain();
  const name = options.name ?? 'capstan-test';
  const ephemeral = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), `capstan-cluster-${name}-`)));
  await mkdir(dir, { recursive: true });
  const deadline = started + (options.startTimeoutMs ?? 120_000);
  const daemons: Daemon[] = [];

  const launch = (daemon: string, bin: string, args: string[]): void => {
    const log = openSync(join(dir, `${daemon}.log`), 'a');
    const proc = spawn(bin, args, {
      cwd: dir,
      stdio: ['ignore', log, log],
      detached: options.detached === true,
      env: { PATH: process.env['PATH'] ?? '', HOME: dir },
    });
    closeSync(log);
    if (options.detached === true) proc.unref();
    daemons.push({ name: daemon, proc });
  };
  const stopDaemons = (): Promise<void> =>
    killPids(daemons.flatMap((d) => (d.proc.pid === undefined ? [] : [d.proc.pid])));
  // Never leave a control plane behind when the test process dies first.
  const onExit = (): void => {
    if (options.detached !== true) for (const d of daemons) d.proc.kill('SIGKILL');
  };
  process.once('exit', onExit);

  try {
    const pki = await createPki(dir);
    const token = randomBytes(16).toString('hex');
    await writeFile(join(dir, 'tokens.csv'), `${token},admin,admin,system:masters\n`, { mode: 0o600 });
    // The controller-manager and scheduler serve nothing we need (--secure-port=0): fewer ports to race for.
    const [etcdPort, peerPort, apiPort] = await Promise.all([1, 2, 3].map(() => freePort()));
    const server = `https://127.0.0.1:${apiPort}`;
    const kubeconfig = kubeconfigYaml({ name, server, caPem: pki.caCertPem, token });
    const kubeconfigPath = join(dir, 'kubeconfig');
    await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
    const ep: KubeEndpoint = { server, caPem: pki.caCertPem, token };

    launch('etcd', tc.etcd, [
      '--name=n0',
      `--data-dir=${join(dir, 'etcd')}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=n0=http://127.0.0.1:${peerPort}`,
      '--listen-metrics-urls=',
    ]);
    await waitFor('etcd', deadline, daemons, () => httpOk(`http://127.0.0.1:${etcdPort}/health`));

    launch('kube-apiserver', tc.kubeApiserver, [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${pki.serverCert}`,
      `--tls-private-key-file=${pki.serverKey}`,
      `--client-ca-file=${pki.caCert}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      '--authorization-mode=Node,RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.saPub}`,
      `--service-account-signing-key-file=${pki.saKey}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--endpoint-reconciler-type=none',
      '--allow-privileged=true',
      '--profiling=false',
      '--enable-priority-and-fairness=false',
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
    ]);
    await waitFor(
      'kube-apiserver /readyz',
      deadline,
      daemons,
      async () => (await kubeHttp(ep, { method: 'GET', path: '/readyz' })).status === 200,
    );

    const common = [
      `--kubeconfig=${kubeconfigPath}`,
      `--authentication-kubeconfig=${kubeconfigPath}`,
      `--authorization-kubeconfig=${kubeconfigPath}`,
      '--bind-address=127.0.0.1',
      '--leader-elect=false',
      '--profiling=false',
    ];
    launch('kube-controller-manager', tc.kubeControllerManager, [
      ...common,
      '--secure-port=0',
      '--controllers=*',
      `--root-ca-file=${pki.caCert}`,
      `--service-account-private-key-file=${pki.saKey}`,
      '--use-service-account-credentials=false',
      `--cluster-name=${name}`,
      `--cert-dir=${join(dir, 'kcm-certs')}`,
    ]);
    launch('kube-scheduler', tc.kubeScheduler, [
      ...common,
      '--secure-port=0',
      `--cert-dir=${join(dir, 'scheduler-certs')}`,
    ]);
    await writeFile(join(dir, 'kwok.yaml'), await kwokConfigYaml(tc.kwokStages));
    launch('kwok', tc.kwok, [
      `--kubeconfig=${kubeconfigPath}`,
      `--config=${join(dir, 'kwok.yaml')}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--node-lease-duration-seconds=40',
      '--cidr=10.244.0.0/16',
      '--node-ip=10.0.0.1',
    ]);

    for (let i = 0; i < (options.nodes ?? 1); i++) {
      const node = `kwok-node-${i}`;
      const res = await kubeHttp(ep, {
        method: 'POST',
        path: '/api/v1/nodes',
        body: {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: {
            name: node,
            annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
            labels: {
              type: 'kwok',
              'kubernetes.io/os': 'linux',
              'kubernetes.io/arch': 'amd64',
              'kubernetes.io/hostname': node,
            },
          },
        },
      });
      if (res.status !== 201) throw new Error(`creating node ${node} failed: ${res.status} ${res.body}`);
    }
    await waitFor('a Ready, untainted node', deadline, daemons, async () => {
      const res = await kubeHttp(ep, { method: 'GET', path: '/api/v1/nodes' });
      const nodes = (
        JSON.parse(res.body) as {
          items: {
            spec?: { taints?: unknown[] };
            status?: { conditions?: { type: string; status: string }[] };
          }[];
        }
      ).items;
      return (
        nodes.length > 0 &&
        nodes.every(
          (n) =>
            n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true &&
            (n.spec?.taints ?? []).length === 0,
        )
      );
    });
    await waitFor(
      'the default ServiceAccount',
      deadline,
      daemons,
      async () =>
        (await kubeHttp(ep, { method: 'GET', path: '/api/v1/namespaces/default/serviceaccounts/default' }))
          .status === 200,
    );

    const pids = daemons.flatMap((d) => (d.proc.pid === undefined ? [] : [d.proc.pid]));
    await writeFile(join(dir, 'pids.json'), JSON.stringify(pids));
    const stop = async (): Promise<void> => {
      process.off('exit', onExit);
      await stopDaemons();
      if (ephemeral) await rm(dir, { recursive: true, force: true });
    };
    return {
      name,
      dir,
      kubeconfigPath,
      kubeconfig,
      server,
      caPem: pki.caCertPem,
      token,
      kubernetesVersion: tc.kubernetesVersion,
      pids,
      startupMs: Date.now() - started,
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (err) {
    const logs = await Promise.all(
      daemons.map(
        async (d) =>
          `--- ${d.name} (last lines)\n${(await readFile(join(dir, `${d.name}.log`), 'utf8').catch(() => '')).split('\n').slice(-15).join('\n')}`,
      ),
    );
    await stopDaemons();
    process.off('exit', onExit);
    if (ephemeral) await rm(dir, { recursive: true, force: true });
    throw new Error(`starting cluster ${name} failed: ${(err as Error).message}\n${logs.join('\n')}`, {
      cause: err,
    });
  }
}
