import type { AppProjectSpec, ClusterResourceRestrictionItem, GroupKind } from '@capstan/crds';
import type { ClusterRef } from './cluster-ref.ts';
import { isDestinationPermitted } from './destination-permitted.ts';
import { filepathMatch } from './filepath-match.ts';

export interface GroupKindName {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespaced: boolean;
}

function inList(list: readonly GroupKind[], group: string, kind: string): boolean {
  return list.some((item) => filepathMatch(item.kind, kind) && filepathMatch(item.group, group));
}

function inNamedList(list: readonly ClusterResourceRestrictionItem[], res: GroupKindName): boolean {
  return list.some(
    (item) =>
      filepathMatch(item.kind, res.kind) &&
      filepathMatch(item.group, res.group) &&
      ((item.name ?? '') === '' || filepathMatch(item.name ?? '', res.name)),
  );
}

/**
 * Whether the project's kind lists allow this object. Namespaced kinds are allowed unless a
 * namespaceResourceWhitelist exists and misses them (an empty whitelist allows nothing, an absent
 * one everything). Cluster-scoped kinds are denied unless clusterResourceWhitelist matches them.
 * Either way a matching blacklist entry denies. Entries use filepath.Match patterns on group and
 * kind, plus an optional name pattern for cluster-scoped entries.
 */
export function isGroupKindNamePermitted(project: AppProjectSpec, res: GroupKindName): boolean {
  if (res.namespaced) {
    const whitelist = project.namespaceResourceWhitelist;
    const whitelisted = whitelist === undefined || inList(whitelist, res.group, res.kind);
    return whitelisted && !inList(project.namespaceResourceBlacklist ?? [], res.group, res.kind);
  }
  const whitelisted = inNamedList(project.clusterResourceWhitelist ?? [], res);
  return whitelisted && !inNamedList(project.clusterResourceBlacklist ?? [], res);
}

export interface ResourceCheck {
  readonly project: AppProjectSpec;
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  /** "" for a cluster-scoped object. */
  readonly namespace: string;
  /** The app's destination cluster. */
  readonly cluster: ClusterRef | undefined;
  readonly projectClusters?: readonly ClusterRef[];
}

/**
 * Whether a live or target object is within the project: its kind must be permitted, and a
 * namespaced object's namespace must be a permitted destination on the app's cluster.
 */
export function isResourcePermitted(check: ResourceCheck): boolean {
  const namespaced = check.namespace !== '';
  if (
    !isGroupKindNamePermitted(check.project, {
      group: check.group,
      kind: check.kind,
      name: check.name,
      namespaced,
    })
  ) {
    return false;
  }
  if (!namespaced) return true;
  return isDestinationPermitted({
    project: check.project,
    cluster: check.cluster,
    namespace: check.namespace,
    ...(check.projectClusters !== undefined && { projectClusters: check.projectClusters }),
  });
}
