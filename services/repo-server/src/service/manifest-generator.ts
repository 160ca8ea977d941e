import { InvalidArgumentError } from '@capstan/errors';
import type { ApplicationSource } from '@capstan/crds';
import { normalizeRepoUrl, type GitClient, type GitRepo } from '@capstan/git';
import type { common, reposerver } from '@capstan/proto';
import { createSingleFlight, type Logger } from '@capstan/runtime';
import type { CachedManifests, ManifestCache } from '../cache/manifest-cache.ts';
import type { HelmRepoClient } from '@capstan/helm-repo';
import type { Semaphore } from '../limits/semaphore.ts';
import { dependencyPaths, touches } from '../render/dependency-paths.ts';
import type { HelmDependencyRepo } from '../render/helm.ts';
import {
  renderSource,
  type RenderRequest,
  type RenderResult,
  type RenderSettings,
} from '../render/render-source.ts';
import type { Tracking, TrackingMethod } from '../render/tracking.ts';
import { stableHash } from './cache-keys.ts';
import { gitRepoOf, helmCredsOf, isHelmRepository } from './credentials.ts';
import type { RepoMetrics } from './repo-metrics.ts';

export interface ManifestGeneratorDeps {
  readonly git: GitClient;
  readonly helmRepos: HelmRepoClient;
  readonly cache: ManifestCache;
  readonly render: RenderSettings;
  readonly slots: Semaphore;
  readonly metrics: RepoMetrics;
  readonly logger: Logger;
  /** known_hosts content for SSH remotes (argocd-ssh-known-hosts-cm, mounted as a file). */
  readonly knownHosts: () => string;
}

const trackingMethods: Record<number, TrackingMethod> = {
  0: 'annotation',
  1: 'annotation',
  2: 'label',
  3: 'annotation+label',
};

/** The source of a request, checked just enough to be rendered safely. */
export function sourceOf(raw: Record<string, unknown> | undefined): ApplicationSource {
  if (raw === undefined || typeof raw['repoURL'] !== 'string' || raw['repoURL'] === '') {
    throw new InvalidArgumentError('source.repoURL is required');
  }
  return raw as unknown as ApplicationSource;
}

function trackingOf(req: reposerver.ManifestRequest): Tracking | undefined {
  const appName = req.appName ?? '';
  if (appName === '') return undefined;
  return {
    method: trackingMethods[req.trackingMethod ?? 0] ?? 'annotation',
    labelKey: req.appLabelKey || 'app.kubernetes.io/instance',
    appInstance: appName,
    namespace: req.namespace ?? '',
    installationId: req.installationId ?? '',
  };
}

function dependencyRepos(req: reposerver.ManifestRequest): HelmDependencyRepo[] {
  return (req.helmRepos ?? []).map((r, i) => ({
    name: r.name || `repo-${i}`,
    url: r.repo ?? '',
    ...(r.username ? { username: r.username } : {}),
    ...(r.password ? { password: r.password } : {}),
    ...(r.insecure === true ? { insecure: true } : {}),
  }));
}

/**
 * GenerateManifest: resolve the revision, answer from the cache, reuse the previous commit's manifests
 * when the new commit touches none of the app's paths, and otherwise render — once per identical
 * request, within the render slots.
 */
export class ManifestGenerator {
  readonly #d: ManifestGeneratorDeps;
  readonly #flights = createSingleFlight<CachedManifests>();

  constructor(deps: ManifestGeneratorDeps) {
    this.#d = deps;
  }

  async generate(req: reposerver.ManifestRequest, signal?: AbortSignal): Promise<common.ManifestResponse> {
    const source = sourceOf(req.source);
    const result = isHelmRepository(req.repo, source.chart)
      ? await this.#fromHelmRepository(req, source, signal)
      : await this.#fromGit(req, source, signal);
    return {
      manifests: [...result.manifests],
      namespace: req.namespace ?? '',
      server: '',
      revision: result.revision,
      sourceType: result.sourceType,
      verifyResult: '',
      commands: [...result.commands],
    };
  }

