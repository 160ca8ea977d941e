import { createHmac, randomBytes } from 'node:crypto';
import { InvalidArgumentError, NotFoundError } from '@capstan/errors';
import { systemClock, type Clock, type Logger } from '@capstan/runtime';
import { createChartStore } from './chart-store.ts';
import type { HelmChartVersion, HelmRepoCredentials } from './helm-repo-types.ts';
import { httpGet } from './http-get.ts';
import { parseIndex } from './parse-index.ts';
import { displayUrl, indexUrl, parseRepoUrl, type RepoLocation } from './repo-url.ts';
import { selectVersion } from './select-version.ts';
import { createSingleFlight } from '@capstan/runtime';

export interface HelmRepoClientOptions {
  /** Downloaded archives and extracted charts, keyed by digest. */
  readonly cacheDir: string;
  /** Deadline of each HTTP request, body included. */
  readonly timeoutMs: number;
  /** How long a fetched index.yaml is reused. @default 60_000 (`noCache` bypasses it) */
  readonly indexCacheMs?: number;
  /** Largest index.yaml accepted, after gzip decoding. @default 50 MiB */
  readonly maxIndexBytes?: number;
  /** Largest compressed chart archive; extraction stops at 10× this. @default 100 MiB */
  readonly maxChartBytes?: number;
  readonly logger: Logger;
  /** @default systemClock */
  readonly clock?: Clock;
}

export interface HelmIndexOptions {
  /** Fetch index.yaml again even if a fresh copy is cached (a hard refresh). */
  readonly noCache?: boolean;
}

export type HelmIndex = ReadonlyMap<string, readonly HelmChartVersion[]>;

export interface HelmRepoClient {
  /** All charts and versions of a repository, newest version first per chart. */
  index(repoUrl: string, creds?: HelmRepoCredentials, opts?: HelmIndexOptions): Promise<HelmIndex>;
  /**
   * An exact version, or the highest version satisfying a semver constraint ('1.2.3', '^1.2',
   * '>=1.0 <2', '1.x', '*', '' = latest, 'v1.16.0'). Prereleases only when the constraint names one.
   * Unknown chart or no match → NotFoundError naming chart, constraint and repository; a constraint
   * that is neither a listed version nor valid semver → InvalidArgumentError.
   */
  resolveVersion(
    repoUrl: string,
    chart: string,
    constraint: string,
    creds?: HelmRepoCredentials,
    opts?: HelmIndexOptions,
  ): Promise<HelmChartVersion>;
  /**
   * A read-only directory holding the extracted chart (Chart.yaml at its root), downloaded once per
   * digest and shared. A digest mismatch is UnavailableError; an unsafe archive InvalidArgumentError;
   * one unpacking past the cap ResourceExhaustedError.
   */
  pullChart(repoUrl: string, chart: HelmChartVersion, creds?: HelmRepoCredentials): Promise<string>;
}

const MiB = 1024 * 1024;

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new InvalidArgumentError(`${name} must be a non-negative number`);
  return value;
}

/** The credentials to use: the given ones, else those written into the repository URL. */
function effectiveCredentials(
  repo: RepoLocation,
  creds: HelmRepoCredentials | undefined,
): HelmRepoCredentials {
  const given = creds ?? {};
  const hasLogin = (given.username ?? '') !== '' || (given.password ?? '') !== '';
  return repo.userinfo !== undefined && !hasLogin ? { ...given, ...repo.userinfo } : given;
}

/**
 * A client for classic Helm chart repositories (index.yaml over HTTP(S)), with Helm's semantics for
 * version constraints and chart URLs. Index fetches are cached per repository and credential set and
 * collapse when concurrent; charts are downloaded once per digest into `cacheDir` and extracted safely.
 */
