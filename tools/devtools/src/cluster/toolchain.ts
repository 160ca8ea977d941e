import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../paths.ts';

export interface Toolchain {
  readonly bin: string;
  readonly etcd: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubeScheduler: string;
  readonly kubectl: string;
  readonly kwok: string;
  readonly helm: string;
  readonly kustomize: string;
  /** Upstream kwok stage definitions (pod-ready, node-initialize, …), copied beside the binaries. */
  readonly kwokStages: string;
  /** The pinned Kubernetes version, e.g. v1.36.3. */
  readonly kubernetesVersion: string;
}

/** Pins from tools/testcluster/versions.env. */
export function pinnedVersions(): Readonly<Record<string, string>> {
  const text = readFileSync(join(repoRoot, 'tools', 'testcluster', 'versions.env'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => /^[A-Z0-9_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]),
  );
}

/** Where tools/testcluster/build.sh puts the binaries (same rule as the script). */
export function toolchainBin(env: NodeJS.ProcessEnv = process.env): string {
  const home =
    env['CAPSTAN_TOOLS_HOME'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'capstan-tools');
  return join(home, 'bin');
}

/**
 * The built Kubernetes toolchain, checked against the pins. A missing or stale build is an error that
 * says how to build it: tests never silently skip the cluster.
 */
export function locateToolchain(env: NodeJS.ProcessEnv = process.env): Toolchain {
  const bin = toolchainBin(env);
  const pins = pinnedVersions();
  const k8s = pins['K8S_VERSION'] ?? '';
  const stamp = join(bin, '.stamp-k8s');
  const built = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
  if (built !== k8s) {
    throw new Error(
      `the Kubernetes test toolchain ${k8s} is not built in ${bin} (found ${built === '' ? 'nothing' : built}); ` +
        `run 'bash tools/testcluster/build.sh' (needs Go ≥ 1.26; about 10 min the first time)`,
    );
  }
  const tc: Toolchain = {
    bin,
    etcd: join(bin, 'etcd'),
    kubeApiserver: join(bin, 'kube-apiserver'),
    kubeControllerManager: join(bin, 'kube-controller-manager'),
    kubeScheduler: join(bin, 'kube-scheduler'),
    kubectl: join(bin, 'kubectl'),
    kwok: join(bin, 'kwok'),
    helm: join(bin, 'helm'),
    kustomize: join(bin, 'kustomize'),
    kwokStages: join(bin, 'kwok-stages'),
    kubernetesVersion: k8s,
  };
  for (const [name, path] of Object.entries(tc) as [string, string][]) {
    if (name !== 'kubernetesVersion' && name !== 'bin' && !existsSync(path)) {
      throw new Error(`${path} is missing; run 'bash tools/testcluster/build.sh'`);
    }
  }
  return tc;
}
