// npm run cluster:down [name] — stops a named local cluster and removes its data.
import { stopNamedCluster } from '../cluster/named-cluster.ts';

const name = process.argv[2] ?? process.env['CAPSTAN_CLUSTER_NAME'] ?? 'capstan-local';
const stopped = await stopNamedCluster(name);
process.stderr.write(stopped ? `cluster ${name} stopped\n` : `cluster ${name} was not running\n`);
