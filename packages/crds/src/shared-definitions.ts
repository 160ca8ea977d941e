// Our CRD schemas repeat large subtrees (an ApplicationSet holds the Application spec once per
// generator kind, 70-odd times). ajv compiles every copy separately, which costs seconds; moving
// repeated subtrees into `definitions` and referring to them lets it compile each shape once.
import type { JSONSchemaProps } from './json-schema-props.ts';

type SchemaNode = JSONSchemaProps | { $ref: string };

export interface SchemaWithDefinitions {
  definitions: Record<string, SchemaNode>;
  [keyword: string]: unknown;
}

// Below this size a $ref saves little and costs a function call per validated value.
const MIN_SHARED_SIZE = 300;

function children(node: JSONSchemaProps): JSONSchemaProps[] {
  const out: JSONSchemaProps[] = [];
  if (node.properties) out.push(...Object.values(node.properties));
  if (node.items) out.push(node.items);
  if (node.additionalProperties) out.push(node.additionalProperties);
  return out;
}

export function shareRepeatedSubschemas(root: JSONSchemaProps): SchemaWithDefinitions {
  const keyOf = new Map<JSONSchemaProps, string>();
  const count = new Map<string, number>();
  const visit = (node: JSONSchemaProps): void => {
    children(node).forEach(visit);
    const key = JSON.stringify(node);
    keyOf.set(node, key);
    count.set(key, (count.get(key) ?? 0) + 1);
  };
  visit(root);

  const definitions: Record<string, SchemaNode> = {};
  const names = new Map<string, string>();
  const rewrite = (node: JSONSchemaProps, isRoot: boolean): SchemaNode => {
    const key = keyOf.get(node) ?? JSON.stringify(node);
    const shared = !isRoot && (count.get(key) ?? 0) > 1 && key.length >= MIN_SHARED_SIZE;
    if (shared) {
      const existing = names.get(key);
      if (existing !== undefined) return { $ref: `#/definitions/${existing}` };
    }
    const copy: Record<string, unknown> = { ...node };
    if (node.properties) {
      copy['properties'] = Object.fromEntries(
        Object.entries(node.properties).map(([k, v]) => [k, rewrite(v, false)]),
      );
    }
    if (node.items) copy['items'] = rewrite(node.items, false);
    if (node.additionalProperties) copy['additionalProperties'] = rewrite(node.additionalProperties, false);
    if (!shared) return copy;
    const name = `s${names.size}`;
    names.set(key, name);
    definitions[name] = copy;
    return { $ref: `#/definitions/${name}` };
  };
  const rewritten = rewrite(root, true) as Record<string, unknown>;
  return { ...rewritten, definitions };
}
