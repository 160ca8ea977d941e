import { commonEnv, env } from '@capstan/runtime';

export const configSpec = {
  ...commonEnv,
  grpcPort: env.apiServerGrpcPort,
  metricsPort: env.apiServerMetricsPort,
  repoServerAddress: env.repoServerAddress,
  repoServerTimeoutSeconds: env.repoServerTimeoutSeconds,
} as const;
