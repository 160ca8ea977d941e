// The Application kind (argoproj.io/v1alpha1) field for field, so that manifests written for Argo CD
// round-trip through Capstan without loss. Field names and optionality follow Argo CD's API; numbers
// that Kubernetes stores as int64 are plain `number` here.
import type { IntOrString, ObjectMeta, Time } from './object-meta.ts';

// ---------------------------------------------------------------------------------------------
// Sources

export interface HelmParameter {
  name?: string;
  value?: string;
  /** Use `--set-string` instead of `--set`, so "true" or "1" stay strings. */
  forceString?: boolean;
}

export interface HelmFileParameter {
  name?: string;
  path?: string;
}

export interface ApplicationSourceHelm {
  valueFiles?: string[];
  parameters?: HelmParameter[];
  releaseName?: string;
  /** Inline values as a YAML string; `valuesObject` wins when both are set. */
  values?: string;
  fileParameters?: HelmFileParameter[];
  /** Helm major version, e.g. `v3`. */
  version?: string;
  passCredentials?: boolean;
  ignoreMissingValueFiles?: boolean;
  skipCrds?: boolean;
  skipSchemaValidation?: boolean;
  skipTests?: boolean;
  /** Inline values as structured data; free-form. */
  valuesObject?: Record<string, unknown>;
  namespace?: string;
  kubeVersion?: string;
  apiVersions?: string[];
}

export interface KustomizeReplica {
  name: string;
  count: IntOrString;
}

export interface KustomizeSelector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface KustomizePatch {
  path?: string;
  patch?: string;
  target?: KustomizeSelector;
  options?: Record<string, boolean>;
}

export interface ApplicationSourceKustomize {
  namePrefix?: string;
  nameSuffix?: string;
  /** `name=newName:tag` style overrides, as `kustomize edit set image` takes them. */
  images?: string[];
  commonLabels?: Record<string, string>;
  /** Kustomize version name registered in argocd-cm (`kustomize.path.<version>`). */
  version?: string;
  commonAnnotations?: Record<string, string>;
  forceCommonLabels?: boolean;
  forceCommonAnnotations?: boolean;
  namespace?: string;
  commonAnnotationsEnvsubst?: boolean;
  replicas?: KustomizeReplica[];
  patches?: KustomizePatch[];
  components?: string[];
  ignoreMissingComponents?: boolean;
  labelWithoutSelector?: boolean;
  labelIncludeTemplates?: boolean;
  kubeVersion?: string;
  apiVersions?: string[];
}

export interface JsonnetVar {
  name: string;
  value: string;
  code?: boolean;
}

export interface ApplicationSourceJsonnet {
  extVars?: JsonnetVar[];
  tlas?: JsonnetVar[];
  libs?: string[];
}

export interface ApplicationSourceDirectory {
  recurse?: boolean;
  jsonnet?: ApplicationSourceJsonnet;
  /** Glob of files to leave out, `{a,b}` alternatives allowed. */
  exclude?: string;
  include?: string;
  /** Read every file, not only .yaml/.yml/.json/.jsonnet. */
  disableExtensionFilter?: boolean;
}

export interface EnvEntry {
  name: string;
  value: string;
}

export interface ApplicationSourcePluginParameter {
  name?: string;
  string?: string;
  map?: Record<string, string>;
  array?: string[];
}

export interface ApplicationSourcePlugin {
  name?: string;
  env?: EnvEntry[];
  parameters?: ApplicationSourcePluginParameter[];
}

export interface ApplicationSource {
  repoURL: string;
  path?: string;
  /** Branch, tag, commit SHA, `HEAD`, or for Helm repositories a chart version or semver range. */
  targetRevision?: string;
  helm?: ApplicationSourceHelm;
  kustomize?: ApplicationSourceKustomize;
  directory?: ApplicationSourceDirectory;
  plugin?: ApplicationSourcePlugin;
  chart?: string;
  /** Lets other sources of the same app address this one's files as `$ref/...`. */
  ref?: string;
  name?: string;
  tagPrefix?: string;
}

// ---------------------------------------------------------------------------------------------
// Source hydrator

export interface DrySource {
  repoURL: string;
  targetRevision: string;
  path: string;
  helm?: ApplicationSourceHelm;
  kustomize?: ApplicationSourceKustomize;
  directory?: ApplicationSourceDirectory;
  plugin?: ApplicationSourcePlugin;
}

export interface SyncSource {
  targetBranch: string;
  path: string;
  repoURL?: string;
}

export interface HydrateTo {
  targetBranch: string;
}

export interface SourceHydrator {
  drySource: DrySource;
  syncSource: SyncSource;
  hydrateTo?: HydrateTo;
}

// ---------------------------------------------------------------------------------------------
// Spec

export interface ApplicationDestination {
  server?: string;
  namespace?: string;
  /** Cluster name; mutually exclusive with `server`. */
  name?: string;
}

export interface Backoff {
  /** A Go duration (`5s`), or a bare number of seconds. */
  duration?: string;
  factor?: number;
  maxDuration?: string;
}

export interface RetryStrategy {
  /** Negative means retry forever. */
  limit?: number;
  backoff?: Backoff;
  /** Re-resolve the target revision before each retry. */
  refresh?: boolean;
}

export interface SyncPolicyAutomated {
  prune?: boolean;
  selfHeal?: boolean;
  allowEmpty?: boolean;
  /** Absent means enabled when the `automated` block exists. */
  enabled?: boolean;
}

export interface ManagedNamespaceMetadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface SyncPolicy {
  automated?: SyncPolicyAutomated;
  syncOptions?: string[];
  retry?: RetryStrategy;
  managedNamespaceMetadata?: ManagedNamespaceMetadata;
}

export interface ResourceIgnoreDifferences {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
  managedFieldsManagers?: string[];
}

