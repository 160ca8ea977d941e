import type { SyncWindow } from '@capstan/crds';
import { isSyncWindowActive } from './sync-window-active.ts';

export interface CanSyncInput {
  /** Windows already matched to the application (see matchingSyncWindows). */
  readonly windows: readonly SyncWindow[];
  readonly now: Date;
  /** A sync requested by a user rather than by auto-sync. */
  readonly manual: boolean;
  /** Start of the operation being continued; lets `syncOverrun` windows keep it running. */
  readonly operationStartedAt?: Date | undefined;
}

export interface SyncWindowVerdict {
  readonly allowed: boolean;
  /** Set when a window could not be evaluated; such a window blocks every sync. */
  readonly error?: string;
}

interface Split {
  readonly activeDenies: readonly SyncWindow[];
  readonly anyActiveAllow: boolean;
  readonly inactiveAllows: readonly SyncWindow[];
}

function split(windows: readonly SyncWindow[], at: Date): Split {
  const activeDenies: SyncWindow[] = [];
  const inactiveAllows: SyncWindow[] = [];
  let anyActiveAllow = false;
  for (const w of windows) {
    const active = isSyncWindowActive(w, at);
    if (w.kind === 'deny' && active) activeDenies.push(w);
    if (w.kind === 'allow') {
      if (active) anyActiveAllow = true;
      else inactiveAllows.push(w);
    }
  }
  return { activeDenies, anyActiveAllow, inactiveAllows };
}

const every = (ws: readonly SyncWindow[], flag: 'manualSync' | 'syncOverrun'): boolean =>
  ws.length > 0 && ws.every((w) => w[flag] === true);

/** The decision table without overrun: deny beats allow; manualSync lets users through a closed gate. */
function allowedAt(windows: readonly SyncWindow[], manual: boolean, at: Date): boolean {
  const s = split(windows, at);
  if (s.activeDenies.length > 0) return manual && every(s.activeDenies, 'manualSync');
  if (s.anyActiveAllow) return true;
  if (s.inactiveAllows.length > 0) return manual && every(s.inactiveAllows, 'manualSync');
  return true;
}

/**
 * Whether the matched windows let a sync run now.
 * 1. An active deny blocks, unless the sync is manual and every active deny has manualSync, or the
 *    operation started while syncing was allowed and every active deny has syncOverrun.
 * 2. Otherwise an active allow lets it run.
 * 3. Otherwise allow windows that exist but are closed block, with the same manualSync and
 *    syncOverrun (all closed allows) exceptions.
 * 4. Otherwise (no windows in force) it runs.
 */
export function canSync(input: CanSyncInput): SyncWindowVerdict {
  const { windows, now, manual, operationStartedAt } = input;
  if (windows.length === 0) return { allowed: true };
  try {
    const s = split(windows, now);
    const overrunFrom = (gate: readonly SyncWindow[]): boolean =>
      operationStartedAt !== undefined &&
      every(gate, 'syncOverrun') &&
      allowedAt(windows, manual, operationStartedAt);
    if (s.activeDenies.length > 0) {
      return { allowed: (manual && every(s.activeDenies, 'manualSync')) || overrunFrom(s.activeDenies) };
    }
    if (s.anyActiveAllow) return { allowed: true };
    if (s.inactiveAllows.length > 0) {
      return { allowed: (manual && every(s.inactiveAllows, 'manualSync')) || overrunFrom(s.inactiveAllows) };
    }
    return { allowed: true };
  } catch (err) {
    return {
      allowed: false,
      error: `invalid sync windows: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}
