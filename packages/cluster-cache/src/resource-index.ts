import type { KubeObject } from './kube-object.ts';
import { groupKindString, keyString, type ResourceKey, type ResourceNode } from './resource-node.ts';

/** What ingesting one object contributes: its node (app and parents resolved by the index) and tracking. */
export interface NodeDraft extends Omit<ResourceNode, 'appName' | 'parentUids'> {
  /** Uids from metadata.ownerReferences. */
  readonly ownerUids: readonly string[];
  /** A parent known by name, not by reference (Endpoints → its Service). */
  readonly inferredParent?: ResourceKey;
}

/** A node whose owning app changed because an ancestor's did (or its own tracking did). */
export interface MovedNode {
  readonly node: ResourceNode;
  readonly previousAppName: string | undefined;
}

export interface RemovedNode {
  readonly node: ResourceNode;
  /** Whether its own tracking named an app. */
  readonly managedRoot: boolean;
}

interface Entry {
  node: ResourceNode;
  readonly key: string;
  readonly typeKey: string;
  ownerUids: readonly string[];
  inferredParent: string | undefined;
  ownApp: string | undefined;
  /** Kept only for managed roots (ownApp set); everything else lives on as its node alone. */
  object: KubeObject | undefined;
}

function addTo<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  let s = m.get(k);
  if (s === undefined) m.set(k, (s = new Set()));
  s.add(v);
}

function removeFrom<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (s === undefined) return;
  s.delete(v);
  if (s.size === 0) m.delete(k);
}

function withApp(node: ResourceNode, appName: string | undefined): ResourceNode {
  const { appName: _old, ...rest } = node;
  return appName === undefined ? rest : { ...rest, appName };
}

/**
 * Every object of one cluster as a node, indexed by uid, by key, by type, by owner and by owning app, so
 * that an app's tree and managed objects cost O(that app) to read. Ownership is resolved incrementally:
 * an object's app is its own tracking, else the app of its first parent that has one; when a node
 * appears, disappears or changes tracking, only its subtree is re-resolved. Pure: no I/O.
 */
export class ResourceIndex {
  readonly #byUid = new Map<string, Entry>();
  readonly #byKey = new Map<string, string>();
  readonly #byType = new Map<string, Set<string>>();
  /** owner uid → child uids; kept even while the owner is absent, so a child listed first is found later. */
  readonly #childrenByOwner = new Map<string, Set<string>>();
  /** inferred parent key → child uids. */
  readonly #childrenByName = new Map<string, Set<string>>();
  /** app → uids of its roots and descendants. */
  readonly #members = new Map<string, Set<string>>();
  /** app → uids of objects whose own tracking names it. */
  readonly #roots = new Map<string, Set<string>>();
  /** Ownership changes since the last takeMoved(), oldest first. */
  #moved: MovedNode[] = [];

  get size(): number {
    return this.#byUid.size;
  }

