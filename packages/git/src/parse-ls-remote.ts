import type { RemoteRefs } from './git-client.ts';

export interface ParsedRefs extends RemoteRefs {
  /** Every ref by its full name (refs/pull/…, refs/heads/…), peeled where the server peeled it. */
  readonly all: ReadonlyMap<string, string>;
}

/**
 * Reads `git ls-remote --symref` output. Annotated tags appear twice (`refs/tags/v1` → tag object,
 * `refs/tags/v1^{}` → commit); the peeled line wins so every tag maps to a commit.
 */
export function parseLsRemote(output: string): ParsedRefs {
  let head: string | undefined;
  let headRef: string | undefined;
  const all = new Map<string, string>();
  const peeled = new Map<string, string>();
  for (const line of output.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const left = line.slice(0, tab).trim();
    const name = line.slice(tab + 1).trim();
    if (left.startsWith('ref: ')) {
      if (name === 'HEAD') headRef = left.slice(5).trim();
      continue;
    }
    if (name === 'HEAD') head = left;
    else if (name.endsWith('^{}')) peeled.set(name.slice(0, -3), left);
    else all.set(name, left);
  }
  for (const [name, sha] of peeled) all.set(name, sha);
  const branches = new Map<string, string>();
  const tags = new Map<string, string>();
  for (const [name, sha] of all) {
    if (name.startsWith('refs/heads/')) branches.set(name.slice('refs/heads/'.length), sha);
    else if (name.startsWith('refs/tags/')) tags.set(name.slice('refs/tags/'.length), sha);
  }
  return { head, headRef, branches, tags, all };
}
