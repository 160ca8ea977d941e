import { commonEnv, env } from '@capstan/runtime';

export const configSpec = {
  ...commonEnv,
  grpcPort: env.controllerGrpcPort,
  metricsPort: env.controllerMetricsPort,
  repoServerAddress: env.repoServerAddress,
  repoServerTimeoutSeconds: env.repoServerTimeoutSeconds,
} as const;
