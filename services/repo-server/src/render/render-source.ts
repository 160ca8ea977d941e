import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ApplicationSource, Manifest } from '@capstan/crds';
import { runTool } from '../exec/run-tool.ts';
import { appEnv } from './app-env.ts';
import { renderDirectory } from './directory.ts';
import { renderHelm, type HelmDependencyRepo } from './helm.ts';
import { renderKustomize } from './kustomize.ts';
import { resolveInside } from './safe-path.ts';
import { detectSourceType, type SourceType } from './source-type.ts';
import type { ToolContext } from './tool-context.ts';
import { stampTracking, type Tracking } from './tracking.ts';

/** How this repo-server renders: tool paths and limits, fixed at startup. */
export interface RenderSettings {
  readonly helmPath: string;
  readonly kustomizePath: string;
  /** Parent of every per-render scratch directory. */
  readonly tmpRoot: string;
  readonly execTimeoutMs: number;
  readonly maxManifestBytes: number;
  readonly maxToolMemoryBytes: number;
  readonly kustomizeBuildOptions: readonly string[];
  readonly valuesFileSchemes: readonly string[];
}

export interface RenderRequest {
  readonly source: ApplicationSource;
  /** The checkout (Git) or the extracted chart (Helm repository): nothing outside it is read. */
  readonly root: string;
  readonly fromHelmRepository: boolean;
  readonly appName: string;
  readonly project: string;
  readonly namespace: string;
  readonly revision: string;
  readonly kubeVersion: string;
  readonly apiVersions: readonly string[];
  readonly tracking: Tracking | undefined;
  readonly enabledSourceTypes: Readonly<Record<string, boolean>>;
  readonly refRoots: ReadonlyMap<string, string>;
  readonly dependencyRepos: readonly HelmDependencyRepo[];
  readonly signal?: AbortSignal;
}

export interface RenderResult {
  readonly objects: Manifest[];
  readonly sourceType: SourceType;
  readonly commands: readonly string[];
  /** Time spent inside tool processes. */
  readonly toolMs: number;
}

const systemPath = '/usr/local/bin:/usr/bin:/bin';

/** Renders one Application source to tracked Kubernetes objects. */
export async function renderSource(req: RenderRequest, settings: RenderSettings): Promise<RenderResult> {
  const scratch = await mkdtemp(join(settings.tmpRoot, 'render-'));
  try {
    const home = join(scratch, 'home');
    await mkdir(home);
    const path = [
      ...new Set([dirname(settings.helmPath), dirname(settings.kustomizePath)].filter((d) => d !== '.')),
      systemPath,
    ].join(':');
    const vars = appEnv({
      appName: req.appName,
      namespace: req.namespace,
      project: req.project,
      revision: req.revision,
      repoURL: req.source.repoURL,
      path: req.source.path ?? '',
      targetRevision: req.source.targetRevision ?? '',
      kubeVersion: req.kubeVersion,
      apiVersions: req.apiVersions,
    });
    const env = {
      PATH: path,
      HOME: home,
      HELM_CACHE_HOME: join(home, 'helm-cache'),
      HELM_CONFIG_HOME: join(home, 'helm-config'),
      HELM_DATA_HOME: join(home, 'helm-data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      // Tools must never reach a cluster through an ambient kubeconfig.
      KUBECONFIG: '/dev/null',
      ...vars,
    };
    let dirs = 0;
    const commands: string[] = [];
    const ctx: ToolContext = {
      appEnv: vars,
      commands,
      toolMs: 0,
      tempDir: async (name) => {
        dirs += 1;
        const dir = join(scratch, `${dirs}-${name}`);
        await mkdir(dir, { recursive: true });
        return dir;
      },
      run: async (label, command, args, cwd) => {
        commands.push(
          [label.split(' ')[0], ...args].join(' ').split(scratch).join('<tmp>').split(req.root).join('.'),
        );
        const result = await runTool({
          command,
          args,
          cwd,
          env,
          timeoutMs: settings.execTimeoutMs,
          maxOutputBytes: settings.maxManifestBytes,
          maxMemoryBytes: settings.maxToolMemoryBytes,
          label,
          redact: [
            { from: scratch, to: '<tmp>' },
            { from: req.root, to: '.' },
          ],
          ...(req.signal === undefined ? {} : { signal: req.signal }),
        });
        ctx.toolMs += result.ms;
        return result;
      },
    };

    const appPath = req.source.path ?? '';
    const appDir = await resolveInside(req.root, req.fromHelmRepository ? '' : appPath, 'spec.source.path');
    const sourceType = await detectSourceType(req.source, appDir, req.enabledSourceTypes);
    let objects: Manifest[];
    switch (sourceType) {
      case 'Directory':
        objects = await renderDirectory({
          repoRoot: req.root,
          appDir,
          options: req.source.directory ?? {},
          maxBytes: settings.maxManifestBytes,
        });
        break;
      case 'Kustomize':
        objects = await renderKustomize(
          {
            repoRoot: req.root,
            appPath,
            options: req.source.kustomize,
            kustomizePath: settings.kustomizePath,
            buildOptions: settings.kustomizeBuildOptions,
          },
          ctx,
        );
        break;
      case 'Helm':
        objects = await renderHelm(
          {
            root: req.root,
            chartPath: req.fromHelmRepository ? '' : appPath,
            options: req.source.helm,
            helmPath: settings.helmPath,
            releaseName: req.source.helm?.releaseName || req.appName,
            namespace: req.namespace,
            kubeVersion: req.kubeVersion,
            apiVersions: req.apiVersions,
            refRoots: req.refRoots,
            valuesFileSchemes: settings.valuesFileSchemes,
            dependencyRepos: req.dependencyRepos,
          },
          ctx,
        );
        break;
    }
    if (req.tracking !== undefined) for (const o of objects) stampTracking(o, req.tracking);
    return { objects, sourceType, commands, toolMs: ctx.toolMs };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
