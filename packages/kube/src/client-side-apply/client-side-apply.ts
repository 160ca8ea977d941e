import type { KubernetesObject } from '@kubernetes/client-node';
import { CapstanError } from '@capstan/errors';
import type { ResourceClient } from '../resource-client.ts';
import type { JsonObject } from './json-value.ts';
import { lastAppliedOf, withLastApplied } from './last-applied.ts';
import type { PatchMeta } from './patch-meta.ts';
import { PatchMetaSource } from './patch-meta-source.ts';
import { createThreeWayMergePatch } from './three-way-merge-patch.ts';

export interface ClientSideApplyOptions {
  /** Server-side dry run: validated and admitted, not persisted. */
  readonly dryRun?: boolean;
  /** The cluster's patch metadata; keep one per cluster. @default one kept per client */
  readonly meta?: PatchMetaSource;
  /**
   * kubectl's client-side apply manager, which switching to server-side apply migrates from.
   * @default 'kubectl-client-side-apply'
   */
  readonly fieldManager?: string;
  /**
   * The caller's watch cache has no such object: create straight away and read live only if the create
   * finds it there after all (409), one GET fewer for every new object.
   */
  readonly likelyAbsent?: boolean;
}

/** kubectl retries a patch that lost a race with another writer this many times. */
const maxAttempts = 5;

const defaultSources = new WeakMap<ResourceClient, PatchMetaSource>();

function sourceFor(client: ResourceClient): PatchMetaSource {
  let source = defaultSources.get(client);
  if (source === undefined) {
    source = new PatchMetaSource(client);
    defaultSources.set(client, source);
  }
  return source;
}

/**
 * `kubectl apply` without `--server-side`: creates the object when absent, recording the manifest in the
 * last-applied annotation; otherwise sends the three-way patch between that annotation, the manifest and
 * live (strategic merge for built-in kinds, JSON merge for custom resources), so fields the manifest
 * dropped are removed and fields only others set are kept. Nothing is sent when live already matches.
 * Returns the object as the server has it afterwards (or would, on a dry run).
 */
export async function clientSideApply(
  client: ResourceClient,
  obj: KubernetesObject,
  opts: ClientSideApplyOptions = {},
): Promise<KubernetesObject> {
  const dryRun = opts.dryRun ?? false;
  const fieldManager = opts.fieldManager ?? 'kubectl-client-side-apply';
  const modified = withLastApplied(obj);
  let meta: { value: PatchMeta | undefined } | undefined;
  for (let attempt = 1; ; attempt++) {
    const current = attempt === 1 && opts.likelyAbsent === true ? undefined : await client.get(obj);
    try {
      if (current === undefined) return await client.create(modified, dryRun);
      meta ??= {
        value: await (opts.meta ?? sourceFor(client)).forKind(obj.apiVersion ?? 'v1', obj.kind ?? ''),
      };
      const { patch, contentType } = createThreeWayMergePatch({
        original: lastAppliedOf(current),
        modified,
        current: current as JsonObject,
        meta: meta.value,
      });
      if (Object.keys(patch).length === 0) return current;
      return await client.patch(obj, patch, contentType, { dryRun, fieldManager });
    } catch (err) {
      // 409: created by someone else meanwhile, or a conflicting write; read live again and recompute.
      if (err instanceof CapstanError && err.code === 'Aborted' && attempt < maxAttempts) continue;
      throw err;
    }
  }
}