  /**
   * Adds or replaces an object. `ownApp` is the app its own tracking names; `object` is kept only then.
   * Returns the stored node, and the node it displaced when the key now belongs to a different uid (the
   * object was recreated while the delete was missed).
   */
  upsert(
    draft: NodeDraft,
    ownApp: string | undefined,
    object: KubeObject | undefined,
  ): { node: ResourceNode; replaced?: ResourceNode } {
    const key = keyString(draft);
    let replaced: ResourceNode | undefined;
    const previousUid = this.#byKey.get(key);
    if (previousUid !== undefined && previousUid !== draft.uid) replaced = this.remove(previousUid);

    const { ownerUids, inferredParent, ...fields } = draft;
    const inferredKey = inferredParent === undefined ? undefined : keyString(inferredParent);
    let entry = this.#byUid.get(draft.uid);
    const isNew = entry === undefined;
    if (entry === undefined) {
      entry = {
        node: { ...fields, parentUids: [] },
        key,
        typeKey: groupKindString(draft.group, draft.kind),
        ownerUids: [],
        inferredParent: undefined,
        ownApp: undefined,
        object: undefined,
      };
      this.#byUid.set(draft.uid, entry);
      this.#byKey.set(key, draft.uid);
      addTo(this.#byType, entry.typeKey, draft.uid);
    }
    for (const o of entry.ownerUids) removeFrom(this.#childrenByOwner, o, draft.uid);
    for (const o of ownerUids) addTo(this.#childrenByOwner, o, draft.uid);
    if (entry.inferredParent !== undefined) removeFrom(this.#childrenByName, entry.inferredParent, draft.uid);
    if (inferredKey !== undefined) addTo(this.#childrenByName, inferredKey, draft.uid);
    entry.ownerUids = ownerUids;
    entry.inferredParent = inferredKey;

    if (entry.ownApp !== undefined) removeFrom(this.#roots, entry.ownApp, draft.uid);
    if (ownApp !== undefined) addTo(this.#roots, ownApp, draft.uid);
    const trackingChanged = entry.ownApp !== ownApp;
    entry.ownApp = ownApp;
    entry.object = ownApp === undefined ? undefined : object;

    const appName = entry.node.appName;
    entry.node = withApp({ ...fields, parentUids: this.#parentUids(entry) }, appName);

    // A new node may be the inferred parent of children that arrived first: give them its uid.
    const start: string[] = [draft.uid];
    if (isNew) {
      for (const c of this.#childrenByName.get(key) ?? []) {
        const child = this.#byUid.get(c);
        if (child === undefined) continue;
        child.node = { ...child.node, parentUids: this.#parentUids(child) };
        start.push(c);
      }
    }
    this.#resolve(start, isNew || trackingChanged);
    const node = entry.node;
    return replaced === undefined ? { node } : { node, replaced };
  }

  /** Removes an object by uid; its descendants are re-resolved. Returns the removed node. */
  remove(uid: string): ResourceNode | undefined {
    const entry = this.#byUid.get(uid);
    if (entry === undefined) return undefined;
    this.#byUid.delete(uid);
    if (this.#byKey.get(entry.key) === uid) this.#byKey.delete(entry.key);
    removeFrom(this.#byType, entry.typeKey, uid);
    for (const o of entry.ownerUids) removeFrom(this.#childrenByOwner, o, uid);
    if (entry.inferredParent !== undefined) removeFrom(this.#childrenByName, entry.inferredParent, uid);
    if (entry.ownApp !== undefined) removeFrom(this.#roots, entry.ownApp, uid);
    if (entry.node.appName !== undefined) removeFrom(this.#members, entry.node.appName, uid);

    const affected = [...(this.#childrenByOwner.get(uid) ?? [])];
    for (const c of this.#childrenByName.get(entry.key) ?? []) {
      const child = this.#byUid.get(c);
      if (child === undefined) continue;
      child.node = { ...child.node, parentUids: this.#parentUids(child) };
      affected.push(c);
    }
    this.#resolve(affected, false);
    return entry.node;
  }

  /**
   * After a relist of one type (in one namespace, or everywhere): removes the nodes of that type the list
   * no longer has, and returns them, so the caller can report deletions its watch missed.
   */
  retainType(
    group: string,
    kind: string,
    namespace: string | undefined,
    present: ReadonlySet<string>,
  ): RemovedNode[] {
    const removed: RemovedNode[] = [];
    for (const uid of [...(this.#byType.get(groupKindString(group, kind)) ?? [])]) {
      const entry = this.#byUid.get(uid);
      if (entry === undefined || present.has(uid)) continue;
      if (namespace !== undefined && entry.node.namespace !== namespace) continue;
      const managedRoot = entry.ownApp !== undefined;
      const node = this.remove(uid);
      if (node !== undefined) removed.push({ node, managedRoot });
    }
    return removed;
  }

  /** Drops every node of a type the cluster no longer serves. */
  removeType(group: string, kind: string): RemovedNode[] {
    return this.retainType(group, kind, undefined, new Set());
  }

  /**
   * The nodes whose owning app changed during the mutations since the last call (a subtree following its
   * root to another app, children adopted by a parent that arrived late), so listeners can be told.
   */
  takeMoved(): MovedNode[] {
    const moved = this.#moved;
    this.#moved = [];
    return moved;
  }

  /** Counts the nodes of one type. */
  typeSize(group: string, kind: string): number {
    return this.#byType.get(groupKindString(group, kind))?.size ?? 0;
  }

  get(key: ResourceKey): ResourceNode | undefined {
    const uid = this.#byKey.get(keyString(key));
    return uid === undefined ? undefined : this.#byUid.get(uid)?.node;
  }

  getByUid(uid: string): ResourceNode | undefined {
    return this.#byUid.get(uid)?.node;
  }

  /** The full object, for managed roots only. */
  object(key: ResourceKey): KubeObject | undefined {
    const uid = this.#byKey.get(keyString(key));
    return uid === undefined ? undefined : this.#byUid.get(uid)?.object;
  }

  /** Whether the object's own tracking names an app. */
  isRoot(uid: string): boolean {
    return this.#byUid.get(uid)?.ownApp !== undefined;
  }

  managedObjects(appName: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const uid of this.#roots.get(appName) ?? []) {
      const o = this.#byUid.get(uid)?.object;
      if (o !== undefined) out.push(o);
    }
    return out;
  }

  tree(appName: string): ResourceNode[] {
    const out: ResourceNode[] = [];
    for (const uid of this.#members.get(appName) ?? []) {
      const e = this.#byUid.get(uid);
      if (e !== undefined) out.push(e.node);
    }
    return out;
  }

  /** Names of the apps that own at least one node. */
  appNames(): string[] {
    return [...this.#members.keys()];
  }

  #parentUids(entry: Entry): string[] {
    const parents = [...entry.ownerUids];
    if (entry.inferredParent !== undefined) {
      const p = this.#byKey.get(entry.inferredParent);
      if (p !== undefined && !parents.includes(p)) parents.push(p);
    }
    return parents;
  }

  /**
   * Own tracking, else the first tracked ancestor found walking up. Walking (rather than trusting the
   * parents' cached app) keeps an ownership cycle from holding on to an app nobody tracks any more.
   */
  #appOf(entry: Entry, seen = new Set<Entry>()): string | undefined {
    if (entry.ownApp !== undefined) return entry.ownApp;
    seen.add(entry);
    for (const p of entry.node.parentUids) {
      const parent = this.#byUid.get(p);
      if (parent === undefined || seen.has(parent)) continue;
      const app = this.#appOf(parent, seen);
      if (app !== undefined) return app;
    }
    return undefined;
  }

  /**
   * Re-resolves the app of `start` nodes and walks down to children whose parent's app changed. `force`
   * walks the children of the start nodes even when their app did not change (a new node or a tracking
   * change may decide its children's app). A visited set makes ownership cycles harmless.
   */
  #resolve(start: readonly string[], force: boolean): void {
    const queue = start.map((uid) => ({ uid, force }));
    const visited = new Set<string>();
    for (let i = 0; i < queue.length; i++) {
      const { uid, force: walk } = queue[i]!;
      if (visited.has(uid)) continue;
      visited.add(uid);
      const entry = this.#byUid.get(uid);
      if (entry === undefined) continue;
      const before = entry.node.appName;
      const after = this.#appOf(entry);
      if (before !== after) {
        if (before !== undefined) removeFrom(this.#members, before, uid);
        if (after !== undefined) addTo(this.#members, after, uid);
        entry.node = withApp(entry.node, after);
        this.#moved.push({ node: entry.node, previousAppName: before });
      }
      if (before === after && !walk) continue;
      for (const c of this.#childrenByOwner.get(uid) ?? []) queue.push({ uid: c, force: false });
      for (const c of this.#childrenByName.get(entry.key) ?? []) queue.push({ uid: c, force: false });
    }
  }
}
