import type { Clock, Logger } from '@capstan/runtime';

export interface GitCredentials {
  /** HTTPS basic auth; the password may be a token. */
  readonly username?: string;
  readonly password?: string;
  /** PEM or OpenSSH private key. */
  readonly sshPrivateKey?: string;
  /** known_hosts content used for strict host key checking. */
  readonly knownHosts?: string;
  /** HTTPS: skip TLS verification; SSH: skip host key checking. */
  readonly insecure?: boolean;
  /** PEM client certificate for HTTPS, and its key. */
  readonly tlsClientCertData?: string;
  readonly tlsClientCertKey?: string;
  /** http(s) proxy URL. */
  readonly proxy?: string;
}

export interface GitRepo {
  readonly url: string;
  readonly creds?: GitCredentials;
}

export interface RemoteRefs {
  /** SHA that HEAD points to. */
  readonly head: string | undefined;
  /** e.g. refs/heads/main */
  readonly headRef: string | undefined;
  /** name → SHA */
  readonly branches: ReadonlyMap<string, string>;
  /** name → commit SHA (annotated tags peeled) */
  readonly tags: ReadonlyMap<string, string>;
}

export interface CommitMetadata {
  /** `Name <email>` of the author. */
  readonly author: string;
  /** Author date, RFC 3339 in UTC. */
  readonly date: string;
  readonly message: string;
  readonly tags: readonly string[];
  /** Output of signature verification for signed commits; empty for unsigned ones. */
  readonly signatureInfo: string;
}

export interface GitRequestEvent {
  readonly repo: string;
  readonly type: 'fetch' | 'ls-remote' | 'checkout';
  readonly ms: number;
  readonly ok: boolean;
}

export interface GitClientOptions {
  /** mirrors/<hash> and checkouts/<hash>/<sha> live below it. */
  readonly cacheDir: string;
  /** Total time limit of one git invocation; the process is killed after it → DeadlineExceeded. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** @default 'git' */
  readonly gitPath?: string;
  /** LRU bound on extracted revisions kept on disk. @default 100 */
  readonly maxCheckouts?: number;
  /** Metrics hook, called once per network request or extraction. */
  readonly onRequest?: (e: GitRequestEvent) => void;
  /** How long an ls-remote answer is reused; bypassed by noCache. @default 30_000 */
  readonly revisionCacheMs?: number;
  readonly clock?: Clock;
}

export interface GitClient {
  lsRemote(repo: GitRepo, opts?: { noCache?: boolean }): Promise<RemoteRefs>;
  /**
   * branch, tag, HEAD, full SHA, or short SHA (≥ 4 hex chars; resolved in the mirror after a fetch).
   * Unknown → NotFoundError naming the ref.
   */
  resolveRevision(repo: GitRepo, revision: string, opts?: { noCache?: boolean }): Promise<string>;
  /** Makes sure the mirror contains `sha` (fetches when missing). Concurrent fetches of one repo collapse into one. */
  ensureCommit(repo: GitRepo, sha: string): Promise<void>;
  /**
   * A read-only directory with the tree of `sha` (no .git), shared by concurrent callers, extracted once;
   * submodules included (recursively, same credentials) when `submodules` is true and .gitmodules exists.
   * The directory stays at least 10 minutes after the last checkout() that returned it (see checkout-store.ts).
   */
  checkout(repo: GitRepo, sha: string, opts?: { submodules?: boolean }): Promise<string>;
  /** All blob paths at sha (ls-tree -r), '/'-separated. */
  listFiles(repo: GitRepo, sha: string): Promise<string[]>;
  /** Contents of the given paths at sha; paths that are not files at sha are absent from the map. */
  readFiles(repo: GitRepo, sha: string, paths: readonly string[]): Promise<Map<string, Buffer>>;
  /** Paths changed between the two commits (renames reported as both paths). */
  changedFiles(repo: GitRepo, fromSha: string, toSha: string): Promise<string[]>;
  commitMetadata(repo: GitRepo, sha: string): Promise<CommitMetadata>;
  /** Checks access (ls-remote); throws the classified error. */
  test(repo: GitRepo): Promise<void>;
}
