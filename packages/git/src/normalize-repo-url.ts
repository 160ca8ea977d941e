const schemeUrl = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s;
// user@host:path, the scp-like syntax git accepts for SSH; a colon before any slash and no scheme.
const scpLike = /^(?:([^@/:]+)@)?([^/:]+|\[[^\]]+\]):(?!\/\/)(.*)$/s;
const defaultPorts: Readonly<Record<string, string>> = { http: '80', https: '443', ssh: '22', git: '9418' };

function trimRepoSuffix(path: string): string {
  let p = path;
  for (;;) {
    const next = p.replace(/\/+$/, '').replace(/\.git$/, '');
    if (next === p) return p;
    p = next;
  }
}

/** Splits `user:password@host:port` into its parts; the password never survives normalisation. */
function splitAuthority(authority: string): { user: string | undefined; hostPort: string } {
  const at = authority.lastIndexOf('@');
  if (at < 0) return { user: undefined, hostPort: authority };
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  return { user: colon < 0 ? userinfo : userinfo.slice(0, colon), hostPort: authority.slice(at + 1) };
}

/**
 * One spelling per repository, used as its cache identity: scheme and host lowercased (paths are
 * case-sensitive on most servers, so they are kept), default ports, trailing '/' and '.git' dropped,
 * scp-like SSH addresses rewritten as ssh:// URLs, and any password removed. HTTP(S) user names are
 * dropped too: they are often tokens, and they do not change which repository is meant.
 */
export function normalizeRepoUrl(url: string): string {
  const trimmed = url.trim();
  const m = schemeUrl.exec(trimmed);
  if (m !== null) {
    const scheme = (m[1] ?? '').toLowerCase();
    const { user, hostPort } = splitAuthority(m[2] ?? '');
    let host = hostPort.toLowerCase();
    const port = defaultPorts[scheme];
    if (port !== undefined && host.endsWith(`:${port}`)) host = host.slice(0, -(port.length + 1));
    const keepUser = user !== undefined && user !== '' && scheme !== 'http' && scheme !== 'https';
    return `${scheme}://${keepUser ? `${user}@` : ''}${host}${trimRepoSuffix(m[3] ?? '')}`;
  }
  const scp = scpLike.exec(trimmed);
  if (scp !== null && !trimmed.startsWith('/') && !trimmed.startsWith('.')) {
    const user = scp[1];
    const host = (scp[2] ?? '').toLowerCase();
    const path = (scp[3] ?? '').replace(/^\/+/, '');
    return `ssh://${user === undefined ? '' : `${user}@`}${host}/${trimRepoSuffix(path)}`;
  }
  return trimRepoSuffix(trimmed);
}
