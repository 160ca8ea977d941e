export {
  secretTypeLabel,
  inClusterServer,
  type ClusterConfig,
  type ClusterRecord,
  clusterFromSecret,
  kubeConfigForCluster,
} from './cluster-secret.ts';
export {
  type RepositoryRecord,
  repositoryFromSecret,
  repoCredsFromSecret,
  credentialsFor,
  sameRepoUrl,
} from './repository-secret.ts';
export { ResourceClient, type ApplyOptions } from './resource-client.ts';
export {
  type ApiResourceInfo,
  type ServerVersion,
  type ClusterApis,
  discoverClusterApis,
  groupVersionPath,
} from './api-discovery.ts';
