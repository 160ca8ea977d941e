import type { SyncWindow } from '@capstan/crds';
import { canSync } from './can-sync.ts';
import { matchingSyncWindows, type SyncWindowSubject } from './matching-sync-windows.ts';
import { isSyncWindowActive } from './sync-window-active.ts';

export interface SyncWindowsState {
  /** Open windows among those assigned to the application. */
  readonly activeWindows: SyncWindow[];
  /** Every window of the project that applies to the application. */
  readonly assignedWindows: SyncWindow[];
  /** Whether a user could start a sync now (the manual view, without overrun). */
  readonly canSync: boolean;
}

/**
 * The windows of a project that are open at `now`, in project order (the project-level
 * GetSyncWindowsState). Throws InvalidArgumentError when a window cannot be evaluated.
 */
export function activeSyncWindows(windows: readonly SyncWindow[] | undefined, now: Date): SyncWindow[] {
  return (windows ?? []).filter((w) => isSyncWindowActive(w, now));
}

/**
 * What the API reports for one application's windows (GetApplicationSyncWindows). Throws
 * InvalidArgumentError when one of the assigned windows cannot be evaluated.
 */
export function syncWindowsState(input: {
  readonly windows: readonly SyncWindow[] | undefined;
  readonly app: SyncWindowSubject;
  readonly now: Date;
}): SyncWindowsState {
  const assignedWindows = matchingSyncWindows(input.windows, input.app);
  const activeWindows = activeSyncWindows(assignedWindows, input.now);
  const verdict = canSync({ windows: assignedWindows, now: input.now, manual: true });
  return { activeWindows, assignedWindows, canSync: verdict.allowed };
}
