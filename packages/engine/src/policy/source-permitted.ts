import type { AppProjectSpec } from '@capstan/crds';
import { globMatch } from './glob-match.ts';
import { normalizeGitUrl } from './normalize-git-url.ts';

function matches(pattern: string, url: string): boolean {
  const normalized = normalizeGitUrl(pattern);
  return normalized === '*' || globMatch(normalized, url, '/');
}

/**
 * Whether a repository may be used by the project's apps. Patterns are globs over normalized URLs in
 * which `*` stays within one path segment and `**` spans several. A `!pattern` entry rejects every
 * URL it matches, whatever else allows it; apart from that, at least one plain entry must match.
 */
export function isSourcePermitted(project: Pick<AppProjectSpec, 'sourceRepos'>, repoURL: string): boolean {
  const url = normalizeGitUrl(repoURL);
  let allowed = false;
  for (const entry of project.sourceRepos ?? []) {
    if (entry.startsWith('!')) {
      if (matches(entry.slice(1), url)) return false;
    } else if (matches(entry, url)) {
      allowed = true;
    }
  }
  return allowed;
}
