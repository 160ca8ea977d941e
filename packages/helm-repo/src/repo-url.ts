import { InvalidArgumentError } from '@capstan/errors';

/** A parsed repository URL: http(s), without userinfo, fragment or trailing slash. */
export interface RepoLocation {
  readonly url: URL;
  /** Credentials written into the URL (`https://user:pass@host/…`), used when none are given. */
  readonly userinfo?: { readonly username: string; readonly password: string };
}

/** A URL as it may appear in a message or a log line: no userinfo, no query (either may hold a secret). */
export function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Masks `user:pass@` in text that did not parse as a URL, so it can still be named in an error. */
function redactRaw(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/g, '//***@').replace(/[?#].*$/s, '');
}

function isHttp(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}

export function parseRepoUrl(repoUrl: string): RepoLocation {
  let url: URL;
  try {
    url = new URL(repoUrl.trim());
  } catch {
    throw new InvalidArgumentError(`invalid Helm repository URL "${redactRaw(repoUrl)}"`);
  }
  if (url.protocol === 'oci:') {
    throw new InvalidArgumentError(
      `${displayUrl(url)} is an OCI registry; this client reads HTTP(S) chart repositories (index.yaml)`,
    );
  }
  if (!isHttp(url)) {
    throw new InvalidArgumentError(`Helm repository URL must be http or https: "${redactRaw(repoUrl)}"`);
  }
  const userinfo =
    url.username === ''
      ? undefined
      : { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  url.username = '';
  url.password = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '');
  return userinfo === undefined ? { url } : { url, userinfo };
}

/** `<repo>/index.yaml`, keeping the repository URL's path and query. */
export function indexUrl(repo: URL): URL {
  const url = new URL(repo.href);
  url.pathname = `${repo.pathname.replace(/\/+$/, '')}/index.yaml`;
  return url;
}

/**
 * Where a chart URL from the index points, with Helm's rules (`repo.ResolveReferenceURL`): an absolute
 * URL is used as is; a relative one is resolved against the repository URL taken as a directory (so a
 * repository at `https://host/charts` turns `nginx-1.0.0.tgz` into `https://host/charts/nginx-1.0.0.tgz`)
 * and keeps the repository URL's query.
 */
export function resolveChartUrl(repo: URL, ref: string): URL {
  let url: URL;
  try {
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) {
      url = new URL(ref);
    } else {
      const base = new URL(repo.href);
      base.pathname = `${repo.pathname.replace(/\/+$/, '')}/`;
      url = new URL(ref, base);
      url.search = base.search;
    }
  } catch {
    throw new InvalidArgumentError(
      `the index of ${displayUrl(repo)} lists an invalid chart URL "${redactRaw(ref)}"`,
    );
  }
  if (!isHttp(url)) {
    throw new InvalidArgumentError(
      `the index of ${displayUrl(repo)} lists a chart URL that is not http or https: "${redactRaw(ref)}"`,
    );
  }
  // Credentials reach a chart URL only through the repository's own credentials, never through userinfo.
  url.username = '';
  url.password = '';
  url.hash = '';
  return url;
}
