// The ApplicationSet kind (argoproj.io/v1alpha1). String fields of a template may hold Go or
// fasttemplate expressions such as '{{.name}}'; non-string fields cannot, which is why
// `templatePatch` exists.
import type { ApplicationSpec, HealthStatus, ResourceStatus } from './application.ts';
import type { LabelSelector, IntOrString, ObjectMeta, Time } from './object-meta.ts';

export interface ApplicationSetTemplateMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

export interface ApplicationSetTemplate {
  metadata: ApplicationSetTemplateMeta;
  spec: ApplicationSpec;
}

/** A reference to one key of a Secret in the ApplicationSet's namespace. */
export interface SecretRef {
  secretName: string;
  key: string;
}

export interface ConfigMapKeyRef {
  configMapName: string;
  key: string;
}

// ---------------------------------------------------------------------------------------------
// list, clusters, git, clusterDecisionResource, plugin

export interface ListGenerator {
  /** Free-form parameter sets; in fasttemplate mode each value must be a string. */
  elements?: unknown[];
  /** A YAML list, typically produced by a template from the sibling matrix generator. */
  elementsYaml?: string;
  template?: ApplicationSetTemplate;
}

export interface ClusterGenerator {
  selector?: LabelSelector;
  template?: ApplicationSetTemplate;
  values?: Record<string, string>;
  /** Produce one parameter set `{clusters: [...]}` instead of one per cluster. */
  flatList?: boolean;
}

export interface GitDirectoryGeneratorItem {
  path: string;
  exclude?: boolean;
}

export interface GitFileGeneratorItem {
  path: string;
  exclude?: boolean;
}

export interface GitGenerator {
  repoURL: string;
  directories?: GitDirectoryGeneratorItem[];
  files?: GitFileGeneratorItem[];
  revision: string;
  requeueAfterSeconds?: number;
  template?: ApplicationSetTemplate;
  pathParamPrefix?: string;
  values?: Record<string, string>;
}

export interface DuckTypeGenerator {
  /** Name of the ConfigMap that describes the duck-typed resource. */
  configMapRef: string;
  name?: string;
  requeueAfterSeconds?: number;
  labelSelector?: LabelSelector;
  template?: ApplicationSetTemplate;
  values?: Record<string, string>;
}

export interface PluginConfigMapRef {
  name: string;
}

export interface PluginInput {
  /** Sent verbatim to the plugin; values are free-form JSON. */
  parameters?: Record<string, unknown>;
}

