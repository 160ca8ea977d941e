import type { ApplicationSource, ApplicationSpec } from '@capstan/crds';

/** True when the app renders from `sources[]` (a source hydrator takes precedence over both lists). */
export function hasMultipleSources(spec: Pick<ApplicationSpec, 'sources' | 'sourceHydrator'>): boolean {
  return spec.sourceHydrator === undefined && (spec.sources?.length ?? 0) > 0;
}

/**
 * The one source a single-source app syncs from: the hydrator's sync branch, else the first of
 * `sources`, else `source`, else an empty source (compared as "nothing").
 */
export function primarySource(
  spec: Pick<ApplicationSpec, 'source' | 'sources' | 'sourceHydrator'>,
): ApplicationSource {
  const hydrator = spec.sourceHydrator;
  if (hydrator !== undefined) {
    const repoURL = hydrator.syncSource.repoURL ?? '';
    return {
      repoURL: repoURL === '' ? hydrator.drySource.repoURL : repoURL,
      path: hydrator.syncSource.path,
      targetRevision: hydrator.syncSource.targetBranch,
    };
  }
  const first = spec.sources?.[0];
  if (first !== undefined) return first;
  return spec.source ?? { repoURL: '' };
}
