import type { OperationState } from '@capstan/crds';
import { parseK8sTime } from './k8s-time.ts';
import { nextRetryAt } from './retry-backoff.ts';

export type RetryResumption =
  /** The operation is not waiting to retry; run its step as usual. */
  | { readonly action: 'none' }
  /** Too early: come back at retryAt. */
  | { readonly action: 'wait'; readonly retryAt: Date; readonly waitMs: number }
  /** Persist this state (results and finishedAt cleared) and run the attempt. */
  | { readonly action: 'retry'; readonly state: OperationState }
  /** The retry strategy is unusable; persist this terminal state. */
  | { readonly action: 'error'; readonly state: OperationState };

/**
 * The start of an operation step for an operation that failed and is waiting to retry (phase
 * Running with finishedAt set). With `retry.refresh` the pinned revision(s) are dropped so the
 * attempt resolves the latest ones.
 */
export function resumeRetry(input: { readonly state: OperationState; readonly now: Date }): RetryResumption {
  const { state, now } = input;
  if (state.phase !== 'Running' || state.finishedAt === undefined) return { action: 'none' };
  const count = state.retryCount ?? 0;
  // An unreadable finishedAt cannot be waited on; retrying at once beats wedging the operation.
  const finished = parseK8sTime(state.finishedAt) ?? 0;
  let retryAt: Date;
  try {
    retryAt = nextRetryAt(state.operation.retry, new Date(finished), count);
  } catch (err) {
    return {
      action: 'error',
      state: { ...state, phase: 'Error', message: err instanceof Error ? err.message : String(err) },
    };
  }
  const waitMs = retryAt.getTime() - now.getTime();
  if (waitMs > 0) return { action: 'wait', retryAt, waitMs };

  const refresh = state.operation.retry?.refresh === true;
  let operation = state.operation;
  if (refresh && operation.sync !== undefined) {
    const { revision: _revision, revisions: _revisions, ...sync } = operation.sync;
    operation = { ...operation, sync };
  }
  const { finishedAt: _finishedAt, syncResult: _syncResult, ...rest } = state;
  return {
    action: 'retry',
    state: {
      ...rest,
      operation,
      message: `Retrying operation${refresh ? ' with latest revisions' : ''}. Attempt #${count}`,
    },
  };
}
