export { RbacEnforcer, type RbacEnforcerOptions } from './rbac-enforcer.ts';
export type { RbacRequest } from './rbac-request.ts';
export {
  parseRbacConfig,
  RbacConfigKey,
  DEFAULT_SCOPES,
  type RbacConfig,
  type ConfigMapData,
} from './rbac-config.ts';
export type { MatchMode } from './compile-pattern.ts';
export { parsePolicyCsv, type ParsedPolicy } from './parse-policy-csv.ts';
export type { PolicyLine, PermissionLine, GroupingLine, LineOrigin } from './policy-line.ts';
export { formatDiagnostic, type PolicyDiagnostic } from './policy-diagnostic.ts';
export { BUILTIN_POLICY_CSV } from './builtin-policy.ts';
export { projectPolicies, type AppProjectLike } from './project-policies.ts';
export { subjectsFromClaims, type TokenClaims } from './claims.ts';
export {
  RbacResource,
  RbacAction,
  PROJECT_SCOPED_RESOURCES,
  requestProject,
  parseProjectSubject,
  projectRoleSubject,
} from './resources.ts';
export {
  applicationRbacName,
  applicationResourceActions,
  resourceVerbAction,
  resourceCustomAction,
  fineGrainedInheritanceDisabled,
  rollbackAction,
  RbacSettingKey,
  type ResourceRef,
} from './application-actions.ts';
