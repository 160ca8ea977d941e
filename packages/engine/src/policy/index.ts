// Policy decisions of the engine: when auto-sync acts, how retries and self-heal back off, what goes
// into history and rollbacks, what a project permits, and when sync windows let a sync through.
// Pure functions of their inputs; the current time is always passed in.

export {
  decideAutoSync,
  DEFAULT_AUTO_SYNC_RETRY,
  type AutoSyncDecision,
  type AutoSyncInput,
  type AutoSyncReason,
} from './auto-sync-decision.ts';
export { isAutomatedSyncEnabled } from './automated-sync-enabled.ts';
export {
  DEFAULT_SELF_HEAL_CONFIG,
  selfHealAttempts,
  selfHealDelayMs,
  selfHealRemainingMs,
  type SelfHealBackoff,
  type SelfHealConfig,
} from './self-heal-backoff.ts';

export {
  canRetry,
  DEFAULT_RETRY_DURATION_MS,
  DEFAULT_RETRY_FACTOR,
  DEFAULT_RETRY_MAX_DURATION_MS,
  nextRetryAt,
  retryDelayMs,
} from './retry-backoff.ts';
export { applyRetryPolicy, type RetryPolicyInput } from './apply-retry-policy.ts';
export { resumeRetry, type RetryResumption } from './resume-retry.ts';
export { parseGoDuration, parseRetryDuration } from './go-duration.ts';

export { appendHistory, shouldRecordHistory, type HistoryInput } from './append-history.ts';
export { planRollback, type RollbackRequest } from './plan-rollback.ts';

export type { ClusterRef } from './cluster-ref.ts';
export { normalizeGitUrl } from './normalize-git-url.ts';
export { isSourcePermitted } from './source-permitted.ts';
export { isDestinationPermitted, type DestinationCheck } from './destination-permitted.ts';
export {
  isGroupKindNamePermitted,
  isResourcePermitted,
  type GroupKindName,
  type ResourceCheck,
} from './resource-permitted.ts';
export { isAppNamespacePermitted } from './app-namespace-permitted.ts';
export { projectSpecConditions, type ProjectSpecCheck } from './project-spec-conditions.ts';
export { projectName, projectOrDefault } from './project-or-default.ts';

export { isSyncWindowActive, syncWindowError, syncWindowTimeZone } from './sync-window-active.ts';
export { matchingSyncWindows, type SyncWindowSubject } from './matching-sync-windows.ts';
export { canSync, type CanSyncInput, type SyncWindowVerdict } from './can-sync.ts';
export {
  syncWindowPreventsSync,
  type OperationWindowCheck,
  type OperationWindowVerdict,
} from './sync-window-prevents-sync.ts';
export { activeSyncWindows, syncWindowsState, type SyncWindowsState } from './sync-windows-state.ts';

export {
  CompareWith,
  refreshLevel,
  refreshLevelAfterOperation,
  shouldSetReconciledAt,
  type CompareLevel,
  type RefreshDecision,
  type RefreshInput,
} from './refresh-level.ts';
export { isDeletionApproved } from './deletion-approved.ts';

export { globMatch } from './glob-match.ts';
export { filepathMatch } from './filepath-match.ts';
export { goEqual } from './go-equal.ts';
export { hasMultipleSources, primarySource } from './primary-source.ts';
export { parseK8sTime, toK8sTime } from './k8s-time.ts';
