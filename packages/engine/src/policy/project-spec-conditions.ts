import type { AppProject, ApplicationCondition, ApplicationSource, ApplicationSpec } from '@capstan/crds';
import type { ClusterRef } from './cluster-ref.ts';
import { isDestinationPermitted } from './destination-permitted.ts';
import { hasMultipleSources, primarySource } from './primary-source.ts';
import { isSourcePermitted } from './source-permitted.ts';

export interface ProjectSpecCheck {
  readonly spec: ApplicationSpec;
  readonly project: AppProject;
  /** The destination cluster as the caller resolved it, or why it could not be resolved. */
  readonly cluster: ClusterRef | { readonly error: string };
  readonly projectClusters?: readonly ClusterRef[];
}

const invalid = (message: string): ApplicationCondition => ({ type: 'InvalidSpecError', message });

/** Required fields of a source; the first problem found, if any. */
function sourceProblem(source: ApplicationSource, multi: boolean): string | undefined {
  const path = source.path ?? '';
  const chart = source.chart ?? '';
  if (multi) {
    if (source.repoURL === '' || (path === '' && chart === '' && (source.ref ?? '') === '')) {
      return `source ${source.repoURL === '' ? '(no repoURL)' : source.repoURL} needs repoURL and one of path, chart or ref`;
    }
  } else if (source.repoURL === '' || (path === '' && chart === '')) {
    return 'spec.source.repoURL and either spec.source.path or spec.source.chart are required';
  }
  if (chart !== '' && (source.targetRevision ?? '') === '') {
    return 'spec.source.targetRevision is required if the manifest source is a helm chart';
  }
  return undefined;
}

/**
 * The InvalidSpecError conditions a refresh raises before comparing anything: malformed sources,
 * repositories the project does not allow, and a destination it does not allow (or that does not
 * resolve). An empty list means the spec passes.
 */
export function projectSpecConditions(check: ProjectSpecCheck): ApplicationCondition[] {
  const { spec, project } = check;
  const projectName = project.metadata.name ?? '';
  const conditions: ApplicationCondition[] = [];
  const notPermitted = (what: string, repoURL: string): ApplicationCondition =>
    invalid(`${what} ${repoURL} is not permitted in project '${projectName}'`);

  const hydrator = spec.sourceHydrator;
  if (hydrator !== undefined) {
    if (!isSourcePermitted(project.spec, hydrator.drySource.repoURL)) {
      conditions.push(notPermitted('application repo', hydrator.drySource.repoURL));
    }
    const sync = primarySource(spec);
    if (sync.repoURL !== hydrator.drySource.repoURL && !isSourcePermitted(project.spec, sync.repoURL)) {
      conditions.push(notPermitted('sync source repo', sync.repoURL));
    }
  } else {
    const multi = hasMultipleSources(spec);
    for (const source of multi ? (spec.sources ?? []) : [primarySource(spec)]) {
      const problem = sourceProblem(source, multi);
      if (problem !== undefined) return [...conditions, invalid(problem)];
      if (!isSourcePermitted(project.spec, source.repoURL))
        conditions.push(notPermitted('application repo', source.repoURL));
    }
  }

  const { cluster } = check;
  if ('error' in cluster) return [...conditions, invalid(cluster.error)];
  const namespace = spec.destination.namespace ?? '';
  const permitted = isDestinationPermitted({
    project: project.spec,
    cluster,
    namespace,
    ...(check.projectClusters !== undefined && { projectClusters: check.projectClusters }),
  });
  if (!permitted) {
    const shown = (spec.destination.name ?? '') !== '' ? (cluster.name ?? '') : (cluster.server ?? '');
    conditions.push(
      invalid(
        `application destination server '${shown}' and namespace '${namespace}' do not match any of the allowed destinations in project '${projectName}'`,
      ),
    );
  }
  return conditions;
}
