// Validation of argoproj.io objects against the same schemas we install as CRDs, with Kubernetes'
// semantics: unknown fields and non-nullable nulls are pruned (and reported), the rest must match.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { AppProject } from './app-project.ts';
import type { Application } from './application.ts';
import { applicationSchema } from './application-schema.ts';
import { appProjectSchema } from './app-project-schema.ts';
import type { ApplicationSet } from './application-set.ts';
import { applicationSetSchema } from './application-set-schema.ts';
import { API_VERSION, APP_PROJECT_KIND, APPLICATION_KIND, APPLICATION_SET_KIND } from './constants.ts';
import type { FieldError } from './field-error.ts';
import { pointerToFieldPath } from './field-path.ts';
import type { JSONSchemaProps } from './json-schema-props.ts';
import { InvalidResourceError } from './invalid-resource-error.ts';
import { pruneUnknownFields } from './prune-unknown-fields.ts';
import { shareRepeatedSubschemas } from './shared-definitions.ts';
import { object, stringList, stringMap, string } from './schema-builders.ts';

export type ArgoResource = Application | AppProject | ApplicationSet;
export type ArgoResourceKind = ArgoResource['kind'];

export interface ValidationSuccess {
  ok: true;
  /** A pruned copy of the input: what the API server would store. */
  value: ArgoResource;
  /** Fields dropped because the schema does not declare them (Kubernetes warns about these). */
  unknownFields: string[];
}

export interface ValidationFailure {
  ok: false;
  kind?: string;
  name?: string;
  errors: FieldError[];
  unknownFields: string[];
}

export type ValidationResult = ValidationSuccess | ValidationFailure;

const SCHEMAS: Record<ArgoResourceKind, () => JSONSchemaProps> = {
  [APPLICATION_KIND]: applicationSchema,
  [APP_PROJECT_KIND]: appProjectSchema,
  [APPLICATION_SET_KIND]: applicationSetSchema,
};

// The CRDs leave root metadata to the API server's own ObjectMeta checks; we check the fields we
// read. Unlisted metadata (uid, managedFields ...) is kept as is.
function objectMetaSchema(): JSONSchemaProps {
  const meta = object({
    annotations: stringMap(),
    finalizers: stringList(),
    generateName: string(),
    labels: stringMap(),
    name: string(),
    namespace: string(),
  });
  meta['x-kubernetes-preserve-unknown-fields'] = true;
  return meta;
}

interface CompiledKind {
  schema: JSONSchemaProps;
  validate: ValidateFunction;
}

let ajv: Ajv | undefined;
const compiled = new Map<ArgoResourceKind, CompiledKind>();

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/;
const INT64_LIMIT = 2 ** 63;

function createAjv(): Ajv {
  const instance = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false });
  // Structural-schema extensions. Most only steer pruning and server-side apply, which we handle
  // outside ajv; int-or-string is the one that constrains the value, so it validates.
  for (const keyword of [
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-map-type',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-embedded-resource',
  ]) {
    instance.addKeyword({ keyword });
  }
  instance.addKeyword({
    keyword: 'x-kubernetes-int-or-string',
    schemaType: 'boolean',
    validate: (enabled: boolean, data: unknown) =>
      !enabled || typeof data === 'string' || (typeof data === 'number' && Number.isInteger(data)),
  });
  instance.addFormat('int64', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -INT64_LIMIT && n < INT64_LIMIT,
  });
  instance.addFormat('date-time', {
    type: 'string',
    validate: (s: string) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)),
  });
  return instance;
}

