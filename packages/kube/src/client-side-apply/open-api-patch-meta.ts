import { isPlainObject } from './json-value.ts';
import type { PatchMeta } from './patch-meta.ts';

interface Gvk {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
}

interface Schema {
  readonly $ref?: string;
  readonly allOf?: readonly Schema[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
  readonly additionalProperties?: Schema | boolean;
  readonly 'x-kubernetes-patch-strategy'?: string;
  readonly 'x-kubernetes-patch-merge-key'?: string;
  readonly 'x-kubernetes-list-type'?: string;
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-group-version-kind'?: readonly Gvk[];
}

interface Operation {
  readonly requestBody?: { readonly content?: Readonly<Record<string, unknown>> };
  readonly 'x-kubernetes-group-version-kind'?: Gvk;
}

interface OpenApiDocument {
  readonly paths?: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, Schema>> };
}

const REF_PREFIX = '#/components/schemas/';
const STRATEGIC = 'application/strategic-merge-patch+json';

function sameGvk(a: Gvk | undefined, group: string, version: string, kind: string): boolean {
  return a !== undefined && (a.group ?? '') === group && a.version === version && a.kind === kind;
}

function mentionsPatchStrategy(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(mentionsPatchStrategy);
  if (!isPlainObject(value)) return false;
  if (value['x-kubernetes-patch-strategy'] !== undefined) return true;
  return Object.values(value).some(mentionsPatchStrategy);
}

/** Resolves `$ref`s and `allOf` wrappers (how OpenAPI v3 attaches a type to a property) into one schema. */
class SchemaResolver {
  readonly #schemas: Readonly<Record<string, Schema>>;
  readonly #resolved = new Map<string, Schema>();

  constructor(schemas: Readonly<Record<string, Schema>>) {
    this.#schemas = schemas;
  }

  named(name: string): Schema | undefined {
    return this.#schemas[name];
  }

  resolve(schema: Schema, depth = 0): Schema {
    if (depth > 32) return schema;
    if (schema.$ref !== undefined) {
      const name = schema.$ref.startsWith(REF_PREFIX) ? schema.$ref.slice(REF_PREFIX.length) : schema.$ref;
      const cached = this.#resolved.get(name);
      if (cached !== undefined) return cached;
      const target = this.#schemas[name];
      const resolved = target === undefined ? {} : this.resolve(target, depth + 1);
      this.#resolved.set(name, resolved);
      return resolved;
    }
    if (schema.allOf === undefined || schema.allOf.length === 0) return schema;
    const parts = schema.allOf.map((s) => this.resolve(s, depth + 1));
    const merged: {
      properties?: Record<string, Schema>;
      items?: Schema;
      additionalProperties?: Schema | boolean;
    } = {};
    for (const part of [...parts, schema]) {
      if (part.properties !== undefined) merged.properties = { ...merged.properties, ...part.properties };
      if (part.items !== undefined) merged.items = part.items;
      if (part.additionalProperties !== undefined) merged.additionalProperties = part.additionalProperties;
    }
    return merged;
  }
}

/** A field's patch metadata, its children resolved lazily (schemas are recursive) and remembered. */
class SchemaPatchMeta implements PatchMeta {
  readonly strategies: readonly string[];
  readonly mergeKey: string | undefined;
  readonly #type: Schema;
  readonly #resolver: SchemaResolver;
  readonly #listTypeFallback: boolean;
  readonly #fields = new Map<string, PatchMeta | undefined>();

  constructor(field: Schema, resolver: SchemaResolver, listTypeFallback: boolean) {
    this.#resolver = resolver;
    this.#listTypeFallback = listTypeFallback;
    this.#type = resolver.resolve(field);
    // OpenAPI v3 puts the extensions on the property, next to the `allOf` that names its type.
    const strategy = field['x-kubernetes-patch-strategy'] ?? this.#type['x-kubernetes-patch-strategy'];
    const mergeKey = field['x-kubernetes-patch-merge-key'] ?? this.#type['x-kubernetes-patch-merge-key'];
    if (strategy !== undefined) {
      this.strategies = strategy.split(',').map((s) => s.trim());
      this.mergeKey = mergeKey;
    } else if (listTypeFallback) {
      const fallback = SchemaPatchMeta.#fromListType(field);
      this.strategies = fallback.strategies;
      this.mergeKey = fallback.mergeKey;
    } else {
      this.strategies = [];
      this.mergeKey = undefined;
    }
  }

