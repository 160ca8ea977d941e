import { createHash, randomUUID } from 'node:crypto';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InternalError, InvalidArgumentError, UnavailableError } from '@capstan/errors';
import type { Clock, Logger } from '@capstan/runtime';
import { extractChart, extractedChart, removeTree } from './extract-chart.ts';
import type { HelmChartVersion, HelmRepoCredentials } from './helm-repo-types.ts';
import { httpGet } from './http-get.ts';
import { displayUrl, resolveChartUrl, type RepoLocation } from './repo-url.ts';
import { createSingleFlight } from '@capstan/runtime';

export interface ChartStoreOptions {
  /** Holds `archives/<key>.tgz`, `charts/<key>/<chart>/` and `tmp/`. */
  readonly cacheDir: string;
  readonly timeoutMs: number;
  /** Compressed archive cap; extraction stops at 10× this. */
  readonly maxChartBytes: number;
  readonly logger: Logger;
  readonly clock: Clock;
}

export interface ChartPull {
  readonly repo: RepoLocation;
  readonly chart: HelmChartVersion;
  readonly credentials: HelmRepoCredentials;
  /** Identifies the credential set, so concurrent pulls collapse only when they would send the same. */
  readonly credentialKey: string;
}

export interface ChartStore {
  pull(request: ChartPull): Promise<string>;
}

/** The index's digest as 64 lowercase hex digits (an optional `sha256:` prefix is accepted); '' = none. */
function expectedDigest(digest: string, label: string): string | undefined {
  const d = digest
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '');
  if (d === '') return undefined;
  if (!/^[0-9a-f]{64}$/.test(d)) {
    throw new InvalidArgumentError(
      `${label}: the index gives an unusable digest ${JSON.stringify(digest.slice(0, 80))}`,
    );
  }
  return d;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Downloaded archives and extracted charts on disk, keyed by the archive's sha256 (by a hash of its
 * URL when the index gives no digest). A chart is downloaded and extracted once; later pulls are
 * served from disk without contacting the repository, so access is checked by index()/resolveVersion(),
 * whose cache is per credential set.
 */
export function createChartStore(options: ChartStoreOptions): ChartStore {
  const archives = join(options.cacheDir, 'archives');
  const charts = join(options.cacheDir, 'charts');
  const tmp = join(options.cacheDir, 'tmp');
  const flights = createSingleFlight<string>();
  const logger = options.logger;

  async function download(
    request: ChartPull,
    url: URL,
    target: { archive: string; digest?: string },
  ): Promise<void> {
    const { chart, repo } = request;
    const label = `chart ${chart.name}-${chart.version} from ${displayUrl(repo.url)}`;
    await mkdir(tmp, { recursive: true });
    await mkdir(archives, { recursive: true });
    const partial = join(tmp, `download-${randomUUID()}.tgz`);
    const hash = createHash('sha256');
    const file = await open(partial, 'wx', 0o600);
    const started = options.clock.now();
    try {
      const { bytes } = await httpGet({
        url,
        credentials: request.credentials,
        credentialOrigin: repo.url.origin,
        timeoutMs: options.timeoutMs,
        maxBytes: options.maxChartBytes,
        decodeGzip: false,
        subject: label,
        notFoundMessage: `${label}: no archive at ${displayUrl(url)}`,
        onChunk: async (chunk) => {
          hash.update(chunk);
          for (let offset = 0; offset < chunk.length;) {
            offset += (await file.write(chunk, offset)).bytesWritten;
          }
        },
      });
      await file.close();
      const actual = hash.digest('hex');
      if (target.digest !== undefined && actual !== target.digest) {
        // Not the caller's mistake and possibly transient (an index published before its archives
        // reached every mirror), so Unavailable rather than InvalidArgument; the bytes are discarded.
        throw new UnavailableError(
          `${label}: the archive at ${displayUrl(url)} has sha256 ${actual} but the index says ${target.digest}; ` +
            'refusing it (tampered, or the index and the archive are out of sync)',
          { details: { expected: target.digest, actual } },
        );
      }
      await chmod(partial, 0o444);
      await rename(partial, target.archive);
      logger.debug('chart archive downloaded', {
        chart: chart.name,
        version: chart.version,
        url: displayUrl(url),
        bytes,
        ms: options.clock.now() - started,
      });
    } finally {
      await file.close().catch(() => undefined);
      await rm(partial, { force: true });
    }
  }

  async function ensure(
    request: ChartPull,
    url: URL,
    key: string,
    digest: string | undefined,
  ): Promise<string> {
    const { chart } = request;
    const dest = join(charts, key);
    const cached = await extractedChart(dest);
    if (cached !== undefined) return cached;
    // A leftover that is not a complete chart (only possible if someone edited the cache) is rebuilt.
    await removeTree(dest);
    const archive = join(archives, `${key}.tgz`);
    const have = await stat(archive).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!have) await download(request, url, digest === undefined ? { archive } : { archive, digest });
    await mkdir(charts, { recursive: true });
    try {
      await extractChart({
        archive,
        dest,
        tmpDir: tmp,
        maxBytes: options.maxChartBytes * 10,
        label: `chart ${chart.name}-${chart.version} from ${displayUrl(request.repo.url)}`,
      });
    } catch (err) {
      // The archive is useless; drop it so a fixed upstream is fetched again.
      await rm(archive, { force: true });
      throw err;
    }
    const dir = await extractedChart(dest);
    if (dir === undefined)
      throw new InternalError(`chart ${chart.name}-${chart.version}: extraction left no chart`);
    logger.debug('chart extracted', { chart: chart.name, version: chart.version, dir });
    return dir;
  }

  return {
    async pull(request) {
      const { chart, repo } = request;
      const label = `chart ${chart.name}-${chart.version} from ${displayUrl(repo.url)}`;
      const ref = chart.urls[0];
      if (ref === undefined) throw new InvalidArgumentError(`${label}: the index lists no download URL`);
      const url = resolveChartUrl(repo.url, ref);
      const digest = expectedDigest(chart.digest, label);
      const key = digest ?? `url-${sha256(url.href)}`;
      return flights.run(`${key}\n${request.credentialKey}`, () => ensure(request, url, key, digest));
    },
  };
}
