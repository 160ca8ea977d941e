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
  /**
   * Recently served entries, decoded, so a hot hit costs a map lookup instead of a Redis round trip and a
   * gunzip. Bounded by total manifest bytes; entries are immutable (keys include the revision).
   */
  readonly #recent = new Map<string, { value: CachedManifests; bytes: number; until: number }>();
  readonly #maxRecentBytes: number;
  #recentBytes = 0;

  constructor(redis: Redis, ttlSeconds: number, maxRecentBytes = 64 * 1024 * 1024) {
    this.#redis = redis;
    this.#ttlSeconds = ttlSeconds;
    this.#maxRecentBytes = maxRecentBytes;
  }

  async get(key: string): Promise<CachedManifests | undefined> {
    const recent = this.#recent.get(key);
    if (recent !== undefined && recent.until > Date.now()) {
      // Re-insert to mark it most recently used.
      this.#recent.delete(key);
      this.#recent.set(key, recent);
      return recent.value;
    }
    const raw = await this.#redis.getBuffer(`capstan:mfst:${key}`);
    if (raw === null) return undefined;
    try {
      const value = JSON.parse((await unzip(raw)).toString('utf8')) as CachedManifests;
      this.#remember(key, value);
      return value;
    } catch {
      return undefined; // a corrupt entry is a miss
    }
  }

  async set(key: string, value: CachedManifests): Promise<void> {
    const body = await zip(Buffer.from(JSON.stringify(value)));
    await this.#redis.set(`capstan:mfst:${key}`, body, 'EX', this.#ttlSeconds);
    this.#remember(key, value);
  }

  #remember(key: string, value: CachedManifests): void {
    const bytes = value.manifests.reduce((n, m) => n + m.length, 0);
    if (bytes > this.#maxRecentBytes / 4) return;
    const old = this.#recent.get(key);
    if (old !== undefined) this.#recentBytes -= old.bytes;
    this.#recent.delete(key);
    // Never outlive the Redis entry: a flushed Redis must not keep serving from here for long.
    this.#recent.set(key, { value, bytes, until: Date.now() + Math.min(this.#ttlSeconds, 300) * 1000 });
    this.#recentBytes += bytes;
    for (const [k, v] of this.#recent) {
      if (this.#recentBytes <= this.#maxRecentBytes) break;
      this.#recent.delete(k);
      this.#recentBytes -= v.bytes;
    }
  }

  async latest(appKey: string): Promise<LatestRender | undefined> {
    const raw = await this.#redis.get(`capstan:mfst-latest:${appKey}`);
    return raw === null ? undefined : (JSON.parse(raw) as LatestRender);
  }

  async setLatest(appKey: string, value: LatestRender): Promise<void> {
    await this.#redis.set(`capstan:mfst-latest:${appKey}`, JSON.stringify(value), 'EX', this.#ttlSeconds);
  }
}