export function createHelmRepoClient(options: HelmRepoClientOptions): HelmRepoClient {
  const clock = options.clock ?? systemClock;
  const timeoutMs = positive('timeoutMs', options.timeoutMs);
  const indexCacheMs = positive('indexCacheMs', options.indexCacheMs ?? 60_000);
  const maxIndexBytes = positive('maxIndexBytes', options.maxIndexBytes ?? 50 * MiB);
  const maxChartBytes = positive('maxChartBytes', options.maxChartBytes ?? 100 * MiB);
  const logger = options.logger.child({ component: 'helm-repo' });
  const store = createChartStore({ cacheDir: options.cacheDir, timeoutMs, maxChartBytes, logger, clock });
  const indexFlights = createSingleFlight<HelmIndex>();
  const indexCache = new Map<string, { readonly at: number; readonly index: HelmIndex }>();
  // Cache keys hold an HMAC of the credentials under a per-process key, never the credentials.
  const fingerprintKey = randomBytes(32);
  const fingerprint = (c: HelmRepoCredentials): string =>
    createHmac('sha256', fingerprintKey)
      .update(
        JSON.stringify([
          c.username ?? '',
          c.password ?? '',
          c.insecure === true,
          c.caData ?? '',
          c.tlsClientCertData ?? '',
          c.tlsClientCertKey ?? '',
        ]),
      )
      .digest('hex');

  async function fetchIndex(repo: RepoLocation, credentials: HelmRepoCredentials): Promise<HelmIndex> {
    const name = displayUrl(repo.url);
    const started = clock.now();
    const chunks: Buffer[] = [];
    await httpGet({
      url: indexUrl(repo.url),
      credentials,
      credentialOrigin: repo.url.origin,
      timeoutMs,
      maxBytes: maxIndexBytes,
      decodeGzip: true,
      subject: `index.yaml of ${name}`,
      notFoundMessage: `no index.yaml at ${name}`,
      onChunk: (chunk) => void chunks.push(chunk),
    });
    const { charts, skipped } = parseIndex(Buffer.concat(chunks).toString('utf8'), name);
    if (skipped > 0)
      logger.warn('index.yaml entries without a version were skipped', { repo: name, skipped });
    logger.debug('index.yaml fetched', { repo: name, charts: charts.size, ms: clock.now() - started });
    return charts;
  }

  async function index(
    repoUrl: string,
    creds?: HelmRepoCredentials,
    opts?: HelmIndexOptions,
  ): Promise<HelmIndex> {
    const repo = parseRepoUrl(repoUrl);
    const credentials = effectiveCredentials(repo, creds);
    const key = `${indexUrl(repo.url).href}\n${fingerprint(credentials)}`;
    const cached = indexCache.get(key);
    if (opts?.noCache !== true && cached !== undefined && clock.now() - cached.at < indexCacheMs) {
      return cached.index;
    }
    // A noCache call still joins a fetch already in flight instead of starting a second request.
    return indexFlights.run(key, async () => {
      const fetched = await fetchIndex(repo, credentials);
      const now = clock.now();
      for (const [k, v] of indexCache) if (now - v.at >= indexCacheMs) indexCache.delete(k);
      indexCache.set(key, { at: now, index: fetched });
      return fetched;
    });
  }

  // eslint-disable-next-line max-params -- the signature is HelmRepoClient.resolveVersion's, fixed by the contract
  async function resolveVersion(
    repoUrl: string,
    chart: string,
    constraint: string,
    creds?: HelmRepoCredentials,
    opts?: HelmIndexOptions,
  ): Promise<HelmChartVersion> {
    const charts = await index(repoUrl, creds, opts);
    const repo = displayUrl(parseRepoUrl(repoUrl).url);
    const wanted = constraint.trim() === '' ? 'latest' : constraint.trim();
    const details = { chart, constraint, repo };
    const versions = charts.get(chart);
    if (versions === undefined) {
      throw new NotFoundError(`chart "${chart}" (version "${wanted}") not found in ${repo}`, { details });
    }
    const selection = selectVersion(versions, constraint);
    switch (selection.kind) {
      case 'found':
        return selection.version;
      case 'invalid-constraint':
        throw new InvalidArgumentError(
          `version "${wanted}" of chart "${chart}" in ${repo} is neither a listed version nor a semver constraint`,
          { details },
        );
      case 'none':
        throw new NotFoundError(`no version of chart "${chart}" in ${repo} matches "${wanted}"`, { details });
    }
  }

  async function pullChart(
    repoUrl: string,
    chart: HelmChartVersion,
    creds?: HelmRepoCredentials,
  ): Promise<string> {
    const repo = parseRepoUrl(repoUrl);
    const credentials = effectiveCredentials(repo, creds);
    return store.pull({ repo, chart, credentials, credentialKey: fingerprint(credentials) });
  }

  return { index, resolveVersion, pullChart };
}
