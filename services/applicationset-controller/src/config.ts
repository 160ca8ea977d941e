import { commonEnv, env } from '@capstan/runtime';

export const configSpec = {
  ...commonEnv,
  grpcPort: env.appsetControllerGrpcPort,
  metricsPort: env.appsetControllerMetricsPort,
  repoServerAddress: env.repoServerAddress,
  repoServerTimeoutSeconds: env.repoServerTimeoutSeconds,
} as const;
