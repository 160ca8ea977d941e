import { isPlainObject } from './json-value.ts';

/**
 * Strategic-merge keys of the built-in Kubernetes types, by list field name. A list with a merge key is merged
 * item by item (items only in the live object are kept); any other list is atomic (replaced as a whole).
 */
export const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  env: 'name',
  resourceClaims: 'name',
  schedulingGates: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  ownerReferences: 'uid',
  conditions: 'type',
};

/** Lists of scalars merged as sets (`patchStrategy: merge` on a primitive list). */
export const MERGED_SETS: ReadonlySet<string> = new Set(['finalizers']);

function keyedBy(items: readonly unknown[], key: string): boolean {
  // Lists are short (a few containers, a dozen env vars): a quadratic scan beats allocating a Set.
  const seen = items.length > 16 ? new Set<unknown>() : undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isPlainObject(item)) return false;
    const value = item[key];
    if (value === undefined || value === null) return false;
    if (seen !== undefined) {
      if (seen.has(value)) return false;
      seen.add(value);
    } else {
      for (let j = 0; j < i; j++) if ((items[j] as Record<string, unknown>)[key] === value) return false;
    }
  }
  return true;
}

function keyFor(field: string, kind: string, items: readonly unknown[]): string | undefined {
  const key = MERGE_KEYS[field];
  if (key !== undefined) return key;
  if (field === 'ports') {
    // Container ports merge on containerPort, Service ports on port; other `ports` lists are atomic.
    if (items.length > 0 && items.every((i) => isPlainObject(i) && i['containerPort'] !== undefined)) {
      return 'containerPort';
    }
    return kind === 'Service' ? 'port' : undefined;
  }
  if (field === 'webhooks' && kind.endsWith('WebhookConfiguration')) return 'name';
  if (field === 'secrets' && kind === 'ServiceAccount') return 'name';
  return undefined;
}

/**
 * The merge key of a list of a built-in type, or undefined for an atomic list. Items must all carry distinct
 * keys on both sides; duplicates (which strategic merge mishandles) make the list atomic.
 */
export function mergeKeyOf(
  field: string,
  kind: string,
  config: readonly unknown[],
  live: readonly unknown[],
): string | undefined {
  const key = keyFor(field, kind, config.length > 0 ? config : live);
  if (key === undefined || !keyedBy(config, key) || !keyedBy(live, key)) return undefined;
  return key;
}
