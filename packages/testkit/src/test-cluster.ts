import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startLocalCluster, type LocalClusterOptions } from '@capstan/devtools';

export interface TestCluster extends AsyncDisposable {
  readonly name: string;
  readonly kubeconfig: string;
  readonly server: string;
  /** A fresh KubeConfig object for this cluster (client-node). */
  kubeConfig(): KubeConfig;
  /** Creates a uniquely named namespace; tests isolate themselves by namespace. */
  createNamespace(prefix: string): Promise<TestNamespace>;
  stop(): Promise<void>;
}

export interface TestNamespace extends AsyncDisposable {
  readonly name: string;
  delete(): Promise<void>;
}

/**
 * The cluster a test file uses: a local control plane started for it, or — when
 * CAPSTAN_TEST_CLUSTER=external — the cluster KUBECONFIG names (never stopped by the tests).
 */
export async function startTestCluster(options: LocalClusterOptions = {}): Promise<TestCluster> {
  let kubeconfig: string;
  let stop: () => Promise<void>;
  let name: string;
  if (process.env['CAPSTAN_TEST_CLUSTER'] === 'external') {
    const path = process.env['KUBECONFIG'];
    if (path === undefined || path === '')
      throw new Error('CAPSTAN_TEST_CLUSTER=external needs KUBECONFIG to name the cluster to use');
    kubeconfig = await readFile(path, 'utf8');
    stop = async () => undefined;
    name = 'external';
  } else {
    const local = await startLocalCluster(options);
    kubeconfig = local.kubeconfig;
    stop = () => local.stop();
    name = local.name;
  }
  const kubeConfig = (): KubeConfig => {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfig);
    return kc;
  };
  const core = kubeConfig().makeApiClient(CoreV1Api);
  const server = kubeConfig().getCurrentCluster()?.server ?? '';
  return {
    name,
    kubeconfig,
    server,
    kubeConfig,
    createNamespace: async (prefix) => {
      const ns = `${prefix}-${randomBytes(3).toString('hex')}`;
      await core.createNamespace({
        body: { metadata: { name: ns, labels: { 'capstan.test/namespace': 'true' } } },
      });
      const del = async (): Promise<void> => {
        await core.deleteNamespace({ name: ns }).catch(() => undefined);
      };
      return { name: ns, delete: del, [Symbol.asyncDispose]: del };
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
