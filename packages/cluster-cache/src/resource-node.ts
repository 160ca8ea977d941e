/** Identity of an object in one cluster; the version is not part of it. */
export interface ResourceKey {
  /** '' for the core group. */
  readonly group: string;
  readonly kind: string;
  /** '' for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
}

export interface NodeHealth {
  readonly status: string;
  readonly message?: string;
}

export interface NodeInfo {
  readonly name: string;
  readonly value: string;
}

/**
 * What the cache keeps of every object, managed or not: enough to draw the resource tree and resolve
 * ownership, without the object's spec and status (DESIGN §8: full objects only for managed roots).
 */
export interface ResourceNode {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly resourceVersion: string;
  readonly createdAt?: string;
  /** Owner reference uids, plus the uid of an inferred parent (Endpoints → Service) once it is known. */
  readonly parentUids: readonly string[];
  /** The owning app: the object's own tracking, else that of the nearest tracked ancestor. */
  readonly appName?: string;
  readonly health?: NodeHealth;
  readonly images?: readonly string[];
  readonly info?: readonly NodeInfo[];
}

/** A string form of a key, for maps. */
export function keyString(k: ResourceKey): string {
  return `${k.group}/${k.kind}/${k.namespace}/${k.name}`;
}

/** The group/kind of a type, for maps. */
export function groupKindString(group: string, kind: string): string {
  return `${group}/${kind}`;
}
