import type { Application, Operation, SyncOperation } from '@capstan/crds';
import { FailedPreconditionError, InvalidArgumentError } from '@capstan/errors';
import { isAutomatedSyncEnabled } from './automated-sync-enabled.ts';

export interface RollbackRequest {
  readonly app: Application;
  /** The history entry to go back to. */
  readonly id: number;
  readonly dryRun?: boolean;
  readonly prune?: boolean;
  /** Who asked, recorded as the operation's initiator. */
  readonly username?: string;
}

/**
 * The operation a rollback writes: a sync to the history entry's revision(s) and source(s) with the
 * app's current sync options and the apply strategy, so no hooks run (they belong to the revision
 * being left, not to a roll back). Throws FailedPrecondition while the app is deleting or automated
 * sync is on (it would sync straight back), InvalidArgument for an unknown id.
 */
export function planRollback(request: RollbackRequest): Operation {
  const { app, id } = request;
  if ((app.metadata.deletionTimestamp ?? '') !== '') {
    throw new FailedPreconditionError('application is being deleted');
  }
  if (isAutomatedSyncEnabled(app.spec.syncPolicy)) {
    throw new FailedPreconditionError('cannot roll back while automated sync is enabled');
  }
  const entry = app.status?.history?.find((h) => h.id === id);
  if (entry === undefined) {
    const qualified = `${app.metadata.namespace ?? ''}/${app.metadata.name ?? ''}`;
    throw new InvalidArgumentError(`application ${qualified} has no deployment with id ${id}`);
  }
  if (entry.source === undefined && (entry.sources?.length ?? 0) === 0) {
    throw new FailedPreconditionError(`history entry ${id} records no source; sync to its revision instead`);
  }
  const sync: SyncOperation = { syncStrategy: { apply: {} } };
  if ((entry.revision ?? '') !== '') sync.revision = entry.revision ?? '';
  if ((entry.revisions?.length ?? 0) > 0) sync.revisions = [...(entry.revisions ?? [])];
  if (entry.source !== undefined) sync.source = structuredClone(entry.source);
  if ((entry.sources?.length ?? 0) > 0) sync.sources = structuredClone(entry.sources ?? []);
  if (request.dryRun === true) sync.dryRun = true;
  if (request.prune === true) sync.prune = true;
  const syncOptions = app.spec.syncPolicy?.syncOptions ?? [];
  if (syncOptions.length > 0) sync.syncOptions = [...syncOptions];
  return {
    sync,
    initiatedBy: request.username === undefined ? {} : { username: request.username },
  };
}
