export { repoRoot, seedDir } from './paths.ts';
export { freePort } from './free-port.ts';
export { which, requireProgram } from './which.ts';
export { startRedis, type TestRedis } from './redis-server.ts';
export { startGitHttpServer, type GitHttpServer, type GitHttpServerOptions } from './git-http-server.ts';
export { createGitRoot, type GitRoot, type GitRepo } from './git-repo.ts';
export {
  startService,
  spawnService,
  serviceEntry,
  waitForServing,
  type ServiceName,
  type ServiceProcess,
  type ServiceProcessOptions,
  type ExitResult,
} from './service-process.ts';
export {
  startLocalCluster,
  killPids,
  type LocalCluster,
  type LocalClusterOptions,
} from './cluster/local-cluster.ts';
export { startTestCluster, type TestCluster, type TestNamespace } from './cluster/test-cluster.ts';
export { locateToolchain, toolchainBin, pinnedVersions, type Toolchain } from './cluster/toolchain.ts';
export { podBehaviourLabel, type PodBehaviour } from './cluster/kwok-config.ts';
export { kubeconfigYaml } from './cluster/kubeconfig.ts';
export { eventually } from './eventually.ts';
export { listServicesByReflection } from './grpc-reflection.ts';
