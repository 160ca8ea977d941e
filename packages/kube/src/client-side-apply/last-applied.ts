import type { KubernetesObject } from '@kubernetes/client-node';
import { isPlainObject, type JsonObject } from './json-value.ts';

/** Where `kubectl apply` keeps the configuration it last applied, the "original" of its three-way patch. */
export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isPlainObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
  return out;
}

const GO_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * JSON as kubectl writes the annotation (Go's encoding/json on an unstructured object): keys sorted, HTML
 * characters escaped, a trailing newline. Matching it byte for byte keeps an object last applied by kubectl
 * or Argo CD from getting a needless annotation rewrite on the first sync. The escaped characters only occur
 * inside strings, so replacing them in the output is safe.
 */
function goJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value)).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c] ?? c)}\n`;
}

/**
 * The target as `kubectl apply` sends it: carrying, as its last-applied annotation, its own JSON without
 * that annotation. Like kubectl, the recorded configuration has `annotations: {}` when the manifest has none.
 */
export function withLastApplied(obj: KubernetesObject): JsonObject {
  const metadata: JsonObject = isPlainObject(obj.metadata) ? { ...obj.metadata } : {};
  const annotations: Record<string, unknown> = isPlainObject(metadata['annotations'])
    ? { ...metadata['annotations'] }
    : {};
  delete annotations[lastAppliedAnnotation];
  const recorded = goJson({ ...obj, metadata: { ...metadata, annotations } });
  return {
    ...obj,
    metadata: { ...metadata, annotations: { ...annotations, [lastAppliedAnnotation]: recorded } },
  };
}

/**
 * The configuration last applied to a live object, or undefined when it was never applied. An annotation
 * that does not parse counts as absent: the apply then writes a correct one instead of failing forever.
 */
export function lastAppliedOf(live: KubernetesObject): JsonObject | undefined {
  const text = live.metadata?.annotations?.[lastAppliedAnnotation];
  if (text === undefined || text === '') return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return isPlainObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
