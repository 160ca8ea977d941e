import { commonEnv, env } from '@capstan/runtime';

export const configSpec = {
  ...commonEnv,
  grpcPort: env.repoServerGrpcPort,
  metricsPort: env.repoServerMetricsPort,
  helmPath: env.helmPath,
  kustomizePath: env.kustomizePath,
} as const;
