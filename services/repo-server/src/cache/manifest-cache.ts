import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Redis } from 'ioredis';

const zip = promisify(gzip);
const unzip = promisify(gunzip);

/** What a render produced, as cached: enough to answer GenerateManifest without Git or tools. */
export interface CachedManifests {
  readonly manifests: readonly string[];
  readonly sourceType: string;
  readonly revision: string;
  readonly commands: readonly string[];
  /**
   * Repository paths the render depended on; a later commit touching none of them reuses these manifests.
   * Undefined when that cannot be known (remote bases), which disables reuse.
   */
  readonly dependsOn: readonly string[] | undefined;
}

/** The newest render of one app configuration, for path-scoped reuse. */
export interface LatestRender {
  readonly revision: string;
  readonly key: string;
}

/**
 * Rendered manifests in Redis, gzip-compressed, with a TTL. Redis is only a cache: a miss renders again.
 * Keys are hashes computed by the caller from everything that affects the output.
 */
export class ManifestCache {
  readonly #redis: Redis;
  readonly #ttlSeconds: number;

  constructor(redis: Redis, ttlSeconds: number) {
    this.#redis = redis;
    this.#ttlSeconds = ttlSeconds;
  }

  async get(key: string): Promise<CachedManifests | undefined> {
    const raw = await this.#redis.getBuffer(`capstan:mfst:${key}`);
    if (raw === null) return undefined;
    try {
      return JSON.parse((await unzip(raw)).toString('utf8')) as CachedManifests;
    } catch {
      return undefined; // a corrupt entry is a miss
    }
  }

  async set(key: string, value: CachedManifests): Promise<void> {
    const body = await zip(Buffer.from(JSON.stringify(value)));
    await this.#redis.set(`capstan:mfst:${key}`, body, 'EX', this.#ttlSeconds);
  }

  async latest(appKey: string): Promise<LatestRender | undefined> {
    const raw = await this.#redis.get(`capstan:mfst-latest:${appKey}`);
    return raw === null ? undefined : (JSON.parse(raw) as LatestRender);
  }

  async setLatest(appKey: string, value: LatestRender): Promise<void> {
    await this.#redis.set(`capstan:mfst-latest:${appKey}`, JSON.stringify(value), 'EX', this.#ttlSeconds);
  }
}
