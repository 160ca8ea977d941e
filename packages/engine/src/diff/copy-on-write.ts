import { isPlainObject, omitKey, type JsonObject } from './json-value.ts';

/**
 * Structural sharing for normalisation: inputs are never mutated, and only the containers on the path to an
 * edit are copied, once per pass. Everything else is shared with the input, so results must be treated as
 * immutable.
 */
export class CopyOnWrite {
  private readonly owned = new Set<object>();

  own<T extends JsonObject | unknown[]>(value: T): T {
    if (this.owned.has(value)) return value;
    const copy = (Array.isArray(value) ? value.slice() : { ...value }) as T;
    this.owned.add(copy);
    return copy;
  }

  /** An owned copy of `obj` without `key` (never `delete`: see omitKey). */
  omit(obj: JsonObject, key: string): JsonObject {
    const copy = omitKey(obj, key);
    this.owned.add(copy);
    return copy;
  }

  /** A writable copy of `parent[key]` (an object or array), stored back into the already writable parent. */
  ownChild(parent: JsonObject | unknown[], key: string | number): JsonObject | unknown[] | undefined {
    const child = (parent as Record<string | number, unknown>)[key];
    if (!isPlainObject(child) && !Array.isArray(child)) return undefined;
    const owned = this.own(child);
    (parent as Record<string | number, unknown>)[key] = owned;
    return owned;
  }
}
