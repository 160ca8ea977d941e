import { hasOwn, isEmptyValue, isPlainObject, omitKey, type JsonObject } from './json-value.ts';
import { MERGED_SETS, mergeKeyOf } from './merge-keys.ts';
import { QUANTITY_MAPS, quantitiesEqual } from './quantity.ts';

/** Groups compiled into the Kubernetes client scheme: their lists merge by key and their quantities are canonical. */
const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'extensions',
  'rbac.authorization.k8s.io',
  'networking.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'node.k8s.io',
  'certificates.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io',
]);

export function isBuiltInGroup(group: string): boolean {
  return BUILT_IN_GROUPS.has(group);
}

const ROOT = '\u0000root';
const ROOT_METADATA = '\u0000metadata';

function indexOfKey(list: readonly unknown[], key: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (isPlainObject(item) && item[key] === value) return i;
  }
  return -1;
}

function isQuantityLike(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

/**
 * What `kubectl apply` would leave in the cluster: the three-way merge of the original (last-applied, or the
 * target itself for a two-way diff), the target and the live object, computed without building a patch.
 *
 * - A target field that differs from live is set; a field only in live is kept (defaults, controller writes);
 *   a field in the original but no longer in the target is removed from live.
 * - Maps merge recursively. Lists with a strategic-merge key (built-in types, see MERGE_KEYS) merge item by
 *   item; other lists are atomic and equal when the target equals the live list trimmed to the original's
 *   fields (index-wise), which is how API-server defaults inside list items stay invisible.
 * - A target field holding null, {} or [] is satisfied by an absent live field (for built-in types, so is
 *   false, 0 or "").
 *
 * Returns `live` itself when nothing would change, so "modified" is a reference comparison, and shares every
 * untouched subtree with `live` otherwise.
 */
export class LivePredictor {
  private readonly builtIn: boolean;
  private readonly kind: string;

  constructor(gk: { readonly group: string; readonly kind: string }) {
    this.builtIn = isBuiltInGroup(gk.group);
    this.kind = gk.kind;
  }

  predict(original: JsonObject, target: JsonObject, live: JsonObject): JsonObject {
    return this.mergeMap(original, target, live, ROOT);
  }

  /**
   * A target value that an absent live field already satisfies: null, {} and []; and for built-in types also
   * false, 0 and "", which their API server never stores for `omitempty` fields (`hostNetwork: false`,
   * `initialDelaySeconds: 0` …), just as Argo CD's round trip through the typed structs drops them.
   */
  private absentMeansSame(target: unknown): boolean {
    if (isEmptyValue(target)) return true;
    return this.builtIn && (target === false || target === 0 || target === '');
  }

  private sameScalar(target: unknown, live: unknown, field: string, key: string): boolean {
    if (target === live) return true;
    return (
      this.builtIn &&
      (QUANTITY_MAPS.has(field) || key === 'sizeLimit') &&
      isQuantityLike(target) &&
      isQuantityLike(live) &&
      quantitiesEqual(target, live)
    );
  }

  private mergeMap(
    original: JsonObject | undefined,
    target: JsonObject,
    live: JsonObject,
    field: string,
  ): JsonObject {
    // kubectl leaves the namespace and an empty annotations map of the root metadata out of the comparison.
    const rootMeta = field === ROOT_METADATA;
    let out: JsonObject | undefined;
    for (const key in target) {
      const tv = target[key];
      if (rootMeta && (key === 'namespace' || (key === 'annotations' && isEmptyValue(tv)))) continue;
      const lv = live[key];
      if (tv === null || tv === undefined) {
        if (lv !== undefined && lv !== null) out = omitKey(out ?? live, key);
        continue;
      }
      if (lv === undefined) {
        if (this.absentMeansSame(tv)) continue;
        out ??= { ...live };
        out[key] = tv;
        continue;
      }
      let next: unknown;
      if (isPlainObject(tv)) {
        if (isPlainObject(lv)) {
          const ov = original === undefined || original === target ? tv : original[key];
          const childField = field === ROOT && key === 'metadata' ? ROOT_METADATA : key;
          next = this.mergeMap(isPlainObject(ov) ? ov : undefined, tv, lv, childField);
        } else {
          next = tv;
        }
      } else if (Array.isArray(tv)) {
        const ov = original === undefined || original === target ? tv : original[key];
        next = Array.isArray(lv) ? this.mergeList(Array.isArray(ov) ? ov : undefined, tv, lv, key) : tv;
      } else {
        next = this.sameScalar(tv, lv, field, key) ? lv : tv;
      }
      if (next !== lv) {
        out ??= { ...live };
        out[key] = next;
      }
    }
    if (original !== undefined && original !== target) {
      for (const key in original) {
        if (rootMeta && (key === 'namespace' || (key === 'annotations' && isEmptyValue(original[key]))))
          continue;
        const tv = target[key];
        if (tv !== undefined && !(rootMeta && key === 'annotations' && isEmptyValue(tv))) continue;
        if (live[key] === undefined) continue;
        out = omitKey(out ?? live, key);
      }
    }
    return out ?? live;
  }

  private mergeList(
    original: unknown[] | undefined,
    target: unknown[],
    live: unknown[],
    field: string,
  ): unknown[] {
    if (this.builtIn) {
      if (MERGED_SETS.has(field)) return this.mergeSet(original, target, live);
      const key = mergeKeyOf(field, this.kind, target, live);
      if (key !== undefined) return this.mergeKeyed(original, target, live, key);
    }
    return this.atomicEqual(target, live, original ?? target, field) ? live : target;
  }

  private mergeSet(original: unknown[] | undefined, target: unknown[], live: unknown[]): unknown[] {
    const added = target.filter((item) => !live.includes(item));
    const removed =
      original === undefined || original === target
        ? []
        : original.filter((item) => !target.includes(item) && live.includes(item));
    if (added.length === 0 && removed.length === 0) return live;
    return live.filter((item) => !removed.includes(item)).concat(added);
  }

  private mergeKeyed(
    original: unknown[] | undefined,
    target: unknown[],
    live: unknown[],
    key: string,
  ): unknown[] {
    let changed = false;
    let ordered = true;
    let lastLive = -1;
    const merged: unknown[] = new Array<unknown>(target.length);
    const matched: number[] = new Array<number>(target.length);
    for (let i = 0; i < target.length; i++) {
      const item = target[i] as JsonObject;
      const li = indexOfKey(live, key, item[key]);
      matched[i] = li;
      if (li < 0) {
        changed = true;
        merged[i] = item;
        continue;
      }
      if (li < lastLive) ordered = false;
      lastLive = li;
      let origItem: JsonObject | undefined = item;
      if (original !== undefined && original !== target) {
        const oi = indexOfKey(original, key, item[key]);
        origItem = oi < 0 ? undefined : (original[oi] as JsonObject);
      }
      const liveItem = live[li] as JsonObject;
      const next = this.mergeMap(origItem, item, liveItem, key);
      if (next !== liveItem) changed = true;
      merged[i] = next;
    }
    let removed: Set<number> | undefined;
    if (original !== undefined && original !== target) {
      for (const item of original) {
        if (!isPlainObject(item) || indexOfKey(target, key, item[key]) >= 0) continue;
        const li = indexOfKey(live, key, item[key]);
        if (li < 0) continue;
        (removed ??= new Set()).add(li);
        changed = true;
      }
    }
    if (!changed && ordered) return live;
    const out: unknown[] = [];
    if (ordered) {
      // Keep live's order (items only in live stay where they are); new target items go last.
      const byLive = new Map<number, number>();
      matched.forEach((li, i) => li >= 0 && byLive.set(li, i));
      live.forEach((item, li) => {
        if (removed?.has(li)) return;
        const ti = byLive.get(li);
        out.push(ti === undefined ? item : merged[ti]);
      });
      matched.forEach((li, i) => li < 0 && out.push(merged[i]));
    } else {
      // The target reorders items it shares with live: its order wins, live-only items follow.
      out.push(...merged);
      live.forEach((item, li) => {
        if (!matched.includes(li) && !removed?.has(li)) out.push(item);
      });
    }
    return out;
  }

  /**
   * Atomic list equality: the target against the live list trimmed to the fields of `reference` (the original,
   * or the target in a two-way diff), recursively and index by index.
   */
  private atomicEqual(target: unknown, live: unknown, reference: unknown, field: string): boolean {
    if (target === live) return true;
    if (Array.isArray(target)) {
      if (!Array.isArray(live) || live.length !== target.length) return false;
      const ref = Array.isArray(reference) ? reference : target;
      for (let i = 0; i < target.length; i++) {
        if (!this.atomicEqual(target[i], live[i], ref[i] ?? target[i], field)) return false;
      }
      return true;
    }
    if (isPlainObject(target)) {
      if (!isPlainObject(live)) return false;
      const ref = isPlainObject(reference) ? reference : target;
      for (const key in target) {
        const tv = target[key];
        const lv = live[key];
        if (lv === undefined) {
          if (this.absentMeansSame(tv)) continue;
          return false;
        }
        const equal =
          typeof tv === 'object'
            ? this.atomicEqual(tv, lv, ref[key] ?? tv, key)
            : this.sameScalar(tv, lv, field, key);
        if (!equal) return false;
      }
      for (const key in live) {
        if (!hasOwn(target, key) && ref[key] !== undefined && !isEmptyValue(live[key])) return false;
      }
      return true;
    }
    return this.sameScalar(target, live, field, field);
  }
}
