import { commonEnv, env } from '@capstan/runtime';

export const configSpec = {
  ...commonEnv,
  grpcPort: env.repoServerGrpcPort,
  metricsPort: env.repoServerMetricsPort,
  helmPath: env.helmPath,
  kustomizePath: env.kustomizePath,
  cacheDir: env.repoCacheDir,
  sshKnownHostsFile: env.sshKnownHostsFile,
  parallelismLimit: env.repoParallelismLimit,
  execTimeoutSeconds: env.repoExecTimeoutSeconds,
  gitTimeoutSeconds: env.gitTimeoutSeconds,
  maxManifestBytes: env.repoMaxManifestBytes,
  maxToolMemoryBytes: env.repoToolMaxMemoryBytes,
  cacheTtlSeconds: env.repoCacheTtlSeconds,
  revisionCacheSeconds: env.repoRevisionCacheSeconds,
  kustomizeBuildOptions: env.kustomizeBuildOptions,
  helmValuesFileSchemes: env.helmValuesFileSchemes,
} as const;
