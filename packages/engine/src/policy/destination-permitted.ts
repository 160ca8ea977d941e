import type { AppProjectSpec } from '@capstan/crds';
import type { ClusterRef } from './cluster-ref.ts';
import { globMatch } from './glob-match.ts';

export interface DestinationCheck {
  readonly project: Pick<AppProjectSpec, 'destinations' | 'permitOnlyProjectScopedClusters'>;
  /** The destination cluster, resolved by the caller; undefined when it does not exist. */
  readonly cluster: ClusterRef | undefined;
  readonly namespace: string;
  /** Clusters that belong to this project (needed for permitOnlyProjectScopedClusters). */
  readonly projectClusters?: readonly ClusterRef[];
}

const isDeny = (pattern: string): boolean => pattern.startsWith('!');

/** A field pattern: `!p` is satisfied by every value p does not match. */
function fieldMatches(pattern: string, value: string): boolean {
  if (isDeny(pattern)) return !globMatch(pattern.slice(1), value);
  return pattern === '*' || globMatch(pattern, value);
}

/**
 * The project's destination rules as Argo CD applies them (its own test vectors are the spec here):
 * an entry permits when (server OR name) AND namespace match, where a `!` field matches everything
 * except its pattern. An entry whose negated name rejects the cluster, or whose negated server
 * rejects it while the namespace matches, or whose negated namespace rejects the namespace while the
 * server matches, denies outright, whatever the other entries allow.
 */
function destinationMatched(
  project: DestinationCheck['project'],
  server: string,
  name: string,
  namespace: string,
): boolean {
  let any = false;
  for (const item of project.destinations ?? []) {
    const itemName = item.name ?? '';
    const itemServer = item.server ?? '';
    const itemNamespace = item.namespace ?? '';
    const nameMatched = name !== '' && fieldMatches(itemName, name);
    const serverMatched = server !== '' && fieldMatches(itemServer, server);
    const namespaceMatched = fieldMatches(itemNamespace, namespace);
    if ((serverMatched || nameMatched) && namespaceMatched) {
      any = true;
    } else if (
      (!nameMatched && isDeny(itemName)) ||
      (!serverMatched && isDeny(itemServer) && namespaceMatched) ||
      (!namespaceMatched && isDeny(itemNamespace) && serverMatched)
    ) {
      return false;
    }
  }
  return any;
}

/**
 * Whether the project lets apps deploy into `namespace` of this cluster. With
 * permitOnlyProjectScopedClusters the cluster must also be one of the project's own clusters.
 */
export function isDestinationPermitted(check: DestinationCheck): boolean {
  const { cluster } = check;
  if (cluster === undefined) return false;
  const server = cluster.server ?? '';
  const name = cluster.name ?? '';
  if (!destinationMatched(check.project, server, name, check.namespace)) return false;
  if (check.project.permitOnlyProjectScopedClusters !== true) return true;
  return (check.projectClusters ?? []).some(
    (c) => (name !== '' && c.name === name) || (server !== '' && c.server === server),
  );
}
