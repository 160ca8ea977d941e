// Helm's install order, which Argo CD adopted: within a phase and wave, prerequisites first.
const KIND_ORDER: readonly string[] = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

// Known kinds get negative ranks so that every other kind (custom resources) shares rank 0 and sorts last.
const RANKS: ReadonlyMap<string, number> = new Map(
  KIND_ORDER.map((kind, i) => [kind, i - KIND_ORDER.length]),
);

/** Sort rank of a kind; the API group is deliberately ignored, as upstream does. */
export function kindRank(kind: string): number {
  return RANKS.get(kind) ?? 0;
}
