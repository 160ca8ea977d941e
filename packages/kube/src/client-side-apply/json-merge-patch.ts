import { isPlainObject, jsonEqual, type JsonObject } from './json-value.ts';

/** The RFC 7386 merge patch turning `from` into `to`: nulls for removed keys, lists replaced whole. */
function createMergePatch(from: JsonObject, to: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const [key, after] of Object.entries(to)) {
    if (!Object.hasOwn(from, key)) {
      patch[key] = after;
      continue;
    }
    const before = from[key];
    if (isPlainObject(before) && isPlainObject(after)) {
      const sub = createMergePatch(before, after);
      if (Object.keys(sub).length > 0) patch[key] = sub;
    } else if (!jsonEqual(before, after)) {
      patch[key] = after;
    }
  }
  for (const key of Object.keys(from)) if (!Object.hasOwn(to, key)) patch[key] = null;
  return patch;
}

/**
 * Keeps only the deletions (nulls) of a merge patch, or only its additions and changes. A map the patch sets
 * to `{}` is a value, not an empty sub-patch: it stays with the changes.
 */
function filterNulls(patch: JsonObject, keepNulls: boolean): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === undefined) {
      if (keepNulls) out[key] = null;
    } else if (isPlainObject(value)) {
      if (Object.keys(value).length === 0) {
        if (!keepNulls) out[key] = value;
        continue;
      }
      const sub = filterNulls(value, keepNulls);
      if (Object.keys(sub).length > 0) out[key] = sub;
    } else if (!keepNulls) {
      out[key] = value;
    }
  }
  return out;
}

function mergeInto(base: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const existing = out[key];
    out[key] = isPlainObject(existing) && isPlainObject(value) ? mergeInto(existing, value) : value;
  }
  return out;
}

/**
 * The JSON merge patch `kubectl apply` sends for a kind without strategic-merge support (custom resources):
 * the target's additions and changes relative to live, plus nulls for what the last-applied configuration
 * had and the target dropped. Lists are replaced whole, so a list the target sets is exactly the target's.
 */
export function jsonMergeThreeWayPatch(
  original: JsonObject | undefined,
  modified: JsonObject,
  current: JsonObject,
): JsonObject {
  const changes = filterNulls(createMergePatch(current, modified), false);
  const deletions = filterNulls(createMergePatch(original ?? {}, modified), true);
  return mergeInto(deletions, changes);
}
