import type {
  Application,
  ApplicationCondition,
  Operation,
  OperationPhase,
  ResourceStatus,
  SyncOperation,
  SyncOperationResource,
  SyncStatus,
  SyncWindow,
} from '@capstan/crds';
import { isAutomatedSyncEnabled } from './automated-sync-enabled.ts';
import { canSync } from './can-sync.ts';
import { goEqual } from './go-equal.ts';
import { matchingSyncWindows } from './matching-sync-windows.ts';
import { hasMultipleSources, primarySource } from './primary-source.ts';
import { selfHealAttempts, selfHealRemainingMs, type SelfHealConfig } from './self-heal-backoff.ts';

/** Retry given to automated operations when the spec sets none. */
export const DEFAULT_AUTO_SYNC_RETRY = Object.freeze({ limit: 5 });

export type AutoSyncReason =
  | 'sync-window'
  | 'disabled'
  | 'operation-in-progress'
  | 'deleting'
  | 'not-out-of-sync'
  | 'prune-only'
  | 'failed-last-attempt'
  | 'already-synced'
  | 'self-heal-backoff'
  | 'would-wipe-out'
  | 'out-of-sync'
  | 'self-heal';

export interface AutoSyncDecision {
  readonly action: 'skip' | 'sync' | 'requeue';
  readonly reason: AutoSyncReason;
  /** What happened, for logs and events. */
  readonly message: string;
  /**
   * The SyncError condition to set. When absent, existing SyncError conditions are to be cleared,
   * unless `keepConditions` is set.
   */
  readonly condition?: ApplicationCondition;
  /** Set when auto-sync was not evaluated at all (a sync window is closed): leave conditions alone. */
  readonly keepConditions?: true;
  /** The operation to write to `Application.operation` (action `sync`). */
  readonly operation?: Operation;
  /** Ask for a Latest-level refresh after this long (action `requeue`). */
  readonly requeueAfterMs?: number;
}

export interface AutoSyncInput {
  readonly app: Application;
  /** The comparison that just ran: app sync status and the resolved revision(s). */
  readonly syncStatus: SyncStatus;
  /** Per-resource statuses from the same comparison. */
  readonly resources: readonly ResourceStatus[];
  readonly now: Date;
  /**
   * False when manifest-generate-paths shows that the new commit(s) cannot change this app's
   * manifests; then only the source spec decides whether a sync was already attempted.
   */
  readonly revisionsMayHaveChanges?: boolean;
  readonly selfHeal?: SelfHealConfig;
  /** The project's sync windows; when given, closed windows stop auto-sync before anything else. */
  readonly syncWindows?: readonly SyncWindow[] | undefined;
}

/** Go prints a string slice as `[a b]`; the condition texts keep that shape users know. */
function listText(revisions: readonly string[]): string {
  return `[${revisions.join(' ')}]`;
}

function isCompleted(phase: OperationPhase): boolean {
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Error';
}

interface LastAttempt {
  readonly attempted: boolean;
  readonly revisions: readonly string[];
  readonly phase?: OperationPhase;
}

/**
 * Whether the last operation already targeted these revision(s) with this source spec. A completed
 * operation that left no syncResult counts as attempted: it most likely failed before syncing, and
 * auto-sync must not hammer it.
 */
function lastAttempt(app: Application, desired: readonly string[], compareRevisions: boolean): LastAttempt {
  const state = app.status?.operationState;
  if (state === undefined) return { attempted: false, revisions: [] };
  const result = state.syncResult;
  if (result === undefined) return { attempted: isCompleted(state.phase), revisions: [], phase: state.phase };
  const multi = hasMultipleSources(app.spec);
  const revisions = multi ? (result.revisions ?? []) : [result.revision];
  if (compareRevisions) {
    const same = multi
      ? goEqual(result.revisions, desired)
      : desired.length === 1 && result.revision === desired[0];
    if (!same) return { attempted: false, revisions, phase: state.phase };
  }
  const sameSpec = multi
    ? goEqual(app.spec.sources, result.sources)
    : goEqual(primarySource(app.spec), result.source);
  return { attempted: sameSpec, revisions, phase: state.phase };
}

function selectiveResource(r: ResourceStatus): SyncOperationResource {
  // Unlike Argo CD, keep the namespace: without it a selective sync would also touch same-named
  // objects in other namespaces that are in sync.
  const out: SyncOperationResource = { kind: r.kind ?? '', name: r.name ?? '' };
  if ((r.group ?? '') !== '') out.group = r.group ?? '';
  if ((r.namespace ?? '') !== '') out.namespace = r.namespace ?? '';
  return out;
}

