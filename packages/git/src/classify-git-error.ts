import {
  type CapstanError,
  DeadlineExceededError,
  InternalError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  UnauthenticatedError,
  UnavailableError,
} from '@capstan/errors';
import { redact } from './redact.ts';

export interface GitFailure {
  /** What was attempted, for the message: 'fetch', 'ls-remote', 'archive' … */
  readonly operation: string;
  /** The repository, already free of credentials. */
  readonly url: string;
  /** The revision asked for, named in NotFound messages. */
  readonly ref?: string | undefined;
  readonly stderr: string;
  readonly exitCode?: number;
  /** Set when the process was killed for running past its time limit. */
  readonly timeoutMs?: number;
  /** Values to mask if they show up in git's output (passwords, tokens). */
  readonly secrets?: readonly string[];
}

const hostKey =
  /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No \S+ host key is known|host key for .* has changed/i;
const forbidden = /returned error: 403|HTTP(?:\/[\d.]+)? 403|\b403 Forbidden/i;
const unauthenticated =
  /returned error: 401|HTTP(?:\/[\d.]+)? 401|Authentication failed|could not read (?:Username|Password)|terminal prompts disabled|Permission denied \(|Permission denied, please try again|Too many authentication failures|Invalid username or password|invalid credentials/i;
const ambiguous = /short (?:object ID|SHA1) \S+ is ambiguous/i;
const missingRepo =
  /Repository not found|does not appear to be a git repository|returned error: 404|repository '[^']*' not found|No such file or directory|not a git repository/i;
const missingRef =
  /couldn't find remote ref|not our ref|unknown revision|bad revision|bad object|not a valid object name|invalid object name|Needed a single revision|not a tree object|not a valid commit|no such ref|fatal: invalid reference|ambiguous argument|does not point to a valid object|remote error: .*not found/i;
const network =
  /Could not resolve host|Could not resolve hostname|Name or service not known|Temporary failure in name resolution|Connection refused|Connection timed out|Connection reset|Failed to connect|Network is unreachable|No route to host|unable to access|Operation timed out|connect to host .* port|Could not read from remote repository|the remote end hung up|early EOF|Empty reply from server|transfer closed|Recv failure|SSL|TLS|certificate|gnutls|Proxy CONNECT aborted|Received HTTP code \d+ from proxy/i;

/** The last meaningful line of git's output, with credentials removed: context for logs and Internal errors. */
function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('hint:'));
  return (lines.at(-1) ?? '').slice(0, 300);
}

/**
 * Turns a failed git invocation into the domain error a client can act on. Messages name the repository
 * (without credentials) and the revision, and never carry git's output verbatim: remote servers may echo
 * URLs with credentials, so only a redacted excerpt is kept, as the cause.
 */
export function classifyGitError(failure: GitFailure): CapstanError {
  const { operation, url, ref } = failure;
  const repo = redact(url, failure.secrets);
  const stderr = redact(failure.stderr, failure.secrets);
  const details = { repo, ...(ref === undefined ? {} : { revision: ref }) };
  const options = { cause: new Error(stderr), details };
  if (failure.timeoutMs !== undefined) {
    const seconds = Math.round(failure.timeoutMs / 100) / 10;
    return new DeadlineExceededError(`git ${operation} of ${repo} timed out after ${seconds}s`, options);
  }
  if (hostKey.test(stderr))
    return new UnauthenticatedError(
      `host key verification failed for ${repo}: the server's host key does not match the known_hosts entries for this repository`,
      options,
    );
  if (forbidden.test(stderr))
    return new PermissionDeniedError(`permission denied to repository ${repo}`, options);
  if (unauthenticated.test(stderr))
    return new UnauthenticatedError(`authentication failed for repository ${repo}`, options);
  if (ambiguous.test(stderr))
    return new InvalidArgumentError(
      `revision '${ref ?? ''}' is an ambiguous short SHA in ${repo}; use more characters`,
      options,
    );
  if (missingRef.test(stderr) && ref !== undefined)
    return new NotFoundError(`revision '${ref}' not found in repository ${repo}`, options);
  if (missingRepo.test(stderr)) return new NotFoundError(`repository ${repo} not found`, options);
  if (network.test(stderr))
    return new UnavailableError(
      `repository ${repo} is unreachable: ${lastLine(stderr) || `git ${operation} failed`}`,
      options,
    );
  const exit = failure.exitCode === undefined ? '' : ` (exit ${failure.exitCode})`;
  return new InternalError(`git ${operation} failed for ${repo}${exit}: ${lastLine(stderr)}`, options);
}
