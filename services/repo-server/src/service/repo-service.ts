import { rm } from 'node:fs/promises';
import { NotFoundError, UnimplementedError } from '@capstan/errors';
import { isCommitSha, type GitClient } from '@capstan/git';
import { serviceCatalog, type common } from '@capstan/proto';
import { bindService, type ServiceBinding } from '@capstan/runtime';
import type { HelmRepoClient } from '@capstan/helm-repo';
import { dependencyPaths, touches } from '../render/dependency-paths.ts';
import { renderSource, type RenderSettings } from '../render/render-source.ts';
import { detectSourceType } from '../render/source-type.ts';
import { appDetails } from './app-details.ts';
import { gitRepoOf, helmCredsOf, isHelmRepository } from './credentials.ts';
import { directoriesOf, discoverApps, filesMatching } from './git-tree.ts';
import { sourceOf, type ManifestGenerator } from './manifest-generator.ts';
import { receiveUpload } from './upload.ts';

export interface RepoServiceDeps {
  readonly git: GitClient;
  readonly helmRepos: HelmRepoClient;
  readonly generator: ManifestGenerator;
  readonly render: RenderSettings;
  readonly knownHosts: () => string;
}

const notOci = (): never => {
  throw new UnimplementedError('OCI repositories are not supported by this repo-server yet');
};

