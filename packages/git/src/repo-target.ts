import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '@capstan/errors';
import type { GitCredentials, GitRepo } from './git-client.ts';
import { normalizeRepoUrl } from './normalize-repo-url.ts';
import { splitUrlCredentials } from './redact.ts';

/** A repository as the stores work with it: a credential-free URL, its credentials and its cache identity. */
export interface RepoTarget {
  /** The URL as given, minus any credentials: what git is pointed at and what messages name. */
  readonly url: string;
  readonly creds: GitCredentials | undefined;
  /** Hash of the normalised URL: two spellings of one repository share a mirror and checkouts. */
  readonly key: string;
  /** Distinguishes credentials, so one caller's access is never answered from another's cached result. */
  readonly credsKey: string;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export function repoTarget(repo: GitRepo): RepoTarget {
  const split = splitUrlCredentials(repo.url);
  if (split.url === '' || split.url.startsWith('-') || /[\0\n\r]/.test(split.url))
    throw new InvalidArgumentError('invalid repository URL');
  const fromUrl = {
    ...(split.username === undefined ? {} : { username: split.username }),
    ...(split.password === undefined ? {} : { password: split.password }),
  };
  const creds =
    repo.creds === undefined && split.username === undefined ? undefined : { ...fromUrl, ...repo.creds };
  const key = hash(normalizeRepoUrl(split.url));
  const c = creds ?? {};
  const fingerprint = JSON.stringify(
    Object.keys(c)
      .sort()
      .map((k) => [k, (c as Record<string, unknown>)[k]]),
  );
  return { url: split.url, creds, key, credsKey: `${key}:${hash(fingerprint)}` };
}
