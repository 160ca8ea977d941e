import { InvalidArgumentError } from '@capstan/errors';
import { isPlainObject, jsonEqual, jsonType, type JsonObject } from './json-value.ts';
import type { PatchMeta } from './patch-meta.ts';

// Directives the API server's strategic merge understands (apimachinery's strategicpatch package).
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';
const RETAIN_KEYS = '$retainKeys';

interface DiffOptions {
  /** Leave out fields the target lacks (the delta from live must not delete what others wrote). */
  readonly ignoreDeletions: boolean;
  /** Only deletions (the diff from the last-applied configuration). */
  readonly ignoreChangesAndAdditions: boolean;
  /** The map being diffed has the `retainKeys` strategy: name the keys to keep. */
  readonly retainKeys: boolean;
}

function has(meta: PatchMeta | undefined, strategy: string): boolean {
  return meta?.strategies.includes(strategy) ?? false;
}

/** Merge-key values compare as their string forms, as in strategic merge (`containerPort: 80` is "80"). */
function keyString(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function scalarString(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function sortScalars(values: readonly string[]): string[] {
  return [...values].sort();
}

function hasAdditionalNewField(original: JsonObject, modified: JsonObject): boolean {
  for (const [k, v] of Object.entries(original)) {
    if (v !== null && v !== undefined && !Object.hasOwn(modified, k)) return true;
  }
  return false;
}

function keyOf(item: unknown, mergeKey: string, field: string): unknown {
  if (!isPlainObject(item))
    throw new InvalidArgumentError(`list ${field} is merged by ${mergeKey} but holds a non-object item`);
  const value = item[mergeKey];
  if (value === undefined || value === null)
    throw new InvalidArgumentError(`an item of list ${field} lacks its merge key ${mergeKey}`);
  return value;
}

interface ListDiff {
  readonly patch: unknown[];
  readonly deletions: unknown[];
  readonly order: unknown[];
}

const NO_LIST_DIFF: ListDiff = { patch: [], deletions: [], order: [] };

/** The list being diffed: its field name (for errors), its metadata, and how to diff. */
interface ListContext {
  readonly field: string;
  readonly meta: PatchMeta | undefined;
  readonly opts: DiffOptions;
}

function diffListsOfMaps(
  original: readonly unknown[],
  modified: readonly unknown[],
  mergeKey: string,
  { field, meta, opts }: ListContext,
): ListDiff {
  const originalByKey = new Map<string, JsonObject>();
  for (const item of original) {
    const k = keyString(keyOf(item, mergeKey, field));
    if (!originalByKey.has(k)) originalByKey.set(k, item as JsonObject);
  }
  const modifiedKeys = new Set<string>();
  const patch: unknown[] = [];
  for (const item of modified) {
    const key = keyOf(item, mergeKey, field);
    modifiedKeys.add(keyString(key));
    const before = originalByKey.get(keyString(key));
    if (before === undefined) {
      if (!opts.ignoreChangesAndAdditions) patch.push(item);
      continue;
    }
    const itemPatch = diffMaps(before, item as JsonObject, meta, opts);
    if (Object.keys(itemPatch).length > 0) patch.push({ ...itemPatch, [mergeKey]: key });
  }
  // Items the target dropped: a delete directive each, after the changes, in merge-key order.
  const deletions: { k: string; directive: JsonObject }[] = [];
  if (!opts.ignoreDeletions) {
    for (const [k, item] of originalByKey) {
      if (!modifiedKeys.has(k))
        deletions.push({ k, directive: { [mergeKey]: item[mergeKey], $patch: 'delete' } });
    }
    deletions.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  }
  patch.push(...deletions.map((d) => d.directive));
  const orderSame =
    original.length === modified.length &&
    original.every((item, i) => (item as JsonObject)[mergeKey] === (modified[i] as JsonObject)[mergeKey]);
  // The server keeps the target's order (items only in live keep their place relative to it).
  const order =
    (!opts.ignoreChangesAndAdditions && (patch.length > 0 || !orderSame)) ||
    (!opts.ignoreDeletions && patch.length > 0)
      ? modified.map((item) => ({ [mergeKey]: (item as JsonObject)[mergeKey] }))
      : [];
  return { patch, deletions: [], order };
}

function diffListsOfScalars(
  original: readonly unknown[],
  modified: readonly unknown[],
  opts: DiffOptions,
): ListDiff {
  const inOriginal = new Set(original.map(scalarString));
  const inModified = new Set(modified.map(scalarString));
  const patch: unknown[] = [];
  const deletions: unknown[] = [];
  if (!opts.ignoreChangesAndAdditions) {
    const added = new Set<string>();
    for (const v of modified) {
      const s = scalarString(v);
      if (!inOriginal.has(s) && !added.has(s)) {
        added.add(s);
        patch.push(v);
      }
    }
  }
  if (!opts.ignoreDeletions) {
    const deleted = new Set<string>();
    for (const v of original) {
      const s = scalarString(v);
      if (!inModified.has(s) && !deleted.has(s)) {
        deleted.add(s);
        deletions.push(v);
      }
    }
  }
  const order =
    (!opts.ignoreDeletions && deletions.length > 0) ||
    (!opts.ignoreChangesAndAdditions && !jsonEqual(original, modified))
      ? [...modified]
      : [];
  return { patch, deletions, order };
}

function diffLists(original: readonly unknown[], modified: readonly unknown[], ctx: ListContext): ListDiff {
  const { field, meta, opts } = ctx;
  if (original.length === 0) {
    if (modified.length === 0 || opts.ignoreChangesAndAdditions) return NO_LIST_DIFF;
    return { patch: [...modified], deletions: [], order: [] };
  }
  const types = new Set([...original, ...modified].map(jsonType));
  if (types.size > 1) throw new InvalidArgumentError(`list ${field} mixes items of different types`);
  if (types.has('array')) throw new InvalidArgumentError(`list ${field} is a list of lists`);
  if (types.has('object')) {
    const mergeKey = meta?.mergeKey;
    if (mergeKey === undefined || mergeKey === '')
      throw new InvalidArgumentError(`list ${field} is merged but its schema names no merge key`);
    return diffListsOfMaps(original, modified, mergeKey, ctx);
  }
  return diffListsOfScalars(original, modified, opts);
}

function diffMaps(
  original: JsonObject,
  modified: JsonObject,
  meta: PatchMeta | undefined,
  opts: DiffOptions,
): JsonObject {
  const patch: JsonObject = {};
  const retained: string[] = [];
  for (const [key, after] of Object.entries(modified)) {
    if (opts.retainKeys && after !== null && after !== undefined) retained.push(key);
    if (!Object.hasOwn(original, key)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = after;
      continue;
    }
    const before = original[key];
    if (key === '$patch') {
      // A directive in the manifest itself (`$patch: replace`): passed on when it changed.
      if (before !== after) patch[key] = after;
      continue;
    }
    if (jsonType(before) !== jsonType(after)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = after;
      continue;
    }
    const fieldMeta = meta?.field(key);
    if (isPlainObject(before) && isPlainObject(after)) {
      if (has(fieldMeta, 'replace')) {
        if (!opts.ignoreChangesAndAdditions && !jsonEqual(before, after)) patch[key] = after;
        continue;
      }
      const sub = diffMaps(before, after, fieldMeta, { ...opts, retainKeys: has(fieldMeta, 'retainKeys') });
      if (Object.keys(sub).length > 0) patch[key] = sub;
    } else if (Array.isArray(before) && Array.isArray(after) && has(fieldMeta, 'merge')) {
      const diff = diffLists(before, after, {
        field: key,
        meta: fieldMeta,
        opts: { ...opts, retainKeys: has(fieldMeta, 'retainKeys') },
      });
      if (diff.patch.length > 0) patch[key] = diff.patch;
      if (diff.deletions.length > 0) patch[`${DELETE_FROM_PRIMITIVE_LIST}${key}`] = diff.deletions;
      if (diff.order.length > 0) patch[`${SET_ELEMENT_ORDER}${key}`] = diff.order;
    } else if (!opts.ignoreChangesAndAdditions && !jsonEqual(before, after)) {
      // Scalars, and lists without the merge strategy, which the server replaces whole.
      patch[key] = after;
    }
  }
  if (!opts.ignoreDeletions) {
    for (const key of Object.keys(original)) if (!Object.hasOwn(modified, key)) patch[key] = null;
  }
  if (retained.length > 0 && (Object.keys(patch).length > 0 || hasAdditionalNewField(original, modified)))
    patch[RETAIN_KEYS] = sortScalars(retained);
  return patch;
}

/**
 * Folds the changes (from live) into the deletions (from last-applied), as strategic merge would apply one
 * patch onto the other. Deletions name only what the target lacks and changes only what it has, so no
 * scalar is set by both; a list item both touch (an env var dropped inside a container whose image
 * changed) is merged recursively. Directives are equal on both sides: both derive from the target.
 */
function mergePatches(deletions: JsonObject, changes: JsonObject, meta: PatchMeta | undefined): JsonObject {
  const out: JsonObject = { ...deletions };
  for (const [key, value] of Object.entries(changes)) {
    if (!Object.hasOwn(out, key) || key.startsWith('$')) {
      out[key] = value;
      continue;
    }
    const base = out[key];
    const fieldMeta = meta?.field(key);
    if (isPlainObject(base) && isPlainObject(value)) {
      out[key] = mergePatches(base, value, fieldMeta);
    } else if (Array.isArray(base) && Array.isArray(value) && has(fieldMeta, 'merge')) {
      out[key] = mergeLists(base, value, fieldMeta);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function mergeLists(
  base: readonly unknown[],
  changes: readonly unknown[],
  meta: PatchMeta | undefined,
): unknown[] {
  const mergeKey = meta?.mergeKey;
  if (mergeKey === undefined || mergeKey === '' || ![...base, ...changes].every(isPlainObject)) {
    const seen = new Set<string>();
    return [...changes, ...base].filter((v) => {
      const s = scalarString(v);
      if (seen.has(s)) return false;
      seen.add(s);
      return true;
    });
  }
  const baseByKey = new Map<string, JsonObject>();
  for (const item of base as JsonObject[]) baseByKey.set(keyString(item[mergeKey]), item);
  const out: unknown[] = [];
  for (const item of changes as JsonObject[]) {
    const k = keyString(item[mergeKey]);
    const other = baseByKey.get(k);
    baseByKey.delete(k);
    out.push(other === undefined ? item : mergePatches(other, item, meta));
  }
  out.push(...baseByKey.values());
  return out;
}

/**
 * The strategic merge patch `kubectl apply` sends for a built-in kind: what the target changes relative to
 * live, plus the removal of what the last-applied configuration had and the target no longer has. Fields
 * only live has (defaults, other controllers' writes) are left alone. Lists with a merge key are patched
 * item by item (`$patch: delete` for dropped items, `$setElementOrder` for the target's order), merged
 * primitive lists with `$deleteFromPrimitiveList`, `retainKeys` maps with `$retainKeys`.
 */
export function strategicThreeWayPatch(
  original: JsonObject | undefined,
  modified: JsonObject,
  current: JsonObject,
  meta: PatchMeta,
): JsonObject {
  const changes = diffMaps(current, modified, meta, {
    ignoreDeletions: true,
    ignoreChangesAndAdditions: false,
    retainKeys: false,
  });
  const deletions = diffMaps(original ?? {}, modified, meta, {
    ignoreDeletions: false,
    ignoreChangesAndAdditions: true,
    retainKeys: false,
  });
  return mergePatches(deletions, changes, meta);
}
