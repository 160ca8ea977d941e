import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize, posix, relative, sep } from 'node:path';
import { parse } from 'yaml';
import type { ApplicationSource } from '@capstan/crds';
import { kustomizationFiles, type SourceType } from './source-type.ts';

const isRemote = (ref: string): boolean =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) ||
  /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) ||
  ref.startsWith('git@');

/** A repository-relative, '/'-separated path, or undefined when it leaves the repository. */
function repoRel(root: string, abs: string): string | undefined {
  const rel = relative(root, normalize(abs));
  if (rel.startsWith('..') || rel.startsWith(sep)) return undefined;
  return rel.split(sep).join('/') || '.';
}

interface Kustomization {
  resources?: unknown[];
  bases?: unknown[];
  components?: unknown[];
  crds?: unknown[];
  patches?: { path?: unknown }[];
  patchesStrategicMerge?: unknown[];
  patchesJson6902?: { path?: unknown }[];
  replacements?: { path?: unknown }[];
  transformers?: unknown[];
  generators?: unknown[];
  validators?: unknown[];
  configMapGenerator?: { files?: unknown[]; envs?: unknown[]; env?: unknown }[];
  secretGenerator?: { files?: unknown[]; envs?: unknown[]; env?: unknown }[];
  helmCharts?: unknown[];
  helmGlobals?: { chartHome?: unknown };
  openapi?: { path?: unknown };
}

const strings = (xs: unknown): string[] =>
  Array.isArray(xs)
    ? xs.filter((x): x is string => typeof x === 'string')
    : typeof xs === 'string'
      ? [xs]
      : [];

/** Every local file or directory a kustomization reads, following local bases and components. */
async function kustomizeDeps(root: string, appDir: string): Promise<string[] | undefined> {
  const out = new Set<string>();
  const queue = [appDir];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const dir = queue.shift() ?? '';
    if (seen.has(dir)) continue;
    seen.add(dir);
    const rel = repoRel(root, dir);
    if (rel === undefined) return undefined;
    out.add(rel);
    const file = kustomizationFiles.map((f) => join(dir, f)).find((f) => existsSync(f));
    if (file === undefined) continue;
    const k = (parse(await readFile(file, 'utf8')) ?? {}) as Kustomization;
    const refs = [
      ...strings(k.resources),
      ...strings(k.bases),
      ...strings(k.components),
      ...strings(k.crds),
      ...(k.patches ?? []).flatMap((p) => strings(p.path)),
      ...strings(k.patchesStrategicMerge).filter((p) => !p.includes('\n')),
      ...(k.patchesJson6902 ?? []).flatMap((p) => strings(p.path)),
      ...(k.replacements ?? []).flatMap((p) => strings(p.path)),
      ...strings(k.transformers).filter((p) => !p.includes('\n')),
      ...strings(k.generators).filter((p) => !p.includes('\n')),
      ...strings(k.validators).filter((p) => !p.includes('\n')),
      ...[...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])].flatMap((g) =>
        [...strings(g.files), ...strings(g.envs), ...strings(g.env)].map((f) => f.slice(f.indexOf('=') + 1)),
      ),
      ...strings(k.openapi?.path),
    ];
    if ((k.helmCharts?.length ?? 0) > 0) refs.push(strings(k.helmGlobals?.chartHome)[0] ?? 'charts');
    for (const ref of refs) {
      if (isRemote(ref)) return undefined;
      const abs = join(dir, ref);
      if (repoRel(root, abs) === undefined) return undefined;
      if (existsSync(abs) && statSync(abs).isDirectory()) queue.push(abs);
      else out.add(repoRel(root, abs) ?? '.');
    }
  }
  return [...out];
}

async function helmDeps(
  root: string,
  chartDir: string,
  source: ApplicationSource,
): Promise<string[] | undefined> {
  const chart = repoRel(root, chartDir);
  if (chart === undefined) return undefined;
  const out = new Set([chart]);
  for (const f of [
    ...(source.helm?.valueFiles ?? []),
    ...(source.helm?.fileParameters ?? []).map((p) => p.path ?? ''),
  ]) {
    if (f.startsWith('$') || isRemote(f)) continue; // other sources and URLs: their own revisions key the cache
    const rel = repoRel(root, join(chartDir, f));
    if (rel === undefined) return undefined;
    out.add(rel);
  }
  try {
    const meta = parse(await readFile(join(chartDir, 'Chart.yaml'), 'utf8')) as {
      dependencies?: { repository?: string }[];
    } | null;
    for (const d of meta?.dependencies ?? []) {
      if (d.repository?.startsWith('file://') === true) {
        const rel = repoRel(root, join(chartDir, d.repository.slice('file://'.length)));
        if (rel === undefined) return undefined;
        out.add(rel);
      }
    }
  } catch {
    return undefined;
  }
  return [...out];
}

/**
 * The repository paths a render of this source depends on: a new commit that changes none of them
 * cannot change the manifests. With the manifest-generate-paths annotation those paths are used as
 * given (`;`-separated, relative to the source path, `/`-rooted at the repository); otherwise they are
 * worked out from the source. Undefined means "cannot tell" and disables reuse.
 */
export async function dependencyPaths(
  type: SourceType,
  root: string,
  source: ApplicationSource,
  annotation: string,
): Promise<string[] | undefined> {
  const appPath = source.path ?? '';
  if (annotation.trim() !== '') {
    return annotation
      .split(';')
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .map((p) =>
        p.startsWith('/')
          ? posix.normalize(p.slice(1)) || '.'
          : posix.normalize(posix.join(appPath || '.', p)),
      )
      .map((p) => (p.startsWith('..') ? '.' : p));
  }
  const appDir = join(root, appPath);
  switch (type) {
    case 'Directory':
      return [repoRel(root, appDir) ?? '.'];
    case 'Kustomize':
      return kustomizeDeps(root, appDir);
    case 'Helm':
      return helmDeps(root, appDir, source);
  }
}

/** Whether any changed file lies under one of the dependency paths ('.' is the whole repository). */
export function touches(changed: readonly string[], deps: readonly string[]): boolean {
  return changed.some((file) =>
    deps.some((d) => d === '.' || file === d || file.startsWith(`${d}/`) || dirname(file) === d),
  );
}
