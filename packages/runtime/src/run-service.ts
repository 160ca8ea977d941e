import type { Redis } from 'ioredis';
import type { VarSpec } from './config/var-spec.ts';
import {
  ConfigError,
  loadConfig,
  redactConfig,
  unknownVariables,
  type ConfigOf,
  type Env,
} from './config/load-config.ts';
import { env as allVars } from './config/env-vars.ts';
import { startGrpcServer } from './grpc/grpc-server.ts';
import type { ServiceBinding } from './grpc/handler-types.ts';
import { Lifecycle, exitOnSignals } from './lifecycle.ts';
import { createLogger, type Logger, type LogLevel } from './logger.ts';
import { createMetrics, startMetricsServer, type HealthCheck, type Metrics } from './metrics.ts';
import { connectRedis } from './redis.ts';
import { capstanVersion } from './version.ts';

/** The variables runService itself reads; a service's spec extends them with its own. */
export interface BaseSpec {
  readonly logLevel: VarSpec<LogLevel>;
  readonly redisUrl: VarSpec<string>;
  readonly redisConnectTimeoutMs: VarSpec<number>;
  readonly listenAddress: VarSpec<string>;
  readonly grpcMaxMessageBytes: VarSpec<number>;
  readonly shutdownTimeoutMs: VarSpec<number>;
  readonly grpcPort: VarSpec<number>;
  readonly metricsPort: VarSpec<number>;
  readonly [key: string]: VarSpec<unknown>;
}

interface BaseConfig {
  readonly logLevel: LogLevel;
  readonly redisUrl: string;
  readonly redisConnectTimeoutMs: number;
  readonly listenAddress: string;
  readonly grpcMaxMessageBytes: number;
  readonly shutdownTimeoutMs: number;
  readonly grpcPort: number;
  readonly metricsPort: number;
}

/** What a service's wiring receives: everything shared is already started. */
export interface ServiceDeps<S extends BaseSpec> {
  readonly config: ConfigOf<S>;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly redis: Redis;
  readonly lifecycle: Lifecycle;
}

/** What a service's wiring returns: the gRPC services to serve and extra /healthz checks. */
export interface ServiceParts {
  readonly services: readonly ServiceBinding[];
  readonly checks?: Readonly<Record<string, HealthCheck>>;
}

export interface RunServiceOptions<S extends BaseSpec> {
  /** Kebab-case service name: api-server, repo-server, … */
  readonly name: string;
  readonly spec: S;
  readonly wire: (deps: ServiceDeps<S>) => Promise<ServiceParts>;
  /** Descriptor set for gRPC reflection. */
  readonly descriptorSet?: URL;
  /** @default process.env */
  readonly env?: Env;
}

/**
 * The process skeleton shared by every service: config → logger → Redis → the service's wiring →
 * gRPC + metrics servers → graceful shutdown. Bad configuration exits 2 with one line on stderr naming
 * the variable; any other startup failure exits 1.
 */
export async function runService<S extends BaseSpec>(options: RunServiceOptions<S>): Promise<void> {
  const started = performance.now();
  const env = options.env ?? process.env;
  let config: ConfigOf<S>;
  try {
    config = loadConfig(options.spec, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`capstan ${options.name}: invalid configuration: ${err.message}\n`);
    process.exit(2);
  }
  const base = config as unknown as BaseConfig;
  const logger = createLogger({ level: base.logLevel, base: { service: options.name } });
  const lifecycle = new Lifecycle(logger);
  exitOnSignals({ lifecycle, logger, hardDeadlineMs: base.shutdownTimeoutMs + 1000 });
  try {
    const unknown = unknownVariables([allVars, options.spec], env);
    if (unknown.length > 0) logger.warn('ignoring unknown CAPSTAN_ variables', { variables: unknown });
    logger.info('starting', { version: capstanVersion, config: redactConfig(options.spec, config) });

    const metrics = createMetrics();
    const redis = await connectRedis({
      url: base.redisUrl,
      logger,
      connectionName: `capstan-${options.name}`,
      connectTimeoutMs: base.redisConnectTimeoutMs,
    });
    lifecycle.add('redis', () => redis.quit());
    const parts = await options.wire({ config, logger, metrics, redis, lifecycle });

    const grpc = await startGrpcServer({
      host: base.listenAddress,
      port: base.grpcPort,
      services: parts.services,
      ...(options.descriptorSet === undefined ? {} : { descriptorSet: options.descriptorSet }),
      logger,
      metrics,
      maxMessageBytes: base.grpcMaxMessageBytes,
    });
    lifecycle.add('grpc server', () => grpc.close(base.shutdownTimeoutMs));
    const metricsServer = await startMetricsServer({
      host: base.listenAddress,
      port: base.metricsPort,
      metrics,
      checks: { redis: async () => void (await redis.ping()), ...parts.checks },
    });
    lifecycle.add('metrics server', () => metricsServer.close());
    logger.info('started', {
      version: capstanVersion,
      grpcPort: grpc.port,
      metricsPort: metricsServer.port,
      services: grpc.serviceNames,
      startupMs: Math.round(performance.now() - started),
    });
  } catch (err) {
    logger.error('startup failed', { error: (err as Error).message });
    await lifecycle.close();
    process.exit(1);
  }
}
