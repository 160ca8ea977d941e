// Health assessment: the built-in checks, custom Lua checks run in @capstan/lua's sandbox, and the
// aggregation of resource health into an application's health. Pure apart from the Lua sandbox it uses.
export {
  HealthAssessor,
  PENDING_DELETION_MESSAGE,
  type AppHealthAssessment,
  type AppResource,
  type HealthAssessorOptions,
  type LuaHealthRunner,
} from './health-assessor.ts';
export {
  aggregateAppHealth,
  causeName,
  causesMessage,
  excludedFromAppHealth,
  MAX_HEALTH_CAUSES,
  type AppHealth,
  type AppHealthEntry,
  type AppIdentity,
} from './aggregate-app-health.ts';
export { HEALTH_ORDER, isWorseHealth } from './health-order.ts';
export {
  parseHealthCustomizations,
  type HealthCustomization,
  type HealthCustomizations,
} from './parse-health-customizations.ts';
export { CORE_CHECKS, CUSTOMIZATION_CHECKS, type HealthCheck } from './built-in-checks.ts';
export { IGNORE_RESTART_POLICY_ANNOTATION } from './pod-health.ts';
