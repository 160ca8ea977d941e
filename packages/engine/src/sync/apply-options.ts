import type { KubeObject, ScopeOf } from '../types.ts';
import { isCrd } from './crd-defines.ts';
import type { ApplyOptions } from './sync-actions.ts';
import { resourceSyncOptions } from './sync-options.ts';
import type { AppSyncOptions } from './sync-options.ts';
import type { SyncTask } from './sync-task.ts';

const CLIENT_SIDE_APPLY_MANAGER = 'kubectl-client-side-apply';

export interface ApplySettings {
  readonly options: AppSyncOptions;
  /** The sync strategy's force flag (`syncStrategy.apply.force` or `.hook.force`). */
  readonly force: boolean;
  /** The whole operation is a dry run. */
  readonly dryRun: boolean;
}

function ownedByClientSideApply(live: KubeObject | undefined): boolean {
  const fields = live?.metadata?.managedFields;
  if (!Array.isArray(fields)) return false;
  return fields.some((entry) => {
    const field = entry as { manager?: unknown; operation?: unknown } | null;
    return (
      field?.manager === CLIENT_SIDE_APPLY_MANAGER &&
      (field.operation === undefined || field.operation === 'Update')
    );
  });
}

/**
 * How a task's target is written: Replace (app, target or live annotation) beats server-side apply,
 * and becomes a plain update for CRDs and Namespaces; server-side apply (app or target annotation,
 * vetoed by the target's ServerSideApply=false) is never used for dry runs.
 */
export function applyOptionsFor(settings: ApplySettings, task: SyncTask, dryRun: boolean): ApplyOptions {
  const target = resourceSyncOptions(task.target);
  const live = task.live !== undefined ? resourceSyncOptions(task.live) : undefined;
  const replace = settings.options.replace || target.replace || live?.replace === true;
  const force = settings.force || target.force || live?.force === true;
  const wantsServerSide = target.serverSideApply ?? settings.options.serverSideApply;
  const serverSide = !replace && !dryRun && !settings.dryRun && wantsServerSide;
  let verb: ApplyOptions['verb'] = 'apply';
  if (replace) {
    if (task.live === undefined) verb = 'create';
    else verb = isCrd(task.target) || task.kind === 'Namespace' ? 'update' : 'replace';
  }
  return {
    verb,
    serverSide,
    force,
    replace,
    validate: settings.options.validate && target.validate,
    dryRun: dryRun || settings.dryRun,
    migrateClientSideApply:
      serverSide && settings.options.clientSideApplyMigration && ownedByClientSideApply(task.live),
  };
}

/**
 * The object to send: cluster-scoped kinds lose the destination namespace the task carries for its
 * key, and a plain update carries the live resourceVersion.
 */
export function objectToWrite(task: SyncTask, options: ApplyOptions, scopeOf: ScopeOf): KubeObject {
  const target = task.target as KubeObject;
  const clusterScoped = scopeOf(task.group, task.kind) === false && target.metadata?.namespace !== undefined;
  const resourceVersion = options.verb === 'update' ? task.live?.metadata?.resourceVersion : undefined;
  if (!clusterScoped && resourceVersion === undefined) return target;
  const metadata = { ...target.metadata };
  if (clusterScoped) delete metadata.namespace;
  if (resourceVersion !== undefined) metadata.resourceVersion = resourceVersion;
  return { ...target, metadata };
}

/** The message kubectl would print, recorded until the executor reports the real one. */
export function plannedApplyMessage(task: SyncTask, options: ApplyOptions): string {
  const resource = `${task.kind.toLowerCase()}${task.group === '' ? '' : `.${task.group}`}/${task.name}`;
  let message: string;
  switch (options.verb) {
    case 'update':
      message = `${task.kind}/${task.name} updated`;
      break;
    case 'create':
      message = `${resource} created`;
      break;
    case 'replace':
      message = `${resource} replaced`;
      break;
    case 'apply':
      if (options.serverSide) message = `${resource} serverside-applied`;
      else message = `${resource} ${task.live === undefined ? 'created' : 'configured'}`;
      break;
  }
  return options.dryRun ? `${message} (dry run)` : message;
}
