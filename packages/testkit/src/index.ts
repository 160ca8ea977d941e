export { repoRoot } from './paths.ts';
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
