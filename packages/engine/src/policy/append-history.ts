import type {
  ApplicationSource,
  OperationInitiator,
  OperationPhase,
  RevisionHistory,
  SyncOperation,
  Time,
} from '@capstan/crds';
import { DEFAULT_REVISION_HISTORY_LIMIT } from '@capstan/crds';
import { toK8sTime } from './k8s-time.ts';

/**
 * Only full, real, successful syncs are history: a dry run changed nothing, and a selective sync
 * (including every self-heal) deployed only part of the revision, so rolling back to it would lie.
 */
export function shouldRecordHistory(operation: SyncOperation | undefined, phase: OperationPhase): boolean {
  return (
    operation !== undefined &&
    operation.dryRun !== true &&
    (operation.resources?.length ?? 0) === 0 &&
    phase === 'Succeeded'
  );
}

export interface HistoryInput {
  readonly history: readonly RevisionHistory[] | undefined;
  /** spec.revisionHistoryLimit; absent means 10. */
  readonly revisionHistoryLimit: number | undefined;
  readonly operation: SyncOperation | undefined;
  readonly phase: OperationPhase;
  readonly multiSource: boolean;
  /** What the sync deployed: the comparison's resolved revision(s) and the source(s) compared. */
  readonly revision?: string | undefined;
  readonly source?: ApplicationSource | undefined;
  readonly revisions?: readonly string[] | undefined;
  readonly sources?: readonly ApplicationSource[] | undefined;
  /** When the operation started. */
  readonly startedAt: Time;
  readonly now: Date;
  readonly initiatedBy?: OperationInitiator | undefined;
}

/**
 * The history after a finished operation, or undefined when the operation is not one to record.
 * Ids continue from the last entry (0 for the first), and only the newest `revisionHistoryLimit`
 * entries are kept.
 */
export function appendHistory(input: HistoryInput): RevisionHistory[] | undefined {
  if (!shouldRecordHistory(input.operation, input.phase)) return undefined;
  const history = input.history ?? [];
  const last = history[history.length - 1];
  const entry: RevisionHistory = {
    id: last === undefined ? 0 : last.id + 1,
    deployedAt: toK8sTime(input.now),
    deployStartedAt: input.startedAt,
  };
  if (input.multiSource) {
    entry.revisions = [...(input.revisions ?? [])];
    entry.sources = structuredClone([...(input.sources ?? [])]);
  } else {
    entry.revision = input.revision ?? '';
    if (input.source !== undefined) entry.source = structuredClone(input.source);
  }
  if (input.initiatedBy !== undefined) entry.initiatedBy = { ...input.initiatedBy };
  const limit = Math.max(0, input.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT);
  const all = [...history, entry];
  return all.slice(Math.max(0, all.length - limit));
}
