import type { OperationState } from '@capstan/crds';
import { canRetry, nextRetryAt } from './retry-backoff.ts';
import { toK8sTime } from './k8s-time.ts';

export interface RetryPolicyInput {
  /** The operation state as a sync step left it. */
  readonly state: OperationState;
  readonly now: Date;
  /** The operation was Terminating when the step began: a terminated operation is never retried. */
  readonly terminating: boolean;
  /** What made it terminate (e.g. "controller sync timeout"), appended to the final message. */
  readonly terminatingCause?: string;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `3:04PM` in UTC: the short clock time shown in the retry message. */
function clockTime(date: Date): string {
  const hours = date.getUTCHours();
  const minutes = String(date.getUTCMinutes()).padStart(2, '0');
  return `${hours % 12 === 0 ? 12 : hours % 12}:${minutes}${hours < 12 ? 'AM' : 'PM'}`;
}

/**
 * Turns a Failed or Error step result into a pending retry when the operation's retry strategy
 * allows one: the phase goes back to Running with finishedAt set (which marks "waiting to retry")
 * and retryCount incremented. Otherwise the failure stands, its message noting the retries made.
 * Other phases pass through unchanged.
 */
export function applyRetryPolicy(input: RetryPolicyInput): OperationState {
  const { state, now } = input;
  if (state.phase !== 'Failed' && state.phase !== 'Error') return state;
  const retry = state.operation.retry;
  const count = state.retryCount ?? 0;
  const message = state.message ?? '';
  if (!input.terminating && canRetry(retry, count)) {
    let at: Date;
    try {
      // The gate on the next pass uses the incremented count, so the message announces that time.
      at = nextRetryAt(retry, now, count + 1);
    } catch (err) {
      return { ...state, phase: 'Error', message: `${message} (failed to retry: ${errorText(err)})` };
    }
    return {
      ...state,
      phase: 'Running',
      finishedAt: toK8sTime(now),
      retryCount: count + 1,
      message: `${message}. Retrying attempt #${count + 1} at ${clockTime(at)}.`,
    };
  }
  let final = message;
  if (input.terminating && (input.terminatingCause ?? '') !== '')
    final = `${final}, triggered by ${input.terminatingCause}`;
  if (count > 0) final = `${final} (retried ${count} times).`;
  return final === message ? state : { ...state, message: final };
}