export interface Info {
  name: string;
  value: string;
}

export interface ApplicationSpec {
  source?: ApplicationSource;
  destination: ApplicationDestination;
  project: string;
  syncPolicy?: SyncPolicy;
  ignoreDifferences?: ResourceIgnoreDifferences[];
  info?: Info[];
  /** Defaults to 10 (see `DEFAULT_REVISION_HISTORY_LIMIT`). */
  revisionHistoryLimit?: number;
  sources?: ApplicationSource[];
  sourceHydrator?: SourceHydrator;
}

// ---------------------------------------------------------------------------------------------
// Operation (a requested sync or rollback)

export interface SyncOperationResource {
  group?: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface SyncStrategyApply {
  /** Delete and re-create on conflicts (`kubectl apply --force`). */
  force?: boolean;
}

export interface SyncStrategyHook {
  force?: boolean;
}

export interface SyncStrategy {
  apply?: SyncStrategyApply;
  hook?: SyncStrategyHook;
}

export interface SyncOperation {
  revision?: string;
  prune?: boolean;
  dryRun?: boolean;
  syncStrategy?: SyncStrategy;
  resources?: SyncOperationResource[];
  /** Set for rollbacks: the source recorded in history. */
  source?: ApplicationSource;
  /** Local manifests (`argocd app sync --local`); replace rendering entirely. */
  manifests?: string[];
  syncOptions?: string[];
  sources?: ApplicationSource[];
  revisions?: string[];
  autoHealAttemptsCount?: number;
}

export interface OperationInitiator {
  username?: string;
  automated?: boolean;
}

export interface Operation {
  sync?: SyncOperation;
  initiatedBy?: OperationInitiator;
  info?: Info[];
  retry?: RetryStrategy;
}

// ---------------------------------------------------------------------------------------------
// Status

export type SyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown';
export type HealthStatusCode = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';
export type OperationPhase = 'Running' | 'Terminating' | 'Failed' | 'Error' | 'Succeeded';
export type ResultCode = 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped';
export type HookType = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail' | 'PostDelete' | 'PreDelete' | 'Skip';
export type SyncPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
export type HydrateOperationPhase = 'Hydrating' | 'Failed' | 'Hydrated';

export interface HealthStatus {
  status?: HealthStatusCode;
  message?: string;
  /** Kept for compatibility; Argo CD no longer updates it on Applications. */
  lastTransitionTime?: Time;
}

export interface ComparedTo {
  source?: ApplicationSource;
  destination: ApplicationDestination;
  sources?: ApplicationSource[];
  ignoreDifferences?: ResourceIgnoreDifferences[];
}

export interface SyncStatus {
  status: SyncStatusCode;
  comparedTo?: ComparedTo;
  revision?: string;
  revisions?: string[];
}

export interface ResourceStatus {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  status?: SyncStatusCode;
  health?: HealthStatus;
  hook?: boolean;
  requiresPruning?: boolean;
  syncWave?: number;
  requiresDeletionConfirmation?: boolean;
}

export interface ResourceResult {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status?: ResultCode;
  message?: string;
  hookType?: HookType;
  hookPhase?: OperationPhase;
  syncPhase?: SyncPhase;
  images?: string[];
}

export interface SyncOperationResult {
  resources?: ResourceResult[];
  revision: string;
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  revisions?: string[];
  managedNamespaceMetadata?: ManagedNamespaceMetadata;
}

export interface OperationState {
  operation: Operation;
  phase: OperationPhase;
  message?: string;
  syncResult?: SyncOperationResult;
  startedAt: Time;
  finishedAt?: Time;
  retryCount?: number;
}

export interface RevisionHistory {
  revision?: string;
  deployedAt: Time;
  id: number;
  source?: ApplicationSource;
  deployStartedAt?: Time;
  sources?: ApplicationSource[];
  revisions?: string[];
  initiatedBy?: OperationInitiator;
}

/** InvalidSpecError, ComparisonError, SyncError, UnknownError, DeletionError, or a *Warning type. */
export type ApplicationConditionType = string;

export interface ApplicationCondition {
  type: ApplicationConditionType;
  message: string;
  lastTransitionTime?: Time;
}

export interface ApplicationSummary {
  externalURLs?: string[];
  images?: string[];
  isAppOfApps?: boolean;
}

export interface SuccessfulHydrateOperation {
  drySHA?: string;
  hydratedSHA?: string;
  sourceHydrator?: SourceHydrator;
}

export interface HydrateOperation {
  startedAt?: Time;
  finishedAt?: Time;
  phase: HydrateOperationPhase;
  message: string;
  drySHA?: string;
  hydratedSHA?: string;
  sourceHydrator?: SourceHydrator;
}

export interface SourceHydratorStatus {
  lastSuccessfulOperation?: SuccessfulHydrateOperation;
  currentOperation?: HydrateOperation;
  lastComparedDryRevision?: string;
}

export interface ApplicationStatus {
  resources?: ResourceStatus[];
  sync?: SyncStatus;
  health?: HealthStatus;
  history?: RevisionHistory[];
  conditions?: ApplicationCondition[];
  reconciledAt?: Time;
  operationState?: OperationState;
  observedAt?: Time;
  sourceType?: string;
  summary?: ApplicationSummary;
  /** Where the resource health came from: `appTree` when kept out of `resources` for size. */
  resourceHealthSource?: string;
  sourceTypes?: string[];
  controllerNamespace?: string;
  sourceHydrator?: SourceHydratorStatus;
}

export interface Application {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Application';
  metadata: ObjectMeta;
  spec: ApplicationSpec;
  status?: ApplicationStatus;
  /** Writing this field requests a sync; the controller clears it when it starts the operation. */
  operation?: Operation;
}
