// npm run cluster:up [name] — starts (or reuses) a named local cluster; the last line printed is the
// absolute path of its kubeconfig, so scripts can do KUBECONFIG=$(npm run -s cluster:up | tail -1).
import { ensureNamedCluster } from '../cluster/named-cluster.ts';

const name = process.argv[2] ?? process.env['CAPSTAN_CLUSTER_NAME'] ?? 'capstan-local';
try {
  const cluster = await ensureNamedCluster(name, (line) => process.stderr.write(`${line}\n`));
  process.stderr.write(`stop it with: npm run cluster:down${name === 'capstan-local' ? '' : ` ${name}`}\n`);
  process.stdout.write(`${cluster.kubeconfigPath}\n`);
} catch (err) {
  process.stderr.write(`cluster:up failed: ${(err as Error).message}\n`);
  process.exit(1);
}
