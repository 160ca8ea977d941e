import { groupOf } from '../types.ts';
import type { KubeObject } from '../types.ts';

export function isCrd(obj: KubeObject | undefined): boolean {
  return obj?.kind === 'CustomResourceDefinition' && groupOf(obj.apiVersion) === 'apiextensions.k8s.io';
}

/** `group/kind` a CRD defines, when its spec says; what a custom resource's task waits for. */
export function crdDefines(obj: KubeObject): string | undefined {
  if (!isCrd(obj)) return undefined;
  const spec = obj['spec'] as { group?: unknown; names?: { kind?: unknown } } | undefined;
  const group = spec?.group;
  const kind = spec?.names?.kind;
  return typeof group === 'string' && typeof kind === 'string' ? `${group}/${kind}` : undefined;
}