function compiledFor(kind: ArgoResourceKind): CompiledKind {
  let entry = compiled.get(kind);
  if (entry === undefined) {
    const schema = SCHEMAS[kind]();
    const root = schema.properties;
    if (root !== undefined) root['metadata'] = objectMetaSchema();
    ajv ??= createAjv();
    entry = { schema, validate: ajv.compile(shareRepeatedSubschemas(schema)) };
    compiled.set(kind, entry);
  }
  return entry;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isKnownKind(kind: unknown): kind is ArgoResourceKind {
  return typeof kind === 'string' && Object.hasOwn(SCHEMAS, kind);
}

function toFieldError(error: ErrorObject, schema: JSONSchemaProps, data: unknown): FieldError {
  const { path } = pointerToFieldPath(error.instancePath, schema, data);
  const join = (field: string): string => (path === '' ? field : `${path}.${field}`);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: join(String(params['missingProperty'])), message: 'is required' };
    case 'type':
      return { path, message: `must be ${String(params['type'])}`, value: error.data };
    case 'enum':
      return {
        path,
        message: `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        value: error.data,
      };
    case 'format':
      return {
        path,
        message:
          params['format'] === 'date-time'
            ? 'must be an RFC 3339 date-time'
            : `must be a valid ${String(params['format'])}`,
        value: error.data,
      };
    case 'x-kubernetes-int-or-string':
      return { path, message: 'must be an integer or a string', value: error.data };
    default:
      return { path, message: error.message ?? `failed ${error.keyword}`, value: error.data };
  }
}

// RFC 1123, as the API server checks names of custom resources and namespaces.
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function metadataErrors(metadata: unknown): FieldError[] {
  if (!isPlainObject(metadata)) return [];
  const errors: FieldError[] = [];
  const { name, generateName, namespace } = metadata;
  if (name === undefined && generateName === undefined) {
    errors.push({ path: 'metadata.name', message: 'is required (or metadata.generateName)' });
  }
  if (typeof name === 'string' && (name.length > 253 || !DNS_SUBDOMAIN.test(name))) {
    errors.push({
      path: 'metadata.name',
      message: 'must be a lowercase RFC 1123 subdomain (a-z, 0-9, "-", "."; alphanumeric at both ends)',
      value: name,
    });
  }
  if (typeof namespace === 'string' && (namespace.length > 63 || !DNS_LABEL.test(namespace))) {
    errors.push({
      path: 'metadata.namespace',
      message: 'must be a lowercase RFC 1123 label (a-z, 0-9, "-"; alphanumeric at both ends)',
      value: namespace,
    });
  }
  return errors;
}

function identity(obj: Record<string, unknown>): { kind?: string; name?: string } {
  const out: { kind?: string; name?: string } = {};
  if (typeof obj['kind'] === 'string') out.kind = obj['kind'];
  const metadata = obj['metadata'];
  if (isPlainObject(metadata) && typeof metadata['name'] === 'string') out.name = metadata['name'];
  return out;
}

/**
 * Checks an Application, AppProject or ApplicationSet (picked by apiVersion and kind) the way the
 * API server would with our CRDs installed. The input is not modified.
 */
export function validateResource(obj: unknown): ValidationResult {
  if (!isPlainObject(obj)) {
    return { ok: false, errors: [{ path: '', message: 'must be an object', value: obj }], unknownFields: [] };
  }
  const { apiVersion, kind } = obj;
  const id = identity(obj);
  if (apiVersion !== API_VERSION) {
    const message =
      apiVersion === undefined ? 'is required' : `must be ${API_VERSION} (a kind Capstan does not serve)`;
    const error: FieldError = { path: 'apiVersion', message };
    if (apiVersion !== undefined) error.value = apiVersion;
    return { ok: false, ...id, errors: [error], unknownFields: [] };
  }
  if (!isKnownKind(kind)) {
    const error: FieldError = {
      path: 'kind',
      message: `must be one of ${APPLICATION_KIND}, ${APP_PROJECT_KIND}, ${APPLICATION_SET_KIND}`,
    };
    if (kind !== undefined) error.value = kind;
    return { ok: false, ...id, errors: [error], unknownFields: [] };
  }

  const { schema, validate } = compiledFor(kind);
  const value = structuredClone(obj);
  const unknownFields: string[] = [];
  pruneUnknownFields(value, { path: '', schema }, unknownFields);
  unknownFields.sort();

  const errors: FieldError[] = [];
  if (!validate(value)) {
    const mapped = (validate.errors ?? []).map((error) => ({
      keyword: error.keyword,
      error: toFieldError(error, schema, value),
    }));
    // 1.5 for an int64 fails both `type: integer` and the format; the type error says it all.
    const mistyped = new Set(mapped.filter((m) => m.keyword === 'type').map((m) => m.error.path));
    for (const m of mapped) {
      if (m.keyword === 'format' && mistyped.has(m.error.path)) continue;
      errors.push(m.error);
    }
  }
  errors.push(...metadataErrors(value['metadata']));
  if (errors.length > 0) return { ok: false, ...id, errors, unknownFields };
  return { ok: true, value: value as unknown as ArgoResource, unknownFields };
}

/** Like validateResource, but returns the pruned value or throws InvalidResourceError. */
export function validateResourceOrThrow(obj: unknown): ArgoResource {
  const result = validateResource(obj);
  if (!result.ok) throw new InvalidResourceError(result);
  return result.value;
}
