export { repoRoot } from './paths.ts';
export { freePort } from './free-port.ts';
export { which, requireProgram } from './which.ts';
export {
  startLocalCluster,
  killPids,
  type LocalCluster,
  type LocalClusterOptions,
} from './cluster/local-cluster.ts';
export { locateToolchain, toolchainBin, pinnedVersions, type Toolchain } from './cluster/toolchain.ts';
export { podBehaviourLabel, type PodBehaviour } from './cluster/kwok-config.ts';
export { kubeconfigYaml } from './cluster/kubeconfig.ts';
export { kubeHttp, type KubeEndpoint } from './cluster/kube-http.ts';
export {
  ensureNamedCluster,
  stopNamedCluster,
  ensureToolchain,
  clusterDir,
  type NamedCluster,
} from './cluster/named-cluster.ts';
export { prepareCluster } from './cluster/prepare-cluster.ts';
export { startGitHttpServer, type GitHttpServer, type GitHttpServerOptions } from './git/git-http-server.ts';
export {
  renderDockerfile,
  serviceImages,
  workspaceDirs,
  type ServiceImage,
} from './dockerfiles/render-dockerfile.ts';
