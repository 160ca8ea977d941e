export { repoRoot, seedDir } from './paths.ts';
export { startRedis, type TestRedis } from './redis-server.ts';
export { createGitRoot, type GitRoot, type GitRepo } from './git-repo.ts';
export {
  startService,
  spawnService,
  serviceEntry,
  waitForServing,
  toolEnv,
  type ServiceName,
  type ServiceProcess,
  type ServiceProcessOptions,
  type ExitResult,
} from './service-process.ts';
export { startTestCluster, type TestCluster, type TestNamespace } from './test-cluster.ts';
export { eventually } from './eventually.ts';
export { listServicesByReflection, describeSymbolByReflection } from './grpc-reflection.ts';
export {
  freePort,
  which,
  requireProgram,
  startLocalCluster,
  killPids,
  locateToolchain,
  toolchainBin,
  pinnedVersions,
  podBehaviourLabel,
  kubeconfigYaml,
  prepareCluster,
  startGitHttpServer,
  type GitHttpServer,
  type GitHttpServerOptions,
  type LocalCluster,
  type LocalClusterOptions,
  type Toolchain,
  type PodBehaviour,
} from '@capstan/devtools';
export { startGitSshServer, type GitSshServer, type GitSshServerOptions } from './git-ssh-server.ts';
export { generateSshKeyPair, type SshKeyPair } from './ssh-keys.ts';
export {
  startHelmRepoServer,
  packageChart,
  indexRepo,
  type HelmRepoServer,
  type HelmRepoServerOptions,
  type HelmRepoServerRequest,
} from './helm-repo-server.ts';
export { seededRandom } from './seeded-random.ts';
