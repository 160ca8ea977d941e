// Kubernetes-style field paths (`spec.sources[0].helm.valueFiles[2]`, `metadata.labels[app]`).
// Whether a segment is a field or a map key depends on the schema, not on the data, so the path is
// built by walking both together.
import type { JSONSchemaProps } from './json-schema-props.ts';

export interface PathCursor {
  path: string;
  schema: JSONSchemaProps | undefined;
}

export function childPath(cursor: PathCursor, segment: string, parentIsArray: boolean): PathCursor {
  const { path, schema } = cursor;
  if (parentIsArray) return { path: `${path}[${segment}]`, schema: schema?.items };
  const field = schema?.properties?.[segment];
  if (field !== undefined || schema?.additionalProperties === undefined) {
    return { path: path === '' ? segment : `${path}.${segment}`, schema: field };
  }
  return { path: `${path}[${segment}]`, schema: schema.additionalProperties };
}

/** Converts an ajv instancePath (a JSON Pointer) into a field path. */
export function pointerToFieldPath(pointer: string, schema: JSONSchemaProps, data: unknown): PathCursor {
  let cursor: PathCursor = { path: '', schema };
  if (pointer === '') return cursor;
  let value = data;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const isArray = Array.isArray(value);
    cursor = childPath(cursor, segment, isArray);
    value =
      value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return cursor;
}
