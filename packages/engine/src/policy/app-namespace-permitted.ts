import type { AppProjectSpec } from '@capstan/crds';
import { globMatch } from './glob-match.ts';

/** A `/…/` entry is a regular expression (searched, not anchored); anything else a glob. */
function namespaceMatches(pattern: string, namespace: string): boolean {
  if (pattern.length >= 2 && pattern.startsWith('/') && pattern.endsWith('/')) {
    try {
      if (new RegExp(pattern.slice(1, -1)).test(namespace)) return true;
    } catch {
      // An invalid expression matches nothing, but the entry may still work as a glob below.
    }
  }
  return globMatch(pattern, namespace);
}

/**
 * Whether an Application living in `appNamespace` may use this project. Apps in the control-plane
 * namespace (or not yet placed) always may; others need a matching sourceNamespaces entry.
 */
export function isAppNamespacePermitted(input: {
  readonly project: Pick<AppProjectSpec, 'sourceNamespaces'>;
  readonly appNamespace: string | undefined;
  readonly controllerNamespace: string;
}): boolean {
  const ns = input.appNamespace ?? '';
  if (ns === '' || ns === input.controllerNamespace) return true;
  return (input.project.sourceNamespaces ?? []).some((p) => namespaceMatches(p, ns));
}
