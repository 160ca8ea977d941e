export {
  type VarSpec,
  intVar,
  portVar,
  stringVar,
  enumVar,
  boolVar,
  urlVar,
  addressVar,
} from './config/var-spec.ts';
export { env, commonEnv } from './config/env-vars.ts';
export {
  loadConfig,
  redactConfig,
  ConfigError,
  type ConfigSpec,
  type ConfigOf,
  type Env,
} from './config/load-config.ts';
export { type Clock, systemClock } from './clock.ts';
export {
  type Backoff,
  type BackoffOptions,
  exponentialBackoff,
  retry,
  type RetryOptions,
} from './backoff.ts';
export { type Logger, type LogLevel, type LoggerOptions, createLogger, silentLogger } from './logger.ts';
export {
  type Metrics,
  type MetricsServer,
  type HealthCheck,
  createMetrics,
  startMetricsServer,
} from './metrics.ts';
export { connectRedis, redisTarget, type RedisOptions } from './redis.ts';
export { Lifecycle, exitOnSignals } from './lifecycle.ts';
export { capstanVersion } from './version.ts';
export {
  type CallContext,
  type ServiceBinding,
  type ServiceImplementation,
  type ServiceDefinitionLike,
  bindService,
} from './grpc/handler-types.ts';
export {
  startGrpcServer,
  type GrpcServer,
  type GrpcServerOptions,
  type ServerTlsOptions,
} from './grpc/grpc-server.ts';
export {
  runService,
  type RunServiceOptions,
  type ServiceDeps,
  type ServiceParts,
  type BaseSpec,
} from './run-service.ts';
export { unimplementedService } from './grpc/unimplemented.ts';
export { createSingleFlight, type SingleFlight } from './single-flight.ts';
