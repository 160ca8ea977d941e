import { Annotations } from '@capstan/crds';
import type { KubeObject } from '../types.ts';
import { annotationCsv } from './annotation-csv.ts';

/** `Prune=` and `Delete=` values; `true` is what applies when nothing says otherwise. */
export type GuardOption = 'true' | 'false' | 'confirm';

export type PropagationPolicy = 'foreground' | 'background' | 'orphan';

/** Application-level sync options (`syncPolicy.syncOptions` or a sync request's list). */
export interface AppSyncOptions {
  readonly createNamespace: boolean;
  readonly serverSideApply: boolean;
  readonly replace: boolean;
  readonly validate: boolean;
  readonly skipDryRunOnMissingResource: boolean;
  readonly applyOutOfSyncOnly: boolean;
  readonly respectIgnoreDifferences: boolean;
  readonly pruneLast: boolean;
  /** The app default for `Prune=`; a resource's own annotation beats it. */
  readonly prune: GuardOption | undefined;
  /** The app default for `Delete=` (app deletion only); a resource's own annotation beats it. */
  readonly delete: GuardOption | undefined;
  readonly prunePropagationPolicy: PropagationPolicy;
  readonly failOnSharedResource: boolean;
  readonly clientSideApplyMigration: boolean;
}

/** Options a resource sets on itself through `argocd.argoproj.io/sync-options`. */
export interface ResourceSyncOptions {
  /** `ServerSideApply=true` → true, `=false` → false (beats the app), absent → undefined. */
  readonly serverSideApply: boolean | undefined;
  readonly replace: boolean;
  readonly force: boolean;
  /** False with `Validate=false`. */
  readonly validate: boolean;
  readonly skipDryRunOnMissingResource: boolean;
  readonly pruneLast: boolean;
  readonly prune: GuardOption | undefined;
  readonly delete: GuardOption | undefined;
}

function guardOption(options: readonly string[], name: 'Prune' | 'Delete'): GuardOption | undefined {
  for (const option of options) {
    if (option === `${name}=true`) return 'true';
    if (option === `${name}=false`) return 'false';
    if (option === `${name}=confirm`) return 'confirm';
  }
  return undefined;
}

/**
 * Reads app-level options. They are matched as exact strings, as Argo CD does: `CreateNamespace=True`
 * or `" PruneLast=true"` mean nothing.
 */
export function parseAppSyncOptions(options: readonly string[] | undefined): AppSyncOptions {
  const list = options ?? [];
  const has = (option: string): boolean => list.includes(option);
  // Argo CD tests background, then foreground, then orphan; the first present wins.
  let prunePropagationPolicy: PropagationPolicy = 'foreground';
  if (has('PrunePropagationPolicy=background')) prunePropagationPolicy = 'background';
  else if (has('PrunePropagationPolicy=foreground')) prunePropagationPolicy = 'foreground';
  else if (has('PrunePropagationPolicy=orphan')) prunePropagationPolicy = 'orphan';
  return {
    createNamespace: has('CreateNamespace=true'),
    serverSideApply: has('ServerSideApply=true'),
    replace: has('Replace=true'),
    validate: !has('Validate=false'),
    skipDryRunOnMissingResource: has('SkipDryRunOnMissingResource=true'),
    applyOutOfSyncOnly: has('ApplyOutOfSyncOnly=true'),
    respectIgnoreDifferences: has('RespectIgnoreDifferences=true'),
    pruneLast: has('PruneLast=true'),
    prune: guardOption(list, 'Prune'),
    delete: guardOption(list, 'Delete'),
    prunePropagationPolicy,
    failOnSharedResource: has('FailOnSharedResource=true'),
    clientSideApplyMigration: !has('ClientSideApplyMigration=false'),
  };
}

/** Reads a resource's `argocd.argoproj.io/sync-options` (CSV, trimmed, deduplicated). */
export function resourceSyncOptions(obj: KubeObject | undefined): ResourceSyncOptions {
  const list = annotationCsv(obj, Annotations.syncOptions);
  const has = (option: string): boolean => list.includes(option);
  let serverSideApply: boolean | undefined;
  // A resource that opts out wins over one that opts in, as the opt-out is checked first upstream.
  if (has('ServerSideApply=false')) serverSideApply = false;
  else if (has('ServerSideApply=true')) serverSideApply = true;
  return {
    serverSideApply,
    replace: has('Replace=true'),
    force: has('Force=true'),
    validate: !has('Validate=false'),
    skipDryRunOnMissingResource: has('SkipDryRunOnMissingResource=true'),
    pruneLast: has('PruneLast=true'),
    prune: guardOption(list, 'Prune'),
    delete: guardOption(list, 'Delete'),
  };
}

/** The `Prune=` option in force for a live object: its own annotation, else the app default, else true. */
export function effectivePrune(app: AppSyncOptions, live: KubeObject | undefined): GuardOption {
  return resourceSyncOptions(live).prune ?? app.prune ?? 'true';
}

/** The `Delete=` option in force for a live object (app deletion): resource beats app, default true. */
export function effectiveDelete(app: AppSyncOptions, live: KubeObject | undefined): GuardOption {
  return resourceSyncOptions(live).delete ?? app.delete ?? 'true';
}
