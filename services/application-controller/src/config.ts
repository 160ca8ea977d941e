import { commonEnv, env } from '@capstan/runtime';

export const configSpec = {
  ...commonEnv,
  grpcPort: env.controllerGrpcPort,
  metricsPort: env.controllerMetricsPort,
  repoServerAddress: env.repoServerAddress,
  repoServerTimeoutSeconds: env.repoServerTimeoutSeconds,
  statusProcessors: env.controllerStatusProcessors,
  operationProcessors: env.controllerOperationProcessors,
  syncWaveDelayMs: env.syncWaveDelayMs,
  kubeconfigPath: env.kubeconfigPath,
  kubeClientQps: env.kubeClientQps,
  kubeClientBurst: env.kubeClientBurst,
  replicaId: env.controllerReplicaId,
  leaseMs: env.controllerLeaseMs,
} as const;
