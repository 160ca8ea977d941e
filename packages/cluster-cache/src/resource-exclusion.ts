/**
 * One `resource.exclusions` entry of argocd-cm. Each list holds globs; an empty or missing list matches
 * everything, so `{kinds: ['Secret']}` excludes Secrets of every group on every cluster.
 */
export interface ResourceExclusion {
  readonly apiGroups?: readonly string[];
  readonly kinds?: readonly string[];
  readonly clusters?: readonly string[];
}

const compiled = new Map<string, RegExp>();

/** Glob → anchored RegExp: `*` any run (dots included), `?` one character, `[…]` a class, `{a,b}` a choice. */
function globRegExp(glob: string): RegExp {
  const cached = compiled.get(glob);
  if (cached !== undefined) return cached;
  let src = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '\\' && i + 1 < glob.length) {
      src += escape(glob.charAt(++i));
    } else if (c === '*') {
      src += '.*';
    } else if (c === '?') {
      src += '.';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) {
        src += '\\[';
      } else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        src += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else if (c === '{') {
      braces++;
      src += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      src += ')';
    } else if (c === ',' && braces > 0) {
      src += '|';
    } else {
      src += escape(c);
    }
  }
  let re: RegExp;
  try {
    re = new RegExp(`^${src}${')'.repeat(braces)}$`, 's');
  } catch {
    // A malformed pattern matches only itself, rather than taking down the cache.
    re = new RegExp(`^${escape(glob)}$`);
  }
  compiled.set(glob, re);
  return re;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function globMatch(glob: string, value: string): boolean {
  return globRegExp(glob).test(value);
}

function listMatches(globs: readonly string[] | undefined, value: string): boolean {
  if (globs === undefined || globs.length === 0) return true;
  return globs.some((g) => globMatch(g, value));
}

/** Whether any exclusion covers this group/kind on this cluster (server URL or name). */
export function isExcluded(
  exclusions: readonly ResourceExclusion[],
  group: string,
  kind: string,
  cluster: string,
): boolean {
  return exclusions.some(
    (e) => listMatches(e.apiGroups, group) && listMatches(e.kinds, kind) && listMatches(e.clusters, cluster),
  );
}

/**
 * Types the cache never lists: high-churn records no Application manages, as Argo CD excludes them by
 * default. Events exist in the core and events.k8s.io groups.
 */
export function isAlwaysIgnored(group: string, kind: string): boolean {
  if (kind === 'Event' && (group === '' || group === 'events.k8s.io')) return true;
  return kind === 'Lease' && group === 'coordination.k8s.io';
}
