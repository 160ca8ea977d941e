// The AppProject kind (argoproj.io/v1alpha1): the guard rails every Application is checked against.
import type { ApplicationDestination } from './application.ts';
import type { ObjectMeta } from './object-meta.ts';

export interface GroupKind {
  group: string;
  kind: string;
}

/** A cluster-scoped allow/deny entry; `name` narrows it to one object. */
export interface ClusterResourceRestrictionItem {
  group: string;
  kind: string;
  name?: string;
}

export interface JWTToken {
  /** Issued-at, seconds since the epoch; also the token's key for deletion. */
  iat: number;
  exp?: number;
  id?: string;
}

export interface JWTTokens {
  items?: JWTToken[];
}

export interface ProjectRole {
  name: string;
  description?: string;
  /** Casbin lines, e.g. `p, proj:prod:deployer, applications, sync, prod/*, allow`. */
  policies?: string[];
  /** Deprecated by Argo CD in favour of status.jwtTokensByRole; still read. */
  jwtTokens?: JWTToken[];
  groups?: string[];
}

export interface SyncWindow {
  kind?: 'allow' | 'deny';
  /** Cron expression for when the window opens. */
  schedule?: string;
  /** Go duration the window stays open for, e.g. `1h`. */
  duration?: string;
  applications?: string[];
  namespaces?: string[];
  clusters?: string[];
  manualSync?: boolean;
  timeZone?: string;
  syncOverrun?: boolean;
  andOperator?: boolean;
  description?: string;
}

export interface OrphanedResourceKey {
  group?: string;
  kind?: string;
  name?: string;
}

export interface OrphanedResourcesMonitorSettings {
  /** Absent or true: raise an OrphanedResourceWarning condition. */
  warn?: boolean;
  ignore?: OrphanedResourceKey[];
}

export interface SignatureKey {
  keyID: string;
}

export interface ApplicationDestinationServiceAccount {
  server: string;
  namespace?: string;
  defaultServiceAccount: string;
}

export interface SourceIntegrityGitPolicyRepo {
  url: string;
}

export interface SourceIntegrityGitPolicyGPG {
  /** `none`, `head` or `strict`. */
  mode: string;
  keys: string[];
}

export interface SourceIntegrityGitPolicy {
  repos: SourceIntegrityGitPolicyRepo[];
  gpg: SourceIntegrityGitPolicyGPG;
}

export interface SourceIntegrityGit {
  policies: SourceIntegrityGitPolicy[];
}

export interface SourceIntegrity {
  git: SourceIntegrityGit;
}

export interface AppProjectSpec {
  /** Globs; a leading `!` denies. */
  sourceRepos?: string[];
  destinations?: ApplicationDestination[];
  description?: string;
  roles?: ProjectRole[];
  clusterResourceWhitelist?: ClusterResourceRestrictionItem[];
  namespaceResourceBlacklist?: GroupKind[];
  orphanedResources?: OrphanedResourcesMonitorSettings;
  syncWindows?: SyncWindow[];
  namespaceResourceWhitelist?: GroupKind[];
  /** Deprecated by Argo CD in favour of sourceIntegrity. */
  signatureKeys?: SignatureKey[];
  clusterResourceBlacklist?: ClusterResourceRestrictionItem[];
  sourceNamespaces?: string[];
  permitOnlyProjectScopedClusters?: boolean;
  destinationServiceAccounts?: ApplicationDestinationServiceAccount[];
  sourceIntegrity?: SourceIntegrity;
}

export interface AppProjectStatus {
  jwtTokensByRole?: Record<string, JWTTokens>;
}

export interface AppProject {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'AppProject';
  metadata: ObjectMeta;
  spec: AppProjectSpec;
  status?: AppProjectStatus;
}
