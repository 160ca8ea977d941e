import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { InvalidArgumentError } from '@capstan/errors';
import type { ApplicationSourceHelm, Manifest } from '@capstan/crds';
import { parseObjects } from './parse-output.ts';
import { privateCopy } from './private-copy.ts';
import { resolveInside } from './safe-path.ts';
import { substituteEnv, type ToolContext } from './tool-context.ts';

/** A Helm repository known to the render, for `helm dependency build`. */
export interface HelmDependencyRepo {
  readonly name: string;
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly insecure?: boolean;
}

export interface HelmInput {
  /** Root that every file reference must stay inside: the checkout, or the extracted chart. */
  readonly root: string;
  /** The chart directory, relative to root. */
  readonly chartPath: string;
  readonly options: ApplicationSourceHelm | undefined;
  readonly helmPath: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly kubeVersion: string;
  readonly apiVersions: readonly string[];
  /** `$name` → directory of the referenced source's checkout (multi-source apps). */
  readonly refRoots: ReadonlyMap<string, string>;
  /** URL schemes allowed for remote value files. */
  readonly valuesFileSchemes: readonly string[];
  readonly dependencyRepos: readonly HelmDependencyRepo[];
}

interface ChartDependency {
  readonly name?: string;
  readonly repository?: string;
  readonly version?: string;
}

/** Whether Chart.yaml lists dependencies that are not vendored under charts/. */
async function missingDependencies(chartDir: string): Promise<boolean> {
  const chart = parse(await readFile(join(chartDir, 'Chart.yaml'), 'utf8')) as {
    dependencies?: ChartDependency[];
  } | null;
  const deps = chart?.dependencies ?? [];
  if (deps.length === 0) return false;
  const vendored = existsSync(join(chartDir, 'charts')) ? await readdir(join(chartDir, 'charts')) : [];
  return deps.some((d) => !vendored.some((f) => f === d.name || f.startsWith(`${d.name ?? ''}-`)));
}

async function valueFileArg(input: HelmInput, chartDir: string, file: string): Promise<string | undefined> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(file)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!input.valuesFileSchemes.includes(scheme)) {
      throw new InvalidArgumentError(
        `spec.source.helm.valueFiles: the URL scheme ${scheme} of ${JSON.stringify(file)} is not allowed`,
      );
    }
    return file;
  }
  let path: string;
  if (file.startsWith('$')) {
    const [ref, ...rest] = file.split('/');
    const refRoot = input.refRoots.get(ref ?? '');
    if (refRoot === undefined)
      throw new InvalidArgumentError(
        `spec.source.helm.valueFiles: ${JSON.stringify(file)} names no source with ref ${ref}`,
      );
    path = await resolveInside(refRoot, rest.join('/'), 'spec.source.helm.valueFiles');
  } else {
    path = await resolveInside(
      input.root,
      join(relative(input.root, chartDir), file),
      'spec.source.helm.valueFiles',
    );
  }
  if (!existsSync(path)) {
    if (input.options?.ignoreMissingValueFiles === true) return undefined;
    throw new InvalidArgumentError(`spec.source.helm.valueFiles: ${JSON.stringify(file)} does not exist`);
  }
  return path;
}

/**
 * Renders a chart with the real `helm template`: release name and namespace, the cluster's kube and API
 * versions, value files in order then inline values last, --set/--set-string/--set-file, CRDs unless
 * skipped. Every file a chart is given must lie inside its checkout (or the referenced one).
 */
export async function renderHelm(input: HelmInput, ctx: ToolContext): Promise<Manifest[]> {
  const o = input.options ?? {};
  let root = input.root;
  let chartDir = await resolveInside(root, input.chartPath, 'spec.source.path');
  if (!existsSync(join(chartDir, 'Chart.yaml'))) {
    throw new InvalidArgumentError(`${input.chartPath || '.'} has no Chart.yaml`);
  }
  if (await missingDependencies(chartDir)) {
    // Dependencies are downloaded into charts/, so the chart is built on a private copy of the checkout.
    root = await ctx.tempDir('helm-chart');
    await privateCopy(input.root, root, undefined);
    chartDir = join(root, relative(input.root, chartDir));
    const repoConfig = join(await ctx.tempDir('helm-repos'), 'repositories.yaml');
    await writeFile(
      repoConfig,
      JSON.stringify({
        apiVersion: '',
        generated: '0001-01-01T00:00:00Z',
        repositories: input.dependencyRepos.map((r) => ({
          name: r.name,
          url: r.url,
          username: r.username ?? '',
          password: r.password ?? '',
          insecure_skip_tls_verify: r.insecure === true,
        })),
      }),
      { mode: 0o600 },
    );
    await ctx.run(
      'helm dependency build',
      input.helmPath,
      ['dependency', 'build', '--repository-config', repoConfig, chartDir],
      chartDir,
    );
  }

  const args = [
    'template',
    chartDir,
    '--name-template',
    input.releaseName,
    '--namespace',
    o.namespace || input.namespace,
  ];
  const kubeVersion = o.kubeVersion || input.kubeVersion;
  if (kubeVersion !== '') args.push('--kube-version', kubeVersion);
  for (const v of o.apiVersions?.length ? o.apiVersions : input.apiVersions) args.push('--api-versions', v);
  for (const file of o.valueFiles ?? []) {
    const arg = await valueFileArg(input, chartDir, substituteEnv(file, ctx.appEnv));
    if (arg !== undefined) args.push('--values', arg);
  }
  const inline = o.valuesObject !== undefined ? JSON.stringify(o.valuesObject) : o.values;
  if (inline !== undefined && inline.trim() !== '') {
    const file = join(await ctx.tempDir('helm-values'), 'values.yaml');
    await writeFile(file, inline);
    args.push('--values', file);
  }
  for (const p of o.parameters ?? []) {
    const value = substituteEnv(p.value ?? '', ctx.appEnv);
    args.push(p.forceString === true ? '--set-string' : '--set', `${p.name}=${value}`);
  }
  for (const f of o.fileParameters ?? []) {
    const path = await resolveInside(
      input.root,
      join(relative(input.root, chartDir), f.path ?? ''),
      'spec.source.helm.fileParameters',
    );
    args.push('--set-file', `${f.name ?? ''}=${path}`);
  }
  if (o.skipCrds !== true) args.push('--include-crds');
  if (o.skipTests === true) args.push('--skip-tests');
  if (o.skipSchemaValidation === true) args.push('--skip-schema-validation');
  const { stdout } = await ctx.run('helm template', input.helmPath, args, chartDir);
  return parseObjects(stdout, 'helm template');
}
