// The diff part of the engine: normalization, ignore rules, the three-way comparison, an optional server-side
// comparison, sync status and secret masking. Pure apart from the jq worker pool it starts on demand.
export {
  compileDiffOptions,
  CompiledDiffOptions,
  type DiffOptions,
  type IgnorePlan,
  type IgnoreResourceStatusField,
  type OverrideIgnoreDiff,
  type TrackingMethod,
} from './diff-options.ts';
export {
  diffResource,
  diffResourceAsync,
  requiresJq,
  LAST_APPLIED_ANNOTATION,
  type ResourceDiff,
} from './diff-resource.ts';
export type { DiffChange } from './list-changes.ts';
export { JqPool, sharedJqPool, type JqPoolOptions, type JqRunner } from './jq-pool.ts';
export { ServerSideDiff, type ServerSideDiffOptions, type ServerSideDryRun } from './server-side-diff.ts';
export {
  computeSyncStatus,
  COMPARE_OPTIONS_ANNOTATION,
  type AppSyncStatus,
  type ResourceSyncStatus,
  type SyncStatusInput,
} from './sync-status.ts';
export { maskSecretValues, type MaskOptions, type SecretViews } from './mask-secrets.ts';
export {
  parseResourceCustomizations,
  parseOverrideIgnoreDiff,
  type ResourceCustomizations,
} from './resource-customizations.ts';
export { MERGE_KEYS, MERGED_SETS } from './merge-keys.ts';
export { TRACKING_ID_ANNOTATION } from './normalize-tracking.ts';
