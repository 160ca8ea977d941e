import type { ApplicationCondition } from '@capstan/crds';
import { groupOf, keyOf, keyString, type KubeObject, type ScopeOf } from '@capstan/engine';
import { globMatch } from '@capstan/engine';
import type { ResourceFilterRule } from '../settings/controller-settings.ts';

/** Whether argocd-cm's `resource.exclusions` leave this kind out of everything the controller does. */
export function isExcluded(
  rules: readonly ResourceFilterRule[],
  group: string,
  kind: string,
  server: string,
): boolean {
  const any = (patterns: readonly string[], value: string): boolean =>
    patterns.length === 0 || patterns.some((p) => globMatch(p, value));
  return rules.some((r) => any(r.apiGroups, group) && any(r.kinds, kind) && any(r.clusters, server));
}

/**
 * Puts rendered manifests in the shape live objects have: namespaced kinds get the destination
 * namespace when they name none, cluster-scoped kinds lose theirs, and a duplicate key keeps the last
 * object (with a RepeatedResourceWarning, as Argo CD does). Excluded kinds are dropped.
 */
export function normalizeTargets(input: {
  readonly objects: readonly KubeObject[];
  readonly namespace: string;
  readonly scopeOf: ScopeOf;
  readonly exclusions: readonly ResourceFilterRule[];
  readonly server: string;
}): { targets: KubeObject[]; conditions: ApplicationCondition[] } {
  const byKey = new Map<string, KubeObject>();
  const repeated: string[] = [];
  for (const raw of input.objects) {
    if (raw === null || typeof raw !== 'object' || raw.kind === undefined) continue;
    const group = groupOf(raw.apiVersion);
    if (isExcluded(input.exclusions, group, raw.kind, input.server)) continue;
    const namespaced = input.scopeOf(group, raw.kind);
    const metadata = { ...raw.metadata };
    if (namespaced === false) delete metadata.namespace;
    else if ((metadata.namespace ?? '') === '' && input.namespace !== '')
      metadata.namespace = input.namespace;
    const obj = { ...raw, metadata };
    const key = keyString(keyOf(obj));
    if (byKey.has(key)) {
      repeated.push(key);
      byKey.delete(key);
    }
    byKey.set(key, obj);
  }
  const conditions: ApplicationCondition[] = repeated.map((key) => ({
    type: 'RepeatedResourceWarning',
    message: `Resource ${key} appeared ${2} times among application resources.`,
  }));
  return { targets: [...byKey.values()], conditions };
}
