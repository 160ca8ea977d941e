export {
  ClusterCache,
  type ClusterCacheOptions,
  type ClusterCacheInfo,
  type ClusterChange,
  type ClusterRequest,
} from './cluster-cache.ts';
export type { KubeObject, OwnerReference } from './kube-object.ts';
export type { ResourceKey, ResourceNode, NodeHealth, NodeInfo } from './resource-node.ts';
export { type ResourceExclusion, isExcluded, globMatch } from './resource-exclusion.ts';
export type { ClusterApis } from '@capstan/kube';
