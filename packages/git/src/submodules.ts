export interface Submodule {
  readonly name: string;
  readonly path: string;
  readonly url: string;
}

/**
 * Reads `git config -z --list --blob <sha>:.gitmodules` output (entries `key\nvalue\0`); git does the
 * INI parsing, including quoting and continuation lines. Entries without both path and url are skipped,
 * as `git submodule update` would skip them.
 */
export function parseGitmodules(configList: string): Submodule[] {
  const byName = new Map<string, { path?: string; url?: string }>();
  for (const entry of configList.split('\0')) {
    const nl = entry.indexOf('\n');
    if (nl < 0) continue;
    const key = entry.slice(0, nl);
    const value = entry.slice(nl + 1);
    if (!key.startsWith('submodule.')) continue;
    const dot = key.lastIndexOf('.');
    const name = key.slice('submodule.'.length, dot);
    const field = key.slice(dot + 1);
    if (name === '' || (field !== 'path' && field !== 'url')) continue;
    const current = byName.get(name) ?? {};
    byName.set(name, { ...current, [field]: value });
  }
  const out: Submodule[] = [];
  for (const [name, { path, url }] of byName) {
    if (path !== undefined && url !== undefined && path !== '' && url !== '') out.push({ name, path, url });
  }
  return out;
}

/**
 * The URL a submodule is fetched from. `./x` and `../x` are relative to the superproject's URL, as git
 * resolves them: `..` drops the superproject's last path component (its own name). Only network
 * transports are accepted: a local path or file:// URL in a repository's .gitmodules would let that
 * repository read other repositories from this machine's disk.
 */
export function resolveSubmoduleUrl(parentUrl: string, url: string): string | undefined {
  if (url.startsWith('./') || url.startsWith('../')) {
    const base = parentUrl.replace(/\/+$/, '');
    const scp = /^((?:[^@/:]+@)?[^/:]+):(?!\/\/)(.*)$/.exec(base);
    const prefix = scp === null ? undefined : `${scp[1] ?? ''}:`;
    let path = scp === null ? base : (scp[2] ?? '');
    let rest = url;
    for (;;) {
      if (rest.startsWith('./')) rest = rest.slice(2);
      else if (rest.startsWith('../')) {
        rest = rest.slice(3);
        const cut = path.lastIndexOf('/');
        if (cut < 0 || (scp === null && /^[a-z][a-z0-9+.-]*:\/\/[^/]*$/i.test(path.slice(0, cut + 1))))
          return undefined;
        path = path.slice(0, cut);
      } else break;
    }
    return resolveSubmoduleUrl('', prefix === undefined ? `${path}/${rest}` : `${prefix}${path}/${rest}`);
  }
  if (/^(?:https?|ssh|git|git\+ssh|ssh\+git):\/\/[^/]/i.test(url)) return url;
  if (/^(?:[^@/:]+@)?[^/:]+:(?!\/\/)[^/]/.test(url) && !url.includes('::')) return url;
  return undefined;
}
