import type { SyncPolicy } from '@capstan/crds';

/** An `automated` block turns auto-sync on unless it says `enabled: false`. */
export function isAutomatedSyncEnabled(policy: SyncPolicy | undefined): boolean {
  const automated = policy?.automated;
  return automated !== undefined && automated.enabled !== false;
}
