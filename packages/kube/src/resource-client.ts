import {
  KubernetesObjectApi,
  PatchStrategy,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { CapstanError, InvalidArgumentError, NotFoundError } from '@capstan/errors';

/** Discovery-backed access to the object API: one instance per cluster. */
class DiscoveringObjectApi extends KubernetesObjectApi {
  static forConfig(kc: KubeConfig): DiscoveringObjectApi {
    const api = kc.makeApiClient(DiscoveringObjectApi);
    api.setDefaultNamespace(kc);
    return api;
  }

  /** Whether a kind is namespaced; undefined when the cluster does not serve it. */
  async namespaced(apiVersion: string, kind: string): Promise<boolean | undefined> {
    try {
      return (await this.resource(apiVersion, kind))?.namespaced;
    } catch {
      return undefined;
    }
  }
}

export interface ApplyOptions {
  /** Server-side apply field manager. @default 'argocd-controller' */
  readonly fieldManager?: string;
  /** Take over fields other managers own (kubectl --force-conflicts). @default true */
  readonly force?: boolean;
  readonly dryRun?: boolean;
}

const status = (err: unknown): number | undefined => (err as { code?: number }).code;

function describe(obj: KubernetesObject): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind ?? '?'}/${ns === undefined || ns === '' ? '' : `${ns}/`}${obj.metadata?.name ?? '?'}`;
}

/** The API server's message for a failed request, without the request body it may echo. */
function apiMessage(err: unknown): string {
  const body = (err as { body?: unknown }).body;
  try {
    const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: string } | undefined;
    if (parsed?.message !== undefined) return parsed.message;
  } catch {
    // not JSON
  }
  return (err as Error).message.split('\n')[0] ?? 'request failed';
}

function toDomain(err: unknown, obj: KubernetesObject, verb: string): CapstanError {
  const code = status(err);
  const message = `${verb} ${describe(obj)}: ${apiMessage(err)}`;
  if (code === 404) return new NotFoundError(message, { cause: err });
  if (code === 400 || code === 422) return new InvalidArgumentError(message, { cause: err });
  // Server-side apply reports a body that does not fit the schema as a 500 "failed to create typed patch object".
  if (code === 500 && message.includes('failed to create typed patch object'))
    return new InvalidArgumentError(message, { cause: err });
  if (code === 409) return new CapstanError('Aborted', message, { cause: err });
  if (code === 401) return new CapstanError('Unauthenticated', message, { cause: err });
  if (code === 403) return new CapstanError('PermissionDenied', message, { cause: err });
  return new CapstanError('Unavailable', message, { cause: err });
}

/**
 * Reads and writes objects of any kind on one cluster: what the sync engine's actions need. Errors come
 * back as domain errors naming the object.
 */
export class ResourceClient {
  readonly #api: DiscoveringObjectApi;

  constructor(kc: KubeConfig) {
    this.#api = DiscoveringObjectApi.forConfig(kc);
  }

  namespaced(apiVersion: string, kind: string): Promise<boolean | undefined> {
    return this.#api.namespaced(apiVersion, kind);
  }

  async get(obj: KubernetesObject): Promise<KubernetesObject | undefined> {
    try {
      return await this.#api.read({
        apiVersion: obj.apiVersion ?? '',
        kind: obj.kind ?? '',
        metadata: {
          name: obj.metadata?.name ?? '',
          ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}),
        },
      });
    } catch (err) {
      if (status(err) === 404) return undefined;
      throw toDomain(err, obj, 'get');
    }
  }

  /** Server-side apply: creates or updates, owning the fields the object sets. */
  async apply(obj: KubernetesObject, options: ApplyOptions = {}): Promise<KubernetesObject> {
    try {
      return await this.#api.patch(
        obj,
        undefined,
        options.dryRun === true ? 'All' : undefined,
        options.fieldManager ?? 'argocd-controller',
        options.force ?? true,
        PatchStrategy.ServerSideApply,
      );
    } catch (err) {
      throw toDomain(err, obj, 'apply');
    }
  }

  async create(obj: KubernetesObject, dryRun = false): Promise<KubernetesObject> {
    try {
      return await this.#api.create(obj, undefined, dryRun ? 'All' : undefined, 'argocd-controller');
    } catch (err) {
      throw toDomain(err, obj, 'create');
    }
  }

  async replace(obj: KubernetesObject): Promise<KubernetesObject> {
    try {
      return await this.#api.replace(obj, undefined, undefined, 'argocd-controller');
    } catch (err) {
      throw toDomain(err, obj, 'replace');
    }
  }

  /** Deletes with a propagation policy; an object already gone is not an error. */
  async delete(
    obj: KubernetesObject,
    propagationPolicy: 'Foreground' | 'Background' | 'Orphan' = 'Foreground',
  ): Promise<void> {
    try {
      await this.#api.delete(obj, undefined, undefined, undefined, undefined, propagationPolicy);
    } catch (err) {
      if (status(err) === 404) return;
      throw toDomain(err, obj, 'delete');
    }
  }

  /**
   * Removes one finalizer, leaving the others. The list is written back with the resourceVersion it was
   * read at, so a concurrent change makes this fail (409) rather than silently drop someone's finalizer.
   */
  async removeFinalizer(obj: KubernetesObject, finalizer: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const live = await this.get(obj);
      const finalizers = live?.metadata?.finalizers ?? [];
      if (live === undefined || !finalizers.includes(finalizer)) return;
      try {
        await this.#api.patch(
          {
            apiVersion: live.apiVersion ?? '',
            kind: live.kind ?? '',
            metadata: {
              name: live.metadata?.name ?? '',
              ...(live.metadata?.namespace ? { namespace: live.metadata.namespace } : {}),
              resourceVersion: live.metadata?.resourceVersion ?? '',
              finalizers: finalizers.filter((f) => f !== finalizer),
            },
          },
          undefined,
          undefined,
          'argocd-controller',
          undefined,
          PatchStrategy.MergePatch,
        );
        return;
      } catch (err) {
        if (status(err) === 404) return;
        if (status(err) === 409 && attempt < 5) continue;
        throw toDomain(err, obj, 'remove finalizer from');
      }
    }
  }
}
