import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeObject, SyncAction, SyncActionOutcome } from '@capstan/engine';
import { NotFoundError } from '@capstan/errors';
import { clientSideApply, type PatchMetaSource, type ResourceClient } from '@capstan/kube';

const k8s = (o: KubeObject): KubernetesObject => o as unknown as KubernetesObject;

export interface ActionContext {
  readonly client: ResourceClient;
  readonly patchMeta: PatchMetaSource;
  readonly sleep: (ms: number) => Promise<void>;
  /**
   * Called after an object was changed, with what the API server answered (the object as written;
   * undefined for deletes), for the ResourceUpdated event and so the next step sees its own writes.
   */
  readonly onChanged?: (verb: string, obj: KubeObject, written: KubeObject | undefined) => void;
  /** Whether the cluster cache knows nothing of the object (so an apply can create it without a read). */
  readonly unknownToCache?: (obj: KubeObject) => boolean;
}

async function waitEstablished(ctx: ActionContext, crd: KubeObject, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live = (await ctx.client.get(k8s(crd))) as KubeObject | undefined;
    const conditions = (live?.['status'] as { conditions?: { type: string; status: string }[] } | undefined)
      ?.conditions;
    if (conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true) {
      // The kinds it defines are about to be applied: discovery must learn them now.
      ctx.client.invalidateDiscovery();
      return true;
    }
    if (Date.now() >= deadline) return false;
    await ctx.sleep(200);
  }
}

async function applyOne(
  ctx: ActionContext,
  obj: KubeObject,
  options: {
    verb: string;
    serverSide: boolean;
    force: boolean;
    replace: boolean;
    dryRun: boolean;
  },
): Promise<void> {
  const { client } = ctx;
  let written: KubernetesObject;
  if (options.verb === 'create') {
    written = await client.create(k8s(obj), options.dryRun);
  } else if (options.replace || options.verb === 'replace' || options.verb === 'update') {
    const live = await client.get(k8s(obj));
    if (live === undefined) written = await client.create(k8s(obj), options.dryRun);
    else if (options.force && !options.dryRun) written = await client.forceReplace(k8s(obj));
    else
      written = await client.replace(
        k8s({
          ...obj,
          metadata: {
            ...obj.metadata,
            ...(live.metadata?.resourceVersion === undefined
              ? {}
              : { resourceVersion: live.metadata.resourceVersion }),
          },
        }),
        options.dryRun,
      );
  } else if (options.serverSide) {
    written = await client.apply(k8s(obj), { dryRun: options.dryRun, force: true });
  } else {
    written = await clientSideApply(client, k8s(obj), {
      dryRun: options.dryRun,
      meta: ctx.patchMeta,
      likelyAbsent: ctx.unknownToCache?.(obj) === true,
    });
  }
  if (!options.dryRun)
    ctx.onChanged?.(
      options.verb === 'create' ? 'created' : 'configured',
      obj,
      written as unknown as KubeObject,
    );
}

/** Carries out one engine action on a cluster; failures come back as outcomes, never as exceptions. */
export async function runSyncAction(ctx: ActionContext, action: SyncAction): Promise<SyncActionOutcome> {
  try {
    switch (action.type) {
      case 'apply':
      case 'createNamespace':
        await applyOne(ctx, action.obj, action.options);
        return { ok: true };
      case 'dryRun': {
        const failures: { key: string; message: string }[] = [];
        await Promise.all(
          action.items.map(async (item) => {
            try {
              // A kind the cluster does not serve yet (its CRD is in this sync) cannot be dry-run.
              if ((await ctx.client.namespaced(item.obj.apiVersion ?? '', item.obj.kind ?? '')) === undefined)
                return;
              await ctx.client.apply(k8s(item.obj), { dryRun: true, force: true });
            } catch (err) {
              // Nor can an object whose namespace this sync creates (CreateNamespace): the real apply
              // comes after the namespace, and would report a namespace that is truly missing.
              if (err instanceof NotFoundError && /namespaces "[^"]+" not found/.test(err.message)) return;
              failures.push({ key: item.key, message: (err as Error).message });
            }
          }),
        );
        return failures.length === 0
          ? { ok: true }
          : { ok: false, message: failures[0]?.message ?? 'dry run failed', failures };
      }
      case 'delete':
        await ctx.client.delete(
          k8s(action.obj),
          action.propagationPolicy === 'background'
            ? 'Background'
            : action.propagationPolicy === 'orphan'
              ? 'Orphan'
              : 'Foreground',
        );
        ctx.onChanged?.('deleted', action.obj, undefined);
        return { ok: true };
      case 'stripFinalizer':
        await ctx.client.removeFinalizer(k8s(action.obj), action.finalizer);
        return { ok: true };
      case 'sleep':
        await ctx.sleep(action.ms);
        return { ok: true };
      case 'waitForEstablished':
        return (await waitEstablished(ctx, action.crd, action.timeoutMs))
          ? { ok: true }
          : { ok: false, message: `CRD ${action.crd.metadata?.name ?? ''} was not established in time` };
    }
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}