export interface PluginGenerator {
  configMapRef: PluginConfigMapRef;
  input?: PluginInput;
  requeueAfterSeconds?: number;
  template?: ApplicationSetTemplate;
  values?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// scmProvider

export interface SCMProviderGeneratorGithub {
  organization: string;
  api?: string;
  tokenRef?: SecretRef;
  appSecretName?: string;
  allBranches?: boolean;
  excludeArchivedRepos?: boolean;
}

export interface SCMProviderGeneratorGitlab {
  group: string;
  includeSubgroups?: boolean;
  api?: string;
  tokenRef?: SecretRef;
  allBranches?: boolean;
  insecure?: boolean;
  includeSharedProjects?: boolean;
  topic?: string;
  caRef?: ConfigMapKeyRef;
  includeArchivedRepos?: boolean;
}

export interface SCMProviderGeneratorGitea {
  owner: string;
  api: string;
  tokenRef?: SecretRef;
  allBranches?: boolean;
  insecure?: boolean;
  excludeArchivedRepos?: boolean;
}

export interface BasicAuthBitbucketServer {
  username: string;
  passwordRef: SecretRef;
}

export interface BearerTokenBitbucket {
  tokenRef: SecretRef;
}

export interface SCMProviderGeneratorBitbucketServer {
  project: string;
  api: string;
  basicAuth?: BasicAuthBitbucketServer;
  bearerToken?: BearerTokenBitbucket;
  allBranches?: boolean;
  insecure?: boolean;
  caRef?: ConfigMapKeyRef;
}

export interface SCMProviderGeneratorBitbucket {
  owner: string;
  user: string;
  appPasswordRef: SecretRef;
  allBranches?: boolean;
}

export interface SCMProviderGeneratorAzureDevOps {
  organization: string;
  api?: string;
  teamProject: string;
  accessTokenRef: SecretRef;
  allBranches?: boolean;
}

export interface TagFilter {
  key: string;
  value?: string;
}

export interface SCMProviderGeneratorAWSCodeCommit {
  tagFilters?: TagFilter[];
  role?: string;
  region?: string;
  allBranches?: boolean;
}

/** Conditions ANDed within one filter; the filters of a generator are ORed. */
export interface SCMProviderGeneratorFilter {
  repositoryMatch?: string;
  pathsExist?: string[];
  pathsDoNotExist?: string[];
  labelMatch?: string;
  branchMatch?: string;
}

export interface SCMProviderGenerator {
  github?: SCMProviderGeneratorGithub;
  gitlab?: SCMProviderGeneratorGitlab;
  bitbucket?: SCMProviderGeneratorBitbucket;
  bitbucketServer?: SCMProviderGeneratorBitbucketServer;
  gitea?: SCMProviderGeneratorGitea;
  azureDevOps?: SCMProviderGeneratorAzureDevOps;
  awsCodeCommit?: SCMProviderGeneratorAWSCodeCommit;
  filters?: SCMProviderGeneratorFilter[];
  /** `ssh` or `https`; which clone URL becomes the `url` parameter. */
  cloneProtocol?: string;
  requeueAfterSeconds?: number;
  template?: ApplicationSetTemplate;
  values?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// pullRequest

export interface PullRequestGeneratorGithub {
  owner: string;
  repo: string;
  api?: string;
  tokenRef?: SecretRef;
  appSecretName?: string;
  labels?: string[];
}

export interface PullRequestGeneratorGitLab {
  project: string;
  api?: string;
  tokenRef?: SecretRef;
  labels?: string[];
  /** `opened`, `closed`, `merged` or `locked`; empty means all. */
  pullRequestState?: string;
  insecure?: boolean;
  caRef?: ConfigMapKeyRef;
}

export interface PullRequestGeneratorGitea {
  owner: string;
  repo: string;
  api: string;
  tokenRef?: SecretRef;
  insecure?: boolean;
  labels?: string[];
}

export interface PullRequestGeneratorBitbucketServer {
  project: string;
  repo: string;
  api: string;
  basicAuth?: BasicAuthBitbucketServer;
  bearerToken?: BearerTokenBitbucket;
  insecure?: boolean;
  caRef?: ConfigMapKeyRef;
}

export interface PullRequestGeneratorBitbucket {
  owner: string;
  repo: string;
  api?: string;
  basicAuth?: BasicAuthBitbucketServer;
  bearerToken?: BearerTokenBitbucket;
}

export interface PullRequestGeneratorAzureDevOps {
  organization: string;
  project: string;
  repo: string;
  api?: string;
  tokenRef?: SecretRef;
  labels?: string[];
}

export interface PullRequestGeneratorFilter {
  branchMatch?: string;
  targetBranchMatch?: string;
  titleMatch?: string;
}

export interface PullRequestGenerator {
  github?: PullRequestGeneratorGithub;
  gitlab?: PullRequestGeneratorGitLab;
  gitea?: PullRequestGeneratorGitea;
  bitbucketServer?: PullRequestGeneratorBitbucketServer;
  bitbucket?: PullRequestGeneratorBitbucket;
  azuredevops?: PullRequestGeneratorAzureDevOps;
  filters?: PullRequestGeneratorFilter[];
  requeueAfterSeconds?: number;
  template?: ApplicationSetTemplate;
  continueOnRepoNotFoundError?: boolean;
  values?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// matrix, merge and the generator unions

/** Generators valid at any depth. */
export interface ApplicationSetTerminalGenerator {
  list?: ListGenerator;
  clusters?: ClusterGenerator;
  git?: GitGenerator;
  scmProvider?: SCMProviderGenerator;
  clusterDecisionResource?: DuckTypeGenerator;
  pullRequest?: PullRequestGenerator;
  plugin?: PluginGenerator;
  /** Post-filter on the produced parameter sets. */
  selector?: LabelSelector;
}

/**
 * A child of a top-level matrix or merge. A grandchild matrix/merge is stored unvalidated, as Argo
 * CD's CRD does; the controller decodes it into NestedMatrixGenerator / NestedMergeGenerator.
 */
export interface ApplicationSetNestedGenerator extends ApplicationSetTerminalGenerator {
  matrix?: unknown;
  merge?: unknown;
}

export interface NestedMatrixGenerator {
  generators: ApplicationSetTerminalGenerator[];
}

export interface NestedMergeGenerator {
  generators: ApplicationSetTerminalGenerator[];
  mergeKeys: string[];
}

export interface MatrixGenerator {
  generators: ApplicationSetNestedGenerator[];
  /** Ignored by the controller, kept for API compatibility. */
  template?: ApplicationSetTemplate;
}

export interface MergeGenerator {
  generators: ApplicationSetNestedGenerator[];
  mergeKeys: string[];
  template?: ApplicationSetTemplate;
}

export interface ApplicationSetGenerator extends ApplicationSetTerminalGenerator {
  matrix?: MatrixGenerator;
  merge?: MergeGenerator;
}

// ---------------------------------------------------------------------------------------------
// Policies and strategy

export type ApplicationsSyncPolicy = 'create-only' | 'create-update' | 'create-delete' | 'sync';

export interface ApplicationSetSyncPolicy {
  /** Only stops the resources-finalizer from being added to generated apps. */
  preserveResourcesOnDeletion?: boolean;
  applicationsSync?: ApplicationsSyncPolicy;
}

export interface ApplicationMatchExpression {
  key?: string;
  /** `In` or `NotIn`. */
  operator?: string;
  values?: string[];
}

export interface ApplicationSetRolloutStep {
  matchExpressions?: ApplicationMatchExpression[];
  /** Count or percentage (`"25%"`) of the step's apps allowed to sync at once. */
  maxUpdate?: IntOrString;
}

export interface ApplicationSetRolloutStrategy {
  steps?: ApplicationSetRolloutStep[];
}

export interface ApplicationSetStrategy {
  type?: 'AllAtOnce' | 'RollingSync';
  rollingSync?: ApplicationSetRolloutStrategy;
  deletionOrder?: 'AllAtOnce' | 'Reverse';
}

export interface ApplicationPreservedFields {
  annotations?: string[];
  labels?: string[];
}

export interface ApplicationSetResourceIgnoreDifferences {
  /** Application name the rule applies to; absent means all. */
  name?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
}

export interface ApplicationSetSpec {
  goTemplate?: boolean;
  generators: ApplicationSetGenerator[];
  template: ApplicationSetTemplate;
  syncPolicy?: ApplicationSetSyncPolicy;
  strategy?: ApplicationSetStrategy;
  preservedFields?: ApplicationPreservedFields;
  goTemplateOptions?: string[];
  /** Deprecated: nested selectors always apply. */
  applyNestedSelectors?: boolean;
  ignoreApplicationDifferences?: ApplicationSetResourceIgnoreDifferences[];
  /** A templated YAML/JSON strategic-merge patch applied to each rendered Application. */
  templatePatch?: string;
}

// ---------------------------------------------------------------------------------------------
// Status

export type ApplicationSetConditionStatus = 'True' | 'False' | 'Unknown';
/** ErrorOccurred, ParametersGenerated, ResourcesUpToDate, RolloutProgressing, InvalidRolloutConfig. */
export type ApplicationSetConditionType = string;
export type ProgressiveSyncStatusCode = 'Waiting' | 'Pending' | 'Progressing' | 'Healthy';

export interface ApplicationSetCondition {
  type: ApplicationSetConditionType;
  message: string;
  lastTransitionTime?: Time;
  status: ApplicationSetConditionStatus;
  reason: string;
}

export interface ApplicationSetApplicationStatus {
  application: string;
  lastTransitionTime?: Time;
  message: string;
  status: ProgressiveSyncStatusCode;
  /** "1".."N", or "-1" for an app in no step. */
  step: string;
  targetRevisions: string[];
}

export interface ApplicationSetStatus {
  conditions?: ApplicationSetCondition[];
  applicationStatus?: ApplicationSetApplicationStatus[];
  resources?: ResourceStatus[];
  resourcesCount?: number;
  health?: HealthStatus;
}

export interface ApplicationSet {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'ApplicationSet';
  metadata: ObjectMeta;
  spec: ApplicationSetSpec;
  status?: ApplicationSetStatus;
}
