import type { ApplicationSource } from '@capstan/crds';
import type { KubeObject, TrackingMethod } from '@capstan/engine';
import { credentialsFor, type RepositoryRecord } from '@capstan/kube';
import type { common, reposerver, RepoServerClient } from '@capstan/proto';

export interface RenderRequest {
  readonly appName: string;
  readonly appInstance: string;
  readonly project: string;
  readonly namespace: string;
  readonly source: ApplicationSource;
  /** The revision to render; the source's targetRevision when undefined. */
  readonly revision?: string | undefined;
  /** Bypass the repo-server's manifest and revision caches (hard refresh). */
  readonly noCache?: boolean;
  /** Resolve a branch or tag afresh, bypassing only the revision cache (the first step of a sync). */
  readonly noRevisionCache?: boolean;
  readonly kubeVersion: string;
  readonly apiVersions: readonly string[];
  readonly tracking: {
    readonly method: TrackingMethod;
    readonly labelKey: string;
    readonly installationId: string;
  };
  readonly projectSourceRepos: readonly string[];
  readonly manifestGeneratePaths?: string | undefined;
}

export interface Rendered {
  readonly objects: KubeObject[];
  readonly revision: string;
  readonly sourceType: string;
}

const trackingCode: Record<TrackingMethod, number> = { annotation: 1, label: 2, 'annotation+label': 3 };

function toProtoRepo(r: RepositoryRecord): common.Repository {
  return {
    repo: r.url,
    type: r.type,
    ...(r.name === undefined ? {} : { name: r.name }),
    ...(r.username === undefined ? {} : { username: r.username }),
    ...(r.password === undefined ? {} : { password: r.password }),
    ...(r.sshPrivateKey === undefined ? {} : { sshPrivateKey: r.sshPrivateKey }),
    ...(r.tlsClientCertData === undefined ? {} : { tlsClientCertData: r.tlsClientCertData }),
    ...(r.tlsClientCertKey === undefined ? {} : { tlsClientCertKey: r.tlsClientCertKey }),
    ...(r.insecure === undefined ? {} : { insecure: r.insecure }),
    ...(r.enableOCI === undefined ? {} : { enableOci: r.enableOCI }),
    ...(r.proxy === undefined ? {} : { proxy: r.proxy }),
    ...(r.inheritedCreds === undefined ? {} : { inheritedCreds: r.inheritedCreds }),
  };
}

const COMMIT_SHA = /^[0-9a-f]{40}$/;

interface Memo {
  readonly manifests: readonly string[];
  readonly revision: string;
  readonly sourceType: string;
  readonly bytes: number;
  readonly at: number;
}

/**
 * Gets an application's manifests from the repo-server, with the repository's credentials. Renders of a
 * commit (what every step of a running sync asks for, again and again while it waits on hooks or health)
 * are kept in memory for a while: a commit's manifests never change, and thousands of waiting operations
 * must not keep the repo-server busy. A hard refresh always goes to the repo-server.
 */
export class ManifestSource {
  readonly #memo = new Map<string, Memo>();
  #memoBytes = 0;
  readonly #memoMaxBytes = 64 * 1024 * 1024;
  readonly #memoTtlMs = 10 * 60_000;
  readonly #client: RepoServerClient;
  readonly #repositories: () => { repos: RepositoryRecord[]; creds: RepositoryRecord[] };
  readonly #timeoutMs: number;

  constructor(options: {
    client: RepoServerClient;
    repositories: () => { repos: RepositoryRecord[]; creds: RepositoryRecord[] };
    timeoutMs: number;
  }) {
    this.#client = options.client;
    this.#repositories = options.repositories;
    this.#timeoutMs = options.timeoutMs;
  }

  async render(req: RenderRequest): Promise<Rendered> {
    const { repos, creds } = this.#repositories();
    const repo = credentialsFor(req.source.repoURL, repos, creds);
    const isHelm = req.source.chart !== undefined && req.source.chart !== '';
    const helmRepos = repos.filter((r) => r.type === 'helm').map(toProtoRepo);
    const memoKey =
      !isHelm && req.revision !== undefined && COMMIT_SHA.test(req.revision)
        ? JSON.stringify([req, repo.url, repo.username ?? '', helmRepos.map((r) => r.repo)])
        : undefined;
    const now = performance.now();
    if (memoKey !== undefined && req.noCache !== true) {
      const hit = this.#memo.get(memoKey);
      if (hit !== undefined && now - hit.at < this.#memoTtlMs) {
        // Most recently used last: the oldest entries go first when the budget is exceeded.
        this.#memo.delete(memoKey);
        this.#memo.set(memoKey, hit);
        return this.#rendered(hit.manifests, hit.revision, hit.sourceType);
      }
    }
    const res = await this.#client.generateManifest(
      {
        repo: { ...toProtoRepo(repo), type: isHelm ? 'helm' : repo.type },
        revision: req.revision ?? req.source.targetRevision ?? 'HEAD',
        noCache: req.noCache === true,
        noRevisionCache: req.noCache === true || req.noRevisionCache === true,
        appLabelKey: req.tracking.labelKey,
        appName: req.appInstance,
        namespace: req.namespace,
        source: req.source,
        helmRepos,
        kubeVersion: req.kubeVersion,
        apiVersions: [...req.apiVersions],
        trackingMethod: trackingCode[req.tracking.method] as reposerver.ManifestRequest['trackingMethod'],
        installationId: req.tracking.installationId,
        projectSourceRepos: [...req.projectSourceRepos],
        projectName: req.project,
        ...(req.manifestGeneratePaths === undefined
          ? {}
          : { annotationManifestGeneratePaths: req.manifestGeneratePaths }),
      },
      { timeoutMs: this.#timeoutMs },
    );
    const manifests = res.manifests ?? [];
    if (memoKey !== undefined)
      this.#remember(memoKey, {
        manifests,
        revision: res.revision ?? '',
        sourceType: res.sourceType ?? '',
        at: now,
      });
    return this.#rendered(manifests, res.revision ?? '', res.sourceType ?? '');
  }

  // Parsed afresh each time: callers may change the objects they get.
  #rendered(manifests: readonly string[], revision: string, sourceType: string): Rendered {
    return { objects: manifests.map((m) => JSON.parse(m) as KubeObject), revision, sourceType };
  }

  #remember(key: string, entry: Omit<Memo, 'bytes'>): void {
    const old = this.#memo.get(key);
    if (old !== undefined) {
      this.#memo.delete(key);
      this.#memoBytes -= old.bytes;
    }
    const bytes = entry.manifests.reduce((n, m) => n + m.length * 2, key.length * 2);
    if (bytes > this.#memoMaxBytes / 8) return;
    this.#memo.set(key, { ...entry, bytes });
    this.#memoBytes += bytes;
    for (const [k, v] of this.#memo) {
      if (this.#memoBytes <= this.#memoMaxBytes) break;
      this.#memo.delete(k);
      this.#memoBytes -= v.bytes;
    }
  }
}
