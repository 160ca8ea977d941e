/**
 * Shared vocabulary of the engine. Everything here is data: the engine never talks to a cluster, reads a
 * clock or draws a random number itself; those come in as arguments or small interfaces.
 */

/** A Kubernetes object as JSON (unstructured). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
    managedFields?: unknown[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Identity of a resource in an application: group, kind, namespace ("" for cluster-scoped) and name. */
export interface ResourceKey {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export type HealthStatusCode = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';

export interface HealthStatus {
  readonly status: HealthStatusCode;
  readonly message?: string;
}

export type SyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown';

export type OperationPhase = 'Running' | 'Terminating' | 'Failed' | 'Error' | 'Succeeded';

export type SyncPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail' | 'PreDelete' | 'PostDelete';

/** Per-resource outcome of a sync, as persisted in status.operationState.syncResult.resources[]. */
export type ResultCode = 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped';

/** Phase of a hook or of a resource being synced. */
export type HookPhase = 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Terminating';

/** Tells whether a kind is namespaced (from API discovery); undefined when the kind is unknown to the cluster. */
export type ScopeOf = (group: string, kind: string) => boolean | undefined;

export function groupOf(apiVersion: string | undefined): string {
  if (apiVersion === undefined) return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function keyOf(obj: KubeObject): ResourceKey {
  return {
    group: groupOf(obj.apiVersion),
    kind: obj.kind ?? '',
    namespace: obj.metadata?.namespace ?? '',
    name: obj.metadata?.name ?? '',
  };
}

/** `group/kind/namespace/name`: the map key used for pairing and for persisted results. */
export function keyString(k: ResourceKey): string {
  return `${k.group}/${k.kind}/${k.namespace}/${k.name}`;
}