  /** A `set` merges as a primitive set, a `map` keyed by one field merges by it; the rest is atomic. */
  static #fromListType(field: Schema): { strategies: readonly string[]; mergeKey: string | undefined } {
    const listType = field['x-kubernetes-list-type'];
    const keys = field['x-kubernetes-list-map-keys'];
    if (listType === 'set') return { strategies: ['merge'], mergeKey: undefined };
    if (listType === 'map' && keys?.length === 1) return { strategies: ['merge'], mergeKey: keys[0] };
    return { strategies: [], mergeKey: undefined };
  }

  field(name: string): PatchMeta | undefined {
    if (this.#fields.has(name)) return this.#fields.get(name);
    let type = this.#type;
    if (type.items !== undefined) type = this.#resolver.resolve(type.items);
    let child: Schema | undefined = type.properties?.[name];
    if (child === undefined && isPlainObject(type.additionalProperties)) child = type.additionalProperties;
    const meta =
      child === undefined ? undefined : new SchemaPatchMeta(child, this.#resolver, this.#listTypeFallback);
    this.#fields.set(name, meta);
    return meta;
  }
}

/**
 * The strategic-merge metadata of the kinds one group/version's OpenAPI v3 document describes
 * (`/openapi/v3/apis/<group>/<version>`), indexed by kind.
 *
 * A kind gets none (undefined: JSON merge patch) unless the server accepts strategic merge patches for it:
 * custom resources never do. The list-type extensions stand in for patch strategies only when the document
 * publishes no patch strategy at all (a server that omits them): otherwise a list without one is one the
 * server replaces whole (e.g. `resources.claims`, a `map` list without a patch strategy), and merging it
 * item by item would send a partial list that drops the items the server does not see in the patch.
 */
export class OpenApiPatchMeta {
  readonly #doc: OpenApiDocument;
  readonly #resolver: SchemaResolver;
  readonly #listTypeFallback: boolean;
  readonly #kinds = new Map<string, PatchMeta | undefined>();

  constructor(doc: unknown) {
    this.#doc = isPlainObject(doc) ? doc : {};
    const schemas = this.#doc.components?.schemas ?? {};
    this.#resolver = new SchemaResolver(schemas);
    this.#listTypeFallback = !mentionsPatchStrategy(schemas);
  }

  forKind(group: string, version: string, kind: string): PatchMeta | undefined {
    const key = `${group}/${version}/${kind}`;
    if (this.#kinds.has(key)) return this.#kinds.get(key);
    const meta = this.#build(group, version, kind);
    this.#kinds.set(key, meta);
    return meta;
  }

  #build(group: string, version: string, kind: string): PatchMeta | undefined {
    if (!this.#acceptsStrategicMerge(group, version, kind)) return undefined;
    for (const [name, schema] of Object.entries(this.#doc.components?.schemas ?? {})) {
      const gvks = schema['x-kubernetes-group-version-kind'] ?? [];
      if (gvks.some((g) => sameGvk(g, group, version, kind)))
        return new SchemaPatchMeta({ $ref: `${REF_PREFIX}${name}` }, this.#resolver, this.#listTypeFallback);
    }
    return undefined;
  }

  /** Whether the kind's PATCH operation takes a strategic merge patch, as kubectl decides it. */
  #acceptsStrategicMerge(group: string, version: string, kind: string): boolean {
    for (const item of Object.values(this.#doc.paths ?? {})) {
      const patch = item['patch'];
      if (patch === undefined || !sameGvk(patch['x-kubernetes-group-version-kind'], group, version, kind))
        continue;
      return Object.hasOwn(patch.requestBody?.content ?? {}, STRATEGIC);
    }
    return false;
  }
}
