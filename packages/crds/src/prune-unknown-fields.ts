// Kubernetes drops fields a structural schema does not declare (and non-nullable nulls) before it
// validates or stores a custom resource. We do the same, so a manifest that kubectl would accept is
// accepted here and the value we hand back is what the cluster would store.
import { childPath, type PathCursor } from './field-path.ts';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Mutates `value` in place; appends the path of every dropped field to `pruned`. */
export function pruneUnknownFields(value: unknown, cursor: PathCursor, pruned: string[]): void {
  const schema = cursor.schema;
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => pruneUnknownFields(item, childPath(cursor, String(index), true), pruned));
    return;
  }
  if (!isPlainObject(value)) return;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  for (const key of Object.keys(value)) {
    const child = childPath(cursor, key, false);
    const declared = schema.properties?.[key] ?? schema.additionalProperties;
    if (declared === undefined) {
      if (!preserve) {
        delete value[key];
        pruned.push(child.path);
      }
      continue;
    }
    // No schema of ours is nullable, so every explicit null is dropped, as the API server does.
    if (value[key] === null) {
      delete value[key];
      continue;
    }
    pruneUnknownFields(value[key], child, pruned);
  }
}
