import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parseDocument } from 'yaml';
import type { ApplicationSourceKustomize, Manifest } from '@capstan/crds';
import { parseObjects } from './parse-output.ts';
import { kustomizationFiles } from './source-type.ts';
import { resolveInside } from './safe-path.ts';
import { substituteEnv, type ToolContext } from './tool-context.ts';
import { existsSync } from 'node:fs';
import { dependencyPaths } from './dependency-paths.ts';
import { privateCopy } from './private-copy.ts';

export interface KustomizeInput {
  readonly repoRoot: string;
  readonly appPath: string;
  readonly options: ApplicationSourceKustomize | undefined;
  readonly kustomizePath: string;
  /** kustomize.buildOptions from settings, e.g. `--enable-helm`. */
  readonly buildOptions: readonly string[];
}

function needsEdits(o: ApplicationSourceKustomize | undefined): o is ApplicationSourceKustomize {
  if (o === undefined) return false;
  return (
    (o.namePrefix ?? '') !== '' ||
    (o.nameSuffix ?? '') !== '' ||
    (o.images?.length ?? 0) > 0 ||
    (o.replicas?.length ?? 0) > 0 ||
    Object.keys(o.commonLabels ?? {}).length > 0 ||
    Object.keys(o.commonAnnotations ?? {}).length > 0 ||
    (o.namespace ?? '') !== '' ||
    (o.patches?.length ?? 0) > 0 ||
    (o.components?.length ?? 0) > 0
  );
}

const pairs = (
  m: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string>>,
  subst: boolean,
): string =>
  Object.entries(m)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}:${subst ? substituteEnv(v, env) : v}`)
    .join(',');

/**
 * What of the checkout a kustomize edit needs: the kustomization's own dependencies, plus the components
 * and patch files the Application adds. Undefined (copy everything) when any of them cannot be told.
 */
async function pathsToCopy(
  input: KustomizeInput,
  o: ApplicationSourceKustomize,
): Promise<string[] | undefined> {
  const dirs = [
    input.appPath,
    ...(o.components ?? []).map((c) => posix.normalize(posix.join(input.appPath || '.', c))),
  ];
  const out = new Set<string>();
  for (const dir of dirs) {
    if (dir.startsWith('..')) return undefined;
    if (!existsSync(join(input.repoRoot, dir))) continue;
    const deps = await dependencyPaths('Kustomize', input.repoRoot, { repoURL: '', path: dir }, '');
    if (deps === undefined) return undefined;
    for (const d of deps) out.add(d);
  }
  for (const p of o.patches ?? [])
    if (p.path !== undefined) out.add(posix.normalize(posix.join(input.appPath || '.', p.path)));
  return [...out].filter((p) => !p.startsWith('..') && existsSync(join(input.repoRoot, p)));
}

/**
 * Renders a kustomization with the real kustomize. Overrides from the Application are applied with
 * `kustomize edit` to a private copy of the checkout (relative bases must keep resolving); without
 * overrides the read-only checkout is built in place.
 */
export async function renderKustomize(input: KustomizeInput, ctx: ToolContext): Promise<Manifest[]> {
  const o = input.options;
  let root = input.repoRoot;
  if (needsEdits(o)) {
    root = await ctx.tempDir('kustomize');
    await privateCopy(input.repoRoot, root, await pathsToCopy(input, o));
  }
  const appDir = await resolveInside(root, input.appPath, 'spec.source.path');
  if (needsEdits(o)) {
    await chmod(appDir, 0o755);
    const kfile = kustomizationFiles.map((f) => join(appDir, f)).find((f) => existsSync(f));
    if (kfile !== undefined) await chmod(kfile, 0o644);
    const edit = (args: string[]): Promise<unknown> =>
      ctx.run(`kustomize edit ${args.slice(0, 2).join(' ')}`, input.kustomizePath, ['edit', ...args], appDir);
    const env = ctx.appEnv;
    if ((o.namePrefix ?? '') !== '') await edit(['set', 'nameprefix', '--', o.namePrefix ?? '']);
    if ((o.nameSuffix ?? '') !== '') await edit(['set', 'namesuffix', '--', o.nameSuffix ?? '']);
    for (const image of o.images ?? []) await edit(['set', 'image', substituteEnv(image, env)]);
    for (const r of o.replicas ?? []) await edit(['set', 'replicas', `${r.name}=${String(r.count)}`]);
    if (Object.keys(o.commonLabels ?? {}).length > 0) {
      const flags = [
        ...(o.forceCommonLabels === true ? ['--force'] : []),
        ...(o.labelWithoutSelector === true ? ['--without-selector'] : []),
        ...(o.labelIncludeTemplates === true ? ['--include-templates'] : []),
      ];
      await edit(['add', 'label', ...flags, pairs(o.commonLabels ?? {}, env, false)]);
    }
    if (Object.keys(o.commonAnnotations ?? {}).length > 0) {
      const flags = o.forceCommonAnnotations === true ? ['--force'] : [];
      await edit([
        'add',
        'annotation',
        ...flags,
        pairs(o.commonAnnotations ?? {}, env, o.commonAnnotationsEnvsubst === true),
      ]);
    }
    if ((o.namespace ?? '') !== '') await edit(['set', 'namespace', '--', o.namespace ?? '']);
    if ((o.components?.length ?? 0) > 0) {
      const wanted = o.components ?? [];
      const present: string[] = [];
      for (const c of wanted) {
        const resolved = await resolveInside(
          input.repoRoot,
          join(input.appPath, c),
          'spec.source.kustomize.components',
        );
        if (existsSync(resolved) || o.ignoreMissingComponents !== true) present.push(c);
      }
      if (present.length > 0) await edit(['add', 'component', ...present]);
    }
    if ((o.patches?.length ?? 0) > 0 && kfile !== undefined) {
      // Patches are written into the kustomization directly: `kustomize edit add patch` cannot express all of them.
      const doc = parseDocument(await readFile(kfile, 'utf8'));
      const existing = (doc.toJS() as { patches?: unknown[] } | null)?.patches ?? [];
      doc.set('patches', [...existing, ...(o.patches ?? [])]);
      await writeFile(kfile, doc.toString());
    }
  }
  const { stdout } = await ctx.run(
    'kustomize build',
    input.kustomizePath,
    ['build', appDir, ...input.buildOptions],
    appDir,
  );
  return parseObjects(stdout, 'kustomize build');
}