  /** What, besides the revision, decides the output; two requests with equal keys render identically. */
  #appKey(req: reposerver.ManifestRequest, source: ApplicationSource, repoId: string): string {
    const { repoURL: _r, targetRevision: _t, ...rest } = source;
    return stableHash({
      repo: repoId,
      source: isHelmRepository(req.repo, source.chart) ? { ...rest, chart: source.chart } : rest,
      app: req.appName,
      ns: req.namespace,
      project: req.projectName,
      labelKey: req.appLabelKey,
      tracking: req.trackingMethod ?? 0,
      installationId: req.installationId,
      kube: req.kubeVersion,
      apis: [...(req.apiVersions ?? [])].sort(),
      enabled: req.enabledSourceTypes,
      refs: Object.keys(req.refSources ?? {}).sort(),
      kustomize: this.#d.render.kustomizeBuildOptions,
      helmRepos: (req.helmRepos ?? []).map((r) => r.repo),
    });
  }

  async #fromGit(
    req: reposerver.ManifestRequest,
    source: ApplicationSource,
    signal?: AbortSignal,
  ): Promise<CachedManifests> {
    const repo = gitRepoOf(req.repo, source.repoURL, this.#d.knownHosts());
    const noRevisionCache = req.noRevisionCache === true || req.noCache === true;
    const revision = await this.#d.git.resolveRevision(
      repo,
      req.revision || source.targetRevision || 'HEAD',
      { noCache: noRevisionCache },
    );
    const refs = await this.#resolveRefs(req, noRevisionCache);
    const appKey = this.#appKey(req, source, normalizeRepoUrl(repo.url));
    const key = stableHash({ appKey, revision, refs: [...refs.entries()].map(([k, v]) => [k, v.revision]) });
    const noCache = req.noCache === true;
    if (!noCache) {
      const hit = await this.#d.cache.get(key);
      if (hit !== undefined) {
        this.#d.metrics.manifestCache.inc({ result: 'hit' });
        return hit;
      }
    }
    return this.#flights.run(key, async () => {
      if (!noCache) {
        const reused = await this.#reuse(repo, appKey, key, revision);
        if (reused !== undefined) return reused;
      }
      const value = await this.#withSlot(repo.url, async () => {
        const root = await this.#d.git.checkout(repo, revision, { submodules: true });
        const refRoots = new Map<string, string>();
        for (const [name, r] of refs)
          refRoots.set(name, await this.#d.git.checkout(r.repo, r.revision, { submodules: true }));
        const rendered = await this.#render(
          req,
          { source, root, fromHelmRepository: false, revision: revision, refRoots: refRoots },
          signal,
        );
        // Paths of referenced sources live in other repositories: their own revisions are in the key.
        const dependsOn = await dependencyPaths(
          rendered.sourceType,
          root,
          source,
          req.annotationManifestGeneratePaths ?? '',
        );
        return {
          manifests: rendered.objects.map((o) => JSON.stringify(o)),
          sourceType: rendered.sourceType,
          revision,
          commands: rendered.commands,
          dependsOn,
        } satisfies CachedManifests;
      });
      this.#d.metrics.manifestCache.inc({ result: 'miss' });
      await this.#d.cache.set(key, value);
      await this.#d.cache.setLatest(appKey, { revision, key });
      return value;
    });
  }

  /** The previous render of this app, carried over to `revision` when the commits in between touch none of its paths. */
  async #reuse(
    repo: GitRepo,
    appKey: string,
    key: string,
    revision: string,
  ): Promise<CachedManifests | undefined> {
    const latest = await this.#d.cache.latest(appKey);
    if (latest === undefined || latest.revision === revision) return undefined;
    const previous = await this.#d.cache.get(latest.key);
    if (previous?.dependsOn === undefined) return undefined;
    let changed: string[];
    try {
      await this.#d.git.ensureCommit(repo, revision);
      await this.#d.git.ensureCommit(repo, latest.revision);
      changed = await this.#d.git.changedFiles(repo, latest.revision, revision);
    } catch (err) {
      this.#d.logger.debug('path-scoped reuse not possible; rendering', { error: (err as Error).message });
      return undefined;
    }
    if (touches(changed, previous.dependsOn)) return undefined;
    const value: CachedManifests = { ...previous, revision };
    this.#d.metrics.manifestCache.inc({ result: 'reused' });
    await this.#d.cache.set(key, value);
    await this.#d.cache.setLatest(appKey, { revision, key });
    return value;
  }

  async #resolveRefs(
    req: reposerver.ManifestRequest,
    noCache: boolean,
  ): Promise<Map<string, { repo: GitRepo; revision: string }>> {
    const out = new Map<string, { repo: GitRepo; revision: string }>();
    for (const [name, target] of Object.entries(req.refSources ?? {})) {
      const repo = gitRepoOf(target.repo, target.repo?.repo ?? '', this.#d.knownHosts());
      out.set(name, {
        repo,
        revision: await this.#d.git.resolveRevision(repo, target.targetRevision || 'HEAD', { noCache }),
      });
    }
    return out;
  }

  async #fromHelmRepository(
    req: reposerver.ManifestRequest,
    source: ApplicationSource,
    signal?: AbortSignal,
  ): Promise<CachedManifests> {
    const url = req.repo?.repo || source.repoURL;
    const creds = helmCredsOf(req.repo);
    const chart = await this.#d.helmRepos.resolveVersion(
      url,
      source.chart ?? '',
      req.revision || source.targetRevision || '',
      creds,
      {
        noCache: req.noRevisionCache === true || req.noCache === true,
      },
    );
    const appKey = this.#appKey(req, source, url.replace(/\/+$/, ''));
    const key = stableHash({ appKey, version: chart.version, digest: chart.digest });
    if (req.noCache !== true) {
      const hit = await this.#d.cache.get(key);
      if (hit !== undefined) {
        this.#d.metrics.manifestCache.inc({ result: 'hit' });
        return hit;
      }
    }
    return this.#flights.run(key, async () => {
      const value = await this.#withSlot(url, async () => {
        const root = await this.#d.helmRepos.pullChart(url, chart, creds);
        const rendered = await this.#render(
          req,
          { source, root, fromHelmRepository: true, revision: chart.version, refRoots: new Map() },
          signal,
        );
        return {
          manifests: rendered.objects.map((o) => JSON.stringify(o)),
          sourceType: rendered.sourceType,
          revision: chart.version,
          commands: rendered.commands,
          dependsOn: undefined,
        } satisfies CachedManifests;
      });
      this.#d.metrics.manifestCache.inc({ result: 'miss' });
      await this.#d.cache.set(key, value);
      return value;
    });
  }

  /** One render of a request's source from `root`; everything but the root and revision comes from the request. */
  #render(
    req: reposerver.ManifestRequest,
    at: Pick<RenderRequest, 'source' | 'root' | 'fromHelmRepository' | 'revision' | 'refRoots'>,
    signal: AbortSignal | undefined,
  ): Promise<RenderResult> {
    return renderSource(
      {
        ...at,
        appName: req.appName ?? '',
        project: req.projectName ?? '',
        namespace: req.namespace ?? '',
        kubeVersion: req.kubeVersion ?? '',
        apiVersions: req.apiVersions ?? [],
        tracking: trackingOf(req),
        enabledSourceTypes: req.enabledSourceTypes ?? {},
        dependencyRepos: dependencyRepos(req),
        ...(signal === undefined ? {} : { signal }),
      },
      this.#d.render,
    );
  }

  async #withSlot<T>(repoUrl: string, fn: () => Promise<T>): Promise<T> {
    const repo = repoUrl.replace(/\/\/[^/@]*@/, '//');
    this.#d.metrics.pendingRequests.inc({ repo });
    try {
      return await this.#d.slots.run(fn);
    } finally {
      this.#d.metrics.pendingRequests.dec({ repo });
    }
  }
}
