export {
  secretTypeLabel,
  inClusterServer,
  type ClusterConfig,
  type ClusterRecord,
  clusterFromSecret,
  kubeConfigForCluster,
} from './cluster-secret.ts';
