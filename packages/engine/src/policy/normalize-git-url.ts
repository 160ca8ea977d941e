// Project source patterns compare repository URLs in one spelling per repository, the way Argo CD
// does for this purpose: everything lowercased, `.git` dropped, and scp-like or ssh:// SSH addresses
// both written as `user@host/path`. (The cache identity in @capstan/git keeps path case; this one
// must not, so that a pattern written in any case keeps matching as it does in Argo CD.)

const sshUrl = /^(ssh:\/\/)?([^/:]*?)@[^@]+$/;

/** The spelling of a repository URL that sourceRepos patterns are matched against. */
export function normalizeGitUrl(url: string): string {
  let repo = url.trim().toLowerCase();
  if (sshUrl.test(repo) && !repo.startsWith('ssh://')) {
    // `git@host:org/repo`: the first colon separates host and path, it is not a port.
    repo = `ssh://${repo.replace(':', '/')}`;
  }
  if (repo.endsWith('.git')) repo = repo.slice(0, -'.git'.length);
  return repo.startsWith('ssh://') ? repo.slice('ssh://'.length) : repo;
}
