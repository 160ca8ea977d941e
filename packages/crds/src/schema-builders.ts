// Small constructors for schema nodes. Each call returns a fresh object: the CRD YAML is written
// without anchors, and no node is shared between two places in a tree that a caller might mutate.
import type { JSONSchemaProps } from './json-schema-props.ts';

export function string(): JSONSchemaProps {
  return { type: 'string' };
}

export function boolean(): JSONSchemaProps {
  return { type: 'boolean' };
}

/** Go's int64 fields, as controller-gen renders them. */
export function int64(): JSONSchemaProps {
  return { type: 'integer', format: 'int64' };
}

/** metav1.Time. */
export function dateTime(): JSONSchemaProps {
  return { type: 'string', format: 'date-time' };
}

export function intOrString(): JSONSchemaProps {
  return { 'x-kubernetes-int-or-string': true };
}

export function stringEnum(values: readonly string[]): JSONSchemaProps {
  return { type: 'string', enum: [...values] };
}

export function arrayOf(items: JSONSchemaProps): JSONSchemaProps {
  return { type: 'array', items };
}

export function stringList(): JSONSchemaProps {
  return arrayOf(string());
}

export function mapOf(values: JSONSchemaProps): JSONSchemaProps {
  return { type: 'object', additionalProperties: values };
}

export function stringMap(): JSONSchemaProps {
  return mapOf(string());
}

/** A JSON object whose content we never interpret (Helm valuesObject and the like). */
export function freeFormObject(): JSONSchemaProps {
  return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
}

/** Any JSON value at all: Kubernetes' structural rules allow the missing type only with this flag. */
export function anyValue(): JSONSchemaProps {
  return { 'x-kubernetes-preserve-unknown-fields': true };
}

/**
 * An object with known fields. Properties are sorted so the generated CRD YAML is stable whatever
 * order the schema source lists them in.
 */
export function object(
  properties: Record<string, JSONSchemaProps>,
  required: readonly string[] = [],
): JSONSchemaProps {
  const sorted: Record<string, JSONSchemaProps> = {};
  for (const key of Object.keys(properties).sort()) {
    sorted[key] = properties[key] as JSONSchemaProps;
  }
  for (const name of required) {
    if (!(name in sorted)) throw new Error(`required field ${name} is not a property`);
  }
  const node: JSONSchemaProps = { type: 'object', properties: sorted };
  if (required.length > 0) node.required = [...required].sort();
  return node;
}

export function withDescription(node: JSONSchemaProps, description: string): JSONSchemaProps {
  return { description, ...node };
}
