import { commonEnv, env } from '@capstan/runtime';

export const configSpec = {
  ...commonEnv,
  grpcPort: env.notificationsGrpcPort,
  metricsPort: env.notificationsMetricsPort,
  repoServerAddress: env.repoServerAddress,
  repoServerTimeoutSeconds: env.repoServerTimeoutSeconds,
} as const;