function baseSync(app: Application, syncStatus: SyncStatus, multi: boolean): SyncOperation {
  const policy = app.spec.syncPolicy;
  const sync: SyncOperation = { prune: policy?.automated?.prune === true };
  if (!multi) sync.source = structuredClone(primarySource(app.spec));
  if ((syncStatus.revision ?? '') !== '') sync.revision = syncStatus.revision ?? '';
  if ((syncStatus.revisions?.length ?? 0) > 0) sync.revisions = [...(syncStatus.revisions ?? [])];
  if (multi) sync.sources = structuredClone(app.spec.sources ?? []);
  if ((policy?.syncOptions?.length ?? 0) > 0) sync.syncOptions = [...(policy?.syncOptions ?? [])];
  return sync;
}

/**
 * Decides, after a refresh, whether auto-sync starts an operation. Mirrors Argo CD's rules in order:
 * closed windows; automation off; an operation already there or the app deleting; app not OutOfSync
 * (Unknown never auto-syncs); prune needed but not allowed; already attempted (a failure is never
 * retried until the revision or the source spec changes, a success is left alone unless self-heal
 * is on, which then waits out its backoff and syncs only the drifted resources); and finally a prune
 * that would delete every resource without allowEmpty.
 */
export function decideAutoSync(input: AutoSyncInput): AutoSyncDecision {
  const { app, syncStatus, resources } = input;
  if (input.syncWindows !== undefined) {
    const verdict = canSync({
      windows: matchingSyncWindows(input.syncWindows, app),
      now: input.now,
      manual: false,
    });
    if (!verdict.allowed) {
      return {
        action: 'skip',
        reason: 'sync-window',
        message: verdict.error ?? 'sync prevented by sync window',
        keepConditions: true,
      };
    }
  }
  const policy = app.spec.syncPolicy;
  const automated = policy?.automated;
  if (automated === undefined || !isAutomatedSyncEnabled(policy)) {
    return { action: 'skip', reason: 'disabled', message: 'automated sync is not enabled' };
  }
  if (app.operation !== undefined) {
    return { action: 'skip', reason: 'operation-in-progress', message: 'another operation is in progress' };
  }
  if ((app.metadata.deletionTimestamp ?? '') !== '') {
    return { action: 'skip', reason: 'deleting', message: 'the application is being deleted' };
  }
  if (syncStatus.status !== 'OutOfSync') {
    return {
      action: 'skip',
      reason: 'not-out-of-sync',
      message: `application status is ${syncStatus.status}`,
    };
  }
  const prune = automated.prune === true;
  if (!prune && resources.every((r) => r.status === 'Synced' || r.requiresPruning === true)) {
    return {
      action: 'skip',
      reason: 'prune-only',
      message: 'only extra resources need pruning, and automated prune is off',
    };
  }

  const multi = hasMultipleSources(app.spec);
  const desired = multi ? [...(syncStatus.revisions ?? [])] : [syncStatus.revision ?? ''];
  const sync = baseSync(app, syncStatus, multi);

  const last = lastAttempt(app, desired, input.revisionsMayHaveChanges ?? true);
  let selfHealing = false;
  if (last.attempted) {
    if (last.phase !== 'Succeeded') {
      const previous = app.status?.operationState?.message ?? '';
      return {
        action: 'skip',
        reason: 'failed-last-attempt',
        message: `the last sync to ${listText(last.revisions)} failed; not retrying ${listText(desired)}`,
        condition: {
          type: 'SyncError',
          message: `Failed last sync attempt to ${listText(last.revisions)}: ${previous}`,
        },
      };
    }
    if (automated.selfHeal !== true) {
      return {
        action: 'skip',
        reason: 'already-synced',
        message: `most recent sync already to ${listText(desired)}`,
      };
    }
    const state = app.status?.operationState;
    const remaining = selfHealRemainingMs({
      operationState: state,
      now: input.now,
      ...(input.selfHeal !== undefined && { config: input.selfHeal }),
    });
    if (remaining > 0) {
      return {
        action: 'requeue',
        reason: 'self-heal-backoff',
        message: `self-heal of ${listText(desired)} waits ${Math.ceil(remaining / 1000)}s more`,
        requeueAfterMs: remaining,
      };
    }
    selfHealing = true;
    sync.autoHealAttemptsCount = selfHealAttempts(state) + 1;
    sync.resources = resources.filter((r) => r.status !== 'Synced').map(selectiveResource);
  }

  if (prune && automated.allowEmpty !== true && resources.every((r) => r.requiresPruning === true)) {
    const message = `Skipping sync attempt to ${listText(desired)}: auto-sync will wipe out all resources`;
    return { action: 'skip', reason: 'would-wipe-out', message, condition: { type: 'SyncError', message } };
  }

  return {
    action: 'sync',
    reason: selfHealing ? 'self-heal' : 'out-of-sync',
    message: `Initiated automated sync to '${desired.join(', ')}'`,
    operation: {
      sync,
      initiatedBy: { automated: true },
      retry: structuredClone(policy?.retry ?? DEFAULT_AUTO_SYNC_RETRY),
    },
  };
}
