import { createHash } from 'node:crypto';
import { keyOf, keyString, type KubeObject } from '../types.ts';
import { CopyOnWrite } from './copy-on-write.ts';
import type { CompiledDiffOptions } from './diff-options.ts';
import { diffResourceAsync, prepareAsync, type ResourceDiff } from './diff-resource.ts';
import type { JqRunner } from './jq-pool.ts';
import { deepEqual, canonicalJson, isPlainObject, type JsonObject } from './json-value.ts';
import { listChanges } from './list-changes.ts';
import { LruCache } from './lru-cache.ts';
import { normalizeKnownTypes } from './normalize-known-types.ts';
import { stripManagedFields } from './strip-managed-fields.ts';

/**
 * A server-side apply of `target` in dry-run mode (as the controller's field manager) against the cluster
 * holding `live`; resolves to the object the API server would store.
 */
export type ServerSideDryRun = (target: KubeObject, live: KubeObject) => Promise<KubeObject>;

export interface ServerSideDiffOptions {
  readonly dryRun: ServerSideDryRun;
  /** Dry-run results kept, keyed by live resourceVersion and normalized target. @default 1000 */
  readonly cacheSize?: number;
  /** Runs jqPathExpressions; the shared pool when absent. */
  readonly jq?: JqRunner;
}

/** Server-written bookkeeping that says nothing about the user's intent. */
function withoutBookkeeping(obj: JsonObject | null): JsonObject | null {
  const metadata = obj?.['metadata'];
  if (obj === null || !isPlainObject(metadata)) return obj;
  if (metadata['managedFields'] === undefined && metadata['resourceVersion'] === undefined) return obj;
  const { managedFields: _m, resourceVersion: _r, ...rest } = metadata;
  return { ...obj, metadata: rest };
}

/**
 * Diff by asking the API server: modified = the normalized dry-run result differs from the normalized live
 * object. Results are cached per (live uid, resourceVersion, hash of the normalized target), so an unchanged
 * pair costs one dry-run until either side changes.
 */
export class ServerSideDiff {
  private readonly dryRun: ServerSideDryRun;
  private readonly jq: JqRunner | undefined;
  private readonly cache: LruCache<string, Promise<KubeObject>>;

  constructor(options: ServerSideDiffOptions) {
    this.dryRun = options.dryRun;
    this.jq = options.jq;
    this.cache = new LruCache(options.cacheSize ?? 1000);
  }

  /** Compares through a (cached) dry-run. A failing dry-run rejects: the comparison of the app failed. */
  async diff(
    target: KubeObject | null,
    live: KubeObject | null,
    options: CompiledDiffOptions,
  ): Promise<ResourceDiff> {
    // Creations and deletions need no server: the local answer is exact.
    if (target === null || live === null) return diffResourceAsync(target, live, options, this.jq);
    const key = keyOf(live);
    const managers = options.planFor(key.group, key.kind, key.namespace, key.name).managedFieldsManagers;
    // The server gets the target with only the fixed normalizations (ignore rules apply to both results after),
    // minus the fields that trusted managers own and changed.
    const trusted = managers.length > 0 ? stripManagedFields(live, target, managers).target : target;
    const dryTarget = normalizeKnownTypes(
      trusted,
      key,
      options.ignoreAggregatedRoles,
      new CopyOnWrite(),
    ) as KubeObject;
    const hash = createHash('sha256').update(canonicalJson(dryTarget)).digest('base64url');
    const cacheKey = `${live.metadata?.uid ?? keyString(key)}|${live.metadata?.resourceVersion ?? ''}|${hash}`;
    let predicted = await this.predict(cacheKey, dryTarget, live);
    if (managers.length > 0) predicted = stripManagedFields(live, predicted, managers).target;

    const [local, server] = await Promise.all([
      prepareAsync(target, live, options, this.jq),
      prepareAsync(null, predicted, options, this.jq),
    ]);
    const normalizedLive = withoutBookkeeping(local.live);
    const predictedLive = withoutBookkeeping(server.live);
    const modified = !deepEqual(normalizedLive, predictedLive);
    const warnings = [...new Set([...local.warnings, ...server.warnings])];
    return {
      modified,
      normalizedLive: normalizedLive,
      predictedLive: predictedLive,
      ...(options.includeDiff && modified ? { diff: listChanges(normalizedLive, predictedLive) } : {}),
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  }

  /**
   * The cheap local three-way comparison first; only a pair it finds modified is confirmed with the server
   * (which clears false positives such as defaults the local comparison cannot know).
   */
  async diffLocalFirst(
    target: KubeObject | null,
    live: KubeObject | null,
    options: CompiledDiffOptions,
  ): Promise<ResourceDiff> {
    const local = await diffResourceAsync(target, live, options, this.jq);
    if (!local.modified || target === null || live === null) return local;
    return this.diff(target, live, options);
  }

  private predict(cacheKey: string, target: KubeObject, live: KubeObject): Promise<KubeObject> {
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached;
    // The promise itself is cached, so concurrent comparisons of one pair share a single dry-run.
    const pending = this.dryRun(target, live);
    this.cache.set(cacheKey, pending);
    void pending.catch(() => this.cache.delete(cacheKey));
    return pending;
  }
}
