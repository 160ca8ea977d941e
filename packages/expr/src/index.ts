export {
  compile,
  type CompileOptions,
  type Env,
  type Program,
  type RunOptions,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_NODES,
} from './program.ts';
export { ExprError, isExprError, type ExprErrorPhase } from './expr-error.ts';
export { formatValue, goTypeName, formatFloat } from './go-format.ts';
export {
  GoDuration,
  GoLocation,
  GoTime,
  parseDuration,
  parseTime,
  durationString,
  RFC3339,
} from './go-time.ts';
export {
  GoAnyMap,
  GoBytes,
  GoError,
  GoFloat,
  GoFunc,
  GoNamedInt,
  GoStruct,
  GoValue,
  mkFloat,
  type GoFuncSpec,
  type GoParamType,
} from './values.ts';
export {
  defineNamespace,
  goFunc,
  notificationEnv,
  repoNamespace,
  stringsNamespace,
  syncNamespace,
  timeNamespace,
  queryEscape,
  repoURLToHTTPS,
  fullNameByRepoURL,
  type AppDetails,
  type CommitMetadata,
  type Namespace,
  type NotificationEnvInput,
  type RepoProvider,
} from './namespaces.ts';
export {
  compileTriggers,
  evaluateTrigger,
  type CompiledCondition,
  type CompiledTrigger,
  type ConditionResult,
  type TriggerCompileError,
  type TriggerCondition,
  type TriggerSet,
  type TriggerSpec,
} from './triggers.ts';