/** The repo-server's gRPC contract, each method a thin adapter onto the Git, Helm and render layers. */
export function repoService(d: RepoServiceDeps): ServiceBinding {
  const git = (repo: common.Repository | undefined, url = ''): ReturnType<typeof gitRepoOf> =>
    gitRepoOf(repo, url, d.knownHosts());
  const resolve = async (
    repo: common.Repository | undefined,
    revision: string,
    noCache = false,
  ): Promise<string> => d.git.resolveRevision(git(repo), revision || 'HEAD', { noCache });

  return bindService(serviceCatalog.reposerver.name, serviceCatalog.reposerver.definition, {
    generateManifest: (req, ctx) => d.generator.generate(req, ctx.signal),

    generateManifestWithFiles: async (parts, ctx) => {
      const upload = await receiveUpload(parts, d.render.tmpRoot, d.render.maxManifestBytes);
      try {
        const req = upload.header.request ?? {};
        const source = sourceOf(req.source);
        const rendered = await renderSource(
          {
            source,
            root: upload.dir,
            fromHelmRepository: false,
            appName: req.appName ?? '',
            project: req.projectName ?? '',
            namespace: req.namespace ?? '',
            revision: '',
            kubeVersion: req.kubeVersion ?? '',
            apiVersions: req.apiVersions ?? [],
            tracking:
              (req.appName ?? '') === ''
                ? undefined
                : {
                    method:
                      req.trackingMethod === 2
                        ? 'label'
                        : req.trackingMethod === 3
                          ? 'annotation+label'
                          : 'annotation',
                    labelKey: req.appLabelKey || 'app.kubernetes.io/instance',
                    appInstance: req.appName ?? '',
                    namespace: req.namespace ?? '',
                    installationId: req.installationId ?? '',
                  },
            enabledSourceTypes: req.enabledSourceTypes ?? {},
            refRoots: new Map(),
            dependencyRepos: [],
            signal: ctx.signal,
          },
          d.render,
        );
        return {
          manifests: rendered.objects.map((o) => JSON.stringify(o)),
          namespace: req.namespace ?? '',
          sourceType: rendered.sourceType,
          commands: [...rendered.commands],
        };
      } finally {
        await rm(upload.dir, { recursive: true, force: true });
      }
    },

    resolveRevision: async (req) => {
      const source = sourceOf(req.source ?? { repoURL: req.repo?.repo ?? '' });
      const wanted = req.ambiguousRevision ?? '';
      if (isHelmRepository(req.repo, source.chart)) {
        const v = await d.helmRepos.resolveVersion(
          req.repo?.repo || source.repoURL,
          source.chart ?? '',
          wanted,
          helmCredsOf(req.repo),
          {
            noCache: req.noRevisionCache === true,
          },
        );
        return {
          revision: v.version,
          ambiguousRevision: wanted === v.version ? wanted : `${wanted || 'latest'} (${v.version})`,
        };
      }
      const sha = await d.git.resolveRevision(git(req.repo, source.repoURL), wanted || 'HEAD', {
        noCache: req.noRevisionCache === true,
      });
      return {
        revision: sha,
        ambiguousRevision: isCommitSha(wanted) ? wanted : `${wanted || 'HEAD'} (${sha.slice(0, 7)})`,
      };
    },

    getAppDetails: async (req) => {
      const source = sourceOf(req.source);
      if (isHelmRepository(req.repo, source.chart)) {
        const creds = helmCredsOf(req.repo);
        const url = req.repo?.repo || source.repoURL;
        const v = await d.helmRepos.resolveVersion(
          url,
          source.chart ?? '',
          source.targetRevision ?? '',
          creds,
        );
        return appDetails('Helm', await d.helmRepos.pullChart(url, v, creds), '', d.render);
      }
      const repo = git(req.repo, source.repoURL);
      const sha = await d.git.resolveRevision(repo, source.targetRevision || 'HEAD', {
        noCache: req.noRevisionCache === true,
      });
      const root = await d.git.checkout(repo, sha, { submodules: true });
      const type = await detectSourceType(
        source,
        `${root}/${source.path ?? ''}`,
        req.enabledSourceTypes ?? {},
      );
      return appDetails(type, root, source.path ?? '', d.render);
    },

    getRevisionMetadata: async (req) => {
      const repo = git(req.repo);
      const sha = isCommitSha(req.revision ?? '')
        ? (req.revision ?? '')
        : await resolve(req.repo, req.revision ?? '');
      await d.git.ensureCommit(repo, sha);
      const m = await d.git.commitMetadata(repo, sha);
      return {
        author: m.author,
        date: m.date,
        tags: [...m.tags],
        message: m.message,
        signatureInfo: m.signatureInfo,
      };
    },

    getRevisionChartDetails: async (req) => {
      const url = req.repo?.repo ?? '';
      const v = await d.helmRepos.resolveVersion(
        url,
        req.name ?? '',
        req.revision ?? '',
        helmCredsOf(req.repo),
      );
      if (v.version !== req.revision && (req.revision ?? '') !== '')
        throw new NotFoundError(`chart ${req.name} has no version ${req.revision}`);
      return { description: v.description, home: v.home, maintainers: [...v.maintainers] };
    },

    getOciMetadata: async () => notOci(),
    listOciTags: async () => notOci(),

    listRefs: async (req) => {
      const refs = await d.git.lsRemote(git(req.repo));
      return { branches: [...refs.branches.keys()].sort(), tags: [...refs.tags.keys()].sort() };
    },

    listApps: async (req) => {
      const sha = await resolve(req.repo, req.revision ?? '');
      const files = await d.git.listFiles(git(req.repo), sha);
      return { apps: discoverApps(files, req.enabledSourceTypes ?? {}) };
    },

    getGitDirectories: async (req) => {
      const repo = git(req.repo);
      const sha = await resolve(req.repo, req.revision ?? '', req.noRevisionCache === true);
      return { paths: directoriesOf(await d.git.listFiles(repo, sha)) };
    },

    getGitFiles: async (req) => {
      const repo = git(req.repo);
      const sha = await resolve(req.repo, req.revision ?? '', req.noRevisionCache === true);
      const matching = filesMatching(
        await d.git.listFiles(repo, sha),
        req.path ?? '',
        req.newGitFileGlobbingEnabled === true,
      );
      const contents = await d.git.readFiles(repo, sha, matching);
      return { files: Object.fromEntries(contents) };
    },

    getHelmCharts: async (req) => {
      const index = await d.helmRepos.index(req.repo?.repo ?? '', helmCredsOf(req.repo));
      return {
        items: [...index.entries()].map(([name, versions]) => ({
          name,
          versions: versions.map((v) => v.version),
        })),
      };
    },

    testRepository: async (req) => {
      if (req.repo?.type === 'helm')
        await d.helmRepos.index(req.repo.repo ?? '', helmCredsOf(req.repo), { noCache: true });
      else await d.git.test(git(req.repo));
      return { verified: true };
    },

    updateRevisionForPaths: async (req) => {
      const source = sourceOf(req.source);
      const repo = git(req.repo, source.repoURL);
      const revision = await d.git.resolveRevision(repo, req.revision || source.targetRevision || 'HEAD', {
        noCache: req.noRevisionCache === true,
      });
      const synced = req.syncedRevision ?? '';
      if (synced === '' || synced === revision) return { changes: synced === '', revision };
      await d.git.ensureCommit(repo, synced);
      await d.git.ensureCommit(repo, revision);
      const changed = await d.git.changedFiles(repo, synced, revision);
      const root = await d.git.checkout(repo, synced, { submodules: true });
      const type = await detectSourceType(source, `${root}/${source.path ?? ''}`);
      const annotation = (req.paths ?? []).join(';');
      const deps = await dependencyPaths(type, root, source, annotation);
      return { changes: deps === undefined || touches(changed, deps), revision };
    },
  });
}
