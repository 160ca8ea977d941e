import picomatch from 'picomatch';

/** Every directory of a tree, from its file list: what the ApplicationSet git directories generator sees. */
export function directoriesOf(files: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      // Hidden directories (.github, .git…) are never applications.
      if (parts.slice(0, i).some((p) => p.startsWith('.'))) break;
      dirs.add(dir);
    }
  }
  return [...dirs].sort();
}

/**
 * Files matching a glob. Classic globbing follows Go's path.Match (`*` never crosses `/`, so `**` is
 * just `*`); the new globbing lets `**` cross directories.
 */
export function filesMatching(files: readonly string[], glob: string, doublestar: boolean): string[] {
  const pattern = doublestar ? glob : glob.replace(/\*\*+/g, '*');
  const match = picomatch(pattern, { dot: true });
  return files.filter((f) => match(f)).sort();
}

/** Application folders of a tree: where a kustomization or a Chart.yaml sits (ListApps). */
export function discoverApps(
  files: readonly string[],
  enabled: Readonly<Record<string, boolean>>,
): Record<string, string> {
  const apps: Record<string, string> = {};
  const on = (t: string): boolean => enabled[t] !== false;
  for (const f of files) {
    const slash = f.lastIndexOf('/');
    const dir = slash < 0 ? '.' : f.slice(0, slash);
    const name = f.slice(slash + 1);
    if (['kustomization.yaml', 'kustomization.yml', 'Kustomization'].includes(name) && on('kustomize'))
      apps[dir] = 'Kustomize';
    else if (name === 'Chart.yaml' && on('helm') && apps[dir] === undefined) apps[dir] = 'Helm';
  }
  return apps;
}
