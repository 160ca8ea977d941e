import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../paths.ts';
import { kubeHttp, type KubeEndpoint } from './kube-http.ts';
import { killPids, startLocalCluster } from './local-cluster.ts';
import { locateToolchain } from './toolchain.ts';

/** Where a named local cluster keeps its data, certificates, logs and kubeconfig. */
export const clusterDir = (name: string): string => join(repoRoot, '.capstan', 'clusters', name);

export interface NamedCluster {
  readonly name: string;
  readonly kubeconfigPath: string;
  readonly endpoint: KubeEndpoint;
  /** False when the cluster was already running and is merely reused. */
  readonly started: boolean;
}

function endpointFrom(kubeconfigPath: string): KubeEndpoint {
  const kc = parse(readFileSync(kubeconfigPath, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { token: string } }[];
  };
  const cluster = kc.clusters[0]?.cluster;
  const token = kc.users[0]?.user.token;
  if (cluster === undefined || token === undefined)
    throw new Error(`${kubeconfigPath} is not a Capstan local kubeconfig`);
  return {
    server: cluster.server,
    caPem: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8'),
    token,
  };
}

async function running(dir: string): Promise<KubeEndpoint | undefined> {
  const kubeconfig = join(dir, 'kubeconfig');
  if (!existsSync(join(dir, 'pids.json')) || !existsSync(kubeconfig)) return undefined;
  try {
    const ep = endpointFrom(kubeconfig);
    return (await kubeHttp(ep, { method: 'GET', path: '/readyz' })).status === 200 ? ep : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the toolchain when it is missing (minutes the first time; the build script caches). */
export function ensureToolchain(log: (line: string) => void): void {
  try {
    locateToolchain();
    return;
  } catch {
    log('building the local Kubernetes toolchain (tools/testcluster/build.sh; cached after the first time)');
  }
  const res = spawnSync('bash', [join(repoRoot, 'tools', 'testcluster', 'build.sh')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (res.status !== 0) throw new Error(`tools/testcluster/build.sh failed with exit code ${res.status}`);
  locateToolchain();
}

/** Starts the named local cluster, or reuses it when it is already up. Its daemons outlive this process. */
export async function ensureNamedCluster(name: string, log: (line: string) => void): Promise<NamedCluster> {
  const dir = clusterDir(name);
  const kubeconfigPath = join(dir, 'kubeconfig');
  const live = await running(dir);
  if (live !== undefined) {
    log(`cluster ${name} is already running at ${live.server}`);
    return { name, kubeconfigPath, endpoint: live, started: false };
  }
  await stopNamedCluster(name);
  ensureToolchain(log);
  log(`starting cluster ${name}`);
  const c = await startLocalCluster({ name, dir, detached: true });
  log(`cluster ${name} is up at ${c.server} (${c.startupMs} ms)`);
  return { name, kubeconfigPath, endpoint: c, started: true };
}

/** Stops the named cluster's daemons (if any) and removes its data. */
export async function stopNamedCluster(name: string): Promise<boolean> {
  const dir = clusterDir(name);
  const pidsFile = join(dir, 'pids.json');
  let stopped = false;
  if (existsSync(pidsFile)) {
    await killPids(JSON.parse(readFileSync(pidsFile, 'utf8')) as number[]);
    stopped = true;
  }
  await rm(dir, { recursive: true, force: true });
  return stopped;
}
