import type { OperationState, SyncWindow } from '@capstan/crds';
import { canSync } from './can-sync.ts';
import { parseK8sTime } from './k8s-time.ts';
import { matchingSyncWindows, type SyncWindowSubject } from './matching-sync-windows.ts';

export interface OperationWindowCheck {
  /** All of the project's sync windows. */
  readonly windows: readonly SyncWindow[] | undefined;
  readonly app: SyncWindowSubject;
  /** The operation being run (status.operationState); decides manual vs automated and overrun. */
  readonly operationState: OperationState | undefined;
  readonly now: Date;
}

export interface OperationWindowVerdict {
  readonly blocked: boolean;
  /**
   * What to show on a Running operation that has to wait; the operation otherwise stays as it is
   * and is tried again on its next step.
   */
  readonly message?: string;
}

/** The check made before every step of a sync operation. */
export function syncWindowPreventsSync(input: OperationWindowCheck): OperationWindowVerdict {
  const state = input.operationState;
  const startedMs = parseK8sTime(state?.startedAt);
  const verdict = canSync({
    windows: matchingSyncWindows(input.windows, input.app),
    now: input.now,
    manual: state !== undefined && state.operation.initiatedBy?.automated !== true,
    operationStartedAt: startedMs === undefined ? undefined : new Date(startedMs),
  });
  if (verdict.allowed) return { blocked: false };
  const message = 'Sync operation blocked by sync window';
  return { blocked: true, message: verdict.error === undefined ? message : `${message}: ${verdict.error}` };
}
