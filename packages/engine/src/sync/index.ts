// The sync state machine: tasks from manifests and live state, Argo CD's ordering, and one pure step
// at a time over the results persisted in `status.operationState`.

export { annotationCsv, hasAnnotationOption } from './annotation-csv.ts';
export {
  executeSyncStep,
  type ExecuteSyncStepOptions,
  type SyncActionOutcome,
  type SyncActionRunner,
} from './execute-sync-step.ts';
export { hookDeletePolicies, type HookDeletePolicy } from './hook-delete-policies.ts';
export {
  HOOK_FINALIZER,
  hookTypes,
  isHook,
  isIgnoredHook,
  isSkipped,
  syncPhasesOf,
  SYNC_TASK_PHASES,
  type HookType,
  type SyncTaskPhase,
} from './hook-types.ts';
export { kindRank } from './kind-order.ts';
export { resourceImages } from './resource-images.ts';
export type {
  ApplyAction,
  ApplyOptions,
  CreateNamespaceAction,
  DeleteAction,
  DeleteReason,
  DryRunAction,
  DryRunItem,
  ResourceRef,
  SleepAction,
  StripFinalizerAction,
  StripFinalizerReason,
  SyncAction,
  WaitForEstablishedAction,
} from './sync-actions.ts';
export {
  effectiveDelete,
  effectivePrune,
  parseAppSyncOptions,
  resourceSyncOptions,
  type AppSyncOptions,
  type GuardOption,
  type PropagationPolicy,
  type ResourceSyncOptions,
} from './sync-options.ts';
export {
  APPLY_FAILED_MESSAGE,
  DEFAULT_CRD_ESTABLISHED_TIMEOUT_MS,
  DEFAULT_WAVE_DELAY_MS,
  planSyncTasks,
  syncStep,
} from './sync-step.ts';
export type {
  HealthOf,
  PermissionCheck,
  SyncSettings,
  SyncStepApp,
  SyncStepInput,
  SyncStepOutput,
} from './sync-step-types.ts';
export { resultKey, resultKeyOf, type SyncTask } from './sync-task.ts';
export { syncWave } from './sync-wave.ts';
