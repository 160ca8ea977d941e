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
export { ResourceClient, type ApplyOptions, type ForceReplaceOptions } from './resource-client.ts';
export {
  KubeTransport,
  parseRetryAfter,
  type Clock,
  type KubeRequestInfo,
  type KubeRequestOptions,
  type KubeResponse,
  type KubeStreamOptions,
  type KubeTransportOptions,
} from './kube-transport.ts';
export { AdaptiveRateLimiter, type RateLimiterOptions } from './adaptive-rate-limiter.ts';
export { DiscoveryCache, type DiscoveryCacheOptions } from './discovery-cache.ts';
export {
  ClusterRegistry,
  normalizeServer,
  type Cluster,
  type ClusterEvent,
  type ClusterListener,
  type ClusterRegistryOptions,
} from './cluster-registry.ts';
export {
  type ApiResourceInfo,
  type ServerVersion,
  type ClusterApis,
  discoverClusterApis,
  groupVersionPath,
  groupVersionResources,
} from './api-discovery.ts';
export { clientSideApply, type ClientSideApplyOptions } from './client-side-apply/client-side-apply.ts';
export {
  createThreeWayMergePatch,
  type ThreeWayMergeInput,
  type ThreeWayMergePatch,
} from './client-side-apply/three-way-merge-patch.ts';
export { PatchMetaSource } from './client-side-apply/patch-meta-source.ts';
export type { PatchMeta } from './client-side-apply/patch-meta.ts';
export { lastAppliedAnnotation } from './client-side-apply/last-applied.ts';
