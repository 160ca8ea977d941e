export type {
  GitCredentials,
  GitRepo,
  RemoteRefs,
  CommitMetadata,
  GitClientOptions,
  GitClient,
  GitRequestEvent,
} from './git-client.ts';
export { createGitClient } from './create-git-client.ts';
export { normalizeRepoUrl } from './normalize-repo-url.ts';
export { isCommitSha } from './is-commit-sha.ts';
